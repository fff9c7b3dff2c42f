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

The rankers are trained when first needed, not with the index: a ``match`` for partners or
investors needs neither, a supplier demand needs only the supplier-demand model, and
``recommend`` only its ranker (training it was most of a cold build: ickg25 + ChainKG, 80 of
134 CPU seconds). A model trained later is written into the store's folder beside the index
(written aside and renamed, like the folder).
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

from xietong.i18n import N_, _
from xietong.match.delta import additions
from xietong.match.demand_ranker import DemandRanker
from xietong.match.engine import Match, Matcher
from xietong.match.features import FEATURES
from xietong.match.index import MatchIndex
from xietong.match.progress import QUIET, Stages
from xietong.match.ranker import Ranker
from xietong.match.reasons import cite
from xietong.store.snapshot import GraphSnapshot

if TYPE_CHECKING:
    from xietong.api import Ecosystem

# Bump when what is cached changes meaning (tokenisation, profile text, features).
# 3: the supplier-demand model (demand.txt, or demand.none when the store has too few
# labelled products and demands are ranked by the fixed combination)
# 4: the snapshot the index is built on (snapshot.pickle), for updates in place
# 5: supplier demands read by supplier_pool (new demand-model columns, a peer fallback)
CACHE_FORMAT = 5
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


BUILD_NOTICE = N_("首次在此数据库状态上匹配：先建立匹配索引（{nodes:,} 个实体、{edges:,} 条关系），"
                  "下面逐步显示进度与预计剩余时间；此后的查询直接读取缓存。")
# without a progress display (a caller that passes none): what is coming, and how long it
# took on ICKG25 + ChainKG (155K entities) with both rankers: ~2 min CPU (benchmarks.md)
BUILD_NOTICE_QUIET = N_("首次在此数据库状态上匹配：正在建立匹配索引（{nodes:,} 个实体、{edges:,} 条关系），"
                        "并按需训练排序模型；十余万实体的库在空闲机器上约需 2 分钟，机器繁忙时更久；"
                        "此后的查询直接读取缓存。")
UPDATE_NOTICE = N_("数据库有新增，正在更新匹配索引…")


def open_matcher(eco: Ecosystem, *, cache: bool = True,
                 notify: Callable[[str], None] | None = None,
                 progress: Stages = QUIET) -> Matcher:
    """The store's matcher: loaded from the cache when the store is unchanged since it
    was written; updated from the previous cache when the store only gained a few
    entities and facts; else built (and the rankers trained) and written to the cache.
    ``matcher.origin`` says which: "loaded", "updated" or "built". ``notify`` is called
    with a line for the user before the slow paths (updating, building); ``progress``
    is told each stage of a build or of a ranker's training as it runs.

    "Unchanged" is first asked of the store's revision (``Ecosystem.revision``), which
    costs one query; only when no cache folder was written at this revision is the graph
    read and fingerprinted."""
    say = notify or (lambda _message: None)
    if not cache:
        snap = _read(eco, progress)
        say(_build_notice(snap, progress))
        return Matcher.build(snap, progress=progress)
    # read before the snapshot: a folder may be tagged older than its snapshot, never newer
    tag = _revision_tag(eco)
    known = _folder_at(eco.url, tag)
    if known is not None:
        try:
            return _load(known, "loaded", progress=progress)
        except (OSError, ValueError, pickle.UnpicklingError, EOFError):  # damaged by hand
            shutil.rmtree(known, ignore_errors=True)
    snap = _read(eco, progress)
    folder = folder_for(eco.url, snap)
    matcher = _open(snap, folder, say, progress)
    if tag is not None:
        try:
            (folder / _REVISION).write_text(tag, encoding="utf-8")
        except OSError:  # a concurrent open replaced the folder: the next open reads the graph
            pass
    return matcher


def _read(eco: Ecosystem, progress: Stages) -> GraphSnapshot:
    with progress.stage(_("读取图谱")) as advance:
        snap = eco.snapshot()
        advance(1)
    return snap


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


