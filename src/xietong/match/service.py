"""A Matcher for an Ecosystem, with its index and trained rankers cached between runs.

Building the index tokenises every profile (ickg25: ~3 s) and training the rankers (the
``recommend`` ranker, the supplier-demand model) takes tens of seconds, so all are saved
under $XIETONG_CACHE (default ~/.cache/xietong) in one folder per store, named by a
fingerprint of everything they are built from: the store's URL and its whole snapshot
(entities, names, aliases, types, attributes, relation facts) plus the cache format.
Any change to the store changes the fingerprint, so a stale cache is never read; the
store's previous folder is then deleted. A folder appears only complete (it is written
under a temporary name and renamed), so a crashed or concurrent build is never half-read.

When the store only *gained* entities and relation facts since the previous folder was
written (and not many: ``MAX_INCREMENTAL_SHARE``), that folder is updated instead of
rebuilt: its index is loaded, the new entities and facts are added one by one (each
re-indexes only the documents it touches) and the result is saved under the new
fingerprint. The rankers are kept as trained; anything else — a retraction, a merge, a
renamed entity, many additions — rebuilds and retrains. Each folder keeps the snapshot its
index is built on, whose node order an update extends at the end, and is loaded with it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from xietong.match.delta import additions
from xietong.match.demand_ranker import DemandRanker
from xietong.match.engine import Match, Matcher
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
# 4: the snapshot the index is built on (snapshot.pickle), for updates in place
CACHE_FORMAT = 4
_RANKER, _NO_RANKER = "ranker.txt", "ranker.none"
_DEMAND, _NO_DEMAND = "demand.txt", "demand.none"
_SNAPSHOT = "snapshot.pickle"
_REVISION = "revision.txt"  # the store revision the folder was last found current at
# Updated in place up to this many new entities + facts, as a share of the cached graph's
# nodes + edges; beyond, rebuilt, so the rankers learn from the graph as it now is.
MAX_INCREMENTAL_SHARE = 0.02


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


BUILD_NOTICE = "正在建立匹配索引并训练排序模型（每个数据库状态一次；大库约需 1–2 分钟）…"
UPDATE_NOTICE = "数据库有新增，正在更新匹配索引…"


def open_matcher(eco: Ecosystem, *, cache: bool = True,
                 notify: Callable[[str], None] | None = None) -> Matcher:
    """The store's matcher: loaded from the cache when the store is unchanged since it
    was written; updated from the previous cache when the store only gained a few
    entities and facts; else built (and the rankers trained) and written to the cache.
    ``matcher.origin`` says which: "loaded", "updated" or "built". ``notify`` is called
    with a line for the user before the slow paths (updating, building).

    "Unchanged" is first asked of the store's revision (``Ecosystem.revision``), which
    costs one query; only when no cache folder was written at this revision is the graph
    read and fingerprinted."""
    say = notify or (lambda _message: None)
    if not cache:
        say(BUILD_NOTICE)
        return Matcher.build(eco.snapshot())
    # read before the snapshot: a folder may be tagged older than its snapshot, never newer
    tag = _revision_tag(eco)
    known = _folder_at(eco.url, tag)
    if known is not None:
        try:
            return _load(known, "loaded")
        except (OSError, ValueError, pickle.UnpicklingError, EOFError):  # damaged by hand
            shutil.rmtree(known, ignore_errors=True)
    snap = eco.snapshot()
    folder = folder_for(eco.url, snap)
    matcher = _open(snap, folder, say)
    if tag is not None:
        try:
            (folder / _REVISION).write_text(tag, encoding="utf-8")
        except OSError:  # a concurrent open replaced the folder: the next open reads the graph
            pass
    return matcher


def _revision_tag(eco: Ecosystem) -> str | None:
    revision = eco.revision()
    if revision is None:
        return None
    from xietong import __version__

    return f"{CACHE_FORMAT}:{__version__}:{revision}"


def _folder_at(url: str, tag: str | None) -> Path | None:
    """This store's cache folder written at revision ``tag``, if any."""
    if tag is None:
        return None
    for folder in _store_folders(url):
        try:
            if (folder / _REVISION).read_text(encoding="utf-8") == tag:
                return folder
        except OSError:
            continue
    return None


def _open(snap: GraphSnapshot, folder: Path, say: Callable[[str], None]) -> Matcher:
    if folder.is_dir():
        try:
            return _load(folder, "loaded")
        except (OSError, ValueError, pickle.UnpicklingError, EOFError):  # damaged by hand
            shutil.rmtree(folder, ignore_errors=True)
    previous = _previous(folder)
    if previous is not None:
        say(UPDATE_NOTICE)
        try:
            updated = _update(previous, snap, folder)
        except (OSError, ValueError, pickle.UnpicklingError, EOFError):
            updated = None  # an unreadable previous folder: build afresh
        if updated is not None:
            return updated
    say(BUILD_NOTICE)
    return _build_and_save(snap, folder)


