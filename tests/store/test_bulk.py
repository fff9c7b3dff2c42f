"""Rows written in the background (SQLite, as JSON) land exactly as executemany binds them;
a failed or abandoned write leaves the store as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Connection, Index, Table, inspect, select

from xietong.api import Ecosystem
from xietong.ingest.ickg import ickg_records, ickg_source
from xietong.model.records import Provenance, Record
from xietong.store import bulk, schema, writer
from xietong.store.bulk import BulkWriter
from xietong.store.writer import RecordError

# every column of every table an import writes, except the import's own timestamps
_TABLES = {
    "entities": "id, type, name, canonical_id",
    "aliases": "entity_id, alias, norm, kind, source_id",
    "facts": "id, subject_id, predicate, object_id, value, unit, valid_from, weight",
    "evidence": "fact_id, source_id, locator, quote, confidence, observed",
    "merges": "entity_id, into_id, rule, score, features",
    "reviews": "entity_id, candidate_id, rule, score, features, status",
}


def _dump(eco: Ecosystem) -> dict[str, list[tuple[object, ...]]]:
    with eco.engine.connect() as conn:
        return {table: [tuple(r) for r in conn.exec_driver_sql(
            f"SELECT {columns} FROM {table} ORDER BY {columns}")]
            for table, columns in _TABLES.items()}


def _import(db: Path, data_dir: Path, chainkg_slice: Path) -> Ecosystem:
    eco = Ecosystem(str(db))
    eco.init()
    eco.import_ickg(data_dir / "ickg-subset")
    eco.import_chainkg(chainkg_slice)
    return eco


def test_rows_sent_as_json_land_as_executemany_binds_them(
        data_dir: Path, chainkg_slice: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Real rows of every column type (63-bit ids, weights and confidences, Chinese text,
    nulls), through both ways of writing, with flushes small enough that decisions arrive
    for rows already written."""
    monkeypatch.setattr(writer, "FLUSH_EVERY", 500)
    assert bulk._json_carries_rows(sqlite3.sqlite_version), "this SQLite takes the JSON path"
    started = []
    monkeypatch.setattr(BulkWriter, "_run", _counting(BulkWriter._run, started))
    in_background = _import(tmp_path / "json.db", data_dir, chainkg_slice)
    assert len(started) > 10  # the background path was taken, flush after flush
    monkeypatch.setattr(bulk, "_json_carries_rows", lambda version: False)
    started.clear()
    bound = _import(tmp_path / "bound.db", data_dir, chainkg_slice)
    assert not started
    expected = _dump(bound)
    assert expected["facts"] and expected["merges"] and expected["reviews"]
    assert any(row[7] is not None for row in expected["facts"])  # weights
    assert _dump(in_background) == expected
    in_background.close()
    bound.close()


def _counting(run, started):  # type: ignore[no-untyped-def]
    def counted(self, driver, batches):  # type: ignore[no-untyped-def]
        started.append(len(batches))
        return run(self, driver, batches)
    return counted


def _entity_rows(eco: Ecosystem) -> list[tuple[object, ...]]:
    e = schema.entities
    with eco.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(e.c.id, e.c.type, e.c.name, e.c.canonical_id, e.c.created_at))]


def test_a_failed_write_is_raised_and_rolled_back(eco: Ecosystem) -> None:
    """An alias of an entity that does not exist breaks a foreign key: the error reaches
    the importer (later, on SQLite) and nothing of the transaction stays."""
    eco.import_demo()
    before = eco.stats()
    a = schema.aliases
    columns = ("entity_id", "alias", "norm", "kind", "source_id")
    with eco.engine.connect() as conn, pytest.raises(Exception, match="(?i)foreign key"):
        with conn.begin():
            writer_ = BulkWriter(conn)
            source = conn.execute(select(schema.sources.c.id)).scalars().first()
            entity = conn.execute(select(schema.entities.c.id)).scalars().first()
            writer_.submit([writer_.prepare(a, columns, [(entity, "新别名", "新别名", "alias",
                                                           source)])])
            writer_.submit([writer_.prepare(a, columns, [(12345, "无主", "无主", "alias",
                                                           source)])])
            writer_.wait()
    assert eco.stats() == before


