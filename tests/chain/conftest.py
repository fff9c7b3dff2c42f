"""Chain fixtures: the demo ecosystem on both backends, and a real-data snapshot
(ickg-subset + a chainkg slice) built once per session on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from xietong.api import Ecosystem
from xietong.chain.report import ChainAnalyst
from xietong.store.snapshot import GraphSnapshot

# Real ChainKG rows, fewer: every company and industry, the first product links.
CHAINKG_LIMITS = {"product.jsonl": 0, "company_product.jsonl": 12_000,
                  "product_product.jsonl": 4_000, "industry_up.jsonl": 60}


@pytest.fixture
def demo(eco: Ecosystem) -> Iterator[ChainAnalyst]:
    eco.import_demo()
    yield ChainAnalyst(eco.snapshot())


@pytest.fixture(scope="session")
def real_snapshot(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> GraphSnapshot:
    root = tmp_path_factory.mktemp("chain-real")
    chainkg = root / "chainkg"
    chainkg.mkdir()
    for path in (data_dir / "chainkg").glob("*.jsonl"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        limit = CHAINKG_LIMITS.get(path.name, len(lines)) or 1
        (chainkg / path.name).write_text("".join(lines[:limit]), encoding="utf-8")
    eco = Ecosystem(root / "real.db")
    eco.init()
    eco.import_demo()
    eco.import_ickg(data_dir / "ickg-subset")
    eco.import_chainkg(chainkg)
    snapshot = eco.snapshot()
    eco.close()
    return snapshot
