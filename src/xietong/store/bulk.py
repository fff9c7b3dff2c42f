"""Bulk ``INSERT … ON CONFLICT DO NOTHING`` of an import's rows, inside its transaction.

Rows go to the database as tuples, not through SQLAlchemy's per-row parameter building
(which cost as much as the database's own work). On SQLite a batch of rows is one statement
that reads them from a JSON array (``json_each``), run in a background thread: ``sqlite3``
releases the GIL while a statement runs, so the database's work overlaps the importer's
Python work on another core. ``executemany`` takes the GIL back to bind every row, and in a
thread beside a busy importer it ran twice as long as alone (docs/decisions.md, "Import
throughput: writing in the background"). On PostgreSQL, and for rows JSON cannot carry,
batches go to the driver's ``executemany`` in the caller's thread.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any, Final

import orjson
from sqlalchemy import Connection, Float, Table, UniqueConstraint

CHUNK: Final = 20_000  # rows per executemany call


@dataclass(frozen=True, slots=True)
class Batch:
    """One table's rows, ready for the driver: ``many`` runs ``sql`` once per parameter
    tuple, otherwise once with ``parameters`` (one JSON array of all the rows)."""

    sql: str
    parameters: Any
    many: bool
    rows: int
    table: str = ""


class BulkWriter:
    """Writes batches of rows in the order given, within ``conn``'s transaction.

    ``submit`` returns at once when the rows are written in the background. Nothing else
    may use ``conn`` until ``wait`` has returned: call it before any other statement."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._background = conn.dialect.name == "sqlite" and _json_carries_rows(
            sqlite3.sqlite_version)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        # rows the database took, by table: an import's own count of what it added, which
        # no other writer's rows can enter (INSERT … ON CONFLICT DO NOTHING counts only
        # the rows it inserted)
        self.inserted: dict[str, int] = {}

    def prepare(self, table: Table, columns: Sequence[str],
                rows: list[tuple[Any, ...]]) -> Batch | None:
        """``rows`` (tuples in the order of ``columns``; the list is sorted and converted in
        place) as a batch for ``submit``; None when there are none."""
        if not rows:
            return None
        _sort_by_key(table, columns, rows)
        _convert(self._conn, table, columns, rows)
        quoted = ", ".join(self._conn.dialect.identifier_preparer.quote(c) for c in columns)
        if self._conn.dialect.name != "sqlite":
            marks = ", ".join(["%s"] * len(columns))
            return Batch(f"INSERT INTO {table.name} ({quoted}) VALUES ({marks}) "
                         "ON CONFLICT DO NOTHING", rows, True, len(rows), table.name)
        if self._background:
            try:
                # non-finite floats would become null: the importer rejects them as input
                payload = orjson.dumps(rows)
            except TypeError:  # a value JSON cannot carry (bytes, lone surrogates, …)
                pass
            else:
                picks = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(columns)))
                return Batch(f"INSERT OR IGNORE INTO {table.name} ({quoted}) SELECT {picks} "
                             "FROM json_each(CAST(? AS TEXT))", (payload,), False, len(rows),
                             table.name)
        marks = ", ".join("?" * len(columns))
        return Batch(f"INSERT OR IGNORE INTO {table.name} ({quoted}) VALUES ({marks})",
                     rows, True, len(rows), table.name)

    def submit(self, batches: Sequence[Batch | None]) -> None:
        """Write ``batches`` in order, after everything submitted before: in the background
        when they were prepared for it."""
        todo = [b for b in batches if b is not None]
        self.wait()
        if not todo:
            return
        if all(b.many for b in todo):
            for batch in todo:
                self._count(batch, _execute(self._conn.exec_driver_sql, batch))
            return
        driver = self._conn.connection.driver_connection
        self._thread = threading.Thread(target=self._run, args=(driver, todo),
                                        name="xietong-bulk-write", daemon=True)
        self._thread.start()

    def _run(self, driver: sqlite3.Connection, batches: list[Batch]) -> None:
        try:
            cursor = driver.cursor()
            try:
                for batch in batches:
                    self._count(batch, _execute(
                        cursor.executemany if batch.many else cursor.execute, batch))
            finally:
                cursor.close()
        except BaseException as exc:  # noqa: BLE001 - handed to the importer's thread
            self._error = exc

    def _count(self, batch: Batch, rows: int) -> None:
        self.inserted[batch.table] = self.inserted.get(batch.table, 0) + rows

    def wait(self) -> None:
        """Return once everything submitted is written; raise the first failure."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def abandon(self) -> None:
        """Stop a write in progress (the import failed and rolls back) and forget errors."""
        if self._thread is not None:
            driver = self._conn.connection.driver_connection
            assert driver is not None  # the write in progress runs on it
            driver.interrupt()
            self._thread.join()
            self._thread = None
        self._error = None


def _execute(run: Callable[..., Any], batch: Batch) -> int:
    """Run ``batch``; the number of rows inserted (conflicting rows are not)."""
    if not batch.many:
        return _rowcount(run(batch.sql, batch.parameters))
    rows = batch.parameters
    return sum(_rowcount(run(batch.sql, rows[start : start + CHUNK]))
               for start in range(0, len(rows), CHUNK))


def _rowcount(result: Any) -> int:
    # sqlite3's execute/executemany return the cursor, SQLAlchemy's a CursorResult; both
    # count the rows an INSERT … ON CONFLICT DO NOTHING inserted (summed over executemany)
    count = result.rowcount
    return count if count is not None and count >= 0 else 0


def _sort_by_key(table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    # Ids are hashes, so rows arrive in random key order; sorted, each b-tree insert lands
    # next to the previous one (the whole SQLite write takes 40% less CPU, measured in
    # benchmarks/import.py).
    key_positions = [columns.index(name) for name in _key_columns(table) if name in columns]
    if key_positions:
        rows.sort(key=itemgetter(*key_positions))


def _key_columns(table: Table) -> list[str]:
    """The columns of the b-tree that an insert into ``table`` extends most: its primary key,
    or for a rowid table its first unique constraint."""
    if table.primary_key.columns:
        return [c.name for c in table.primary_key.columns]
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            return [c.name for c in constraint.columns]
    return []


def _convert(conn: Connection, table: Table, columns: Sequence[str],
             rows: list[tuple[Any, ...]]) -> None:
    """Apply each column's SQLAlchemy bind processing (dates on SQLite) in place. Plain
    columns only: JSON needs SQLAlchemy's statement. Float columns must hold floats (or
    None) already: their processor would only coerce, and rebuilding every row for it cost
    0.7 s on ICKG25 + ChainKG."""
    converted = []
    for i, name in enumerate(columns):
        column_type = table.c[name].type
        if not isinstance(column_type, Float):
            processor = column_type.bind_processor(conn.dialect)
            if processor is not None:
                converted.append((i, _memoised(processor)))
    if not converted:
        return
    for n, values in enumerate(rows):
        as_list = list(values)
        for i, convert in converted:
            as_list[i] = convert(as_list[i])
        rows[n] = tuple(as_list)


def _memoised(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Bind processors convert values like the import's timestamp, shared by every row:
    convert each distinct value once."""
    cache: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return cache[value]
        except KeyError:
            cache[value] = converted = processor(value)
            return converted
        except TypeError:  # unhashable
            return processor(value)

    return convert


