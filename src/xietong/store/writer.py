"""The persistence of one import: its source row, its buffered rows and its decisions,
written inside the import's transaction.

The import driver (``xietong.resolve.importer``) and its linker decide what the rows are;
``ImportWriter`` only keeps them, deduplicated, until ``flush`` writes them in large
``INSERT … ON CONFLICT DO NOTHING`` batches (``store.bulk``; on SQLite from a background
thread while the next records are read). It also retracts the replaced versions of the
source and counts what the import wrote.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from xietong.model.imports import DETAIL_LIMIT, ImportChanges, RecordError, SourceSpec
from xietong.model.records import Provenance
from xietong.model.registry import REGISTRY
from xietong.store import ids, schema
from xietong.store.bulk import BulkWriter
from xietong.store.curation import retract_sources

# one key for PostgreSQL's advisory lock that makes imports take turns, as SQLite's write
# lock does: each import then resolves against a store no other import is changing
_IMPORT_LOCK = 0x78696574  # "xiet"
COUNTED_TABLES = ("entities", "aliases", "facts", "evidence", "merges", "reviews")
# the columns an import writes, in the order of its row tuples
ENTITY_COLUMNS = ("id", "type", "name", "canonical_id", "created_at")
ALIAS_COLUMNS = ("entity_id", "alias", "norm", "kind", "source_id")
FACT_COLUMNS = ("id", "subject_id", "predicate", "object_id", "value", "unit", "valid_from",
                "weight")
EVIDENCE_COLUMNS = ("fact_id", "source_id", "locator", "quote", "confidence", "observed")


def take_turn(conn: Connection) -> None:
    """Wait for any other import to finish first (PostgreSQL; SQLite's write lock, taken
    by the first write, does the same)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK})


def open_source(conn: Connection, spec: SourceSpec) -> tuple[int, list[tuple[int, str]]]:
    """The source row for this import (reused when the same content was imported before)
    and the earlier versions of the same uri, which this import replaces."""
    s = schema.sources
    top = and_(s.c.kind == spec.kind, s.c.uri == spec.uri, s.c.parent_id.is_(None))
    same = conn.execute(select(s.c.id).where(top, s.c.sha256 == spec.sha256)).scalar()
    if same is not None:
        conn.execute(update(s).where(s.c.id == same).values(retracted_at=None))
        source_id = same
    else:
        source_id = conn.execute(
            insert(s).values(
                kind=spec.kind, name=spec.name, uri=spec.uri, sha256=spec.sha256,
                imported_at=_now(), meta=spec.meta,
            ).returning(s.c.id)
        ).scalar_one()
    previous = conn.execute(
        select(s.c.id, s.c.name).where(top, s.c.id != source_id, s.c.retracted_at.is_(None))
    ).all()
    return source_id, [(row.id, row.name) for row in previous]


def retract_counted(conn: Connection, source_ids: list[int],
                    changes: ImportChanges) -> dict[str, int]:
    """Retract the earlier versions of the source; how many rows each table lost, and
    examples of the facts that go (those no other source supports). Under the import's
    turn (``take_turn``) no other import changes the counts meanwhile."""
    s, ev, f = schema.sources, schema.evidence, schema.facts
    ids_ = [*source_ids, *conn.execute(select(s.c.id).where(s.c.parent_id.in_(source_ids)))
            .scalars()]
    subject, obj = schema.entities.alias("subject"), schema.entities.alias("object")
    alone = (
        select(f.c.subject_id, f.c.predicate, f.c.object_id, f.c.value, f.c.unit,
               subject.c.name.label("subject"), obj.c.name.label("object"))
        .join(subject, subject.c.id == f.c.subject_id)
        .outerjoin(obj, obj.c.id == f.c.object_id)
        .where(exists().where(ev.c.fact_id == f.c.id, ev.c.source_id.in_(ids_)),
               ~exists().where(ev.c.fact_id == f.c.id, ev.c.source_id.not_in(ids_)))
        .limit(DETAIL_LIMIT)
    )
    for row in conn.execute(alone):
        detail = _fact_detail(row.subject_id, row.predicate, row.object_id, row.value,
                              row.unit)
        detail["subject"] = row.subject
        if row.object_id is not None:
            detail["object"] = row.object
        changes.facts_removed.append(detail)
    before = _counts(conn)
    retract_sources(conn, source_ids)
    after = _counts(conn)
    return {t: max(before[t] - after[t], 0) for t in COUNTED_TABLES}


