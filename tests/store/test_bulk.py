"""Rows written in the background (SQLite, as JSON) land exactly as executemany binds them;
a failed or abandoned write leaves the store as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from xietong.api import Ecosystem
from xietong.resolve import importer
from xietong.store import bulk, schema
from xietong.store.bulk import BulkWriter

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
    monkeypatch.setattr(importer, "FLUSH_EVERY", 500)
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
