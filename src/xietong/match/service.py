"""A Matcher for an Ecosystem, with its index and trained rankers cached between runs.

Building the index tokenises every profile (ickg25: ~3 s) and training the rankers (the
``recommend`` ranker, the supplier-demand model) takes tens of seconds, so all are saved
under $XIETONG_CACHE (default ~/.cache/xietong) in one folder per store, named by a
fingerprint of everything they are built from: the store's URL and its whole snapshot
(entities, names, aliases, types, attributes, relation facts) plus the cache format.
Any change to the store changes the fingerprint, so a stale cache is never read; the
store's previous folder is then deleted. A folder appears only complete (it is written
under a temporary name and renamed), so a crashed or concurrent build is never half-read.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from xietong.match.demand_ranker import DemandRanker
from xietong.match.engine import Matcher
from xietong.match.features import FEATURES
from xietong.match.index import MatchIndex
from xietong.match.ranker import Ranker
from xietong.match.reasons import cite
from xietong.store.snapshot import GraphSnapshot

if TYPE_CHECKING:
    from xietong.api import Ecosystem

# Bump when what is cached changes meaning (tokenisation, profile text, features).
# 3: the supplier-demand model (demand.txt, or demand.none when the store has too few
# labelled products and demands are ranked by the fixed combination)
CACHE_FORMAT = 3
_RANKER, _NO_RANKER = "ranker.txt", "ranker.none"
_DEMAND, _NO_DEMAND = "demand.txt", "demand.none"


def cache_dir() -> Path:
    return Path(os.environ.get("XIETONG_CACHE") or Path.home() / ".cache" / "xietong")


def _url_key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:12]


def fingerprint(url: str, snap: GraphSnapshot) -> str:
    """A digest of the store's URL, the whole snapshot and the cache format."""
    from xietong import __version__

    digest = hashlib.sha256(f"{url}\x00{CACHE_FORMAT}\x00{__version__}".encode())
    for array in (snap.ids, snap.edge_source, snap.edge_target, snap.edge_relation,
                  snap.edge_weight, snap.edge_fact):
        digest.update(array.tobytes())
    for strings in (snap.names, snap.types, snap.relations,
                    ["\x1f".join(a) for a in snap.aliases]):
        digest.update("\x1e".join(strings).encode())
        digest.update(b"\x1d")
    digest.update(json.dumps(snap.attributes, ensure_ascii=False, sort_keys=True,
                             default=str).encode())
    return digest.hexdigest()[:24]


def folder_for(url: str, snap: GraphSnapshot) -> Path:
    return cache_dir() / f"match-{_url_key(url)}-{fingerprint(url, snap)}"


def open_matcher(eco: Ecosystem, *, cache: bool = True) -> Matcher:
    """The store's matcher: loaded from the cache when the store is unchanged since it
    was written, else built (and the ranker trained) and written to the cache."""
    snap = eco.snapshot()
    if not cache:
        return Matcher.build(snap)
    folder = folder_for(eco.url, snap)
    if folder.is_dir():
        try:
            return _load(snap, folder)
        except (OSError, ValueError):  # damaged by hand: rebuild it
            shutil.rmtree(folder, ignore_errors=True)
    return _build_and_save(snap, folder)


def _load(snap: GraphSnapshot, folder: Path) -> Matcher:
    ranker = Ranker.load(folder / _RANKER, FEATURES) if (folder / _RANKER).exists() else None
    if ranker is None and not (folder / _NO_RANKER).exists():
        raise ValueError(f"{folder}: no ranker")
    demand = DemandRanker.load(folder / _DEMAND) if (folder / _DEMAND).exists() else None
    if demand is None and not (folder / _NO_DEMAND).exists():
        raise ValueError(f"{folder}: no demand model")
    return Matcher(MatchIndex.load(snap, folder), ranker, demand)


def _build_and_save(snap: GraphSnapshot, folder: Path) -> Matcher:
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        ranker = Ranker.try_fit(snap)
        demand = DemandRanker.try_fit(snap)
        index = MatchIndex.build(snap, directory=work)
        index.save(work)
        for model, saved, none in ((ranker, _RANKER, _NO_RANKER), (demand, _DEMAND, _NO_DEMAND)):
            if model is not None:
                model.save(work / saved)
            else:
                (work / none).touch()
        try:
            work.rename(folder)
        except OSError:  # another process finished the same folder first
            if not folder.is_dir():
                raise
        else:
            _forget_older(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # reopen from the final place: the text index was built under the temporary name
    return _load(snap, folder)


def _forget_older(folder: Path) -> None:
    """Delete this store's earlier cache folders: the store has changed since."""
    prefix = folder.name.rsplit("-", 1)[0] + "-"
    for other in folder.parent.glob(prefix + "*"):
        if other != folder and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)


def cite_matches(eco: Ecosystem, matches: list) -> None:  # type: ignore[type-arg]
    """Attach the store's sources to every fact on the matches' reason paths."""
    with eco.engine.connect() as conn:
        cite([m.reasons for m in matches], conn)
