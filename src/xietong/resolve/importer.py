"""Importing records: one import, one transaction.

``import_records`` checks each record, lets the ``Linker`` decide which entities its names
denote, turns it into rows with deterministic ids and hands them to the store's
``ImportWriter``, which writes them in large batches and commits once. A failure or a kill
at any point leaves the store as it was; running the same import twice adds nothing.
"""

from __future__ import annotations

import gc
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

from xietong.i18n import _
from xietong.model.imports import ImportSummary, RecordError, SourceSpec
from xietong.model.records import (
    AttributeRecord,
    EntityRecord,
    Provenance,
    Record,
    RelationRecord,
)
from xietong.model.registry import REGISTRY
from xietong.model.values import coerce, parse_date
from xietong.resolve.index import PERSON, normalize
from xietong.resolve.linker import Linker
from xietong.resolve.regions import place_code
from xietong.store import state
from xietong.store.engine import StoreError
from xietong.store.writer import (
    COUNTED_TABLES,
    ImportWriter,
    open_source,
    retract_counted,
    take_turn,
)

FLUSH_EVERY = 50_000  # records between writes: bounds memory on huge files
PROGRESS_EVERY = 5_000
_ISO_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")

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
            take_turn(conn)
            source_id, previous = open_source(conn, spec)
            rows = ImportWriter(conn, source_id, spec, summary.changes, normalize, dry_run)
            linker = Linker(rows, summary)
            reader = _RecordReader(rows, linker)
            completed = False
            try:
                pending = 0
                for record in records:
                    try:
                        reader.add(record)
                    except RecordError as exc:
                        raise exc.within(spec.name) from None
                    summary.records += 1
                    pending += 1
                    if progress and summary.records % PROGRESS_EVERY == 0:
                        progress(PROGRESS_EVERY)
                    if pending >= FLUSH_EVERY:
                        rows.flush(linker.settle)
                        pending = 0
                if progress:
                    progress(summary.records % PROGRESS_EVERY)
                rows.flush(linker.settle, final=True)
                completed = True
            finally:
                rows.close(completed)
                linker.close()
            if before_commit:
                before_commit()
            deleted = dict.fromkeys(COUNTED_TABLES, 0)
            if previous and summary.records:
                summary.replaced = [name for _, name in previous]
                deleted = retract_counted(conn, [pid for pid, _ in previous], summary.changes)
            written = rows.written()
            summary.added = {t: max(written[t] - deleted[t], 0) for t in COUNTED_TABLES}
            summary.removed = {t: max(deleted[t] - written[t], 0) for t in COUNTED_TABLES}
            summary.merged, summary.queued_for_review = linker.merged, linker.reviewed
            summary.changes.totals = {
                "entities": written["entities"], "merges": linker.merged,
                "reviews": linker.reviewed, "facts_added": written["facts"],
                "facts_removed": deleted["facts"]}
            rows.name_changes()
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


class _RecordReader:
    """Checks each record and turns it into rows: entities through the linker, facts and
    their evidence straight to the writer."""

    def __init__(self, rows: ImportWriter, linker: Linker) -> None:
        self.rows = rows
        self.linker = linker

    def add(self, record: Record) -> None:
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
        names = [self.linker.clean(n, rec.provenance)
                 for n in (rec.name, *(a for a in rec.aliases if a and a.strip()))]
        if not names[0]:
            raise RecordError(rec.provenance, "名称为空")
        names = [n for n in names if n]
        credit_code = attrs.get("credit_code")
        source_id = self.rows.source_for(rec.provenance)
        entity_id = self.linker.find_or_create(
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
        source_id = self.rows.source_for(rec.provenance)
        subject = self.linker.ref(rec.subject, rtype.domain, rec.provenance, source_id)
        obj = self.linker.ref(rec.object, rtype.range, rec.provenance, source_id)
        valid_from = _check_date(rec.provenance, rec.valid_from)
        if rtype.key == "works_for":
            self.linker.affiliate(subject, obj)

        def weight() -> float | None:
            value = None if rec.weight is None else float(rec.weight)
            if value is not None and not math.isfinite(value):
                raise RecordError(rec.provenance, f"权重 {rec.weight!r} 不是有限数")
            return value

        fact_id = self.rows.relation_fact(subject, rtype.key, obj, valid_from, weight)
        self.rows.evidence_of(fact_id, source_id, rec.provenance, rec.confidence, valid_from)

    def _attribute(self, rec: AttributeRecord) -> None:
        value = _check_attribute(rec.provenance, rec.key, rec.value)
        source_id = self.rows.source_for(rec.provenance)
        subject = self.linker.ref(rec.subject, tuple(REGISTRY.entity_types), rec.provenance,
                                  source_id)
        as_of = _check_date(rec.provenance, rec.as_of)
        key = REGISTRY.attribute(rec.key).key
        self._attribute_fact(subject, key, value, rec.unit, as_of, rec.confidence,
                             rec.provenance, source_id)

    def _attribute_fact(self, subject: int, key: str, value: Any, unit: str | None,
                        as_of: str | None, confidence: float, prov: Provenance,
                        source_id: int) -> None:
        fact_id = self.rows.attribute_fact(subject, key, value, unit, as_of)
        self.rows.evidence_of(fact_id, source_id, prov, confidence, as_of)
        if key == "credit_code":
            self.linker.credit_code(subject, value)


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
