"""Text made safe for a spreadsheet cell: what Excel, WPS and the XLSX format accept, and
nothing a spreadsheet would run.

Two hazards, handled apart because the formats need different things:

- Control characters (C0 but tab, newline and carriage return; DEL; C1) and lone surrogates
  are illegal in XLSX's XML and show as garbage in Excel; ChainKG has 小\\b大肠 and 外套类\\x7f.
  They are removed — only they — and counted, so the export can say how many cells changed.
- Formula injection (OWASP, "CSV Injection"): a cell that begins with = + - @ tab or CR is
  evaluated by Excel, LibreOffice and WPS (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``). In
  CSV such a cell gets a leading single quote, which the spreadsheet takes as "text" and
  hides; text that already begins with quotes before such a character (ChainKG's product
  '-肌苷酸二钠销售) gets one more, so that ``unquote_csv`` — taking one off wherever quotes
  precede a formula character — gives every text back exactly. In XLSX the cell is a string
  cell with the quote-prefix style: never a formula, and the value itself stays exact, so the
  workbook imports back unchanged.
"""

from __future__ import annotations

import re
from typing import Any

# Excel's limit for one cell; a longer string makes Excel "repair" (and cut) the workbook.
XLSX_MAX_CHARS = 32_767

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = frozenset("=+-@\t\r")
# text whose quote the CSV export doubles: quotes, then what would begin a formula
_QUOTED_FORMULA = re.compile("'+[=+\\-@\t\r]")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula."""
    return bool(text) and text[0] in FORMULA_START


def unquote_csv(cell: str) -> str:
    """A CSV cell's text, the inverse of ``CellCleaner.csv``: without the one leading ' that
    the export (or a spreadsheet) put before quotes and a formula character."""
    if _QUOTED_FORMULA.match(cell):
        return cell[1:]
    return cell


class CellCleaner:
    """Cleans the text of every cell of one export and counts what it changed."""

    def __init__(self) -> None:
        self.cleaned = 0  # cells that lost control characters
        self.truncated = 0  # cells cut to Excel's limit
        self.neutralised = 0  # cells that would have been formulas

    def text(self, value: str) -> str:
        if _CONTROL.search(value):
            self.cleaned += 1
            return _CONTROL.sub("", value)
        return value

    def csv(self, value: Any) -> Any:
        """A CSV field: numbers as they are, text cleaned and quoted out of formulas."""
        if not isinstance(value, str):
            return value
        value = self.text(value)
        if is_formula_like(value):
            self.neutralised += 1
            return "'" + value
        if _QUOTED_FORMULA.match(value):
            return "'" + value  # its own quote survives the import's unquoting
        return value

    def xlsx(self, value: str) -> str:
        """An XLSX string cell's text: cleaned and within Excel's limit."""
        value = self.text(value)
        if len(value) > XLSX_MAX_CHARS:
            self.truncated += 1
            value = value[:XLSX_MAX_CHARS]
        return value
