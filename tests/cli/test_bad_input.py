"""Bad input through the real command line: each case gets one clear message naming the
file, row and column, a non-zero exit, and a store exactly as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from xietong.model.credit_code import credit_code_check_digit


def run(db: str, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "xietong", *args, "--db", db],
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, "COLUMNS": "200"})
    if check and result.returncode != 0:
        raise AssertionError(f"xietong {' '.join(args)} failed:\n{result.stderr}")
    return result


def snapshot(db: str) -> dict[str, Any]:
    stats = json.loads(run(db, "stats", "--json", check=True).stdout)
    sources = json.loads(run(db, "sources", "--json", check=True).stdout)
    return {"stats": stats, "sources": [(s["name"], s["retracted_at"]) for s in sources]}


def credit_code(serial: int) -> str:
    first17 = f"91310000MA1F{serial:05d}"
    return first17 + credit_code_check_digit(first17)


@pytest.fixture(scope="module")
def companies(data_dir: Path) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in
            (data_dir / "chainkg" / "company.jsonl").read_text("utf-8").splitlines()[:40]]
    return [{"企业名称": r["fullname"], "简称": r["name"], "成立日期": r["time"],
             "统一社会信用代码": credit_code(i)} for i, r in enumerate(rows)]


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(r[h] for h in header) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


@pytest.fixture
def store(db_url: str, tmp_path: Path, data_dir: Path) -> str:
    """A store with something in it already, so 'nothing lost' means something."""
    run(db_url, "import", str(data_dir / "ickg-subset"), check=True)
    return db_url


def test_gbk_csv_is_read_as_chinese(store: str, tmp_path: Path,
                                    companies: list[dict[str, str]]) -> None:
    path = write_csv(tmp_path / "企业名录.csv", companies, encoding="gbk")
    result = run(store, "import", str(path), "--json", check=True)
    assert json.loads(result.stdout)[0]["added"]["entities"] >= len(companies) - 2
    shown = json.loads(run(store, "show", companies[3]["简称"], "--json", check=True).stdout)
    assert shown["name"] == companies[3]["企业名称"]


def _rejected(store: str, path: Path, *needles: str, mapping: Path | None = None) -> str:
    before = snapshot(store)
    args = ["import", str(path)] + (["--mapping", str(mapping)] if mapping else [])
    result = run(store, *args)
    assert result.returncode == 1, result.stdout + result.stderr
    for needle in needles:
        assert needle in result.stderr, f"{needle!r} not in:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert snapshot(store) == before
    return result.stderr


def test_missing_column_names_the_missing_and_the_present(
        store: str, tmp_path: Path, companies: list[dict[str, str]]) -> None:
    rows = [{k: v for k, v in r.items() if k != "统一社会信用代码"} for r in companies]
    path = write_csv(tmp_path / "名录.csv", rows)
    mapping = tmp_path / "名录.yaml"
    mapping.write_text("entities:\n  type: enterprise\n  name: 企业名称\n  attributes:\n"
                       "    统一社会信用代码: credit_code\n", encoding="utf-8")
    _rejected(store, path, "名录.csv", "缺少列 统一社会信用代码", mapping=mapping)


def test_malformed_date_names_row_and_column(store: str, tmp_path: Path,
                                             companies: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in companies]
    rows[6]["成立日期"] = "2021-13-45"
    path = write_csv(tmp_path / "名录.csv", rows)
    _rejected(store, path, "名录.csv:8: 列 成立日期: 值 '2021-13-45' — 不是有效日期"
              "（月份须在 1–12 之间）")


def test_invalid_credit_code_says_why(store: str, tmp_path: Path,
                                      companies: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in companies]
    code = rows[2]["统一社会信用代码"]
    rows[2]["统一社会信用代码"] = code[:-1] + ("0" if code[-1] != "0" else "1")
    path = write_csv(tmp_path / "名录.csv", rows)
    _rejected(store, path, "名录.csv:4", "统一社会信用代码", "校验位应为 "
              f"{code[-1]}，而不是")


def test_exact_duplicates_are_imported_once(store: str, tmp_path: Path,
                                            companies: list[dict[str, str]]) -> None:
    path = write_csv(tmp_path / "名录.csv", companies + companies[:3])
    result = run(store, "import", str(path), "--json", check=True)
    summary = json.loads(result.stdout)[0]
    assert len(summary["warnings"]) == 3 and "名录.csv:42" in summary["warnings"][0]
    assert summary["warnings"][0].endswith("— 警告: 与第 2 行完全相同；已跳过")


def test_conflicting_duplicates_are_refused(store: str, tmp_path: Path,
                                            companies: list[dict[str, str]]) -> None:
    twin = dict(companies[0])
    twin["成立日期"] = "1999-01-01"
    path = write_csv(tmp_path / "名录.csv", companies + [twin])
    _rejected(store, path, "名录.csv:42", "成立日期", "第 2 行与第 42 行冲突")


def test_truncated_csv(store: str, tmp_path: Path, companies: list[dict[str, str]]) -> None:
    path = write_csv(tmp_path / "名录.csv", companies)
    path.write_text(path.read_text("utf-8") + '"上海未完成科技有限公司,简称', encoding="utf-8")
    _rejected(store, path, "名录.csv", "引号字段没有闭合")


def test_truncated_xlsx(store: str, tmp_path: Path, companies: list[dict[str, str]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(list(companies[0]))
    for row in companies:
        sheet.append(list(row.values()))
    path = tmp_path / "名录.xlsx"
    book.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert not zipfile.is_zipfile(path)
    _rejected(store, path, "名录.xlsx", "不是可读的 XLSX 文件")


def test_truncated_jsonl(store: str, tmp_path: Path, companies: list[dict[str, str]]) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in companies[:5]]
    path = tmp_path / "名录.jsonl"
    path.write_text("\n".join(lines) + "\n" + lines[0][:20], encoding="utf-8")
    _rejected(store, path, "名录.jsonl:6", "JSON 格式错误", "文件被截断")


def test_dry_run_changes_nothing(store: str, tmp_path: Path,
                                 companies: list[dict[str, str]]) -> None:
    path = write_csv(tmp_path / "名录.csv", companies)
    before = snapshot(store)
    result = run(store, "import", str(path), "--dry-run", "--json", check=True)
    summary = json.loads(result.stdout)[0]
    assert summary["dry_run"] and summary["added"]["entities"] >= len(companies) - 2
    assert snapshot(store) == before


def test_changed_file_replaces_its_previous_version(store: str, tmp_path: Path,
                                                   companies: list[dict[str, str]]) -> None:
    path = write_csv(tmp_path / "名录.csv", companies)
    run(store, "import", str(path), check=True)
    assert json.loads(run(store, "import", str(path), "--json", check=True).stdout)[0]["unchanged"]
    write_csv(path, companies[:-1])
    summary = json.loads(run(store, "import", str(path), "--json", check=True).stdout)[0]
    assert summary["replaced"] == ["名录.csv"]
    gone = run(store, "show", companies[-1]["企业名称"])
    assert gone.returncode == 1 and f"没有名为 {companies[-1]['企业名称']!r} 的实体" in gone.stderr


def test_sigkill_mid_import_leaves_the_store_as_it_was(store: str, data_dir: Path) -> None:
    before = snapshot(store)
    proc = subprocess.Popen(
        [sys.executable, "-m", "xietong", "import", str(data_dir / "chainkg"), "--db", store],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # kill once the import is writing: the first flush happens after 50,000 records
    deadline = time.monotonic() + 300
    wal = Path(store + "-wal") if "://" not in store else None
    while time.monotonic() < deadline and proc.poll() is None:
        if wal is not None and wal.exists() and wal.stat().st_size > 1_000_000:
            break
        if wal is None and _pg_is_writing(store):
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the import finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert snapshot(store) == before
    # and the store still works: the same import now lands whole
    run(store, "import", str(data_dir / "chainkg"), check=True)
    assert snapshot(store)["stats"]["facts"] > before["stats"]["facts"]


def _pg_is_writing(url: str) -> bool:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "select count(*) from pg_stat_activity where datname = current_database() "
            "and state = 'active' and query ilike 'insert into%'"
        ).fetchone()
    return bool(row and row[0])
