"""Streaming readers for analysts' tables: CSV/TSV, XLSX and JSON Lines.

Every reader yields ``(row_number, {column: text or None})`` where ``row_number`` is
what the analyst sees in their editor, so every later message can point at it. Rows
are read lazily; only the header (and, for JSON Lines, the set of keys) is read up
front, so a million-row file never sits in memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from xietong.ingest.errors import InputError

Row = dict[str, str | None]

# Under this key a row carries cells beyond the header (typically an unquoted comma in
# a name); the mapping reports them instead of silently dropping data.
EXTRA_CELLS = "\x00extra"

_CHUNK = 1 << 20
_HEADER_SCAN = 20
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Chosen in this order: UTF-8 is unambiguous when it decodes; GB18030 is a superset of
# GBK/GB2312, which Excel on Chinese Windows writes.
_CANDIDATE_ENCODINGS = ("utf-8-sig", "gb18030")
_CSV_EXTENSIONS = {".csv", ".tsv", ".txt"}
_XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
_JSONL_EXTENSIONS = {".jsonl", ".ndjson"}

csv.field_size_limit(1 << 24)  # long descriptions in a cell are legitimate


class Table:
    """A readable table: header known, rows produced on each iteration."""

    path: Path
    columns: list[str]
    encoding: str | None
    header_row: int  # where the header is, for messages about missing columns

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        raise NotImplementedError

    @property
    def name(self) -> str:
        """How messages name the file: as the user passed it."""
        return str(self.path)


def read_table(path: str | os.PathLike[str], *, sheet: str | int | None = None,
               encoding: str | None = None) -> Table:
    """Open a table by extension; ``sheet`` (name or 0-based index) is for XLSX only."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    if p.stat().st_size == 0:
        raise InputError(f"{p}: the file is empty")
    ext = p.suffix.lower()
    if ext in _CSV_EXTENSIONS:
        return CsvTable(p, encoding=encoding)
    if ext in _XLSX_EXTENSIONS:
        return XlsxTable(p, sheet=sheet)
    if ext in _JSONL_EXTENSIONS:
        return JsonlTable(p, encoding=encoding)
    if ext == ".xls":
        raise InputError(f"{p}: old Excel .xls files are not supported; "
                         "save it as .xlsx (Excel: 文件 → 另存为 → Excel 工作簿)")
    known = ", ".join(sorted(_CSV_EXTENSIONS | _XLSX_EXTENSIONS | _JSONL_EXTENSIONS))
    raise InputError(f"{p}: unknown file type {ext or '(no extension)'!r}; expected one of {known}")


# --- encodings ----------------------------------------------------------------------

def detect_encoding(path: Path) -> str:
    """UTF-8 (BOM or not), else GB18030, else an InputError locating the bad byte.

    The whole file is decoded once in chunks before any row is produced, so a bad byte
    on line 900,000 stops the import before anything has been written.
    """
    with path.open("rb") as f:
        head = f.read(4)
    if head.startswith(_ZIP_MAGIC):
        raise InputError(f"{path}: this is a zip/XLSX file, not text; rename it to .xlsx")
    if head.startswith(_UTF16_BOMS):
        return "utf-16"  # Excel's "Unicode text" export
    failures: list[tuple[str, int, int, int]] = []  # encoding, offset, line, byte
    for enc in _CANDIDATE_ENCODINGS:
        bad = _first_undecodable(path, enc)
        if bad is None:
            return "utf-8" if enc == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8) \
                else enc
        failures.append((enc, *bad))
    # The encoding that got furthest is most likely the one intended; point there.
    enc, offset, line, byte = max(failures, key=lambda f: f[1])
    label = "UTF-8" if enc == "utf-8-sig" else "GB18030/GBK"
    raise InputError(
        f"{path}:{line}: cannot decode as UTF-8 or GB18030/GBK: byte 0x{byte:02X} at offset "
        f"{offset} (line {line}) is invalid in {label}; save the file as UTF-8")