def _fact_detail(subject: int, predicate: str, obj: int | None, value: Any,
                 unit: str | None) -> dict[str, Any]:
    """A fact as ``ImportChanges`` lists it; entity names are filled in at the end."""
    detail: dict[str, Any] = {"subject_id": subject, "predicate": predicate}
    if obj is not None:
        detail["object_id"] = obj
    else:
        detail["value"] = json.loads(value) if isinstance(value, str) else value
        if unit:
            detail["unit"] = unit
    return detail


def _counts(conn: Connection) -> dict[str, int]:
    return {
        name: conn.execute(select(func.count()).select_from(schema.metadata.tables[name])).scalar_one()
        for name in COUNTED_TABLES
    }


def _now() -> datetime:
    return datetime.now(UTC)


class ImportWriter:
    """The rows of one import, buffered until ``flush``; ``conn`` is the import's.

    ``normalize`` gives an alias row's ``norm`` column (name normalisation is the
    resolver's, which the store does not know). ``changes`` receives the examples of new
    facts a dry run shows."""

    def __init__(self, conn: Connection, source_id: int, spec: SourceSpec,
                 changes: ImportChanges, normalize: Callable[[str], str],
                 dry_run: bool) -> None:
        self.conn = conn
        self.source_id = source_id
        self.spec = spec
        self.changes = changes
        self._normalize = normalize
        self._dry_run = dry_run
        self.decided = {"merges": 0, "reviews": 0}  # rows the decisions wrote
        self.bulk = BulkWriter(conn)
        self.now = _now()
        self.document_sources: dict[str, int] = {}
        # rows to write, as tuples in the order of the *_COLUMNS, keyed for deduplication
        self.entities: dict[int, tuple[Any, ...]] = {}
        self.aliases: dict[tuple[int, str, int], tuple[Any, ...]] = {}
        # alias keys of earlier flushes: an entity named again by the same source (ChainKG
        # and ICKG25 name most entities twice, as a record and in a relation) would send
        # a row the database only ignores; half the alias rows were such
        self.aliases_sent: set[tuple[int, str, int]] = set()
        self.facts: dict[int, tuple[Any, ...]] = {}
        self.evidence: dict[tuple[int, int, str], tuple[Any, ...]] = {}
        self.decisions = _Decisions()  # settled since the last rows were submitted
        self.decisions_submitted = _Decisions()  # settled before them: written after them

    # -- rows --------------------------------------------------------------------------------
    def entity(self, entity_id: int, entity_type: str, name: str) -> None:
        """A new entity, its own canonical entity until a merge says otherwise."""
        self.entities[entity_id] = (entity_id, entity_type, name, entity_id, self.now)

    def alias(self, entity_id: int, alias: str, kind: str, source_id: int) -> None:
        alias = alias.strip()
        key = (entity_id, alias, source_id)
        if key not in self.aliases and key not in self.aliases_sent:
            self.aliases[key] = (entity_id, alias, self._normalize(alias), kind, source_id)

    def attribute_fact(self, subject: int, key: str, value: Any, unit: str | None,
                       as_of: str | None) -> int:
        """The attribute fact's id, its row buffered unless it is already."""
        value_json = json.dumps(value, ensure_ascii=False, sort_keys=True)
        unit = unit or REGISTRY.attribute_types[key].unit
        fact_id = ids.attribute_fact_id(subject, key, value_json, unit, as_of)
        if fact_id not in self.facts:
            self.facts[fact_id] = (fact_id, subject, key, None, value_json, unit, as_of, None)
        return fact_id

    def relation_fact(self, subject: int, predicate: str, obj: int, valid_from: str | None,
                      weight: Callable[[], float | None]) -> int:
        """The relation fact's id, its row buffered unless it is already (``weight`` is
        asked, and may reject the record, only then)."""
        fact_id = ids.relation_fact_id(subject, predicate, obj)
        if fact_id not in self.facts:
            self.facts[fact_id] = (fact_id, subject, predicate, obj, None, None, valid_from,
                                   weight())
        return fact_id

    def evidence_of(self, fact_id: int, source_id: int, prov: Provenance, confidence: float,
                    observed: str | None) -> None:
        if not 0.0 <= confidence <= 1.0:
            raise RecordError(prov, f"置信度 {confidence} 不在 0 到 1 之间")
        key = (fact_id, source_id, prov.locator)
        if key not in self.evidence:
            self.evidence[key] = (fact_id, source_id, prov.locator, prov.quote,
                                  float(confidence), observed)

    def source_for(self, prov: Provenance) -> int:
        """The source a record cites: the import's, or a document inside it."""
        if not prov.document:
            return self.source_id
        found = self.document_sources.get(prov.document)
        if found is None:
            self.bulk.wait()
            found = _document_source(self.conn, self.source_id, self.spec, prov.document)
            self.document_sources[prov.document] = found
        return found

    def name_of(self, entity_id: int) -> str:
        row = self.entities.get(entity_id)
        if row is not None:
            return str(row[2])
        e = schema.entities
        self.bulk.wait()
        return str(self.conn.execute(select(e.c.name).where(e.c.id == entity_id)).scalar_one())

    # -- decisions ---------------------------------------------------------------------------
    def merge(self, entity_id: int, canonical: int, into_id: int, rule: str, score: float,
              features: Any) -> None:
        """``entity_id`` merged into ``into_id`` (whose canonical entity is ``canonical``)."""
        row = self.entities.get(entity_id)
        if row is not None:
            self.entities[entity_id] = (*row[:3], canonical, *row[4:])
        else:  # written by an earlier flush
            self.decisions.merged_written.append(
                {"merged_id": entity_id, "canonical": canonical})
        self.decisions.merges.append({
            "entity_id": entity_id, "into_id": into_id, "rule": rule,
            "score": score, "features": features, "decided_by": "auto",
            "created_at": self.now,
        })

    def review(self, entity_id: int, candidate_id: int, rule: str, score: float,
               features: Any) -> None:
        self.decisions.reviews.append({
            "entity_id": entity_id, "candidate_id": candidate_id,
            "score": score, "rule": rule, "features": features,
            "status": "open", "created_at": self.now,
        })

    # -- writing -------------------------------------------------------------------------
    def flush(self, settle: Callable[[bool], None], final: bool = False) -> None:
        """Write what is buffered, with the decisions ``settle`` (told whether to wait for
        the last of them) records.

        New entities are written as their own canonical entity while their decision is
        pending (facts refer to them), and updated when it comes. The rows are written in
        the background (``store.bulk``) while the next records are read, so a decision
        (merge, review, canonical id) waits for the next flush, when every row it refers to
        is in. The final flush waits for the last decisions while its rows are written."""
        settle(False)
        # a dry run's examples of new facts (others would slow every import by a lookup)
        sample = list(self.facts.values()) \
            if self._dry_run and len(self.changes.facts_added) < DETAIL_LIMIT else []
        batches = [self.bulk.prepare(table, columns, list(buffer.values()))
                   for table, columns, buffer in (
                       (schema.entities, ENTITY_COLUMNS, self.entities),
                       (schema.aliases, ALIAS_COLUMNS, self.aliases),
                       (schema.facts, FACT_COLUMNS, self.facts),
                       (schema.evidence, EVIDENCE_COLUMNS, self.evidence))]
        self.aliases_sent.update(self.aliases)
        for buffer in (self.entities, self.aliases, self.facts, self.evidence):
            buffer.clear()
        self.bulk.wait()
        if sample:
            self._sample_new_facts(sample)
        self._write_decisions(self.decisions_submitted)
        self.decisions_submitted, self.decisions = self.decisions, _Decisions()
        self.bulk.submit(batches)
        if final:
            settle(True)
            self.bulk.wait()
            self._write_decisions(self.decisions_submitted)
            self._write_decisions(self.decisions)

    def _write_decisions(self, decisions: _Decisions) -> None:
        conn = self.conn
        if decisions.merged_written:
            e = schema.entities
            conn.execute(update(e).where(e.c.id == bindparam("merged_id"))
                         .values(canonical_id=bindparam("canonical")), decisions.merged_written)
        if decisions.merges:
            conn.execute(insert(schema.merges), decisions.merges)
            self.decided["merges"] += len(decisions.merges)
        if decisions.reviews:  # few rows, with JSON: through SQLAlchemy's own type handling
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            result = conn.execute(dialect.insert(schema.reviews).on_conflict_do_nothing(),
                                  decisions.reviews)
            self.decided["reviews"] += max(result.rowcount, 0)
        decisions.clear()

    def _sample_new_facts(self, rows: list[tuple[Any, ...]]) -> None:
        """Keep as examples those of ``rows`` (fact rows about to be written) that the store
        does not hold yet, until there are ``DETAIL_LIMIT``: the others only gain this
        source's evidence."""
        f, found = schema.facts, self.changes.facts_added
        for start in range(0, len(rows), 2_000):
            chunk = rows[start:start + 2_000]
            held = set(self.conn.execute(
                select(f.c.id).where(f.c.id.in_([r[0] for r in chunk]))).scalars())
            found.extend(_fact_detail(r[1], r[2], r[3], r[4], r[5])
                         for r in chunk if r[0] not in held)
            if len(found) >= DETAIL_LIMIT:
                del found[DETAIL_LIMIT:]
                return

    def written(self) -> dict[str, int]:
        """Rows this run inserted, by table (after the final flush)."""
        counts = dict.fromkeys(COUNTED_TABLES, 0)
        counts.update(self.bulk.inserted)
        counts["merges"] += self.decided["merges"]
        counts["reviews"] += self.decided["reviews"]
        return counts

    def name_changes(self) -> None:
        """Put names to the entity ids in the examples of ``changes`` (one query)."""
        c = self.changes
        wanted = {d[k] for group in (c.merges, c.reviews) for d in group
                  for k in ("entity_id", "into_id")}
        wanted |= {d[k] for group in (c.facts_added, c.facts_removed) for d in group
                   for k in ("subject_id", "object_id") if k in d}
        if not wanted:
            return
        e = schema.entities
        names: dict[int, tuple[str, str]] = {}
        listed = sorted(wanted)
        for start in range(0, len(listed), 5_000):
            chunk = listed[start:start + 5_000]
            names.update((row.id, (row.name, row.type)) for row in self.conn.execute(
                select(e.c.id, e.c.name, e.c.type).where(e.c.id.in_(chunk))))
        for group in (c.merges, c.reviews):
            for d in group:
                d["name"], d["type"] = names.get(d["entity_id"], ("?", "?"))
                d["into"] = names.get(d["into_id"], ("?", "?"))[0]
        for group in (c.facts_added, c.facts_removed):
            for d in group:
                if "subject" in d:  # named when retracted (retract_counted)
                    continue
                d["subject"] = names.get(d["subject_id"], ("?", "?"))[0]
                if "object_id" in d:
                    d["object"] = names.get(d["object_id"], ("?", "?"))[0]

    def close(self, completed: bool) -> None:
        """After a failure, stop the background write without waiting for it."""
        if not completed:
            self.bulk.abandon()


@dataclass(slots=True)
class _Decisions:
    """Resolution results to write: canonical ids of entity rows already submitted, and
    the merge and review rows."""

    merged_written: list[dict[str, int]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)

    def clear(self) -> None:
        self.merged_written.clear()
        self.merges.clear()
        self.reviews.clear()


def _document_source(conn: Connection, parent_id: int, spec: SourceSpec, document: str) -> int:
    s = schema.sources
    uri = f"{spec.uri}#{document}"
    found = conn.execute(
        select(s.c.id).where(s.c.parent_id == parent_id, s.c.uri == uri)
    ).scalar()
    if found is not None:
        conn.execute(update(s).where(s.c.id == found).values(retracted_at=None))
        return found
    return conn.execute(
        insert(s).values(kind="document", name=document, uri=uri, sha256=spec.sha256,
                         parent_id=parent_id, imported_at=_now()).returning(s.c.id)
    ).scalar_one()
