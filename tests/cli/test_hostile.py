"""Hostile and broken conditions through the real ``xietong`` command: a store that is no
database, corrupt or locked, a resolver worker killed, a reader that goes away, names
several entities share, out-of-range options and names that carry markup or escape
sequences. Each gets one clear Chinese line (or a safe result) and never a traceback."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xietong.api import Ecosystem
from xietong.cli import crash
from xietong.cli.render import safe, visible
from xietong.store.engine import StoreError, make_engine, resolve_url

XIETONG = str(Path(sys.executable).with_name("xietong"))

# A park and an enterprise of one name, a name with Rich markup, one with escape sequences
NAMES = [
    {"entity": "park", "name": "星河湾", "attrs": {"description": "一个园区"}},
    {"entity": "enterprise", "name": "星河湾", "attrs": {"founded": "2020-01-01"}},
    {"entity": "enterprise", "name": "[red]红标[/red]科技有限公司"},
    {"entity": "enterprise", "name": "回显\x1b[2J\x1b]0;pwned\x07科技有限公司"},
    {"relation": "located_in_park", "subject": "[red]红标[/red]科技有限公司",
     "object": "星河湾", "object_type": "park"},
]


def run(*args: str, env: dict[str, str] | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([XIETONG, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


def one_error_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The run failed with exit 1 and one Chinese error line holding every needle."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误: "), result.stderr
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("hostile")
    names = folder / "names.jsonl"
    names.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in NAMES),
                     encoding="utf-8")
    db = str(folder / "store.db")
    for args in (("import", "--demo"), ("import", str(names))):
        result = run(*args, "--db", db)
        assert result.returncode == 0, result.stderr
    return db


# -- the store itself ---------------------------------------------------------------------

def test_a_file_that_is_not_a_database_is_named_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "生态.db"
    content = os.urandom(4096)
    path.write_bytes(content)
    for args in (("stats",), ("import", "--demo"), ("show", "模速空间")):
        one_error_line(run(*args, "--db", str(path)), str(path), "不是 SQLite 数据库文件")
    assert path.read_bytes() == content


def test_a_truncated_store_is_reported_as_damaged(store: str, tmp_path: Path) -> None:
    whole = Path(store).read_bytes()
    path = tmp_path / "truncated.db"
    path.write_bytes(whole[: len(whole) // 2])
    for args in (("stats",), ("show", "模速空间"), ("import", "--demo")):
        one_error_line(run(*args, "--db", str(path)), str(path), "数据库文件已损坏")


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "x.db"
    one_error_line(run("init", "--db", str(path)), str(path), "无法打开数据库文件")


def test_an_unreachable_postgresql_server_is_named_without_its_password() -> None:
    line = one_error_line(run("stats", "--db", "postgresql://analyst:s3cret@127.0.0.1:1/eco"),
                          "无法连接 PostgreSQL 数据库", "127.0.0.1:1/eco")
    assert "s3cret" not in line


def test_a_store_locked_by_another_writer_says_so(store: str, tmp_path: Path) -> None:
    """Another connection holds the write lock longer than the 30 s busy timeout."""
    db = tmp_path / "locked.db"
    db.write_bytes(Path(store).read_bytes())
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "c.execute('BEGIN IMMEDIATE'); c.execute('CREATE TABLE held (x)')\n"
         "print('held', flush=True); time.sleep(300)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run("import", "--demo", "--db", str(db))
    finally:
        holder.kill()
        holder.wait()
    one_error_line(result, str(db), "被另一个进程锁定")
    # and once the writer is gone the store takes the import
    assert run("import", "--demo", "--db", str(db)).returncode == 0


def test_the_lock_message_comes_from_the_engine(tmp_path: Path) -> None:
    """Without the 30 s wait: the engine's own connection, told not to wait."""
    path = tmp_path / "s.db"
    engine = make_engine(resolve_url(path))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="被另一个进程锁定") as caught:
            with engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout=0")
                conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        assert str(path) in str(caught.value)
    finally:
        other.rollback()
        other.close()
        engine.dispose()


