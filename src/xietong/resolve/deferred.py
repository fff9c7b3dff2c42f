"""Resolution answered later, by a second process once an import is big enough.

An import asks the resolver about each new organisation and tells it every name it adds.
The Resolver's state depends only on what it is told (names, credit codes, reviewer
decisions), never on its answers, and the importer needs the answers only when it writes
entity rows. So the same sequence of messages replayed in another process gives the same
answers, and the two processes can work at once: ``DeferredResolver`` answers in this
process at first, and once the work is big enough (``HANDOVER``) it starts a worker,
replays the sequence there and streams the rest (on ICKG25 about half of the import's CPU
time moves to the second core; docs/decisions.md, "Import throughput").

The worker (``xietong.resolve.worker``) owns the only other ends of two pipes: when the
importer dies, even by SIGKILL, the worker's read ends and it exits.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Final

import xietong
from xietong.i18n import _
from xietong.resolve.matcher import Match, Resolver
from xietong.store.engine import StoreError

# Work done in this process before a worker takes over, counted in names told (a question
# costs about as much as ten names: 300 against 25 µs on ickg25). Below it, a process
# (about 0.4 s of the second core to start) costs more than it saves. A store with more
# organisations than this is handed over at the first question, before any is read here.
HANDOVER: Final = 20_000
# An input this big (bytes) is handed over at the first question: the worker then starts
# while the importer reads on, instead of after HANDOVER's work is done here (ICKG25,
# 3.4 MB: 7 % less wall time in alternating runs; docs/decisions.md).
LARGE_INPUT: Final = 1 << 20
QUESTION_WORK: Final = 10
HANDOVER_ENV: Final = "XIETONG_RESOLVER_HANDOVER"  # a number, or "off" for no worker
_BATCH: Final = 512  # messages per pipe write
_POLL_SECONDS: Final = 1.0  # how often a waiting importer checks that the worker lives

# ("add", entity_id, names, credit_code) | ("decide", a, b, same)
# | ("resolve", names, credit_code, region, exclude)
Message = tuple


def default_handover(input_size: int | None = None) -> int | None:
    """``HANDOVER``, or 0 for an input of ``input_size`` ≥ ``LARGE_INPUT`` bytes; the
    environment overrides both, and with one core only no worker starts."""
    value = os.environ.get(HANDOVER_ENV, "").strip().lower()
    if value in ("off", "none", "never"):
        return None
    if value:
        try:
            return max(int(value), 0)
        except ValueError:
            raise ValueError(f"环境变量 {HANDOVER_ENV} 应为整数或 off，而不是 {value!r}") from None
    if len(os.sched_getaffinity(0)) < 2:
        return None
    return 0 if input_size is not None and input_size >= LARGE_INPUT else HANDOVER


class WorkerDied(StoreError):
    """The resolver's worker process ended mid-import (killed, out of memory): the import's
    transaction is rolled back, so the store is as before."""

    def __init__(self, returncode: int | None) -> None:
        how = _("信号 {n}").format(n=-returncode) if returncode is not None and returncode < 0 \
            else _("退出码 {n}").format(n=returncode)
        super().__init__(_("实体消歧进程意外退出（{how}）；本次导入未写入任何数据，请重试").format(
            how=how))
        self.returncode = returncode


class DeferredResolver:
    """A ``Resolver`` whose answers are collected later, in the order they were asked.

    ``handover``: work (see ``HANDOVER``) after which a worker process answers; None:
    this process always does."""

    def __init__(self, handover: int | None = None) -> None:
        self._handover = handover
        self._resolver: Resolver | None = None  # made at the first question answered here
        # state messages in order; those from ``_applied`` on are not yet applied here. All
        # are kept while a worker may still start, to be replayed there.
        self._log: list[Message] = []
        self._applied = 0
        self._worker: _Worker | None = None
        self._ready: deque[Match] = deque()
        self._work = 0
        self._told: set[tuple[int, str]] = set()
        self._entities: set[int] = set()
        self._codes: dict[int, str] = {}

    # -- telling ---------------------------------------------------------------------------
    def add(self, entity_id: int, names: Sequence[str], credit_code: str | None = None) -> None:
        """``Resolver.add``; a message that would change nothing is not sent (an import
        repeats the same names of the same entity many times)."""
        new_names = tuple(n for n in names if (entity_id, n) not in self._told)
        new_code = credit_code if credit_code and self._codes.get(entity_id) != credit_code \
            else None
        if entity_id in self._entities and not new_names and not new_code:
            return
        self._entities.add(entity_id)
        self._told.update((entity_id, n) for n in new_names)
        if new_code:
            self._codes[entity_id] = new_code
        self._tell(("add", entity_id, new_names, new_code))

    def record_decision(self, a: int, b: int, same: bool) -> None:
        self._tell(("decide", a, b, same))

    def _tell(self, message: Message) -> None:
        self._work += 1
        if self._worker is not None:
            self._worker.send(message)
        else:
            self._log.append(message)  # applied at the next question answered here

    # -- asking ----------------------------------------------------------------------------
    def ask(self, names: Sequence[str], credit_code: str | None = None,
            region: str | None = None, exclude: int | None = None) -> None:
        """``Resolver.resolve``; the answer comes from ``answers`` later."""
        question = ("resolve", tuple(names), credit_code, region, exclude)
        self._work += QUESTION_WORK
        if self._worker is None and self._handover is not None and self._work >= self._handover:
            self._worker = _Worker(self._log)
            self._log, self._applied, self._resolver = [], 0, None  # the worker's now
        if self._worker is not None:
            self._worker.send(question)
        else:
            self._ready.append(answer(self._caught_up(), question))

    def _caught_up(self) -> Resolver:
        """This process's Resolver, told everything so far."""
        if self._resolver is None:
            self._resolver = Resolver()
        for message in self._log[self._applied:]:
            apply(self._resolver, message)
        if self._handover is None:  # no worker will need them
            self._log.clear()
        self._applied = len(self._log)
        return self._resolver

    def answers(self, wait: bool) -> list[Match]:
        """Answers not yet collected, oldest first: all of them when ``wait``, else those
        already known."""
        if self._worker is not None:
            self._ready.extend(self._worker.receive(wait))
        found = list(self._ready)
        self._ready.clear()
        return found

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id, once one has taken over."""
        return self._worker.pid if self._worker is not None else None

    def close(self) -> None:
        """Stop the worker, if any. Unanswered questions are dropped."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None