# values a JSON round trip through this SQLite must return exactly; floats are the risk
# (its text-to-double conversion was not exact on every platform before 3.43)
_PROBE: Final = (0.1, 0.9, 1 / 3, 2 / 3, 0.123456789012345678, 5e-324, 1.7976931348623157e308,
                 2.2250738585072014e-308, 0.30000000000000004, 1e-7, 123456.789e-3,
                 *(math.nextafter(x, 1.0) for x in (0.1, 0.5, 0.7, 0.95)),
                 *(i / 997 for i in range(1, 997)), 9_223_372_036_854_775_807,
                 -9_223_372_036_854_775_808, 0, "上海 \"x\"\\\n", "", None, True)


@cache
def _json_carries_rows(sqlite_version: str) -> bool:
    """Whether rows sent as JSON arrive exactly as ``executemany`` would bind them."""
    probe = sqlite3.connect(":memory:")
    try:
        back = [v for (v,) in probe.execute(
            "SELECT json_extract(value, '$[0]') FROM json_each(CAST(? AS TEXT))",
            (orjson.dumps([(v,) for v in _PROBE]),))]
    except sqlite3.Error:  # built without JSON functions
        return False
    finally:
        probe.close()
    expected = [int(v) if isinstance(v, bool) else v for v in _PROBE]
    return back == expected and all(type(a) is type(b) for a, b in zip(back, expected))
