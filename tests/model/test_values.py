"""Cell values as analysts write them: numbers with 万/亿 and units, dates, yes/no, lists,
and values that arrive typed from JSON. Each refusal says why, in the user's words."""

from __future__ import annotations

import pytest

from xietong.model.registry import REGISTRY, AttributeType
from xietong.model.values import (
    coerce,
    is_placeholder,
    parse_confidence,
    parse_date,
    parse_money,
    parse_number,
    parse_value,
    split_cell,
    unit_problem,
)

REVENUE = REGISTRY.attribute("revenue")  # float, 万元
HEADCOUNT = REGISTRY.attribute("headcount")  # int, 人
FOUNDED = REGISTRY.attribute("founded")  # date
QUALIFICATIONS = REGISTRY.attribute("qualifications")  # list
RD_RATIO = REGISTRY.attribute("rd_ratio")  # float, no unit
LISTED = AttributeType("listed", "是否上市", "bool", "a yes/no attribute")


@pytest.mark.parametrize(("cell", "kind", "unit", "written_in", "expected"), [
    ("1,234", "int", None, None, 1234),
    ("１２３", "int", None, None, 123),  # full-width digits, as IMEs type them
    ("1.2亿", "float", "万元", None, 12000.0),  # exact: no 11999.999…
    ("3000万元", "float", "元", None, 30_000_000.0),
    ("2.5 亿元", "float", "万元", None, 25000.0),
    ("12%", "float", None, None, 0.12),
    ("5", "float", "万元", "亿元", 50000.0),  # a column written in 亿元
    ("-3.5", "float", None, None, -3.5),
])
def test_numbers(cell: str, kind: str, unit: str | None, written_in: str | None,
                 expected: float) -> None:
    assert parse_number(cell, kind, unit, written_in) == expected


@pytest.mark.parametrize(("cell", "kind", "unit", "reason"), [
    ("约三千", "float", None, "不是数字"),
    ("1.5", "int", None, "不是整数"),
    ("12%", "float", "万元", "此处不能用百分数"),
    ("3000万", "float", None, "该属性没有单位，无法换算 '万'"),
    ("30平方米", "float", "万元", "单位 '平方米' 无法换算为 万元"),
])
def test_numbers_refused_with_the_reason(cell: str, kind: str, unit: str | None,
                                         reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_number(cell, kind, unit)


@pytest.mark.parametrize(("cell", "expected"), [
    ("2024-03-05", "2024-03-05"),
    ("2024/3/5", "2024-03-05"),
    ("2024.03.05", "2024-03-05"),
    ("2024年3月5日", "2024-03-05"),
    ("20240305", "2024-03-05"),
    ("2024-03-05 14:30:00", "2024-03-05"),
    ("2024.03", "2024-03"),
    ("2024年3月", "2024-03"),
    ("2024", "2024"),
    ("45292", "2024-01-01"),  # an Excel date serial
])
def test_dates(cell: str, expected: str) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize(("cell", "reason"), [
    ("2023-02-29", "2023 年 2 月只有 28 天"),
    ("2024-13-01", "月份须在 1–12 之间"),
    ("2024-03-00", "日须在 1–31 之间"),
    ("1700", "年份 1700 超出范围"),
    ("下个月", "不是日期；请写成 2024-03-05"),
])
def test_dates_refused_with_the_reason(cell: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(cell)


def test_yes_no_lists_and_confidence() -> None:
    assert [parse_value(v, LISTED) for v in ("是", "无", "TRUE", "0", "√")] == \
        [True, False, True, False, True]
    with pytest.raises(ValueError, match="应为 是 或 否"):
        parse_value("也许", LISTED)
    assert split_cell("高新技术企业；专精特新、 小巨人,专精特新") == ["高新技术企业", "专精特新", "小巨人"]
    assert parse_value("高新技术企业｜专精特新", QUALIFICATIONS) == ["高新技术企业", "专精特新"]
    assert parse_confidence("80%") == 0.8
    with pytest.raises(ValueError, match="置信度须在 0 到 1 之间"):
        parse_confidence("1.5")


def test_units_that_cannot_be_converted_are_named() -> None:
    assert unit_problem("亿元", REVENUE) is None
    assert unit_problem("人", REVENUE) == "单位 '人' 无法换算为 revenue 的单位 '万元'"
    assert unit_problem("%", RD_RATIO) == "属性 rd_ratio 没有单位，无法换算 '%'"
    assert unit_problem("元", FOUNDED) == "属性 founded 不是数值，不能设单位"


def test_typed_values_from_json_are_checked_not_reparsed() -> None:
    assert coerce(120.0, HEADCOUNT) == 120
    assert coerce(7, REVENUE) == 7.0
    assert coerce("1.2亿", REVENUE) == 12000.0  # text is parsed like a cell
    assert coerce(("专精特新", " 专精特新", ""), QUALIFICATIONS) == ["专精特新"]
    assert coerce(True, LISTED) is True
    with pytest.raises(ValueError, match="不是整数"):
        coerce(120.5, HEADCOUNT)
    with pytest.raises(ValueError, match="应为整数，实际是布尔值"):
        coerce(True, HEADCOUNT)
    with pytest.raises(ValueError, match="应为日期，实际是整数"):
        coerce(2024, FOUNDED)


CAPITAL = REGISTRY.attribute("注册资本")  # float, 万元, money


@pytest.mark.parametrize(("cell", "written_in", "expected"), [
    ("3000万元人民币", None, (3000.0, "万元")),  # 企查查's way
    ("3000.0000万人民币", None, (3000.0, "万元")),
    ("人民币1.2亿元", None, (12000.0, "万元")),
    ("5,000万(元)", None, (5000.0, "万元")),
    ("3000", None, (3000.0, "万元")),  # no unit: the attribute's
    ("0.3", "亿元", (3000.0, "万元")),  # a column written in 亿元
    ("500万美元", None, (500.0, "万美元")),  # no exchange rate: the currency is kept
    ("100万（港币）", None, (100.0, "万港元")),
    ("1,000.5万元美元", None, (1000.5, "万美元")),
])
def test_money_keeps_its_currency(cell: str, written_in: str | None,
                                  expected: tuple[float, str]) -> None:
    assert parse_money(cell, "万元", written_in) == expected


def test_money_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="一个单元格里有多种货币：美元、人民币"):
        parse_money("500万美元（人民币）", "万元")
    with pytest.raises(ValueError, match="单位 '股' 无法换算为 万元"):
        parse_money("3000万股", "万元")
    # where one number is wanted, a foreign currency is refused rather than converted
    with pytest.raises(ValueError, match="金额以美元计，无法换算为万元（不做汇率换算）"):
        coerce("500万美元", CAPITAL)
    assert coerce("3000万元人民币", CAPITAL) == 3000.0


@pytest.mark.parametrize(("cell", "placeholder"), [
    ("-", True), ("－", True), ("——", True), (" N/A ", True), ("暂无", True), ("/", True),
    ("无", False),  # "no" in a yes/no column
    ("-3.5", False), ("0", False),
])
def test_placeholders(cell: str, placeholder: bool) -> None:
    assert is_placeholder(cell) is placeholder


def test_markers_inside_a_list_cell_are_no_values() -> None:
    assert split_cell("高新技术企业、-、专精特新；N/A") == ["高新技术企业", "专精特新"]


def test_an_approximate_number_is_named_as_such() -> None:
    with pytest.raises(ValueError, match=r"不是数字（这是约数，请写确切的数，如 800）"):
        parse_value("约800人", HEADCOUNT)
