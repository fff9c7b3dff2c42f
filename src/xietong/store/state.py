"""The store's revision: which store it is and how many writing transactions it has seen.

Every transaction that changes the graph (an import, a merge, an unmerge, a retraction)
calls ``bump`` before it commits, so ``revision`` tells a cache of derived data (the
matcher's index, xietong.match.service) that nothing changed since it was written, without
reading the whole graph. The store id, drawn when the store was created, keeps a store
re-created at the same path from matching an old cache.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, insert, select, update

from xietong.store import schema


def bump(conn: Connection) -> None:
    """Count one more writing transaction; call inside it, before it commits."""
    s = schema.store_state
    if conn.execute(update(s).where(s.c.id == 1).values(revision=s.c.revision + 1)).rowcount:
        return
    conn.execute(insert(s).values(id=1, store_id=uuid.uuid4().hex, revision=1))


def revision(conn: Connection) -> str | None:
    """``store-id:revision``, or None for a store without the row (never the case after
    ``xietong init``)."""
    s = schema.store_state
    row = conn.execute(select(s.c.store_id, s.c.revision).where(s.c.id == 1)).first()
    return None if row is None else f"{row.store_id}:{row.revision}"
