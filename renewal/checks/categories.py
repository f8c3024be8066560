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
"""

from __future__ import annotations

import re
from functools import lru_cache

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


@lru_cache(maxsize=4096)
def named_by(
    category: str, words: tuple[str, ...], prefixes: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The `words` that `category` is, in the order given (a name may be two categories
    at once: 医药 图书音像). A word among `prefixes` names a channel, not a thing, and
    also matches a level it begins (天猫国际进口 is 天猫国际). Remembered: category names
    repeat from row to row."""
    levels = _levels(category)
    return tuple(
        word
        for word in words
        if any(_is(level, word.casefold(), word in prefixes) for level in levels)
    )


def is_one_of(
    category: str, words: tuple[str, ...], prefixes: frozenset[str] = frozenset()
) -> bool:
    """Whether `category` is any of the categories `words` name."""
    return bool(named_by(category, words, prefixes))
