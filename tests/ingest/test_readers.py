"""Readers: encodings, row numbers the analyst sees, truncated files, streaming."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from xietong.ingest.errors import InputError
from xietong.ingest.readers import EXTRA_CELLS, read_table

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def companies(n: int) -> list[dict[str, str]]:
    """The first ``n`` real listed companies from ChainKG."""
    with (SHARED / "chainkg" / "company.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in itertools.islice(f, n)]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


HEADER = ["企业名称", "简称", "股票代码", "上市日期", "上市地"]


def company_rows(n: int) -> list[list[str]]:
    return [[c["fullname"], c["name"], c["code"], c["time"], c["location"]]
            for c in companies(n)]


def test_gbk_csv_of_real_companies(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "上市公司.csv", [HEADER, *company_rows(50)], encoding="gbk")
    table = read_table(path)
    assert table.encoding == "gb18030"
    assert table.columns == HEADER
    rows = list(table)
    assert [n for n, _ in rows] == list(range(2, 52))
    assert rows[0][1]["企业名称"] == companies(1)[0]["fullname"] == "邵阳维克液压股份有限公司"
    assert [r["简称"] for _, r in rows] == [c["name"] for c in companies(50)]


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bom.csv", [HEADER, *company_rows(3)], encoding="utf-8-sig")
    table = read_table(path)
    assert table.encoding == "utf-8-sig"
    assert table.columns[0] == "企业名称"  # no BOM glued to the first column name
    assert len(list(table)) == 3


def test_plain_utf8(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "u.csv", [HEADER, *company_rows(3)])
    assert read_table(path).encoding == "utf-8"


def test_neither_utf8_nor_gb18030_names_line_and_offset(tmp_path: Path) -> None:
    good = "企业名称,上市地\n邵阳维克液压股份有限公司,深圳证券交易所\n".encode()
    bad_line = b"\xff\xfe broken\n"
    path = tmp_path / "bad.csv"
    path.write_bytes(good + bad_line)
    with pytest.raises(InputError) as exc:
        read_table(path)
    msg = str(exc.value)
    assert msg.startswith(f"{path}:3: ")
    assert f"偏移 {len(good)}（第 3 行）处的字节 0xFF" in msg


def test_quoted_newline_keeps_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('企业名称,简介\n甲公司,"第一行\n第二行"\n乙公司,短\n', encoding="utf-8")
    rows = list(read_table(path))
    assert [(n, r["企业名称"]) for n, r in rows] == [(2, "甲公司"), (4, "乙公司")]
    assert rows[0][1]["简介"] == "第一行\n第二行"


def test_blank_lines_skipped_but_counted(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\n企业名称,简称\n\n甲公司,甲\n,\n乙公司,乙\n", encoding="utf-8")
    table = read_table(path)
    assert table.header_row == 2
    assert [(n, r["企业名称"]) for n, r in table] == [(4, "甲公司"), (6, "乙公司")]


def test_truncated_csv_open_quote(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text('企业名称,简介\n甲公司,好\n乙公司,"写到一半\n被截断', encoding="utf-8")
    table = read_table(path)
    with pytest.raises(InputError) as exc:
        list(table)
    assert str(exc.value).startswith(f"{path}:3: 第 3 行开始的引号字段没有闭合")


def test_extra_cells_are_kept_for_reporting(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("企业名称,简称\n上海,浦东公司,浦东\n", encoding="utf-8")
    [(n, row)] = list(read_table(path))
    assert n == 2 and row[EXTRA_CELLS] == "浦东"


def test_duplicate_header_names(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("企业名称,简称,简称\n甲,乙,丙\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}:1: 表头中有重复的列名：简称$"):
        read_table(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: 文件为空$"):
        read_table(path)


def test_only_blank_lines_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\n\n,,\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: 没有表头"):
        read_table(path)


def test_xlsx_saved_as_csv(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "a.xlsx", [["企业名称"], ["甲"]])
    path = tmp_path / "a.csv"
    path.write_bytes(xlsx.read_bytes())
    with pytest.raises(InputError, match=r"请把扩展名改为 \.xlsx"):
        read_table(path)


def test_tsv_and_txt(tmp_path: Path) -> None:
    (tmp_path / "t.tsv").write_text("企业名称\t简称\n甲公司,有逗号\t甲\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("企业名称\t简称\n甲公司\t甲\n", encoding="utf-8")
    assert next(iter(read_table(tmp_path / "t.tsv")))[1]["企业名称"] == "甲公司,有逗号"
    assert read_table(tmp_path / "t.txt").columns == ["企业名称", "简称"]


def write_xlsx(path: Path, rows: list[list[object]], title: str = "企业名单") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.create_sheet("说明").append(["本表由园区运营方整理"])
    wb.save(path)
    return path


def test_xlsx_header_after_title_rows_and_dates(tmp_path: Path) -> None:
    rows: list[list[object]] = [[], ["企业名称", "简称", "上市日期", "员工人数"]]
    for c in companies(20):
        rows.append([c["fullname"], c["name"], dt.datetime.fromisoformat(c["time"]), 1200.0])
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    table = read_table(path)
    assert table.encoding is None
    assert table.header_row == 2
    assert table.columns == ["企业名称", "简称", "上市日期", "员工人数"]
    got = list(table)
    assert got[0] == (3, {"企业名称": "邵阳维克液压股份有限公司", "简称": "邵阳液压",
                          "上市日期": "2021-10-19", "员工人数": "1200"})
    assert got[-1][0] == 22


def test_xlsx_sheet_by_name_and_unknown_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [["企业名称"], ["甲公司"]])
    table = read_table(path, sheet="说明")
    assert table.columns == ["本表由园区运营方整理"]
    with pytest.raises(InputError) as exc:
        read_table(path, sheet="园区")
    assert str(exc.value) == f"{path}: 没有名为 '园区' 的工作表；现有工作表：企业名单、说明"


def test_truncated_xlsx(tmp_path: Path) -> None:
    rows: list[list[object]] = [["企业名称", "简称"]]
    rows += [[c["fullname"], c["name"]] for c in companies(500)]
    full = write_xlsx(tmp_path / "full.xlsx", rows).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(full[: len(full) // 2])
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: 不是可读的 XLSX 文件"):
        list(read_table(path))


def test_jsonl_of_real_companies(tmp_path: Path) -> None:
    lines = (SHARED / "chainkg" / "company.jsonl").read_text(encoding="utf-8").splitlines()[:30]
    path = tmp_path / "company.jsonl"
    # A blank line and a list value: numbering must still match the editor's lines.
    path.write_text("\n".join(lines[:10]) + "\n\n" + "\n".join(lines[10:]) + "\n"
                    + json.dumps({"name": "测试", "tags": ["专精特新", "小巨人"]},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    table = read_table(path)
    assert table.columns == ["name", "fullname", "code", "location", "time", "tags"]
    rows = list(table)
    assert rows[10][0] == 12  # line 11 is blank
    assert rows[0][1]["fullname"] == "邵阳维克液压股份有限公司"
    assert rows[-1] == (32, {"name": "测试", "fullname": None, "code": None, "location": None,
                             "time": None, "tags": "专精特新；小巨人"})


def test_truncated_jsonl(tmp_path: Path) -> None:
    lines = (SHARED / "chainkg" / "company.jsonl").read_text(encoding="utf-8").splitlines()[:5]
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join(lines[:4]) + "\n" + lines[4][:30], encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_table(path)
    assert re.match(rf"{re.escape(str(path))}:5: 第 5 行第 \d+ 个字符处 JSON 格式错误：",
                    str(exc.value))
    assert "文件被截断" in str(exc.value)


def test_gbk_jsonl_and_what_only_json_reads(tmp_path: Path) -> None:
    """GBK lines are decoded first; NaN and integers beyond 64 bits, which orjson refuses,
    are read as json reads them."""
    lines = (SHARED / "chainkg" / "company.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    path = tmp_path / "company.jsonl"
    path.write_text("\n".join(lines) + '\n{"name": "测试", "score": NaN, "big": 123456789012345678901}\n',
                    encoding="gbk")
    table = read_table(path)
    assert table.encoding == "gb18030"
    rows = list(table)
    assert [row["name"] for _, row in rows[:20]] == [json.loads(line)["name"] for line in lines]
    assert rows[-1] == (21, {"name": "测试", "fullname": None, "code": None, "location": None,
                             "time": None, "score": "nan", "big": "123456789012345678901"})


def test_jsonl_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "arr.jsonl"
    path.write_text('{"name": "甲"}\n["乙"]\n', encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}:2: 第 2 行是 JSON 数组，应为对象"):
        read_table(path)


def write_xls(path: Path, rows: list[list[object]], sheets: tuple[str, ...] = ("企业名单",)
              ) -> Path:
    """A legacy Excel 97–2003 workbook, as WPS and older Excel save by default."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for title in sheets:
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write(r, c, value, dates)
                elif value is not None:
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_legacy_xls_of_real_companies(tmp_path: Path) -> None:
    """Title row, dates, numbers, a formula with its saved result, a second sheet."""
    import xlwt

    rows: list[list[object]] = [["2024年上市企业名录"], ["企业名称", "简称", "上市日期", "员工人数"]]
    for c in companies(30):
        rows.append([c["fullname"], c["name"], dt.datetime.fromisoformat(c["time"]), 1200.0])
    rows.append(["合计", None, None, xlwt.Formula("SUM(D3:D32)")])
    path = write_xls(tmp_path / "名单.xls", rows, sheets=("企业名单", "说明"))
    table = read_table(path)
    assert (table.header_row, table.columns) == (2, ["企业名称", "简称", "上市日期", "员工人数"])
    got = list(table)
    assert got[0] == (3, {"企业名称": "邵阳维克液压股份有限公司", "简称": "邵阳液压",
                          "上市日期": "2021-10-19", "员工人数": "1200"})
    assert [r["简称"] for _, r in got[:30]] == [c["name"] for c in companies(30)]
    assert got[-1][0] == 33 and got[-1][1]["企业名称"] == "合计"
    assert read_table(path, sheet="说明").columns == table.columns
    with pytest.raises(InputError) as exc:
        read_table(path, sheet="园区")
    assert str(exc.value) == f"{path}: 没有名为 '园区' 的工作表；现有工作表：企业名单、说明"


