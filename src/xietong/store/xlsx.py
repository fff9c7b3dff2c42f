"""A streaming XLSX writer for exports: each row goes straight into the zip as XML.

Why not openpyxl, which reads our workbooks: writing the 400,000 rows of a demo + ICKG25 +
ChainKG store took openpyxl's write-only mode 23 s of CPU (XlsxWriter's constant-memory mode
24 s), nearly all in per-cell objects; this writer takes 3 s (docs/decisions.md). It writes
what an export needs and nothing else — text, numbers, one "quote prefix" style — in the
parts Excel requires (the same minimal package XlsxWriter and openpyxl write), with inline
strings as both of them do in streaming mode. Every cell has an explicit type: no text can
become a formula, a number, an error code or a link.

Callers clean the text first (``cells``): XML 1.0 cannot hold most control characters.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape, quoteattr

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')
_QUOTE_PREFIX_STYLE = 1  # the second cellXfs entry above
_ROWS_PER_WRITE = 2000
# Excel reads _xHHHH_ in any text as the character U+HHHH; a literal one escapes its "_"
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
# a raw CR would reach the reader as LF (XML normalises line ends)
_CR = {"\r": "&#13;"}


class QuotedText(str):
    """Text written with the quote-prefix style: it begins like a formula (=, +, -, @) and
    Excel must keep it text even when the cell is edited."""


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Workbook:
    """``with Workbook(path) as book: sheet = book.sheet("实体"); sheet.append([...])``.
    Sheets are written one after another (a zip takes one stream at a time)."""

    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
        self._titles: list[str] = []
        self._open: Sheet | None = None

    def sheet(self, title: str) -> Sheet:
        if self._open is not None:
            self._open.close()
        self._titles.append(title)
        stream = self._zip.open(f"xl/worksheets/sheet{len(self._titles)}.xml", "w")
        self._open = Sheet(stream)
        return self._open

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None
        sheets = range(1, len(self._titles) + 1)
        self._zip.writestr("[Content_Types].xml", (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for n in sheets)
            + '</Types>'))
        self._zip.writestr("_rels/.rels", (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        self._zip.writestr("xl/workbook.xml", (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
                      for n, title in zip(sheets, self._titles, strict=True))
            + '</sheets></workbook>'))
        self._zip.writestr("xl/_rels/workbook.xml.rels", (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in sheets)
            + f'<Relationship Id="rId{len(self._titles) + 1}" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>'))
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.close()

    def abandon(self) -> None:
        """Stops after a failure (the file is incomplete and will be removed), raising
        nothing more: a full disk fails the closing writes too."""
        with contextlib.suppress(Exception):
            if self._open is not None:
                self._open.stream.close()
        with contextlib.suppress(Exception):
            self._zip.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()


class Sheet:
    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.rows = 0
        self._pending: list[str] = []
        stream.write(f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())

    def append(self, values: Iterable[Any]) -> None:
        """One row: ``str`` as text, ``QuotedText`` as text with the quote-prefix style,
        ``int``/``float`` as numbers (finite, as the caller ensures), ``None`` and "" as
        nothing."""
        self.rows += 1
        row = self.rows
        cells = [f'<row r="{row}">']
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = f"{column_letter(col)}{row}"
            if isinstance(value, str):
                text = escape(_ESCAPE_LIKE.sub(r"_x005F_\1", value) if "_x" in value else value,
                              _CR)
                style = f' s="{_QUOTE_PREFIX_STYLE}"' if isinstance(value, QuotedText) else ""
                space = ' xml:space="preserve"' if value != value.strip() else ""
                cells.append(f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t>'
                             '</is></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
        cells.append("</row>")
        self._pending.append("".join(cells))
        if len(self._pending) >= _ROWS_PER_WRITE:
            self._flush()

    def _flush(self) -> None:
        self.stream.write("".join(self._pending).encode())
        self._pending.clear()

    def close(self) -> None:
        self._flush()
        self.stream.write(b"</sheetData></worksheet>")
        self.stream.close()
