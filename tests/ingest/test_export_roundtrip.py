"""xietong's own XLSX and CSV exports import back into a fresh store exactly: names that
begin like formulas, hold , | or ； (one organisation per 任职于 cell, aliases joined by ；),
look like OOXML escapes (_x0041_) or hold control characters (which the export removes)."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select, update

from xietong.api import Ecosystem
from xietong.ingest.readers import read_table, unquote_csv
from xietong.store import cells, schema, xlsx

EMPLOYER = "=cmd|' /C calc'!A0 研究院,分院"
NAMES = ["+SUM(1,2)", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1 制表符开头",
         "_x0041_ 转义", "_x000D_ 字面", "小\x08大肠", "甲|乙,丙；丁 科技", "转义\x1b[31m红字"]
ALIAS = "甲,乙|丙 简称"
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def imported(name: str) -> str:
    """A name as the round trip must give it: without the control characters the export
    removes, trimmed as the importer trims every name."""
    return CONTROL.sub("", name).strip()


@pytest.fixture
def hostile(tmp_path: Path) -> Ecosystem:
    """The demo, with an employer (people's 任职于 cells) and enterprises nobody works for
    renamed to hostile text, and an alias holding , and |."""
    eco = Ecosystem(str(tmp_path / "source.db"))
    eco.init()
    eco.import_demo()
    e, f, a = schema.entities, schema.facts, schema.aliases
    with eco.engine.begin() as conn:
        employers = select(f.c.object_id).where(f.c.predicate == "works_for")
        employer = conn.execute(employers.order_by(f.c.object_id).limit(1)).scalar_one()
        conn.execute(update(e).where(e.c.id == employer).values(name=EMPLOYER))
        ids = conn.execute(select(e.c.id).where(
            e.c.type == "enterprise", e.c.id == e.c.canonical_id, e.c.id.not_in(employers))
            .order_by(e.c.id).limit(len(NAMES))).scalars().all()
        for entity_id, name in zip(ids, NAMES, strict=True):
            conn.execute(update(e).where(e.c.id == entity_id).values(name=name))
        source = conn.execute(select(schema.sources.c.id).limit(1)).scalar_one()
        conn.execute(insert(a).values(entity_id=ids[0], alias=ALIAS, norm=ALIAS, kind="alias",
                                      source_id=source))
    yield eco
    eco.close()


def graph(eco: Ecosystem, path: Path) -> tuple[dict[tuple[str, str], Any], set[str]]:
    """Each entity's aliases and current values (the latest of each attribute, as the
    entity table has them; figures from text are on the 属性 sheet only), and who works for
    the hostile employer, from the lossless JSON Lines export."""
    eco.export(path)
    entities: dict[tuple[str, str], Any] = {}
    staff = set()
    for line in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        if "entity" in line:
            entities[(line["entity"], line["name"])] = (sorted(line["aliases"]), line["attrs"])
        elif "attribute" in line and line["attribute"] != "metric":
            entities[(line["subject_type"], line["subject"])][1][line["attribute"]] = \
                line["value"]
        elif line.get("relation") == "works_for" and line["object"] == imported(EMPLOYER):
            staff.add(line["subject"])
    return entities, staff


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_imports_back_exactly(hostile: Ecosystem, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"生态.{suffix}"
    hostile.export(path)
    copy = Ecosystem(str(tmp_path / f"copy-{suffix}.db"))
    copy.init()
    try:
        report = copy.import_file(path).report
        assert report.ok and not report.warnings  # the id column is known as our own
        before, staff_before = graph(hostile, tmp_path / "before.jsonl")
        after, staff_after = graph(copy, tmp_path / "after.jsonl")
        expected = {(t, imported(n)): (sorted(imported(a) for a in aliases), attrs)
                    for (t, n), (aliases, attrs) in before.items()}
        assert after.keys() == expected.keys()
        names = {name for _t, name in after}
        assert {imported(n) for n in [EMPLOYER, *NAMES]} <= names
        assert "_x0041_ 转义" in names and "甲|乙,丙；丁 科技" in names
        # the organisation whose name holds , and | comes back whole, not as fragments
        assert not names & {"=cmd", "分院", "' /C calc'!A0 研究院"}
        assert staff_before and staff_after == staff_before
        for key, (aliases, values) in expected.items():
            assert after[key][0] == aliases, key  # 甲,乙|丙 简称 is one alias
            assert after[key][1] == values, key
        assert ALIAS in after[("enterprise", imported(NAMES[0]))][0]
    finally:
        copy.close()


def test_csv_formula_quote_both_ways(tmp_path: Path) -> None:
    """The export puts ' before text beginning = + - @ tab CR; the importer takes it off
    there and nowhere else."""
    for text in ["=1+1", "+86 21", "-2+3", "@SUM(A1)", "\t=x", "\r=y"]:
        assert unquote_csv("'" + text) == text
    for text in ["'", "'已转义", "l'été", "=1+1"]:
        assert unquote_csv(text) == text
    assert unquote_csv("''=1") == "'=1"  # the text '=1, quoted once more by the export
    path = tmp_path / "名单.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([["名称", "简介"], ["'=HYPERLINK(1)", "'-2+3"],
                                 ["'普通公司", "l'été"]])
    rows = [row for _n, row in read_table(path)]
    assert rows == [{"名称": "=HYPERLINK(1)", "简介": "-2+3"},
                    {"名称": "'普通公司", "简介": "l'été"}]


# ChainKG's product '-肌苷酸二钠销售: text whose own quote precedes a formula character
QUOTED = ["'-肌苷酸二钠销售", "''=1+1 两个引号", "'+86 21 总机", "'普通公司", "'", "l'été", "=1+1"]
NAMED = [text for text in QUOTED if text != "'"]  # a name needs a letter


def test_csv_quote_of_quoted_text_both_ways() -> None:
    """The CSV export's quoting and its inverse give every text back: a text's own leading
    quote before = + - @ tab CR gets one more, which the unquoting takes off again."""
    cleaner = cells.CellCleaner()
    written = [cleaner.csv(text) for text in QUOTED]
    assert written[:3] == ["''-肌苷酸二钠销售", "'''=1+1 两个引号", "''+86 21 总机"]
    assert written[3:6] == QUOTED[3:6] and written[6] == "'=1+1"
    assert cleaner.neutralised == 1  # only =1+1 would have been a formula
    assert [cells.unquote_csv(cell) for cell in written] == QUOTED


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_quoted_names_import_back_exactly(tmp_path: Path, suffix: str) -> None:
    eco = Ecosystem(str(tmp_path / "source.db"))
    eco.init()
    source = tmp_path / "名单.xlsx"
    with xlsx.Workbook(source) as book:
        sheet = book.sheet("企业")
        sheet.append(["名称"])
        for name in NAMED:
            sheet.append([name])
    assert eco.import_file(source).report.ok
    path = tmp_path / f"生态.{suffix}"
    eco.export(path)
    copy = Ecosystem(str(tmp_path / "copy.db"))
    copy.init()
    try:
        assert copy.import_file(path).report.ok
        before, _ = graph(eco, tmp_path / "before.jsonl")
        after, _ = graph(copy, tmp_path / "after.jsonl")
        assert {name for _t, name in before} == {text.strip() for text in NAMED}
        assert after == before
    finally:
        copy.close()
        eco.close()


def test_xlsx_escapes_both_ways(tmp_path: Path) -> None:
    """Our writer escapes a literal _x0041_ as _x005F_x0041_ (what Excel writes); the
    reader decodes escapes as Excel shows them, in text cells only."""
    path = tmp_path / "转义.xlsx"
    with xlsx.Workbook(path) as book:
        sheet = book.sheet("实体")
        sheet.append(["名称", "简介"])
        sheet.append(["_x0041_ 公司", "行一_x000D_行二"])
        sheet.append(["甲_x005F_乙", 12345])
    raw = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    assert raw[1] == ["_x005F_x0041_ 公司", "行一_x005F_x000D_行二"]
    rows = [row for _n, row in read_table(path)]
    assert rows == [{"名称": "_x0041_ 公司", "简介": "行一_x000D_行二"},
                    {"名称": "甲_x005F_乙", "简介": "12345"}]
    # a workbook saved by Excel escapes a carriage return: read as the character
    excel = tmp_path / "excel.xlsx"
    with xlsx.Workbook(excel) as book:
        sheet = book.sheet("实体")
        sheet.append(["名称", "简介"])
        sheet.append(["乙公司", "x"])
    _rewrite(excel, b"<t>x</t>", b"<t>\xe8\xa1\x8c\xe4\xb8\x80_x000D_\xe8\xa1\x8c\xe4\xba\x8c</t>")
    assert [row for _n, row in read_table(excel)] == [{"名称": "乙公司", "简介": "行一\r行二"}]


def _rewrite(path: Path, old: bytes, new: bytes) -> None:
    """Replaces bytes in the first worksheet (an escape as Excel itself writes it)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    member = "xl/worksheets/sheet1.xml"
    assert old in members[member]
    members[member] = members[member].replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_cli_tags_a_warning_once_and_says_how_a_dry_run_checks(tmp_path: Path) -> None:
    """Two files in one dry run: the second is checked against the store as it is (the
    first is not written), which the output says once; each warning shows 警告 once."""
    db = str(tmp_path / "cli.db")
    first, second = tmp_path / "甲.csv", tmp_path / "乙.csv"
    first.write_text("名称,备注\n甲科技有限公司,无\n", encoding="utf-8")
    second.write_text("名称\n乙科技有限公司\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "xietong", "import", str(first), str(second), "--dry-run",
         "--db", db], capture_output=True, text=True, timeout=120,
        env={**os.environ, "COLUMNS": "200", "LANG": "zh_CN.UTF-8"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    warning = next(line for line in lines if "备注" in line)
    assert warning.count("警告") == 1 and "以下列无法识别，已忽略：备注" in warning
    notes = [line for line in lines if "按数据库当前状态检查" in line]
    assert len(notes) == 1 and "不含前面来源的变化" in notes[0]
    assert lines.index(notes[0]) > lines.index(warning)  # before the second source's lines
    single = subprocess.run(
        [sys.executable, "-m", "xietong", "import", str(first), "--dry-run", "--db", db],
        capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"})
    assert "按数据库当前状态检查" not in single.stdout
