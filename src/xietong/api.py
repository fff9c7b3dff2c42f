"""The Python API of xietong; the CLI is a thin skin over it.

    >>> from xietong.api import Ecosystem
    >>> eco = Ecosystem("park.db")            # or "postgresql://user@host/db"
    >>> eco.import_demo()
    >>> eco.profile("模速空间").attributes
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, inspect, select

from xietong.i18n import _
from xietong.ingest.errors import InputError, ValidationReport
from xietong.model.imports import ImportSummary, SourceSpec
from xietong.model.records import Record
from xietong.model.registry import REGISTRY
from xietong.model.values import MAX_NAME_CHARS
from xietong.resolve.importer import import_records
from xietong.resolve.names import normalize
from xietong.store import curation, queries, schema
from xietong.store.engine import (
    SCHEMA_REVISION,
    StoreError,
    current_revision,
    head_revision,
    make_engine,
    resolve_url,
    upgrade,
)

if TYPE_CHECKING:
    from xietong.store.export import ExportSummary
    from xietong.store.snapshot import GraphSnapshot

Progress = Callable[[int], None]


class NotFound(LookupError):
    """No entity by that name; ``suggestions`` holds the closest names."""

    def __init__(self, text: str, suggestions: list[queries.EntityHit],
                 entity_type: str | None = None) -> None:
        names = "、".join(h.name for h in suggestions[:5])
        hint = _("；是否要找：{names}？").format(names=names) if suggestions else ""
        if entity_type:
            message = _("没有名为 {text!r} 的{label}").format(
                text=text, label=_type_label(entity_type))
        else:
            message = _("没有名为 {text!r} 的实体").format(text=text)
        super().__init__(message + hint)
        self.suggestions = suggestions


class Ambiguous(LookupError):
    """Several entities bear the name; ``notes`` tells them apart (a person's organisations)
    and ``details`` holds each one's key facts (``queries.key_facts``) for a choice."""

    def __init__(self, text: str, hits: list[queries.EntityHit],
                 notes: dict[int, str] | None = None,
                 details: dict[int, dict[str, Any]] | None = None) -> None:
        notes = notes or {}
        listed = ", ".join(
            f"{h.name} [{h.type} #{h.id}{'，' + notes[h.id] if h.id in notes else ''}]"
            for h in hits[:8])
        super().__init__(_("{text!r} 对应 {count} 个实体：{listed}；请用 --type 指定类型，"
                           "或改用 id").format(text=text, count=len(hits), listed=listed))
        self.text, self.hits, self.notes, self.details = text, hits, notes, details or {}


def entity_type_key(text: str) -> str:
    """The registry key of an entity type given by key (``park``) or Chinese label (园区)."""
    wanted = text.strip()
    for key, entity_type in REGISTRY.entity_types.items():
        if wanted.lower() == key or wanted in (entity_type.label, *entity_type.label.split("/")):
            return key
    known = "、".join(f"{t.label}({k})" for k, t in REGISTRY.entity_types.items())
    raise ValueError(_("未知实体类型 {text!r}；可选：{known}").format(text=text, known=known))


def _name_query(text: str) -> str:
    """A name to look up: one longer than any name the store takes is refused at once
    (fuzzy search of a 20,000-character query took minutes)."""
    if len(text.strip()) > MAX_NAME_CHARS:
        raise ValueError(_("名称过长（{n} 个字符，上限 {limit}）：图谱中没有这么长的名称").format(
            n=f"{len(text.strip()):,}", limit=MAX_NAME_CHARS))
    return text


def _type_label(key: str) -> str:
    entity_type = REGISTRY.entity_types.get(key)
    return entity_type.label if entity_type else key


class ImportRejected(Exception):
    """The input has errors; nothing was written. ``report`` lists every one."""

    def __init__(self, report: ValidationReport) -> None:
        errors = report.errors
        first = errors[0].render() if errors else ""
        more = f"（另有 {len(errors) - 1} 处错误）" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}；未导入任何数据")
        self.report = report


