"""A cold matcher build reports its stages with counts, and trains only what the command
needs: a partner demand no model, a supplier demand the supplier model, recommend its
ranker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from xietong.api import Ecosystem
from xietong.match.service import folder_for, open_matcher


class Recorder:
    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None, int]] = []

    @contextmanager
    def stage(self, label: str, total: int | None = None, unit: str = ""
              ) -> Iterator[Callable[[int], None]]:
        done = [0]

        def advance(n: int) -> None:
            done[0] += n

        yield advance
        self.stages.append((label, total, done[0]))


def test_a_cold_build_reports_its_stages_and_trains_nothing(
        eco: Ecosystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIETONG_CACHE", str(tmp_path / "cache"))
    eco.import_demo()
    told: list[str] = []
    seen = Recorder()
    matcher = open_matcher(eco, notify=told.append, progress=seen)
    nodes = matcher.index.snapshot.node_count
    labels = [label for label, _, _ in seen.stages]
    assert labels[0] == "读取图谱" and any("分词" in x for x in labels)
    assert any("BM25" in x for x in labels)
    for label, total, done in seen.stages[1:]:
        assert total == nodes and done == total, label  # every profile counted once
    assert len(told) == 1 and f"{nodes:,} 个实体" in told[0] and "逐步显示进度" in told[0]
    folder = folder_for(eco.url, eco.snapshot())
    models = lambda: sorted(p.name for p in folder.iterdir()  # noqa: E731
                            if p.name.startswith(("ranker.", "demand.")))
    assert matcher.match("寻找人形机器人整机合作伙伴", top=3)
    assert models() == []  # a partner demand needs no model
    matcher.match("寻找谐波减速器供应商", top=3)
    assert models() == ["demand.none"]  # the demo is too small to learn from: marked
    node = matcher.index.snapshot.node_of[eco.entity("阶跃星辰").id]
    matcher.recommend(node, "合作", top=3)
    assert models() == ["demand.none", "ranker.none"]
    # the next process loads what was decided, training nothing
    again = Recorder()
    loaded = open_matcher(eco, progress=again)
    assert loaded.origin == "loaded" and loaded.ranker is None and again.stages == []