def test_what_excel_opens_under_an_xls_name(tmp_path: Path) -> None:
    """A renamed .xlsx and a tab-separated export are read as what they are; a web page
    and a truncated workbook are refused with what to do."""
    xlsx = write_xlsx(tmp_path / "x.xlsx", [["企业名称", "简称"], ["甲公司", "甲"]])
    renamed = tmp_path / "renamed.xls"
    renamed.write_bytes(xlsx.read_bytes())
    assert list(read_table(renamed)) == [(2, {"企业名称": "甲公司", "简称": "甲"})]
    exported = tmp_path / "导出.xls"
    exported.write_text("企业名称\t简称\n乙公司\t乙\n", encoding="gbk")
    assert list(read_table(exported)) == [(2, {"企业名称": "乙公司", "简称": "乙"})]
    page = tmp_path / "网页.xls"
    page.write_text("<html><table><tr><td>企业名称</td></tr></table></html>", encoding="utf-8")
    with pytest.raises(InputError, match=r"这是网页（HTML）表格，不是 Excel 文件"):
        read_table(page)
    rows: list[list[object]] = [["企业名称", "简称"], *([c["fullname"], c["name"]]
                                                        for c in companies(500))]
    full = write_xls(tmp_path / "full.xls", rows).read_bytes()
    cut = tmp_path / "cut.xls"
    cut.write_bytes(full[: len(full) // 2])
    with pytest.raises(InputError, match=rf"^{re.escape(str(cut))}: 不是可读的 \.xls 文件"):
        list(read_table(cut))


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "a.numbers"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: 无法识别的文件类型 "
                                         r"'\.numbers'；支持的类型：.*\.xls"):
        read_table(path)


def test_200k_rows_are_streamed(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    names = [c["fullname"] for c in companies(100)]
    with path.open("w", encoding="gbk", newline="") as f:
        w = csv.writer(f)
        w.writerow(["企业名称", "编号", "简介"])
        for i in range(200_000):
            w.writerow([names[i % 100], i, "主营业务涵盖研发、生产与销售" * 2])
    size = path.stat().st_size
    table = read_table(path)
    tracemalloc.start()
    count = 0
    last = 0
    for number, _row in table:
        count += 1
        last = number
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert (count, last, _row["编号"]) == (200_000, 200_001, "199999")
    assert peak < size / 10, (peak, size)  # rows are not accumulated


def test_title_row_above_the_header_is_skipped(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "title.csv", [["2024年一季度上市公司名录", "", ""], [],
                                              HEADER[:3], *(r[:3] for r in company_rows(2))],
                     encoding="gbk")
    table = read_table(path)
    assert (table.header_row, table.columns) == (3, HEADER[:3])
    assert [n for n, _ in table] == [4, 5]


def _rewrite_sheet(path: Path, edit: Callable[[str], str]) -> None:
    """Edit the first sheet's XML inside an XLSX, as another program would have saved it."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["xl/worksheets/sheet1.xml"] = edit(
        members["xl/worksheets/sheet1.xml"].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_formulas_without_saved_results_are_refused(tmp_path: Path) -> None:
    """openpyxl (like other programs) saves a formula without its result; reading values
    would silently give empty cells. Excel and WPS save the result: then the file reads."""
    path = tmp_path / "名单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["企业名称", "员工人数", "备注"])
    sheet.append(["甲公司", 1200, '=IF(B2>1000,"","小")'])
    sheet.append(["乙公司", "=B2+1", None])
    book.save(path)
    with pytest.raises(InputError) as exc:
        read_table(path)
    assert str(exc.value) == (
        f"{path}: 工作表 'Sheet' 有 2 个公式单元格没有保存计算结果（C2、B3），导入时会被当作空值；"
        "这类文件通常由程序生成。请用 Excel 或 WPS 打开并保存后再导入")
    # as Excel saves it: B3 with its result, C2 an empty-string result (t="str")
    _rewrite_sheet(path, lambda xml: xml.replace("<f>B2+1</f><v></v>", "<f>B2+1</f><v>1201</v>")
                   .replace('<c r="C2">', '<c r="C2" t="str">'))
    rows = dict(read_table(path))
    assert rows[3]["员工人数"] == "1201" and rows[2]["备注"] is None