@dataclass(slots=True)
class ImportResult:
    summary: ImportSummary
    report: ValidationReport = field(default_factory=ValidationReport)

    def __post_init__(self) -> None:
        # what the store changed on the way in (control characters removed) is reported
        # beside what the reader found
        for notice in self.summary.notices:
            self.report.warning(notice.where, None, None, notice.value, notice.reason)

    def to_dict(self) -> dict[str, Any]:
        s = self.summary
        return {
            "source": s.source, "records": s.records, "added": s.added, "removed": s.removed,
            "merged": s.merged, "queued_for_review": s.queued_for_review,
            "replaced": s.replaced, "dry_run": s.dry_run, "unchanged": s.unchanged,
            "warnings": [i.render() for i in self.report.warnings],
            "changes": s.changes.to_dict(),
        }


class Ecosystem:
    """One ecosystem graph in one store (a SQLite file by default, or PostgreSQL)."""

    def __init__(self, db: str | os.PathLike[str] | None = None, *, create: bool = True) -> None:
        self.url = resolve_url(db)
        if self.url.startswith("sqlite:///") and not create:
            path = Path(self.url.removeprefix("sqlite:///"))
            if not path.exists():
                raise StoreError(_("{path}: 数据库不存在；请先运行 'xietong init'").format(
                    path=path))
        self.engine: Engine = make_engine(self.url)
        self._ready = False

    # -- schema ------------------------------------------------------------------------
    def init(self) -> str:
        """Create the store or bring its schema up to date; returns the schema revision."""
        upgrade(self.engine)
        self._ready = True
        return head_revision() or ""

    def _ensure(self) -> None:
        if self._ready:
            return
        current = current_revision(self.engine)
        if current != SCHEMA_REVISION:
            if current is None and inspect(self.engine).has_table("entities"):
                raise StoreError(_("{url}: 已有数据表，但缺少 xietong 的 schema 版本记录").format(
                    url=self.url))
            self.init()
        self._ready = True

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ecosystem:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- import ------------------------------------------------------------------------
    def import_records(self, spec: SourceSpec, records: Iterable[Record], *,
                       dry_run: bool = False, progress: Progress | None = None,
                       before_commit: Callable[[], None] | None = None) -> ImportSummary:
        self._ensure()
        summary = import_records(self.engine, spec, records, dry_run=dry_run, progress=progress,
                                 before_commit=before_commit)
        if not dry_run and summary.records:
            # ICKG's guessed enterprise 模速空间 is the declared park (either import order)
            with self.engine.begin() as conn:
                summary.merged += len(curation.settle_guessed_types(conn))
        return summary

    def import_file(self, path: str | os.PathLike[str], *, mapping: str | os.PathLike[str] | None = None,
                    dry_run: bool = False, skip_invalid: bool = False,
                    progress: Progress | None = None) -> ImportResult:
        """Import a CSV/XLSX/JSONL file (through ``mapping`` or one inferred from its
        header), or a file in xietong's own JSON Lines format. With errors in the input
        nothing is written and ``ImportRejected`` carries the full report, unless
        ``skip_invalid`` is set, in which case only the valid rows are imported."""
        from xietong.ingest import native
        from xietong.ingest.datasets import file_sha256
        from xietong.ingest.mapping import open_table, records_from_table

        file = Path(path)
        if not file.is_file():
            raise InputError(f"{file}: 文件不存在")
        spec = SourceSpec(kind="file", name=file.name, uri=str(file.resolve()),
                          sha256=file_sha256(file), size=file.stat().st_size)
        report = ValidationReport()
        records: Iterable[Record]
        if mapping is None and _is_native_jsonl(file):
            records = native.native_records(file)
        else:
            table, rules = open_table(file, mapping)
            records = records_from_table(table, rules, report)

        def refuse_invalid() -> None:
            if report.errors and not skip_invalid:
                raise ImportRejected(report)

        summary = self.import_records(spec, records, dry_run=dry_run, progress=progress,
                                      before_commit=refuse_invalid)
        if summary.empty:  # nothing was written, not even the source
            if report.errors:
                raise ImportRejected(report)
            raise InputError(_("{file}: 没有数据行（只有表头或空行）；未导入任何数据")
                             .format(file=file))
        return ImportResult(summary, report)

    def import_ickg(self, directory: str | os.PathLike[str],
                    splits: tuple[str, ...] = ("train.txt", "valid.txt"), *,
                    dry_run: bool = False, progress: Progress | None = None) -> ImportResult:
        from xietong.ingest.ickg import ickg_records, ickg_source

        folder = Path(directory)
        summary = self.import_records(ickg_source(folder, splits), ickg_records(folder, splits),
                                      dry_run=dry_run, progress=progress)
        return ImportResult(summary)

    def import_chainkg(self, directory: str | os.PathLike[str], *, dry_run: bool = False,
                       progress: Progress | None = None) -> ImportResult:
        from xietong.ingest.chainkg import chainkg_records, chainkg_source

        folder = Path(directory)
        report = ValidationReport()
        summary = self.import_records(chainkg_source(folder), chainkg_records(folder, report),
                                      dry_run=dry_run, progress=progress)
        return ImportResult(summary, report)

    def import_demo(self, *, dry_run: bool = False) -> ImportResult:
        """The curated Shanghai AI ecosystem shipped with xietong (cites ../shared/seeds)."""
        from xietong.ingest.datasets import file_sha256
        from xietong.ingest.native import native_records

        demo = resources.files("xietong.demo").joinpath("ecosystem.jsonl")
        with resources.as_file(demo) as path:
            spec = SourceSpec(kind="demo", name="demo: Shanghai AI ecosystem",
                              uri="xietong:demo/ecosystem.jsonl", sha256=file_sha256(path))
            summary = self.import_records(spec, native_records(path), dry_run=dry_run)
        return ImportResult(summary)

    def retract(self, source: str) -> list[int]:
        """Remove a source and exactly the facts and names it alone supports."""
        self._ensure()
        with self.engine.begin() as conn:
            found = queries.find_source(conn, source)
            if not found:
                names = ", ".join(str(s["name"]) for s in queries.list_sources(conn))
                raise LookupError(f"没有来源 {source!r}；现有来源：{names or '无'}")
            curation.retract_sources(conn, found)
        return found

    def sources(self) -> list[dict[str, Any]]:
        self._ensure()
        with self.engine.connect() as conn:
            return queries.list_sources(conn)

    # -- reading -----------------------------------------------------------------------
    def stats(self) -> queries.Stats:
        self._ensure()
        with self.engine.connect() as conn:
            return queries.stats(conn)

    def search(self, text: str, limit: int = 10, entity_type: str | None = None
               ) -> list[queries.EntityHit]:
        """Names close to ``text``; ``entity_type`` (a key or Chinese label) narrows them."""
        type_key = entity_type_key(entity_type) if entity_type else None
        text = _name_query(text)
        self._ensure()
        with self.engine.connect() as conn:
            hits = queries.search(conn, text, limit, type_key)
            workplaces = queries.workplaces(conn, [h.id for h in hits if h.type == "person"])
        for hit in hits:
            hit.workplaces = tuple(workplaces.get(hit.id, ()))
        return hits

    def entity(self, text: str, entity_type: str | None = None) -> queries.EntityHit:
        """The one entity ``text`` names (a name, alias or id), of ``entity_type`` (a key or
        Chinese label) if given. NotFound suggests close names; Ambiguous lists the
        candidates with their key facts."""
        type_key = entity_type_key(entity_type) if entity_type else None
        text = _name_query(text)
        self._ensure()
        with self.engine.connect() as conn:
            hits = queries.lookup(conn, text, type_key)
            if not hits:
                raise NotFound(text, queries.search(conn, text, 5, type_key), type_key)
            if len(hits) > 1:
                workplaces = queries.workplaces(conn, [h.id for h in hits if h.type == "person"])
                raise Ambiguous(text, hits, {k: "、".join(v) for k, v in workplaces.items()},
                                queries.key_facts(conn, [h.id for h in hits[:20]]))
        return hits[0]

    def profile(self, text: str, relation_limit: int = 200,
                entity_type: str | None = None) -> queries.Profile:
        hit = self.entity(text, entity_type)
        with self.engine.connect() as conn:
            return queries.profile(conn, hit.id, relation_limit)

    def revision(self) -> str | None:
        """Which store this is and how many writing transactions it has seen
        (``xietong.store.state``): equal revisions mean an unchanged graph."""
        from xietong.store.state import revision

        self._ensure()
        with self.engine.connect() as conn:
            return revision(conn)

    def snapshot(self) -> GraphSnapshot:
        """The whole graph as arrays (canonical entities, relation edges, attributes)."""
        from xietong.store.snapshot import load_snapshot

        self._ensure()
        with self.engine.connect() as conn:
            return load_snapshot(conn)

    # -- matchmaking (供需对接) -----------------------------------------------------------
    def match(self, text: str, *, role: str | None = None, region: str | None = None,
              park: str | None = None, industry: str | None = None,
              exclude_competitors_of: list[str] | None = None, top: int = 20) -> list[Any]:
        """Organisations for a free-text demand, each with its reasons and their sources."""
        from xietong.match.service import cite_matches, open_matcher

        matches = open_matcher(self).match(
            text, role=role, region=region, park=park, industry=industry,
            exclude_competitors_of=exclude_competitors_of, top=top)
        cite_matches(self, matches)
        return matches

    def recommend(self, name: str, relation: str, *, direction: str = "tail", top: int = 20,
                  region: str | None = None, park: str | None = None,
                  entity_type: str | None = None) -> list[Any]:
        """Rank the other end of (``name``, ``relation``, ?) — or of (?, ``relation``,
        ``name``) with ``direction="head"`` — with reasons and their sources. ``name`` is
        looked up as by :meth:`entity` (``entity_type`` picks among namesakes)."""
        from xietong.match.service import cite_matches, open_matcher

        hit = self.entity(name, entity_type)
        matcher = open_matcher(self)
        matches = matcher.recommend(matcher.index.snapshot.node_of[hit.id], relation, direction, top,
                                    region=region, park=park)
        cite_matches(self, matches)
        return matches

    # -- curation ----------------------------------------------------------------------
    def merge(self, name: str, into: str) -> int:
        a, b = self.entity(name), self.entity(into)
        with self.engine.begin() as conn:
            return curation.merge(conn, a.id, b.id)

    def unmerge(self, name_or_id: str) -> list[int]:
        """Split a merged member out again. ``name_or_id`` must denote the member itself:
        an id, or a name only that member carries."""
        self._ensure()
        with self.engine.begin() as conn:
            member = _member_id(conn, name_or_id)
            return curation.unmerge(conn, member)

    def reviews(self, status: str = "open", limit: int = 50) -> list[dict[str, Any]]:
        from xietong.store.review import list_reviews

        self._ensure()
        with self.engine.connect() as conn:
            return list_reviews(conn, status, limit)

    def review_count(self, status: str = "open") -> int:
        """How many review items have ``status`` (the queue's total)."""
        self._ensure()
        with self.engine.connect() as conn:
            return curation.count_reviews(conn, status)

    def decide(self, review_id: int, same: bool) -> dict[str, Any]:
        """Settle a review item; returns it with both names (``entity``, ``candidate``)."""
        self._ensure()
        with self.engine.begin() as conn:
            return curation.decide_review(conn, review_id, same)

    # -- export ------------------------------------------------------------------------
    def export(self, path: str | os.PathLike[str], fmt: str | None = None) -> ExportSummary:
        """Writes the graph to ``path`` (.xlsx, .csv with its -关系/-属性 siblings, .jsonl),
        each file whole or not at all; the summary lists the files written."""
        from xietong.store.export import export

        self._ensure()
        with self.engine.connect() as conn:
            return export(conn, Path(path), fmt)


def _member_id(conn: Connection, text: str) -> int:
    if text.isdigit():
        return int(text)
    ids = set(conn.execute(
        select(schema.aliases.c.entity_id).where(schema.aliases.c.norm == normalize(text))
    ).scalars())
    if len(ids) != 1:
        raise LookupError(f"{text!r} 对应 {len(ids)} 个实体；请给出被合并成员的 id"
                          "（见 'xietong show' → merges）")
    return ids.pop()


def _is_native_jsonl(path: Path) -> bool:
    if path.suffix.lower() not in (".jsonl", ".ndjson"):
        return False
    with path.open("rb") as handle:
        for raw in handle:
            if raw.strip():
                try:
                    first = json.loads(raw)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    return False
                from xietong.ingest.native import is_native

                return isinstance(first, dict) and is_native(first)
    return False
