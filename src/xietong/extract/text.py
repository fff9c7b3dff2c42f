"""Normalising PDF-to-text and keeping every character's offset in the original file.

Seeds come from PDFs: every line is followed by a blank line, lines are wrapped in the
middle of words and numbers ("2024\\n年"), spaces pad numbers ("255 家"), headings stand
alone on short lines. We join wrapped lines, keep paragraph and heading breaks as a single
newline, and drop spaces next to Chinese characters. ``Text.offsets[i]`` is the position
in the original file of normalised character ``i``, so any span maps back exactly.
"""

from __future__ import annotations

import logging
import statistics
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from xietong.i18n import _
from xietong.ingest.errors import InputError
from xietong.ingest.readers import detect_encoding

SENTENCE_END = "。！？；!?…"
CLOSERS = "”’」』）)\"'"
_WRAPPED_MAX_MEDIAN = 45  # files whose typical line is longer hold one paragraph a line
_PARAGRAPH_CUT = 40  # in such files, a line this long that stops mid-sentence goes on
_OPENERS = "（(“「『《【"
_CLAUSE_GOES_ON = "，、"  # a line ending in one goes on; one opening "X，" is a word's tail
_MIN_WRAPPED = 8  # shorter lines are headings, however they end
_WINDOW = 10  # characters either side of a line break that LAC reads


@dataclass(frozen=True, slots=True)
class Text:
    original: str
    text: str
    offsets: tuple[int, ...]  # original offset of each character of ``text``

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original-file span of normalised ``[start, end)``."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


# What ``read`` takes as text; other extensions are refused by name (an .xlsx or an old
# .doc would otherwise be decoded into noise or an encoding error about the wrong thing).
TEXT_SUFFIXES = (".txt", ".text", ".md")
DOCUMENT_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf")


def read(path: Path) -> str:
    """The text of a TXT (UTF-8 with or without BOM, GB18030/GBK, or UTF-16 with BOM), DOCX
    or PDF file; a file that cannot be read raises an ``InputError`` naming it.

    For DOCX and PDF the text the library reads is "the original" that spans refer to:
    paragraphs (DOCX) and pages (PDF) end with a line break."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path)
    if suffix == ".pdf":
        return _read_pdf(path)
    if suffix == ".doc":
        raise InputError(_("{path}: 旧版 Word（.doc）文件无法读取；请另存为 .docx").format(path=path))
    if suffix and suffix not in TEXT_SUFFIXES:
        raise InputError(_("{path}: 不支持的文件类型 {suffix}；支持：{suffixes}").format(
            path=path, suffix=repr(suffix), suffixes="、".join(DOCUMENT_SUFFIXES)))
    # the table importer's detection: UTF-8, GB18030, UTF-16 by its BOM, or the place of
    # the first byte neither UTF-8 nor GB18030 reads. Decoded as bytes, not read_text: its
    # newline translation would move every offset after a "\r\n".
    return path.read_bytes().decode(detect_encoding(path))


def _read_docx(path: Path) -> str:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise InputError(_("{path}: 无法读取的 DOCX 文件（{error}）").format(
            path=path, error=error)) from error
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:  # tables after the body text, one row a line
        lines += ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(lines)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it repairs ("EOF marker not found") on top of the error we raise
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        pages = PdfReader(str(path)).pages
        text = "\n".join(page.extract_text() or "" for page in pages)
    except (PdfReadError, ValueError) as error:
        raise InputError(_("{path}: 无法读取的 PDF 文件（{error}）").format(
            path=path, error=error)) from error
    if pages and not text.strip():
        raise InputError(_("{path}: PDF 中没有文字层（扫描件？），请先做文字识别（OCR）").format(
            path=path))
    return text


def _fold(char: str) -> str:
    """Full-width digits and Latin letters to ASCII; Chinese punctuation stays as the
    tagger's training text has it."""
    if "\uff10" <= char <= "\uff19" or "\uff21" <= char <= "\uff3a" or "\uff41" <= char <= "\uff5a":
        return unicodedata.normalize("NFKC", char)
    return char


