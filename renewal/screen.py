"""Text from an export shown on a terminal must stay text.

A shop name holding `ESC [2J` would clear the screen, and `ESC [1A ESC [2K` erase the line
above it (a merchant's 数据错误, say), if it were printed as it is. Every table, block,
checklist and diff line that carries export text passes it through `printable` first:
control characters (C0, DEL and C1) become U+FFFD, and a tab or line break inside a value
becomes a space, so one value stays on its line. Rich markup is escaped separately, where
the text goes into markup.
"""

from __future__ import annotations

_UNPRINTABLE = {
    code: " " if chr(code) in "\t\n\r\x0b\x0c" else "\ufffd"
    for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))
}
_UNPRINTABLE.update({0x2028: " ", 0x2029: " "})  # line and paragraph separators


def printable(text: str) -> str:
    """`text` with no character a terminal would act on; the same text when it has none."""
    return text.translate(_UNPRINTABLE)
