"""Tables laid out to the terminal's width without breaking what must stay whole.

Rich folds a cell at any character once a word no longer fits, and Chinese has no spaces
between words, so `购物提货券、蛋糕面包：¥100,000` in a narrow column came out as `…：¥1` /
`00,000`, and an e-mail address as `a06@exa` / `mple.co` / `m`. Here every column gets a
fixed width no narrower than the widest piece it holds (`wrapping.pieces`: an amount, a
date-time, a span such as 6天6小时, a count with its unit, a run of Latin text), and each
cell is filled to that width piece by piece (`fill`), so rich never has to fold; or the
caller is told the table does not fit (`fit_table` returns None) and lays the rows out
another way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.console import JustifyMethod
from rich.table import Table
from rich.text import Text

from renewal.render.wrapping import fold, pieces


def _pieces(line: str) -> list[tuple[str, str]]:
    """`wrapping.pieces`, with an English count kept with its noun (25 merchants, 3 rows),
    as the Chinese one is with its measure word (25 个)."""
    found: list[tuple[str, str]] = []
    for spaces, piece in pieces(line):
        if found and spaces == " " and found[-1][1][-1:].isdigit() and piece[:1].isalpha():
            if piece[:1].isascii():
                found[-1] = (found[-1][0], f"{found[-1][1]} {piece}")
                continue
        found.append((spaces, piece))
    return found


def fill(text: str, width: int) -> list[str]:
    """`text`'s lines (it may hold line breaks) filled to at most `width` cells, broken only
    between pieces, with no indent (a cell's lines all start at its edge). A piece wider
    than `width` is cut: that is the last resort."""
    width = max(width, 1)
    return [line for paragraph in text.split("\n") for line in fold(_pieces(paragraph), width)]


Cell = str | Text
"""A table cell: plain text, or a Text whose styles (an outcome's colour, a due-soon mark)
are kept through the filling."""


def plain_of(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def filled(cell: Cell, width: int, justify: JustifyMethod = "left") -> Text:
    """`cell` filled to `width` by `fill`; a Text keeps its styles. Each line `fill` makes
    is a stretch of the cell (only the blanks at a break are dropped), so each is cut from
    the styled text where it starts."""
    plain = plain_of(cell)
    lines = fill(plain, width)
    if isinstance(cell, str):
        return Text("\n".join(lines), justify=justify)
    parts: list[Text] = []
    at = 0
    for line in lines:
        start = plain.find(line, at)
        if start < 0:  # not a stretch of the cell (fold never makes one): unstyled
            return Text("\n".join(lines), style=cell.style, justify=justify)
        parts.append(cell[start : start + len(line)])
        at = start + len(line)
    return Text("\n", justify=justify).join(parts)


def widest_piece(text: str) -> int:
    """The narrowest width `text` fills without cutting a piece."""
    return max(
        (cell_len(piece) for line in text.split("\n") for _, piece in _pieces(line)), default=0
    )


def natural_width(text: str) -> int:
    """The width of `text`'s longest line."""
    return max((cell_len(line) for line in text.split("\n")), default=0)


def header_words(header: str) -> list[str]:
    """Where a column's header may break: at a space, after `_`, before a bracket; a run of
    Chinese stays whole (应缴金额 / (元), amount_ / due_ / cny)."""
    return [word for word in re.split(r"\s+|(?<=_)|(?=[(（])", header) if word]


def _header_lines(header: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in header_words(header):
        glued = not line or line.endswith("_") or word[0] in "(（"
        joined = line + word if glued else f"{line} {word}"
        if line and cell_len(joined) > width:
            lines.append(line)
            line = word
        else:
            line = joined
    return [*lines, line]


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a table laid out by `fit_table`."""

    header: str
    unbroken: bool = False
    """Never wrapped (an id, a phone number, an e-mail address, an amount, a time left):
    the column is at least as wide as its widest cell (and its header's widest word),
    and grows to its whole header when there is room."""
    readable: int = 10
    """The narrowest a wrapped column is made (its natural width when that is less)."""
    weight: int = 1
    """Its share of the width left once every column has its minimum."""
    widest: int | None = None
    """The widest it is made, however much room is left."""
    cut: bool = False
    """A piece wider than the column may be cut (export text such as a shop name, which
    nobody copies or reads as a figure): the minimum is the readable width alone, not the
    widest piece."""
    justify: JustifyMethod = "left"


def share(minimum: list[int], natural: list[int], weight: list[int], room: int) -> list[int]:
    """Every column its minimum, then the room left by weight, none beyond its natural
    width."""
    widths = list(minimum)
    left = room - sum(widths)
    while left > 0:
        growing = [i for i, width in enumerate(widths) if width < natural[i]]
        if not growing:
            break
        total = sum(weight[i] for i in growing)
        given = 0
        for i in growing:
            part = min(left * weight[i] // total, natural[i] - widths[i])
            widths[i] += part
            given += part
        if not given:  # a remainder smaller than the weights: a cell to the heaviest
            i = max(growing, key=lambda i: (weight[i], -i))
            widths[i] += 1
            given = 1
        left -= given
    return widths


def fit_table(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int, **options: Any
) -> Table | None:
    """A rich Table of `rows` at most `width` cells wide, each column at a fixed width and
    each cell filled by `fill`; None when the columns do not fit at their minimum widths
    (every unbroken column whole, every other at its readable width and no narrower than
    its widest piece). `options` go to Table (title, show_lines …); the table keeps rich's
    default box and padding: a border around and between the columns, a cell of padding
    either side of each."""
    room = width - 3 * len(columns) - 1
    minimum: list[int] = []
    natural: list[int] = []
    for index, column in enumerate(columns):
        cells = [plain_of(row[index]) for row in rows]
        header_min = max((cell_len(word) for word in header_words(column.header)), default=0)
        widest_line = max((natural_width(cell) for cell in cells), default=0)
        if column.unbroken:
            least = max(widest_line, header_min, 1)
            most = max(least, cell_len(column.header))  # a header whole when there is room
        else:
            longest = 0 if column.cut else max((widest_piece(c) for c in cells), default=0)
            least = max(min(widest_line, column.readable), longest, header_min, 1)
            most = max(widest_line, cell_len(column.header))
            if column.widest is not None:
                most = min(most, column.widest)
            most = max(most, least)
        minimum.append(least)
        natural.append(most)
    if sum(minimum) > room:
        return None
    headed = [
        most if column.unbroken else least
        for column, least, most in zip(columns, minimum, natural, strict=True)
    ]
    if sum(headed) <= room:  # a whole header before a wider wrapped column
        minimum = headed
    widths = share(minimum, natural, [column.weight for column in columns], room)
    table = Table(**options)
    for column, size in zip(columns, widths, strict=True):
        table.add_column(
            Text("\n".join(_header_lines(column.header, size))),
            width=size,
            no_wrap=True,
            justify=column.justify,
        )
    for row in rows:
        table.add_row(
            *(
                filled(cell, size, column.justify)
                for column, size, cell in zip(columns, widths, row, strict=True)
            )
        )
    return table
