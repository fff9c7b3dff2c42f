"""Resolution in a worker process answers exactly as in this process, and dies with it."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from xietong.api import Ecosystem
from xietong.ingest.ickg import ickg_records, ickg_source
from xietong.resolve import Match, Resolver, deferred
from xietong.resolve.deferred import (
    HANDOVER_ENV,
    LARGE_INPUT,
    DeferredResolver,
    default_handover,
)

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def _names() -> list[str]:
    """Real names in an order with many merges and reviews: ChainKG registered names, then
    their stock short names, then the first ICKG25 names."""
    rows = [json.loads(line) for line in (DATA / "chainkg" / "company.jsonl")
            .read_text(encoding="utf-8").splitlines()[:600]]
    lines = (DATA / "ickg25" / "entity2id.txt").read_text(encoding="utf-8-sig").splitlines()
    return [r["fullname"] for r in rows] + [r["name"] for r in rows] + \
        [line.split("\t")[0].strip() for line in lines[:600]]


def _replay(resolver: Resolver | DeferredResolver, names: list[str]) -> list[Match]:
    """As an import does: each name is asked about, then added; the answers of the
    deferred resolver are collected now and then, the rest at the end."""
    found: list[Match] = []
    for i, name in enumerate(names):
        if isinstance(resolver, Resolver):
            found.append(resolver.resolve([name], exclude=i, explain_new=False))
        else:
            resolver.ask([name], exclude=i)
            if i % 97 == 0:
                found.extend(resolver.answers(wait=False))
        resolver.add(i, [name])
        if i % 250 == 0 and i:
            resolver.record_decision(i, i - 1, same=False)
    if isinstance(resolver, DeferredResolver):
        found.extend(resolver.answers(wait=True))
        resolver.close()
    return found


@pytest.mark.parametrize("handover", [None, 0, 5000])
def test_same_answers_in_this_process_and_in_the_worker(handover: int | None) -> None:
    names = _names()
    expected = _replay(Resolver(), names)
    bands = Counter(m.band for m in expected)
    assert bands["merge"] > 100 and bands["review"] > 10  # the sequence exercises both
    assert _replay(DeferredResolver(handover), names) == expected


def test_a_failure_in_the_worker_is_raised_here() -> None:
    resolver = DeferredResolver(handover=0)
    resolver.add(1, ["上海智元新创技术有限公司"])
    resolver.ask([" "])  # Resolver.resolve refuses a blank name
    with pytest.raises(RuntimeError, match="at least one non-empty name"):
        resolver.answers(wait=True)
    resolver.close()


def test_the_worker_exits_when_the_importer_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "importer.py"
    script.write_text(
        "from xietong.resolve.deferred import DeferredResolver\n"
        "import time\n"
        "r = DeferredResolver(handover=0)\n"
        "r.ask(['智元机器人'])\n"
        "r.answers(wait=True)\n"
        "print(r.worker_pid, flush=True)\n"
        "time.sleep(600)\n", encoding="utf-8")
    importer = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert importer.stdout is not None
    worker_pid = int(importer.stdout.readline())
    assert Path(f"/proc/{worker_pid}").exists()
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    # the worker's next read sees the pipe closed; give a loaded machine ample time
    deadline = time.monotonic() + 60
    while _running(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(worker_pid), "the resolver worker outlived its importer"


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan is reaped by init, or by this test's reaper)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_handover_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HANDOVER_ENV, "off")
    assert default_handover() is None
    monkeypatch.setenv(HANDOVER_ENV, "0")
    assert default_handover() == 0
    monkeypatch.setenv(HANDOVER_ENV, "许多")
    with pytest.raises(ValueError, match=f"环境变量 {HANDOVER_ENV} 应为整数或 off"):
        default_handover()
    monkeypatch.setenv(HANDOVER_ENV, "0")
    assert default_handover(input_size=LARGE_INPUT) == 0  # the environment wins
    monkeypatch.setenv(HANDOVER_ENV, "500")
    assert default_handover(input_size=LARGE_INPUT) == 500
    monkeypatch.delenv(HANDOVER_ENV)
    several_cores = len(os.sched_getaffinity(0)) >= 2
    assert default_handover() == (20_000 if several_cores else None)
    # a big input starts the worker at the first question, a small one after 20,000 work
    assert default_handover(input_size=LARGE_INPUT) == (0 if several_cores else None)
    assert default_handover(input_size=LARGE_INPUT - 1) == (20_000 if several_cores else None)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: no worker")
def test_a_big_input_resolves_in_the_worker_from_the_first_question(
        eco: Ecosystem, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HANDOVER_ENV, raising=False)
    replays: list[int] = []  # the messages each worker started with
    start = deferred._Worker.__init__

    def counting(worker: deferred._Worker, replay: list[deferred.Message]) -> None:
        replays.append(len(replay))
        start(worker, replay)

    monkeypatch.setattr(deferred._Worker, "__init__", counting)
    folder = data_dir / "ickg-subset"
    small = ickg_source(folder)
    assert small.size is not None and small.size < LARGE_INPUT
    eco.import_ickg(folder, dry_run=True)
    assert replays == []  # too little work for a second process
    eco.import_records(dataclasses.replace(small, size=LARGE_INPUT), ickg_records(folder))
    assert replays == [0]  # started at the first question, before any answer here
    assert eco.stats().entities > 0


def test_a_worker_whose_importer_is_gone_mid_answer_exits_quietly(
        capfd: pytest.CaptureFixture[str]) -> None:
    """The importer killed while the worker answers: the send fails with a broken pipe,
    which is no error of the worker's to report (it printed two tracebacks before)."""
    from multiprocessing import Pipe

    from xietong.resolve.worker import serve

    receive, send = Pipe(duplex=False)
    answers_read, answers_write = Pipe(duplex=False)
    send.send([("resolve", ["智元机器人"], None, None, ())])
    send.close()
    answers_read.close()  # the importer is gone
    serve(receive, answers_write)  # returns, raising nothing
    assert "Traceback" not in capfd.readouterr().err
