"""Cell values as analysts write them, parsed into the registry's kinds.

Numbers with Chinese thousands separators and 万/亿 multipliers converted to an attribute's
unit with exact decimal arithmetic; dates in the usual Chinese and Excel forms; yes/no;
lists split on the separators people use in one cell. Used by mapping files and by the
store's own check of every attribute value, so a value is accepted or refused the same way
whichever way it came in.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from xietong.i18n import _
from xietong.model.credit_code import validate_credit_code
from xietong.model.registry import AttributeType

# Bounds on what one cell may hold. The longest name in the real data is a 261-character
# English patent title (ICKG25); registered Chinese company names stay under 60 characters.
# 500 leaves room for such titles while a pasted paragraph (or a 100,000-character name,
# which made `show` take minutes) is refused at its row.
MAX_NAME_CHARS = 500
# a description or note: about ten pages of Chinese text
MAX_TEXT_CHARS = 20_000
# C0 and C1 control characters except tab, line feed and carriage return, which a cell's
# text may hold; NUL among them (SQLite's text functions stop at it and cut the name)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")
_UNPRINTED = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Multi-valued cells (aliases, list attributes, relation objects) split on these.
SEPARATORS = re.compile(r"[,，;；、|｜\n]+")

_MULTIPLIERS = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7,
                "百万": Decimal(10) ** 6, "万": Decimal(10) ** 4}
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d*)(?P<frac>\.\d+)?"
    r"\s*(?P<mult>万亿|亿|千万|百万|万)?\s*(?P<unit>[^\d\s.,+-][^\d]*)?")
_APPROXIMATE = ("约", "大约", "超", "近", "逾", "不到", "不足", "上万", "数")  # 约800人, 超70家
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
                  r"|(\d{4})年(\d{1,2})月(\d{1,2})[日号]?|(\d{4})(\d{2})(\d{2})")
_YM = re.compile(r"(\d{4})[-/.](\d{1,2})|(\d{4})年(\d{1,2})月?")
_Y = re.compile(r"(\d{4})年?")
_EXCEL_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
_TRUE = {"是", "有", "true", "yes", "y", "1", "√", "✓"}
_FALSE = {"否", "无", "false", "no", "n", "0", "×", "✗"}
# What registry exports (企查查, 天眼查) and analysts write in a cell that has no value.
# 无 is not among them: it is "no" in a yes/no column.
_PLACEHOLDERS = frozenset({"-", "--", "---", "—", "——", "/", "n/a", "na", "null", "none",
                           "nan", "暂无", "未公开", "不详", "未知"})
# their first characters as written, full-width forms (－, ／, Ｎ) and capitals included
_PLACEHOLDER_STARTS = frozenset("-—/nN暂未不－／Ｎｎ")
# Currencies a registered capital is given in, as written, and the unit word each keeps.
_CURRENCIES = {"人民币": "元", "美元": "美元", "美金": "美元", "港元": "港元", "港币": "港元",
               "欧元": "欧元", "日元": "日元", "英镑": "英镑", "新加坡元": "新加坡元",
               "瑞士法郎": "瑞士法郎", "加元": "加元", "澳元": "澳元", "新台币": "新台币"}
_CURRENCY = re.compile(r"\(?(" + "|".join(sorted(_CURRENCIES, key=len, reverse=True))
                       + r")\)?")
_KIND_NAMES = {"text": "文本", "int": "整数", "float": "数值", "date": "日期",
               "credit_code": "统一社会信用代码", "list": "列表", "bool": "是/否"}
_PY_TYPE_NAMES = {"str": "文本", "int": "整数", "float": "小数", "bool": "布尔值",
                  "list": "列表", "tuple": "列表", "dict": "对象", "NoneType": "空值"}


def split_unit(unit: str) -> tuple[Decimal, str]:
    """'万元' -> (10000, '元'); '平方米' -> (1, '平方米')."""
    for prefix, factor in _MULTIPLIERS.items():
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return factor, unit[len(prefix):]
    return Decimal(1), unit


def unit_problem(unit: str, at: AttributeType) -> str | None:
    if at.kind not in ("int", "float"):
        return f"属性 {at.key} 不是数值，不能设单位"
    if at.unit is None:
        return f"属性 {at.key} 没有单位，无法换算 {unit!r}"
    if split_unit(unit)[1] != split_unit(at.unit)[1]:
        return f"单位 {unit!r} 无法换算为 {at.key} 的单位 {at.unit!r}"
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
        if clean.startswith(_APPROXIMATE):
            raise ValueError("不是数字（这是约数，请写确切的数，如 800）")
        raise ValueError("不是数字")
    value = Decimal(m["sign"] + m["int"].replace(",", "") + (m["frac"] or ""))
    cell_unit = (m["unit"] or "").strip()
    if cell_unit in ("%", "％"):
        if unit is not None or m["mult"]:
            raise ValueError("此处不能用百分数")
        value /= 100
    elif m["mult"] or cell_unit:
        if unit is None:
            raise ValueError(f"该属性没有单位，无法换算 {(m['mult'] or '') + cell_unit!r}；"
                             "请只写数字")
        factor, base = split_unit(unit)
        if cell_unit and cell_unit != base and split_unit(cell_unit)[1] != base:
            raise ValueError(f"单位 {cell_unit!r} 无法换算为 {unit}")
        cell_factor = split_unit(cell_unit)[0] if cell_unit else Decimal(1)
        value = value * (_MULTIPLIERS[m["mult"]] if m["mult"] else Decimal(1)) * cell_factor \
            / factor
    elif written_in is not None and unit is not None and written_in != unit:
        value = value * split_unit(written_in)[0] / split_unit(unit)[0]
    if kind == "int":
        if value != value.to_integral_value():
            raise ValueError("不是整数")
        return int(value)
    return float(value)


def is_placeholder(text: str) -> bool:
    """A cell such as '-', '—', 'N/A' or '暂无' that stands for no value."""
    # every cell of an import is asked: most are longer, or start unlike any marker
    if len(text) > 8 or text.lstrip()[:1] not in _PLACEHOLDER_STARTS:
        return False
    return unicodedata.normalize("NFKC", text).strip().lower() in _PLACEHOLDERS


def parse_money(text: str, unit: str, written_in: str | None = None) -> tuple[float, str]:
    """An amount and its unit from a cell such as '3000万元人民币', '人民币1.2亿元' or
    '500万美元': in ``unit`` (万元) when the currency is 人民币 or unnamed, otherwise in 万
    of the cell's currency ('万美元'), as no exchange rate is applied."""
    clean = unicodedata.normalize("NFKC", text).strip()
    named = _CURRENCY.findall(clean)
    currencies = {_CURRENCIES[m] for m in named}
    if len(currencies) > 1:
        raise ValueError(f"一个单元格里有多种货币：{'、'.join(dict.fromkeys(named))}")
    base = currencies.pop() if currencies else "元"
    amount = _CURRENCY.sub("", clean).replace("(", "").replace(")", "").strip()  # 5000万(元)
    if base == "元":
        return parse_number(amount, "float", unit, written_in), unit
    # the unit word of 500万美元 is gone with its currency; 500万元美元 says the same twice
    foreign = "万" + base
    return parse_number(amount.removesuffix("元"), "float", foreign), foreign