def _open(snap: GraphSnapshot, folder: Path, say: Callable[[str], None],
          progress: Stages) -> Matcher:
    if folder.is_dir():
        try:
            return _load(folder, "loaded", snap, progress)
        except (OSError, ValueError, pickle.UnpicklingError, EOFError):  # damaged by hand
            shutil.rmtree(folder, ignore_errors=True)
    previous = _previous(folder)
    if previous is not None:
        say(_(UPDATE_NOTICE))
        try:
            updated = _update(previous, snap, folder, progress)
        except (OSError, ValueError, pickle.UnpicklingError, EOFError):
            updated = None  # an unreadable previous folder: build afresh
        if updated is not None:
            return updated
    say(_build_notice(snap, progress))
    return _build_and_save(snap, folder, progress)


def _build_notice(snap: GraphSnapshot, progress: Stages) -> str:
    notice = BUILD_NOTICE_QUIET if progress is QUIET else BUILD_NOTICE
    return _(notice).format(nodes=snap.node_count, edges=snap.edge_count)


def _saved_snapshot(folder: Path) -> GraphSnapshot:
    with (folder / _SNAPSHOT).open("rb") as handle:
        snap = pickle.load(handle)
    if not isinstance(snap, GraphSnapshot):
        raise ValueError(f"{folder}: no snapshot")
    return snap


def _load(folder: Path, origin: str, snap: GraphSnapshot | None = None,
          progress: Stages = QUIET) -> Matcher:
    """The matcher saved in ``folder``, on the snapshot saved with it (or ``snap``, that
    snapshot already read). A model not yet in the folder is trained when first asked for
    (and then saved there)."""
    snap = snap or _saved_snapshot(folder)
    index = MatchIndex.load(snap, folder)
    # the graph the index had when loaded: a model trained after the caller added to the
    # index is not the folder's, and is not saved there
    size = (snap.node_count, snap.edge_count)

    def train(kind: str) -> Ranker | DemandRanker | None:
        current = index.snapshot
        model: Ranker | DemandRanker | None
        if kind == "ranker":
            model = Ranker.try_fit(current, index_options={
                "names": index.features.name_terms, "progress": progress}, progress=progress)
        else:
            model = DemandRanker.try_fit(current, names=index.features.name_terms,
                                         progress=progress, index=index)
        if (current.node_count, current.edge_count) == size:
            _save_model(folder, kind, model)
        return model

    ranker = Ranker.load(folder / _RANKER, FEATURES) if (folder / _RANKER).exists() else None
    demand = DemandRanker.load(folder / _DEMAND) if (folder / _DEMAND).exists() else None
    pending = {kind for kind, saved, none in (("ranker", _RANKER, _NO_RANKER),
                                              ("demand", _DEMAND, _NO_DEMAND))
               if not (folder / saved).exists() and not (folder / none).exists()}
    matcher = Matcher(index, ranker, demand, train=train, pending=pending)
    matcher.origin = origin
    return matcher


def _save_model(folder: Path, kind: str, model: Ranker | DemandRanker | None) -> None:
    """Write a model trained after the folder was published (or the mark that there is
    none) aside and rename it in; a folder deleted meanwhile (the store changed) is left."""
    saved, none = (_RANKER, _NO_RANKER) if kind == "ranker" else (_DEMAND, _NO_DEMAND)
    try:
        handle, name = tempfile.mkstemp(prefix=".model.", dir=folder)
        os.close(handle)
        aside = Path(name)
        try:
            if model is not None:
                model.save(aside)
            os.replace(aside, folder / (saved if model is not None else none))
        finally:
            aside.unlink(missing_ok=True)
    except OSError:
        pass


def _build_and_save(snap: GraphSnapshot, folder: Path, progress: Stages = QUIET) -> Matcher:
    def write(work: Path) -> None:
        index = MatchIndex.build(snap, directory=work, progress=progress)
        index.save(work)
        _save_snapshot(snap, work)

    _publish(folder, write)
    # reopen from the final place: the text index was built under the temporary name
    return _load(folder, "built", snap, progress)


def _update(previous: Path, snap: GraphSnapshot, folder: Path,
            progress: Stages = QUIET) -> Matcher | None:
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
    return _load(folder, "updated", progress=progress)


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