def _first_undecodable(path: Path, encoding: str) -> tuple[int, int, int] | None:
    """(byte offset, line, byte) of the first byte ``encoding`` rejects, or None."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    lines_before = 0
    with path.open("rb") as f:
        while True:
            chunk = f.read(_CHUNK)
            final = not chunk
            pending = decoder.getstate()[0]  # bytes of a character split across chunks
            try:
                decoder.decode(chunk, final=final)
            except UnicodeDecodeError as e:
                data = e.object if isinstance(e.object, bytes) else pending + chunk
                pos = offset - len(pending) + e.start
                in_chunk = max(0, pos - offset)
                line = lines_before + chunk[:in_chunk].count(b"\n") + 1
                return pos, line, data[e.start]
            if final:
                return None
            offset += len(chunk)
            lines_before += chunk.count(b"\n")


# --- CSV ----------------------------------------------------------------------------

class CsvTable(Table):
    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        self.path = path
        self.encoding = encoding or detect_encoding(path)
        self.delimiter = _delimiter(path, self.encoding)
        found = _find_header(self._records())
        if found is None:
            raise InputError(f"{path}: no header row: the file has no non-empty line")
        self.header_row, cells = found
        self.columns = _header(cells, path, self.header_row, lambda i: f"(column {i + 1})")

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """Each CSV record with the line it starts on; quoted newlines span lines."""
        with self.path.open(encoding=self.encoding, newline="") as f:
            reader = csv.reader(f, delimiter=self.delimiter, strict=True)
            start = 1
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as e:
                    if "end of data" in str(e) or "unexpected end" in str(e):
                        raise InputError(
                            f"{self.path}:{start}: a quoted field opened on line {start} is "
                            f"never closed (file truncated, or a stray \" in a cell)") from None
                    raise InputError(f"{self.path}:{reader.line_num}: malformed CSV: {e}") \
                        from None
                yield start, cells
                start = reader.line_num + 1

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        width = len(self.columns)
        for line, cells in self._records():
            if line <= self.header_row or not any(c.strip() for c in cells):
                continue
            row: Row = {col: (cells[i] if i < len(cells) else None)
                        for i, col in enumerate(self.columns)}
            extra = [c for c in cells[width:] if c.strip()]
            if extra:
                row[EXTRA_CELLS] = "\t".join(extra)
            yield line, row


def _delimiter(path: Path, encoding: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    if path.suffix.lower() == ".csv":
        return ","
    # .txt: Excel's "text" exports are tab-separated, others comma; the header decides.
    with path.open(encoding=encoding, newline="") as f:
        first = f.readline()
    return max((",", "\t", ";", "|"), key=first.count)


def _find_header(rows: Iterable[tuple[int, Sequence[str | None]]]) \
        -> tuple[int, Sequence[str | None]] | None:
    """The first non-empty row, skipping title rows above the header.

    Chinese reports often start with a one-cell title ("2024年一季度企业名录"); a row with a
    single filled cell is taken as a title when a row with several follows within
    ``_HEADER_SCAN`` rows, else (a one-column table) it is the header.
    """
    first: tuple[int, Sequence[str | None]] | None = None
    for number, cells in rows:
        filled = sum(1 for c in cells if c is not None and c.strip())
        if not filled:
            continue
        if first is None:
            first = (number, cells)
        if filled >= 2:
            return number, cells
        if number - first[0] >= _HEADER_SCAN:
            break
    return first


def _header(cells: Sequence[Any], path: Path, line: int, unnamed: Any) -> list[str]:
    names = [str(c).strip() if c is not None else "" for c in cells]
    while names and not names[-1]:
        names.pop()  # trailing empty header cells are formatting, not columns
    names = [n or unnamed(i) for i, n in enumerate(names)]
    seen: set[str] = set()
    dupes = sorted({n for n in names if n in seen or seen.add(n)})  # type: ignore[func-returns-value]
    if dupes:
        raise InputError(f"{path}:{line}: duplicate column names in the header: {', '.join(dupes)}")
    return names


# --- XLSX ---------------------------------------------------------------------------

class XlsxTable(Table):
    def __init__(self, path: Path, *, sheet: str | int | None = None) -> None:
        self.path = path
        self.encoding = None
        self.sheet = sheet
        with self._worksheet() as ws:
            self.sheet_title: str = ws.title
            found = _find_header((n, [_cell_text(v) for v in values])
                                 for n, values in self._rows(ws))
        if found is None:
            raise InputError(f"{path}: sheet {self.sheet_title!r} is empty (no header row)")
        self.header_row, cells = found
        self.columns = _header(cells, path, self.header_row, lambda i: f"(column {_letter(i)})")

    def _worksheet(self) -> _OpenSheet:
        return _OpenSheet(self.path, self.sheet)

    def _rows(self, ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
        number = 0
        try:
            for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
                yield number, values
        except (zipfile.BadZipFile, zlib.error, ParseError, EOFError, KeyError, OSError) as e:
            raise InputError(f"{self.path}: sheet {ws.title!r} is corrupt after row {number} "
                             f"(truncated file?): {e}") from None

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        with self._worksheet() as ws:
            for number, values in self._rows(ws):
                if number <= self.header_row:
                    continue
                cells = [_cell_text(v) for v in values]
                if not any(cells):
                    continue
                row: Row = {col: (cells[i] if i < len(cells) else None)
                            for i, col in enumerate(self.columns)}
                extra = [c for c in cells[len(self.columns):] if c]
                if extra:
                    row[EXTRA_CELLS] = "\t".join(extra)
                yield number, row


class _OpenSheet:
    """Opens the workbook read-only and always closes it (read-only keeps the zip open)."""

    def __init__(self, path: Path, sheet: str | int | None) -> None:
        self.path, self.sheet = path, sheet
        self.wb: Any = None

    def __enter__(self) -> Any:
        import openpyxl  # imported here: only XLSX users pay for it

        try:
            self.wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, zlib.error, ParseError, EOFError, KeyError, OSError) as e:
            raise InputError(f"{self.path}: not a readable XLSX file (truncated or corrupt "
                             f"zip): {e}") from None
        names = self.wb.sheetnames
        if self.sheet is None:
            ws = self.wb.worksheets[0]
        elif isinstance(self.sheet, int):
            if not 0 <= self.sheet < len(names):
                self.wb.close()
                raise InputError(f"{self.path}: no sheet number {self.sheet}; sheets: "
                                 f"{', '.join(names)}")
            ws = self.wb.worksheets[self.sheet]
        elif self.sheet in names:
            ws = self.wb[self.sheet]
        else:
            self.wb.close()
            raise InputError(f"{self.path}: no sheet {self.sheet!r}; sheets: {', '.join(names)}")
        ws.reset_dimensions()  # stale <dimension> tags would otherwise cut rows off
        return ws

    def __exit__(self, *exc: object) -> None:
        if self.wb is not None:
            self.wb.close()


def _cell_text(value: Any) -> str | None:
    """A cell as text; dates become ISO strings, whole floats lose their ``.0``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