def test_an_abandoned_write_leaves_the_store_as_before(eco: Ecosystem, data_dir: Path,
                                                       tmp_path: Path) -> None:
    """A failing import stops the write in progress (SQLite interrupts its statement) and
    rolls back: the rows of a whole data set, abandoned at once, leave no trace."""
    source_db = Ecosystem(str(tmp_path / "source.db"))
    source_db.init()
    source_db.import_ickg(data_dir / "ickg-subset")
    # each its own canonical entity: PostgreSQL checks the foreign key row by row
    rows = [(i, t, name, i, created) for i, t, name, _, created in _entity_rows(source_db)]
    source_db.close()
    before = eco.stats()
    columns = ("id", "type", "name", "canonical_id", "created_at")
    with eco.engine.connect() as conn, pytest.raises(KeyboardInterrupt):
        with conn.begin():
            writer_ = BulkWriter(conn)
            writer_.submit([writer_.prepare(schema.entities, columns, rows)])
            try:
                raise KeyboardInterrupt  # as Ctrl-C during the next records
            finally:
                writer_.abandon()
    assert eco.stats() == before
    with eco.engine.connect() as conn:  # the connection is usable after the interruption
        assert conn.execute(select(schema.entities.c.id)).first() is None


def test_rows_json_cannot_carry_are_bound_instead(eco: Ecosystem) -> None:
    with eco.engine.connect() as conn:
        writer_ = BulkWriter(conn)
        columns = ("entity_id", "alias", "norm", "kind", "source_id")
        batch = writer_.prepare(schema.aliases, columns, [(1, "\ud800", "x", "alias", 1)])
        assert batch is not None and batch.many and batch.rows == 1


def test_a_weight_that_is_not_finite_is_refused(eco: Ecosystem, tmp_path: Path) -> None:
    path = tmp_path / "链.jsonl"
    path.write_text('{"relation": "upstream_of", "subject": "碳化硅衬底", "object": "功率器件", '
                    '"weight": 1e999}\n', encoding="utf-8")
    before = eco.stats()
    with pytest.raises(Exception, match="weight' 应为有限的数"):
        eco.import_file(path)
    assert eco.stats() == before


def _facts(eco: Ecosystem) -> list[tuple[object, ...]]:
    with eco.engine.connect() as conn:  # sorted here: JSON columns have no order in SQL
        return sorted(tuple(row) for row in conn.exec_driver_sql(
            f"SELECT {_TABLES['facts']} FROM facts"))


def _fact_indexes(eco: Ecosystem) -> list[str]:
    return sorted(str(index["name"]) for index in inspect(eco.engine).get_indexes("facts"))


def test_an_import_that_doubles_the_facts_builds_their_indexes_at_the_end(
        db_url: str, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite the subject and object indexes are dropped for the import and built again
    before it commits: same rows, same schema. A failing import gets them back by its
    rollback. PostgreSQL keeps them (DROP INDEX would lock readers out)."""
    dropped: list[list[str]] = []
    drop = writer.drop_indexes

    def recording(conn: Connection, table: Table) -> list[Index]:
        indexes = drop(conn, table)
        dropped.append(sorted(str(index.name) for index in indexes))
        return indexes

    monkeypatch.setattr(writer, "drop_indexes", recording)
    names = ["ix_facts_object_id", "ix_facts_subject_id"]
    expected = [] if db_url.startswith("postgresql") else names
    folder = data_dir / "ickg-subset"
    spec = ickg_source(folder)
    plain = Ecosystem(str(tmp_path / "plain.db"))
    plain.init()
    plain.import_records(replace(spec, size=None), ickg_records(folder))  # size unknown
    assert dropped == []
    rebuilt = Ecosystem(db_url)
    rebuilt.init()
    rebuilt.import_ickg(folder)  # an empty store: any input doubles its facts
    assert dropped == [expected]
    assert _fact_indexes(rebuilt) == _fact_indexes(plain) == names
    assert _facts(rebuilt) == _facts(plain)

    def failing() -> Iterator[Record]:
        yield from ickg_records(folder)
        raise RecordError(Provenance(locator="row 9"), "第 9 行坏了")

    before = rebuilt.stats()
    big = replace(spec, uri=spec.uri + ":again", size=1 << 40)
    with pytest.raises(RecordError, match="第 9 行坏了"):
        rebuilt.import_records(big, failing())
    assert dropped == [expected, expected]
    assert rebuilt.stats() == before
    assert _fact_indexes(rebuilt) == names
    plain.close()
    rebuilt.close()
