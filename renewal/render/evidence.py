"""A finding's evidence and messages as the reader of a report sees them.

The JSON report keeps a finding's `expected` and `actual` as the check recorded them: a
number, a report time (ISO 8601 with the Beijing offset), a day (`2022-12-31`: an expiry,
or a time cell that gave a day alone), text, or, for a rule that weighs
several values at once (TB01: serious and general points, a pending appeal), an object
keyed in English. A spreadsheet or a CI page shows them in the report's language instead:
`evidence_text` is the one place that words them, so every view says them alike.

Where a view lists several messages one per line (the 问题 cell, a JUnit failure text), a
line break inside one message (a merchant id typed with one, quoted by LD03) would read as
the start of another: `one_line` shows it as ⏎. The JSON report keeps the text exact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from renewal import i18n

LINE_BREAK_MARK = "⏎"
"""What a line break inside one message shows as where messages are listed a line each."""

_LINE_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
"""Whatever ends a line for Python's `splitlines`, and so for some reader of the text."""


_NOT_LABELS = frozenset(("other", "join"))
"""The catalogue's evidence.* entries that say how values are put together, not a key's
label: a key so named is shown as `key：value` like any key without a label."""


def one_line(text: str) -> str:
    """`text` with each line break shown as ⏎; the same text when it has none."""
    if text.isprintable():  # no line break (nor any other control): nearly every message
        return text
    return _LINE_BREAKS.sub(LINE_BREAK_MARK, text)


def report_moment(text: str) -> datetime | None:
    """A report time (`2021-12-26T18:00:00+08:00`, as the JSON report writes one) as the
    moment it is; None for any other text, a day alone (`2022-12-31`) included."""
    if len(text) < 19 or text[10] != "T" or text[4] != "-":
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def evidence_text(value: object, lang: str) -> str:
    """An expected or actual value in the report's language: a time as every message
    says one (`2021-12-26 18:00`), a number without a needless `.0`, yes/no in words, and
    an object as its labelled values (`严重违规扣分 12；一般违规扣分 0；处罚申诉中：否` /
    `serious violation points 12; …`), a key without a label as it is. Empty for none."""
    if value is None:
        return ""
    if isinstance(value, str):
        moment = report_moment(value)
        return value if moment is None else i18n.moment(moment)
    if isinstance(value, bool):
        return i18n.catalog(lang)["annotated.yes" if value else "annotated.no"]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):  # 12.0 reads 12; 35450.19 as it is, never rounded
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return i18n.moment(value)
    if isinstance(value, Mapping):
        texts = i18n.catalog(lang)
        parts = []
        for key, item in value.items():
            shown = evidence_text(item, lang)
            template = None if key in _NOT_LABELS else texts.get(f"evidence.{key}")
            if template is None:
                parts.append(texts["evidence.other"].format(key=key, value=shown))
            else:
                parts.append(template.format(value=shown))
        return texts["evidence.join"].join(parts)
    if isinstance(value, list | tuple):
        return i18n.listed([evidence_text(item, lang) for item in value], lang)
    return str(value)