def apply(resolver: Resolver, message: Message) -> None:
    """Tell ``resolver`` a state message ("add" or "decide")."""
    if message[0] == "add":
        _, entity_id, names, credit_code = message
        resolver.add(entity_id, names, credit_code=credit_code)
    else:
        _, a, b, same = message
        resolver.record_decision(a, b, same)


def answer(resolver: Resolver, question: Message) -> Match:
    """``resolver``'s answer to a "resolve" message, as an import needs it: a merge or a
    review in full, a new organisation as ``matcher.NEW`` (``explain_new=False``)."""
    _, names, credit_code, region, exclude = question
    return resolver.resolve(names, credit_code=credit_code, region=region, exclude=exclude,
                            explain_new=False)


class _Worker:
    """The importer's side of the worker process: a sender thread, so that asking never
    waits on the worker, and a receiver thread, so that the worker never waits on the
    importer (each side blocking on a full pipe would deadlock both).

    The worker is ``python -m xietong.resolve.worker``, not a multiprocessing child: those
    re-run the importer's main script, which an API user's script need not guard."""

    def __init__(self, replay: list[Message]) -> None:
        messages_read, messages_write = os.pipe()
        answers_read, answers_write = os.pipe()
        package_root = str(Path(xietong.__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_root, os.environ.get("PYTHONPATH")) if p),
            # the resolver reads pinyin character by character (names.char_pinyin), never
            # by phrase: pypinyin's phrase dictionary would be 0.2 s of the worker's start
            "PYPINYIN_NO_PHRASES": "1"}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "xietong.resolve.worker", str(messages_read),
             str(answers_write)],
            pass_fds=(messages_read, answers_write), env=env, stdin=subprocess.DEVNULL)
        # only the worker holds these ends: when this process dies, its read sees EOF
        os.close(messages_read)
        os.close(answers_write)
        self._outstanding = 0
        self._batch: list[Message] = list(replay)
        self._outbox: queue.SimpleQueue[list[Message] | None] = queue.SimpleQueue()
        self._inbox: queue.SimpleQueue[list[Match] | BaseException] = queue.SimpleQueue()
        self._sender = threading.Thread(
            target=_send_all, args=(self._outbox, Connection(messages_write, readable=False)),
            name="xietong-resolver-send", daemon=True)
        self._receiver = threading.Thread(
            target=_receive_all, args=(Connection(answers_read, writable=False), self._inbox),
            name="xietong-resolver-receive", daemon=True)
        self._sender.start()
        self._receiver.start()
        self._flush()

    @property
    def pid(self) -> int:
        return self._process.pid

    def send(self, message: Message) -> None:
        self._batch.append(message)
        if message[0] == "resolve":
            self._outstanding += 1
        if len(self._batch) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._outbox.put(self._batch)
            self._batch = []

    def receive(self, wait: bool) -> list[Match]:
        if wait:
            self._flush()
        found: list[Match] = []
        while self._outstanding:
            try:
                item = self._inbox.get(timeout=_POLL_SECONDS) if wait else self._inbox.get_nowait()
            except queue.Empty:
                if not wait:
                    break
                if self._process.poll() is not None and self._inbox.empty():
                    raise WorkerDied(self._process.returncode) from None
                continue
            if isinstance(item, BaseException):
                raise item
            found.extend(item)
            self._outstanding -= len(item)
        return found

    def close(self) -> None:
        if self._outstanding:  # the import failed: its questions are moot, don't wait for them
            self._process.kill()
        self._outbox.put(None)
        self._sender.join()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a stuck worker
            self._process.kill()
            self._process.wait()
        self._receiver.join(timeout=10)


def _send_all(outbox: queue.SimpleQueue[list[Message] | None], pipe: Connection) -> None:
    try:
        while (batch := outbox.get()) is not None:
            pipe.send(batch)
    except OSError:
        pass  # the worker is gone; receive() reports it
    finally:
        pipe.close()


def _receive_all(pipe: Connection, inbox: queue.SimpleQueue[list[Match] | BaseException]) -> None:
    try:
        while True:
            item = pipe.recv()
            if isinstance(item, str):  # the worker's traceback
                inbox.put(RuntimeError(f"resolver worker failed:\n{item}"))
                return
            inbox.put(item)
    except (EOFError, OSError):
        pass  # closed: the worker has finished or died; receive() tells which
    finally:
        pipe.close()