def parse_date(text: str) -> str:
    """An ISO date (YYYY-MM-DD, YYYY-MM or YYYY) from the ways analysts write dates."""
    clean = unicodedata.normalize("NFKC", text).strip()
    if m := _YMD.fullmatch(clean):
        y, mo, d = (int(g) for g in m.groups() if g is not None)
        _check_year(y)
        _check_month(mo)
        days = calendar.monthrange(y, mo)[1]
        if d > days:
            raise ValueError(f"不是有效日期（{y} 年 {mo} 月只有 {days} 天）")
        if d < 1:
            raise ValueError(f"不是有效日期（日须在 1–{days} 之间）")
        return dt.date(y, mo, d).isoformat()
    if m := _YM.fullmatch(clean):
        y, mo = (int(g) for g in m.groups() if g is not None)
        _check_year(y)
        _check_month(mo)
        return f"{y:04d}-{mo:02d}"
    if m := _Y.fullmatch(clean):
        y = int(m[1])
        _check_year(y)
        return f"{y:04d}"
    if _EXCEL_SERIAL.fullmatch(clean):
        from openpyxl.utils.datetime import from_excel

        return str(from_excel(int(float(clean))).date().isoformat())
    raise ValueError("不是日期；请写成 2024-03-05、2024/3/5、2024年3月5日、2024.03、"
                     "2024年3月 或 2024")


