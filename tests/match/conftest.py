"""The realistic store a new user has after the README's imports: demo + ICKG25 + ChainKG,
built once per test session (SQLite; ~20 s) with its matcher's index (no ranker is trained
unless a test needs one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from xietong.api import Ecosystem
from xietong.match.engine import Matcher
from xietong.match.service import open_matcher


@pytest.fixture(scope="session")
def real_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[Ecosystem, Matcher]]:
    folder = tmp_path_factory.mktemp("real-store")
    patch = pytest.MonkeyPatch()
    patch.setenv("XIETONG_CACHE", str(folder / "cache"))
    eco = Ecosystem(str(folder / "park.db"))
    eco.init()
    eco.import_demo()
    eco.import_ickg(data_dir / "ickg25")
    eco.import_chainkg(data_dir / "chainkg")
    try:
        yield eco, open_matcher(eco)
    finally:
        eco.close()
        patch.undo()
