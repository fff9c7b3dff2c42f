"""Hostile and broken inputs to import: each gets a clear Chinese error or a safe result,
the store as before, and no traceback. Real data where the problem came from real data."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from xietong.api import Ecosystem, ImportRejected
from xietong.ingest.chainkg import chainkg_records
from xietong.ingest.errors import InputError, ValidationReport
from xietong.model.imports import RecordError
from xietong.model.records import EntityRecord
from xietong.model.values import MAX_NAME_CHARS
from xietong.store.engine import StoreError


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- ChainKG's columns ---------------------------------------------------------------

def test_chainkg_reads_every_company_field_and_warns_only_about_real_errors(
        data_dir: Path) -> None:
    report = ValidationReport()
    companies: dict[str, list[EntityRecord]] = {}
    for record in chainkg_records(data_dir / "chainkg", report):
        if isinstance(record, EntityRecord) and record.type == "enterprise":
            companies.setdefault(record.name, []).append(record)
    # line 288 has the exchange in both fields: no date, and nothing to warn about
    [guanzhong] = companies["青岛冠中生态股份有限公司"]
    assert guanzhong.attrs == {"stock_code": "300948.SZ", "exchange": "深圳证券交易所"}
    # line 3439 has the date in both: the exchange comes from the code
    [dinglong] = companies["湖北鼎龙控股股份有限公司"]
    assert dinglong.attrs["listing_date"] == "2010-02-11"
    assert dinglong.attrs["exchange"] == "深圳证券交易所"
    # a renamed company (same code, same listing date) is one, its former name an alias
    haier = companies["海尔智家股份有限公司"]
    assert "青岛海尔股份有限公司" not in companies
    assert {"青岛海尔股份有限公司", "青岛海尔", "海尔智家"} <= {a for r in haier for a in r.aliases}
    # a company listed under another's code gets its own from company_industry.jsonl
    boc = [r.attrs.get("stock_code") for r in companies["中国银行股份有限公司"]]
    assert "601988.SH" in boc and "688078.SH" not in boc
    # what is left are the source's real errors: three codes shared by unrelated firms
    assert not [i for i in report.issues if i.column == "time"]
    assert len(report.warnings) == 3
    assert all("共用此股票代码" in i.reason for i in report.warnings)


# --- control characters ---------------------------------------------------------------

def test_nul_inside_a_name_is_removed_whole_name_kept_with_a_warning(
        eco: Ecosystem, tmp_path: Path) -> None:
    path = _csv(tmp_path / "名录.csv",
                "企业名称,所在园区\n上海零\x00字科技有限公司,模速空间\n"
                "\x1b[31m上海转义科技有限公司\x07,模速空间\n")
    result = eco.import_file(path)
    assert eco.entity("上海零字科技有限公司").name == "上海零字科技有限公司"
    assert eco.entity("[31m上海转义科技有限公司").type == "enterprise"  # ESC and BEL gone
    warned = [i for i in result.report.warnings if "控制字符" in i.reason]
    assert [(i.row, i.column) for i in warned] == [(2, "企业名称")]  # not the edge ones


def test_records_with_control_characters_are_cleaned_by_the_store(
        eco: Ecosystem, tmp_path: Path) -> None:
    path = tmp_path / "native.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"entity": "product", "name": "上装类\x7f"},  # as ChainKG has it
        {"entity": "enterprise", "name": "上海\x00零字有限公司"},
    )) + "\n", encoding="utf-8")
    result = eco.import_file(path)
    assert eco.entity("上装类").type == "product"
    assert eco.entity("上海零字有限公司").type == "enterprise"
    assert [i.value for i in result.report.warnings] == ["上海\x00零字有限公司"]


# --- bounds -----------------------------------------------------------------------------

def test_over_long_names_are_refused_at_their_rows(eco: Ecosystem, tmp_path: Path) -> None:
    path = _csv(tmp_path / "名录.csv",
                f"企业名称,所在园区\n上海正常科技有限公司,模速空间\n{'长' * 100_000},模速空间\n"
                f"{'名' * 600},模速空间\n")
    with pytest.raises(ImportRejected) as caught:
        eco.import_file(path)
    errors = caught.value.report.errors
    assert [(e.row, e.column) for e in errors] == [(3, "企业名称"), (4, "企业名称")]
    assert "单元格过长（100,000 个字符" in errors[0].reason
    assert f"名称过长（600 个字符，上限 {MAX_NAME_CHARS}）" in errors[1].reason
    assert eco.sources() == []
    skipped = eco.import_file(path, skip_invalid=True)
    assert skipped.summary.added["entities"] == 2  # the company and its park
    assert eco.entity("上海正常科技有限公司")


def test_the_store_refuses_an_over_long_name_from_any_importer(
        eco: Ecosystem, tmp_path: Path) -> None:
    path = tmp_path / "native.jsonl"
    path.write_text(json.dumps({"entity": "enterprise", "name": "名" * (MAX_NAME_CHARS + 1)})
                    + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match="native.jsonl: line 1: 名称过长"):
        eco.import_file(path)
    assert eco.sources() == []


def test_names_of_punctuation_alone_are_refused_at_their_rows(
        eco: Ecosystem, tmp_path: Path) -> None:
    """'…' or a lone quote names nothing the resolver could compare: a row error (so
    --skip-invalid keeps the rest), and the store refuses one from any importer."""
    path = _csv(tmp_path / "名录.csv", "企业名称,所在园区\n上海正常科技有限公司,模速空间\n…,模速空间\n"
                "',模速空间\n-,模速空间\n")
    with pytest.raises(ImportRejected) as caught:
        eco.import_file(path)
    errors = caught.value.report.errors
    # row 5's '-' is the usual no-value marker: a missing name, said as such
    assert [(e.row, e.column) for e in errors] == [(3, "企业名称"), (4, "企业名称"), (5, "企业名称")]
    assert all("只有标点或空白" in e.reason for e in errors[:2])
    assert "只有标点" not in errors[2].reason
    assert eco.sources() == []
    assert eco.import_file(path, skip_invalid=True).summary.added["entities"] == 2
    native = tmp_path / "native.jsonl"
    native.write_text(json.dumps({"entity": "enterprise", "name": "……"}) + "\n",
                      encoding="utf-8")
    with pytest.raises((RecordError, ImportRejected), match="只有标点或空白"):
        eco.import_file(native)


# --- empty files and encodings -----------------------------------------------------------

def test_header_only_file_says_it_has_no_rows_and_adds_no_source(
        eco: Ecosystem, tmp_path: Path) -> None:
    path = _csv(tmp_path / "空表.csv", "企业名称,所在园区\n\n")
    with pytest.raises(InputError, match="空表.csv: 没有数据行"):
        eco.import_file(path)
    assert eco.sources() == []


def test_gbk_file_under_a_utf8_mapping_names_line_byte_and_the_right_encoding(
        tmp_path: Path, eco: Ecosystem) -> None:
    path = _csv(tmp_path / "gbk.csv", "企业名称\n上海智元新创技术有限公司\n", "gbk")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("encoding: utf-8\nentities:\n  type: enterprise\n  name: 企业名称\n",
                       encoding="utf-8")
    with pytest.raises(InputError) as caught:
        eco.import_file(path, mapping=mapping)
    message = str(caught.value)
    assert message.startswith(f"{path}:1: ") and "0xC6" in message and "gb18030" in message


# --- concurrency -------------------------------------------------------------------------

def _company_csv(path: Path, data_dir: Path, lines: range) -> Path:
    rows = (data_dir / "chainkg" / "company.jsonl").read_text(encoding="utf-8").splitlines()
    names = [json.loads(rows[i])["fullname"] for i in lines]
    return _csv(path, "企业名称,上市地\n" + "".join(f"{n},上海证券交易所\n" for n in names))


def test_two_imports_at_once_each_count_only_their_own_rows(
        db_url: str, tmp_path: Path, data_dir: Path) -> None:
    files = [_company_csv(tmp_path / "a.csv", data_dir, range(0, 300)),
             _company_csv(tmp_path / "b.csv", data_dir, range(300, 600))]
    Ecosystem(db_url).init()
    runs = [subprocess.Popen([sys.executable, "-m", "xietong", "import", str(f), "--json",
                              "--db", db_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for f in files]
    results = []
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0 and "Traceback" not in err, err
        results.extend(json.loads(out))
    with Ecosystem(db_url) as eco:
        stats = eco.stats()
    assert sorted(r["added"]["entities"] for r in results) == [300, 300]
    assert sum(r["added"]["entities"] for r in results) == stats.entities + stats.merged_entities
    assert sum(r["added"]["facts"] for r in results) == stats.facts


def test_a_held_write_lock_is_a_clear_store_error(tmp_path: Path, data_dir: Path) -> None:
    db = tmp_path / "locked.db"
    eco = Ecosystem(db)
    eco.init()
    # wait 0.2 s, not the 30 s a user gets, for the lock another connection holds
    event.listen(eco.engine, "connect",
                 lambda conn, _record: conn.execute("PRAGMA busy_timeout=200"))
    eco.engine.dispose()
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="另一个进程"):
            eco.import_file(_company_csv(tmp_path / "a.csv", data_dir, range(0, 5)))
    finally:
        holder.rollback()
        holder.close()
    assert eco.import_file(tmp_path / "a.csv").summary.added["entities"] == 5


def test_one_command_many_sources_each_its_own_transaction(tmp_path: Path,
                                                            data_dir: Path) -> None:
    db = tmp_path / "per-source.db"
    empty = _csv(tmp_path / "空表.csv", "企业名称\n")
    run = subprocess.run([sys.executable, "-m", "xietong", "import",
                          str(data_dir / "ickg-subset"), str(empty), "--db", str(db)],
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "✓ ickg-subset" in run.stdout  # shown when committed, before the next began
    assert "此前的 1 个来源已导入并保留" in run.stderr and "空表.csv 未写入任何数据" in run.stderr
    with Ecosystem(db) as eco:
        assert [s["name"] for s in eco.sources()] == ["ickg-subset (train+valid)"]
