"""Whether a store's 主营类目 is one of the categories a rule names.

The rules name categories by a word (旅游, 医药, 保险, 整车 …) while exports write Tmall's
category names, which are compound paths: 度假线路/签证送关/旅游服务, OTC药品/国际医药,
医疗及健康服务-医疗服务, 汽车及配件-新车/二手车. Matching the word anywhere in the name
finds those, but also 旅游鞋 (a shoe), 保险箱 (a safe) and 基金会定制, and a wrong match moves
a store to another deposit amount (旅游 is ¥10,000) or shuts it out of the transfer.

So a name is cut into its levels (at / - > | and spaces), and a level is the category when
it is the word, ends with it, or is the word followed by a generic head such as 服务: in a
Chinese compound the last word says what the thing is. 国际医药 and 汽车保险 are 医药 and
保险; 旅游服务 is 旅游; 旅游鞋, 旅游用品, 保险箱 and 新车用品 are not. A bracketed
qualifier is left out first: 整车(经销商) is 整车. A rule file may list words that name a
channel rather than a thing (天猫国际) as prefixes: 天猫国际进口 is 天猫国际.

A rule may also name a category by a name of several levels, as Tmall writes some first-level
categories (女装/女士精品, 服饰配件/皮带/帽子/围巾): the name is cut the same way, and it
matches as many consecutive levels of the store's category, each read as a one-level word
is. 女装/女士精品 is 女装/女士精品/连衣裙 and 女装-女士精品; it is not 女装 alone, nor
女士精品/女装. A rule that goes by the first-level category (the annual fee) asks for a run
that starts at the first level (`leading`): 童鞋/运动鞋 is then not 运动鞋.
"""

from __future__ import annotations

import re
from functools import lru_cache

from renewal.intake.values import split_categories

_LEVELS = re.compile(r"[/／>＞|｜\-－—–\s]+")
_BRACKETED = re.compile(r"[(（][^)）]*[)）]")

GENERIC_HEADS = ("服务", "业务", "行业", "类", "业")
"""Words that follow a category word without making it another thing (旅游服务, 医药类)."""


def _levels(category: str) -> tuple[str, ...]:
    plain = _BRACKETED.sub("", category).casefold()
    return tuple(level for level in _LEVELS.split(plain) if level)


def _is(level: str, word: str, prefix: bool) -> bool:
    if level.endswith(word):
        return True
    if not level.startswith(word):
        return False
    return prefix or level[len(word) :] in GENERIC_HEADS


@lru_cache(maxsize=1024)
def _word_levels(word: str) -> tuple[str, ...]:
    """A rule's word cut into levels as a category is: one level for most (医药), several
    for a compound first-level name (女装/女士精品)."""
    return _levels(word)


def _names(levels: tuple[str, ...], word: str, prefix: bool, leading: bool) -> bool:
    """Whether the word's levels are a run of consecutive `levels` (the first ones, when
    `leading`)."""
    wanted = _word_levels(word)
    if not wanted:  # a word of separators only names nothing
        return False
    last = 0 if leading else len(levels) - len(wanted)
    return len(wanted) <= len(levels) and any(
        all(_is(levels[start + i], part, prefix) for i, part in enumerate(wanted))
        for start in range(last + 1)
    )


@lru_cache(maxsize=4096)
def named_by(
    category: str,
    words: tuple[str, ...],
    prefixes: frozenset[str] = frozenset(),
    leading: bool = False,
) -> tuple[str, ...]:
    """The `words` that `category` is, in the order given (a name may be two categories
    at once: 医药 图书音像). A word among `prefixes` names a channel, not a thing, and
    also matches a level it begins (天猫国际进口 is 天猫国际). With `leading`, a word
    names the category only from its first level on (the first-level category).
    Remembered: category names repeat from row to row."""
    levels = _levels(category)
    return tuple(word for word in words if _names(levels, word, word in prefixes, leading))


def is_one_of(
    category: str, words: tuple[str, ...], prefixes: frozenset[str] = frozenset()
) -> bool:
    """Whether `category` is any of the categories `words` name."""
    return bool(named_by(category, words, prefixes))


def listed_among(cell: str | None, words: tuple[str, ...]) -> list[str]:
    """The categories of a 主营类目 cell (it may list several: 男装、医药) that `words`
    name, in the cell's order."""
    return [category for category in split_categories(cell or "") if is_one_of(category, words)]
