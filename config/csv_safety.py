"""Cells of every CSV the platform writes, made safe to open in a spreadsheet (OWASP, CSV injection).

A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` as a formula, and one that starts
with a tab or a carriage return after trimming it; `=HYPERLINK("http://evil","x")` as a display name
becomes a live link, `=cmd|…` a command. OWASP's rule: prefix such a text with a single quote, which
the spreadsheet shows as text and does not print. Numbers stay numbers: an int, a float or a Decimal
is written as it is, and so is a text that is only a number ("-12", "320.500"), because the stats
answers carry decimals as strings and `-12` cannot be a formula. Every CSV writer goes through
`csv_text`, so no writer can forget a column.

Lines end with CRLF, as RFC 4180 has it: Python's csv module quotes a cell that holds a character of
the line terminator, so with CRLF a carriage return inside a name is quoted too and cannot split a
row (with a bare "\n" terminator it would be written as is).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain decimal number, nothing after it: what a spreadsheet reads as a number, never a formula.
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")


def csv_safe_cell(value: object) -> object:
    """The value as a spreadsheet should see it: a text that would start a formula, quoted."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.match(text):
        return "'" + text
    return text


def csv_safe_rows(rows: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
    """Every cell of every row through `csv_safe_cell`; the header row is the writer's own names."""
    return [{key: csv_safe_cell(value) for key, value in row.items()} for row in rows]


def csv_text(rows: list[Mapping[str, object]]) -> str:
    """The rows as CSV, a header from the first row's keys, every cell made safe; empty for no rows."""
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_safe_rows(rows))
    return out.getvalue()
