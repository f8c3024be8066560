"""Text written into a spreadsheet-bound cell (CSV, xlsx) must never become a formula.

A spreadsheet takes a cell that starts with =, +, -, @ (or a tab or carriage return, which
some strip before looking) for a formula. Text from an export is written with a leading
apostrophe instead, which Excel and LibreOffice show as text and do not display.

Every text cell is guarded, signed numbers included: a CSV cell has no type, so `+8613800000000`
(a phone number) or `-5` read from an export's text would otherwise be turned into a number
(losing the `+`, or the digits past the 15th) or evaluated. Values that renewal itself
writes as numbers (amounts it computed) are not text and are not passed through here.
"""

from __future__ import annotations

FORMULA_INITIALS = ("=", "+", "-", "@", "\t", "\r")
GUARDED_INITIALS = frozenset(FORMULA_INITIALS)
"""The same, for a test of a cell's first character where a call per cell costs."""


def needs_guard(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula."""
    return text.startswith(FORMULA_INITIALS)


def guard_text(value: str) -> str:
    """`value`, with a leading apostrophe when a spreadsheet could read it as a formula."""
    return "'" + value if value.startswith(FORMULA_INITIALS) else value