def _width(lines: list[str]) -> float:
    lengths = [len(line) for line in lines if len(line) >= 8]
    return statistics.median(lengths) if lengths else 0.0


def _joins(line: str, following: str, width: float) -> bool:
    """Whether ``line`` was wrapped, i.e. continues on the next line."""
    if not following or width == 0:
        return False
    stripped = line.rstrip()
    if stripped[-1:] in SENTENCE_END or (stripped[-1:] in CLOSERS and stripped[-2:-1] in SENTENCE_END):
        return False
    if width > _WRAPPED_MAX_MEDIAN:
        # One paragraph a line: a long line that stops mid-sentence was cut by a page break
        # and goes on in the next (…为产业创新和健 / 康发展提供…, 执行董事、总经 / 理朱明渊说).
        # A closing bracket ends a byline or a caption ((作者：…), 本报记者 赵晶摄), and a
        # line opening with a bracket is a list item or a heading.
        if len(stripped) >= _PARAGRAPH_CUT and stripped[-1:] not in CLOSERS \
                and not stripped.endswith("摄") and following[:1] not in _OPENERS:
            return True
    elif len(stripped) >= 0.8 * width:  # a short line is a heading or a paragraph's end...
        return True
    return _goes_on(stripped, following)


def _goes_on(line: str, following: str) -> bool:
    """Whether a line too short to have been wrapped by width still stops mid-clause or
    mid-word: PDF columns wrap around pictures and page breaks cut anywhere (记者获悉，工业和
    信息 / 化部今年…, 一批新赛道策源地和集聚 / 区，促进…). A heading has no comma at its end,
    is not a word cut in two, and no paragraph opens with one character and a comma."""
    line = "".join(line.split())
    if len(line) < _MIN_WRAPPED:
        return False  # 场景为王, 布局产业前沿: headings LAC may read on into the next line
    if line[-1] in _CLAUSE_GOES_ON:
        return True
    following = "".join(following.split())
    if not (_is_han(line[-1]) and following and _is_han(following[0])):
        return False  # table rows (2020年\t1615.69 / 2021年…), quotes, numbers
    if following[1:2] in _CLAUSE_GOES_ON:
        return True
    from xietong.extract import lac  # loaded only for the few lines this decides

    left, window = line[-_WINDOW:], line[-_WINDOW:] + following[:_WINDOW]
    return any(a < len(left) < b for a, b, _ in lac.analyse(window))


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def normalize(original: str) -> Text:
    chars: list[str] = []
    offsets: list[int] = []
    # Lines with their starting offsets; blank lines only separate.
    lines: list[tuple[int, str]] = []
    position = 0
    for raw in original.split("\n"):
        if raw.strip():
            lines.append((position, raw))
        position += len(raw) + 1
    width = _width([line.strip() for _, line in lines])
    for index, (start, line) in enumerate(lines):
        for i, char in enumerate(line):
            if char in " \t\u3000\r\xa0":
                continue
            chars.append(_fold(char))
            offsets.append(start + i)
        following = lines[index + 1][1].strip() if index + 1 < len(lines) else ""
        if not _joins(line, following, width) and index + 1 < len(lines):
            chars.append("\n")
            offsets.append(start + len(line))
    _restore_latin_spaces(original, chars, offsets)
    return Text(original, "".join(chars), tuple(offsets))


def _restore_latin_spaces(original: str, chars: list[str], offsets: list[int]) -> None:
    """Put back a space dropped between two Latin letters or digits ("Apple Vision")."""
    i = 1
    while i < len(chars):
        a, b = chars[i - 1], chars[i]
        gap = original[offsets[i - 1] + 1:offsets[i]]
        if gap and not gap.strip(" \t\xa0") and a.isascii() and b.isascii() and a.isalpha() \
                and b.isalpha():
            chars.insert(i, " ")
            offsets.insert(i, offsets[i - 1] + 1)
            i += 1
        i += 1


def load(path: Path) -> Text:
    return normalize(read(path))
