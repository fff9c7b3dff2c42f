"""Cell values as analysts write them, parsed into the registry's kinds.

Numbers with Chinese thousands separators and 万/亿 multipliers converted to an attribute's
unit with exact decimal arithmetic; dates in the usual Chinese and Excel forms; yes/no;
lists split on the separators people use in one cell. Used by mapping files and by the
store's own check of every attribute value, so a value is accepted or refused the same way
whichever way it came in.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from xietong.model.credit_code import validate_credit_code
from xietong.model.registry import AttributeType

# Multi-valued cells (aliases, list attributes, relation objects) split on these.
SEPARATORS = re.compile(r"[,，;；、|｜\n]+")

_MULTIPLIERS = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7,
                "百万": Decimal(10) ** 6, "万": Decimal(10) ** 4}
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d*)(?P<frac>\.\d+)?"
    r"\s*(?P<mult>万亿|亿|千万|百万|万)?\s*(?P<unit>[^\d\s.,+-][^\d]*)?")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
                  r"|(\d{4})年(\d{1,2})月(\d{1,2})[日号]?|(\d{4})(\d{2})(\d{2})")
_YM = re.compile(r"(\d{4})[-/.](\d{1,2})|(\d{4})年(\d{1,2})月?")
_Y = re.compile(r"(\d{4})年?")
_EXCEL_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
_TRUE = {"是", "有", "true", "yes", "y", "1", "√", "✓"}
_FALSE = {"否", "无", "false", "no", "n", "0", "×", "✗"}


def split_unit(unit: str) -> tuple[Decimal, str]:
    """'万元' -> (10000, '元'); '平方米' -> (1, '平方米')."""
    for prefix, factor in _MULTIPLIERS.items():
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return factor, unit[len(prefix):]
    return Decimal(1), unit


def unit_problem(unit: str, at: AttributeType) -> str | None:
    if at.kind not in ("int", "float"):
        return f"attribute {at.key} is not a number, so it has no unit"
    if at.unit is None:
        return f"attribute {at.key} has no unit to convert {unit!r} to"
    if split_unit(unit)[1] != split_unit(at.unit)[1]:
        return f"unit {unit!r} cannot be converted to {at.key}'s unit {at.unit!r}"
    return None


def parse_number(text: str, kind: str, unit: str | None = None,
                 written_in: str | None = None) -> int | float:
    """A number in ``unit`` from a cell such as '1,234', '1.2亿', '3000万元', '12%'.

    Plain numbers are taken to be in ``written_in`` (default ``unit``); a 万/亿 in the cell
    overrides that. Decimal arithmetic keeps 1.2亿 -> 12000 万元 exact.
    """
    clean = unicodedata.normalize("NFKC", text).strip()
    m = _NUMBER.fullmatch(clean)
    if not m or not (m["int"] or m["frac"]):
        raise ValueError("not a number")
    value = Decimal(m["sign"] + m["int"].replace(",", "") + (m["frac"] or ""))
    cell_unit = (m["unit"] or "").strip()
    if cell_unit in ("%", "％"):
        if unit is not None or m["mult"]:
            raise ValueError("a percentage is not allowed here")
        value /= 100
    elif m["mult"] or cell_unit:
        if unit is None:
            raise ValueError(f"this attribute has no unit, so {m['mult'] or ''}{cell_unit} "
                             "cannot be converted")
        factor, base = split_unit(unit)
        if cell_unit and cell_unit != base and split_unit(cell_unit)[1] != base:
            raise ValueError(f"unit {cell_unit!r} cannot be converted to {unit}")
        cell_factor = split_unit(cell_unit)[0] if cell_unit else Decimal(1)
        value = value * (_MULTIPLIERS[m["mult"]] if m["mult"] else Decimal(1)) * cell_factor \
            / factor
    elif written_in is not None and unit is not None and written_in != unit:
        value = value * split_unit(written_in)[0] / split_unit(unit)[0]
    if kind == "int":
        if value != value.to_integral_value():
            raise ValueError("not a whole number")
        return int(value)
    return float(value)


def parse_date(text: str) -> str:
    """An ISO date (YYYY-MM-DD, YYYY-MM or YYYY) from the ways analysts write dates."""
    clean = unicodedata.normalize("NFKC", text).strip()
    if m := _YMD.fullmatch(clean):
        y, mo, d = (int(g) for g in m.groups() if g is not None)
        _check_year(y)
        try:
            return dt.date(y, mo, d).isoformat()
        except ValueError as e:
            raise ValueError(f"not a valid date ({e})") from None
    if m := _YM.fullmatch(clean):
        y, mo = (int(g) for g in m.groups() if g is not None)
        _check_year(y)
        if not 1 <= mo <= 12:
            raise ValueError(f"month {mo} is not 1-12")
        return f"{y:04d}-{mo:02d}"
    if m := _Y.fullmatch(clean):
        y = int(m[1])
        _check_year(y)
        return f"{y:04d}"
    if _EXCEL_SERIAL.fullmatch(clean):
        from openpyxl.utils.datetime import from_excel

        return str(from_excel(int(float(clean))).date().isoformat())
    raise ValueError("not a date; write 2024-03-05, 2024/3/5, 2024年3月5日, 2024.03, "
                     "2024年3月 or 2024")


def _check_year(year: int) -> None:
    if not 1800 <= year <= 2200:
        raise ValueError(f"year {year} is out of range")


def parse_confidence(text: str) -> float:
    value = parse_number(text, "float")  # accepts 0.8 and 80%
    if not 0 <= value <= 1:
        raise ValueError("confidence must be between 0 and 1")
    return value


def split_cell(text: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in SEPARATORS.split(text) if p.strip()))


def parse_value(text: str, at: AttributeType, written_in: str | None = None) -> Any:
    """A cell as the Python value of attribute ``at``; ValueError says why not."""
    text = text.strip()
    if at.kind == "text":
        return text
    if at.kind in ("int", "float"):
        return parse_number(text, at.kind, at.unit, written_in)
    if at.kind == "date":
        return parse_date(text)
    if at.kind == "credit_code":
        return validate_credit_code(text)
    if at.kind == "list":
        return split_cell(text)
    if at.kind == "bool":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError("not yes/no (是/否)")
    raise ValueError(f"unsupported attribute kind {at.kind}")


def coerce(value: Any, at: AttributeType) -> Any:
    """A value from any source as attribute ``at`` wants it: text is parsed like a cell;
    numbers, lists and booleans from JSON or Python are checked. ValueError says why not."""
    if isinstance(value, str):
        return parse_value(value, at)
    if at.kind == "int" and isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("not a whole number")
        return int(value)
    if at.kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if at.kind == "list" and isinstance(value, (list, tuple)):
        return list(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
    if at.kind == "bool" and isinstance(value, bool):
        return value
    raise ValueError(f"expected {at.kind}, got {type(value).__name__}")