# -- unexpected failures ------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def test_a_killed_resolver_worker_is_one_line_and_a_report(tmp_path: Path,
                                                           chainkg_slice: Path) -> None:
    errors = tmp_path / "errors"
    db = tmp_path / "k.db"
    env = {**os.environ, "COLUMNS": "200", "XIETONG_RESOLVER_HANDOVER": "0",
           crash.ERROR_DIR_ENV: str(errors)}
    proc = subprocess.Popen([XIETONG, "import", str(chainkg_slice), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 300
    worker: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None and not worker:
        worker = _children(proc.pid)
        time.sleep(0.05)
    assert worker, "the import finished before its resolver worker started"
    os.kill(worker[0], signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=300)
    result = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    line = one_error_line(result)
    assert line == "错误: 实体消歧进程意外退出（信号 9）；本次导入未写入任何数据，请重试", line
    assert Ecosystem(str(db)).sources() == []  # the import's transaction was rolled back


def test_a_reader_that_goes_away_gets_no_traceback(store: str) -> None:
    proc = subprocess.Popen([XIETONG, "search", "上海", "--limit", "200", "--json",
                             "--db", store], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `xietong … | head -0`: gone before anything is written
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=300)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert stderr == ""


def test_a_crash_report_falls_back_when_its_folder_cannot_be_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(crash.ERROR_DIR_ENV, str(blocker / "errors"))  # under a file
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        path = crash.write_report(exc, ["xietong", "show", "--db",
                                        "postgresql://u:secret@host/db"])
    assert path is not None and path.parent == tmp_path / "state" / "xietong" / "errors"
    text = path.read_text(encoding="utf-8")
    assert "RuntimeError: boom" in text and "secret" not in text and "u:***@host" in text
    assert crash.command_name(["xietong", "chain", "simulate", "x"]) == "chain simulate"
    assert crash.command_name(["xietong", "show", "模速空间"]) == "show"


# -- names several entities share ---------------------------------------------------------

def test_a_shared_name_lists_the_candidates(store: str) -> None:
    result = run("show", "星河湾", "--db", store)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "'星河湾' 对应 2 个实体" in result.stderr
    for fact in ("园区/载体", "企业", "简介: 一个园区", "成立日期: 2020-01-01", "names.jsonl",
                 "请用 --type 指定类型"):
        assert fact in result.stderr, result.stderr


@pytest.mark.parametrize("entity_type, expected", [
    ("园区", "park"), ("园区/载体", "park"), ("park", "park"), ("企业", "enterprise"),
    ("ENTERPRISE", "enterprise")])
def test_type_picks_one_of_the_namesakes(store: str, entity_type: str, expected: str) -> None:
    result = run("show", "星河湾", "--type", entity_type, "--json", "--db", store)
    assert result.returncode == 0, result.stderr
    profile = json.loads(result.stdout)
    assert profile["name"] == "星河湾" and profile["type"] == expected
    # and its id picks it too
    by_id = run("show", str(profile["id"]), "--json", "--db", store)
    assert json.loads(by_id.stdout)["type"] == expected


def test_a_type_nobody_of_that_name_has_or_no_type_at_all(store: str) -> None:
    one_error_line(run("show", "星河湾", "--type", "人物", "--db", store),
                   "没有名为 '星河湾' 的人物")
    one_error_line(run("show", "星河湾", "--type", "飞船", "--db", store),
                   "未知实体类型 '飞船'", "园区/载体(park)")
    one_error_line(run("search", "星河", "--type", "飞船", "--db", store), "未知实体类型")
    found = run("search", "星河", "--type", "园区", "--json", "--db", store)
    assert [h["type"] for h in json.loads(found.stdout)] == ["park"]


def test_chain_simulate_asks_which_namesake(store: str) -> None:
    result = run("chain", "simulate", "humanoid_robot", "--remove", "星河湾", "--db", store)
    assert result.returncode == 1 and "'星河湾' 对应 2 个实体" in result.stderr
    assert "Traceback" not in result.stderr
    chosen = run("chain", "simulate", "humanoid_robot", "--remove", "星河湾", "--type", "园区",
                 "--json", "--db", store)
    assert chosen.returncode == 0, chosen.stderr
    assert json.loads(chosen.stdout)["chain"]["key"] == "humanoid_robot"


def test_recommend_asks_which_namesake_before_any_work(store: str) -> None:
    result = run("recommend", "星河湾", "--relation", "合作", "--db", store)
    assert result.returncode == 1 and "'星河湾' 对应 2 个实体" in result.stderr
    assert "请用 --type 指定类型" in result.stderr and "Traceback" not in result.stderr
    one_error_line(run("recommend", "星河湾", "--relation", "合作", "--type", "人物",
                       "--db", store), "没有名为 '星河湾' 的人物")


# -- bounds and what reaches the terminal -------------------------------------------------

@pytest.mark.parametrize("args", [
    ("show", "模速空间", "--limit", "-1"), ("show", "模速空间", "--limit", "0"),
    ("search", "模速", "--limit", "-5"), ("review", "--limit", "-1")])
def test_out_of_range_limits_are_usage_errors(store: str, args: tuple[str, ...]) -> None:
    result = run(*args, "--db", store)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--limit" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_names_with_markup_print_as_they_are(store: str) -> None:
    result = run("show", "[red]红标[/red]科技有限公司", "--db", store)
    assert result.returncode == 0, result.stderr
    assert "[red]红标[/red]科技有限公司" in result.stdout
    assert "\x1b" not in result.stdout  # not a terminal: no colour either
    park = run("show", "星河湾", "--type", "园区", "--db", store)
    assert "[red]红标[/red]科技有限公司" in park.stdout


def test_escape_sequences_never_reach_the_terminal(store: str) -> None:
    for args in (("search", "科技有限公司"), ("search", "回显\x1b[2J"),
                 ("show", "回显\x1b[2J\x1b]0;pwned\x07")):
        result = run(*args, "--db", store)
        assert "Traceback" not in result.stderr
        for control in ("\x1b", "\x07"):
            assert control not in result.stdout + result.stderr, (args, result)


def test_visible_shows_control_characters_and_safe_escapes_markup() -> None:
    assert visible("回显\x1b[2J\x07\u202e") == "回显\\x1b[2J\\x07\\u202e"
    assert visible("上海\t模速") == "上海\\x09模速"
    assert safe("[red]红标[/red]") == "\\[red]红标\\[/red]"
    assert visible("模速空间 (上海)") == "模速空间 (上海)"


def test_a_name_longer_than_any_stored_is_refused_at_once(store: str) -> None:
    long_name = "智能科技" * 5000
    for args in (("show", long_name), ("search", long_name)):
        one_error_line(run(*args, "--db", store), "名称过长（20,000 个字符，上限 500）")