def _check_year(year: int) -> None:
    if not 1800 <= year <= 2200:
        raise ValueError(f"年份 {year} 超出范围（须在 1800–2200 之间）")


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError("不是有效日期（月份须在 1–12 之间）")


def parse_confidence(text: str) -> float:
    value = parse_number(text, "float")  # accepts 0.8 and 80%
    if not 0 <= value <= 1:
        raise ValueError("置信度须在 0 到 1 之间（如 0.8 或 80%）")
    return value


def split_cell(text: str) -> list[str]:
    """The values of a multi-valued cell, in order, without repeats or no-value markers
    ('高新技术企业、-' is one qualification)."""
    parts = (check_name(p) for p in SEPARATORS.split(text))
    return list(dict.fromkeys(p for p in parts if p and not is_placeholder(p)))


def parse_value(text: str, at: AttributeType, written_in: str | None = None) -> Any:
    """A cell as the Python value of attribute ``at``; ValueError says why not."""
    text = text.strip()
    if at.kind == "text":
        return check_text(text)
    if at.money and at.unit is not None:
        value, unit = parse_money(text, at.unit, written_in)
        if unit != at.unit:
            raise ValueError(f"金额以{unit.removeprefix('万')}计，无法换算为{at.unit}"
                             "（不做汇率换算）")
        return value
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
        raise ValueError("应为 是 或 否（也可写 有/无、true/false、1/0）")
    raise ValueError(f"unsupported attribute kind {at.kind}")


def coerce(value: Any, at: AttributeType) -> Any:
    """A value from any source as attribute ``at`` wants it: text is parsed like a cell;
    numbers, lists and booleans from JSON or Python are checked. ValueError says why not."""
    if isinstance(value, str):
        return parse_value(value, at)
    if at.kind == "int" and isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("不是整数")
        return int(value)
    if at.kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if at.kind == "list" and isinstance(value, (list, tuple)):
        return list(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
    if at.kind == "bool" and isinstance(value, bool):
        return value
    got = type(value).__name__
    raise ValueError(f"应为{_KIND_NAMES.get(at.kind, at.kind)}，实际是"
                     f"{_PY_TYPE_NAMES.get(got, got)}")


def strip_controls(text: str) -> tuple[str, bool]:
    """``text`` without control characters (NUL, ESC, DEL, C1 …), and whether the change
    matters to a reader: one between visible characters (上海\\x00零字) joined two parts
    the analyst should check; ones at either end (ChainKG's 上装类\\x7f) are debris."""
    if _CONTROL.search(text) is None:  # the common case, without building a string
        return text, False
    debris = "".join(set(_CONTROL.findall(text))) + " \t\r\n"
    return _CONTROL.sub("", text), _CONTROL.search(text.strip(debris)) is not None


def check_name(text: str) -> str:
    """A name as the store keeps it: control characters removed, line breaks and tabs as
    one space, at most ``MAX_NAME_CHARS`` characters, and not punctuation alone (ValueError
    otherwise; '' and no-value markers such as '-' pass, for the caller to drop)."""
    if len(text) <= MAX_NAME_CHARS and _UNPRINTED.search(text) is None:  # nearly every name
        clean = text.strip()
    else:
        clean = _LINE_BREAKS.sub(" ", strip_controls(text)[0]).strip()
    if len(clean) > MAX_NAME_CHARS:
        raise ValueError(_("名称过长（{n} 个字符，上限 {limit}）；请检查该单元格是否填错了列")
                         .format(n=f"{len(clean):,}", limit=MAX_NAME_CHARS))
    if clean and not any(char.isalnum() for char in clean) and not is_placeholder(clean):
        raise ValueError(_("名称只有标点或空白，没有文字"))
    return clean


def check_text(text: str) -> str:
    """A text value (a description): control characters removed, line breaks kept, at
    most ``MAX_TEXT_CHARS`` characters (ValueError otherwise)."""
    clean = strip_controls(text)[0]
    if len(clean) > MAX_TEXT_CHARS:
        raise ValueError(_("文本过长（{n} 个字符，上限 {limit}）")
                         .format(n=f"{len(clean):,}", limit=f"{MAX_TEXT_CHARS:,}"))
    return clean