# --- JSON Lines ---------------------------------------------------------------------

class JsonlTable(Table):
    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        self.path = path
        self.encoding = encoding or detect_encoding(path)
        self.header_row = 1
        # Keys are collected in one streaming pass, which also rejects a malformed or
        # truncated line before any record is produced.
        keys: dict[str, None] = {}
        for _, obj in self._objects():
            keys.update(dict.fromkeys(obj))
        if not keys:
            raise InputError(f"{path}: no JSON objects (only blank lines)")
        self.columns = list(keys)

    def _objects(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with self.path.open(encoding=self.encoding) as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                text = line.rstrip("\r\n")
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as e:
                    cut = e.pos >= len(text.rstrip())
                    hint = " (the line ends mid-object: file truncated?)" if cut else ""
                    raise InputError(f"{self.path}:{number}: malformed JSON at line {number}, "
                                     f"column {e.colno}: {e.msg}{hint}") from None
                if not isinstance(obj, dict):
                    raise InputError(f"{self.path}:{number}: line {number} is a JSON "
                                     f"{type(obj).__name__}, expected an object {{...}}")
                yield number, obj

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        for number, obj in self._objects():
            row: Row = {col: _json_text(obj.get(col)) for col in self.columns}
            if any(v is not None and v.strip() for v in row.values()):
                yield number, row


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return "；".join(str(v) for v in value)  # lists split again like a cell with ；
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
