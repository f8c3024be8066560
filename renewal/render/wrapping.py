"""Lines of text folded to a terminal's width, for readers of Chinese and English.

A terminal left to break a long line itself breaks it at whichever column it reaches:
`截止 2021-12` / `-26 18:00`, `补足保证金 ¥` / `50,000`. Here a line breaks only where a
reader expects it: at a space, or between two Chinese characters, never before a closing
mark (，。）」…) nor after an opening one (（「…), never where Latin text meets Chinese
(a number keeps its unit: 2022年度, 近365天), and never inside an amount (¥50,000), a
day or a time (2021-12-26 18:00, 18:00:00.5, 2021-12-31 24时), a time span (6天6小时,
6d 6h) or a count with its unit (0 分, 3 项). A continuation line is indented under its
item: under the text after a list mark (`1. `, `- `), else two columns in from where the
line starts. Only a piece wider than the whole line is cut, wherever it must be.
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len

_PROTECTED = re.compile(
    r"""
      -?[¥￥]\s?\d[\d,]*(?:\.\d+)?                                  # an amount
    | \d{4}-\d{2}-\d{2}                                            # a day,
      (?:[ T]\d{1,2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?|时))?            # with its time
      (?:[+-]\d{2}:\d{2})?
    | \d+(?:天|小时|分钟|秒)(?:\d+(?:天|小时|分钟|秒))*               # 6天6小时
    | \b\d+[dhms](?:\ \d+[dhms])*\b                                # 6d 6h
    | \d+(?:\.\d+)?\ (?:分钟|小时|分|项|个|家|元|行|天|秒|条|次)        # 0 分, 3 项
    """,
    re.VERBOSE,
)
"""What a line never breaks inside, whatever spaces or Chinese it holds."""

_SPACES = frozenset(" \u3000")
_NO_START = frozenset("，。、；：！？）」』》〉】〕］｝…‥·・”’,.;:!?)]}%")
"""Marks that close or pause: a line never starts with one."""
_NO_END = frozenset("（「『《〈【〔［｛“‘([{¥￥")
"""Marks that open: a line never ends with one."""
_MARK = re.compile(r"(?:\d+\.|[-•*]) ")
"""A list item's mark; its continuation lines start under the text after it."""

MIN_WIDTH = 20
"""Narrower than this, lines are still folded to this width: a narrower terminal breaks
them again itself."""


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _breaks_between(before: str, after: str) -> bool:
    """Whether a line may break between two characters with no space between them: two
    Chinese ones, Latin text and a Chinese opening mark (id「shop」), a Chinese closing or
    pausing mark and Latin text (「shop」id, 时间：2021-12-26)."""
    if after in _NO_START or before in _NO_END:
        return False
    wide_before, wide_after = _wide(before), _wide(after)
    if wide_before and wide_after:
        return True
    return (wide_after and after in _NO_END) or (wide_before and before in _NO_START)


def pieces(text: str) -> list[tuple[str, str]]:
    """`text` as (the spaces before it, a piece never broken), in order: a line may break
    before any piece, dropping the spaces there."""
    glued = [False] * (len(text) + 1)
    for found in _PROTECTED.finditer(text):
        for index in range(found.start() + 1, found.end()):
            glued[index] = True
    found_pieces: list[tuple[str, str]] = []
    spaces, current = "", ""
    index = 0
    while index < len(text):
        char = text[index]
        if char in _SPACES and not glued[index]:
            end = index
            while end < len(text) and text[end] in _SPACES and not glued[end]:
                end += 1
            if current:
                found_pieces.append((spaces, current))
                current = ""
            spaces = text[index:end]
            index = end
            continue
        if current and not glued[index] and _breaks_between(text[index - 1], char):
            found_pieces.append((spaces, current))
            spaces, current = "", ""
        current += char
        index += 1
    if current:
        found_pieces.append((spaces, current))
    return found_pieces


def hanging_indent(line: str, width: int) -> int:
    """Where a line's continuation lines start: under the text after a list mark, else two
    columns in; at most a third of the width, so there is room left to write in."""
    body = line.lstrip(" ")
    lead = len(line) - len(body)
    mark = _MARK.match(body)
    indent = lead + (len(mark.group(0)) if mark else 2)
    return min(indent, width // 3)


def wrap(line: str, width: int) -> list[str]:
    """`line` folded to `width` terminal columns (at least MIN_WIDTH): the line itself
    when it fits."""
    width = max(width, MIN_WIDTH)
    if cell_len(line) <= width:
        return [line]
    body = line.lstrip(" ")
    return fold(pieces(body), width, len(line) - len(body), hanging_indent(line, width))


def fold(parts: list[tuple[str, str]], width: int, lead: int = 0, indent: int = 0) -> list[str]:
    """`parts` (see `pieces`) laid into lines of at most `width` cells: the first line
    starts `lead` columns in, the others `indent`. A line breaks only between pieces; a
    piece wider than a line is cut where it must be."""
    lines: list[str] = []
    current, used, started = " " * lead, lead, False
    for spaces, piece in parts:
        size = cell_len(piece)
        if started and used + cell_len(spaces) + size <= width:
            current += spaces + piece
            used += cell_len(spaces) + size
            continue
        if started:
            lines.append(current)
            current, used = " " * indent, indent
        for char in piece if used + size > width else (piece,):
            # a piece wider than a line is cut where it must be
            step = cell_len(char)
            if used + step > width and used > indent:
                carried = _carried(current, char, width - indent - step)
                lines.append(current[: len(current) - len(carried)])
                current, used = " " * indent + carried, indent + cell_len(carried)
            current += char
            used += step
        started = True
    lines.append(current)
    return lines


def _carried(line: str, char: str, room: int) -> str:
    """What of a line cut inside a piece goes on with `char` to the next line: nothing,
    or for a closing mark the characters before it back to one that may start a line
    (never `」` alone), when they fit in `room`."""
    if char not in _NO_START:
        return ""
    cut = len(line) - 1
    while cut > 0 and line[cut] in _NO_START:
        cut -= 1
    carried = line[cut:]
    if cut <= 0 or line[cut] == " " or cell_len(carried) > room:
        return ""
    return carried


def wrapped(lines: list[str], width: int | None) -> list[str]:
    """Every line folded to `width`; the lines as they are when there is no width."""
    if width is None:
        return list(lines)
    return [part for line in lines for part in wrap(line, width)]