def _saved_snapshot(folder: Path) -> GraphSnapshot:
    with (folder / _SNAPSHOT).open("rb") as handle:
        snap = pickle.load(handle)
    if not isinstance(snap, GraphSnapshot):
        raise ValueError(f"{folder}: no snapshot")
    return snap


def _load(folder: Path, origin: str, snap: GraphSnapshot | None = None) -> Matcher:
    """The matcher saved in ``folder``, on the snapshot saved with it (or ``snap``, that
    snapshot already read)."""
    snap = snap or _saved_snapshot(folder)
    ranker = Ranker.load(folder / _RANKER, FEATURES) if (folder / _RANKER).exists() else None
    if ranker is None and not (folder / _NO_RANKER).exists():
        raise ValueError(f"{folder}: no ranker")
    demand = DemandRanker.load(folder / _DEMAND) if (folder / _DEMAND).exists() else None
    if demand is None and not (folder / _NO_DEMAND).exists():
        raise ValueError(f"{folder}: no demand model")
    matcher = Matcher(MatchIndex.load(snap, folder), ranker, demand)
    matcher.origin = origin
    return matcher


def _build_and_save(snap: GraphSnapshot, folder: Path) -> Matcher:
    def write(work: Path) -> None:
        ranker = Ranker.try_fit(snap)
        demand = DemandRanker.try_fit(snap)
        index = MatchIndex.build(snap, directory=work)
        index.save(work)
        for model, saved, none in ((ranker, _RANKER, _NO_RANKER),
                                   (demand, _DEMAND, _NO_DEMAND)):
            if model is not None:
                model.save(work / saved)
            else:
                (work / none).touch()
        _save_snapshot(snap, work)

    _publish(folder, write)
    # reopen from the final place: the text index was built under the temporary name
    return _load(folder, "built")


def _update(previous: Path, snap: GraphSnapshot, folder: Path) -> Matcher | None:
    """The previous folder's matcher plus what the store added since, saved as ``folder``;
    None when the store changed otherwise, or by too much."""
    old = _saved_snapshot(previous)
    added = additions(old, snap)
    if added is None or added.size > MAX_INCREMENTAL_SHARE * (old.node_count + old.edge_count):
        return None
    matcher = _load(previous, "updated", old)
    index = matcher.index
    with index.text.deferred():
        for node in added.nodes.tolist():
            matcher.add_entity(snap.names[node], snap.types[node], int(snap.ids[node]),
                               list(snap.aliases[node]),
                               snap.attributes[node] if snap.attributes else None)
        position = index.snapshot.node_of
        for edge in added.edges.tolist():
            matcher.add_relation(position[int(snap.ids[snap.edge_source[edge]])],
                                 position[int(snap.ids[snap.edge_target[edge]])],
                                 snap.relations[snap.edge_relation[edge]],
                                 int(snap.edge_fact[edge]), float(snap.edge_weight[edge]))

    def write(work: Path) -> None:
        index.save(work)
        for name in (_RANKER, _NO_RANKER, _DEMAND, _NO_DEMAND):
            if (previous / name).exists():
                shutil.copy2(previous / name, work / name)
        _save_snapshot(index.snapshot, work)

    _publish(folder, write)
    return _load(folder, "updated")


def _save_snapshot(snap: GraphSnapshot, work: Path) -> None:
    with (work / _SNAPSHOT).open("wb") as handle:
        pickle.dump(snap, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _publish(folder: Path, write: Callable[[Path], None]) -> None:
    """Run ``write`` into a temporary folder beside ``folder`` and rename it into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        write(work)
        try:
            work.rename(folder)
        except OSError:  # another process finished the same folder first
            if not folder.is_dir():
                raise
        else:
            _forget_older(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _previous(folder: Path) -> Path | None:
    """This store's latest complete cache folder for an earlier state, if any."""
    found = _others(folder)
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def _forget_older(folder: Path) -> None:
    """Delete this store's earlier cache folders: the store has changed since."""
    for other in _others(folder):
        shutil.rmtree(other, ignore_errors=True)


def _others(folder: Path) -> list[Path]:
    """The same store's other complete cache folders."""
    return [p for p in _folders(folder.name.rsplit("-", 1)[0]) if p != folder]


def _store_folders(url: str) -> list[Path]:
    return _folders(f"match-{_url_key(url)}")


def _folders(prefix: str) -> list[Path]:
    """Complete cache folders named ``prefix-…`` (temporary ones start with a dot)."""
    return [p for p in cache_dir().glob(prefix + "-*") if p.is_dir()]


def cite_matches(eco: Ecosystem, matches: list[Match]) -> None:
    """Attach the store's sources to every fact on the matches' reason paths."""
    with eco.engine.connect() as conn:
        cite([m.reasons for m in matches], conn)
