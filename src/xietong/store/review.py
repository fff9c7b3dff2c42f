"""The review queue: candidate pairs the resolver was unsure about."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from xietong.store import schema


def list_reviews(conn: Connection, status: str = "open", limit: int = 50) -> list[dict[str, Any]]:
    r, e = schema.reviews, schema.entities
    left, right = e.alias("left"), e.alias("right")
    rows = conn.execute(
        select(r.c.id, r.c.score, r.c.rule, r.c.features, r.c.status,
               left.c.id.label("entity_id"), left.c.name.label("entity"),
               right.c.id.label("candidate_id"), right.c.name.label("candidate"))
        .join(left, left.c.id == r.c.entity_id).join(right, right.c.id == r.c.candidate_id)
        .where(r.c.status == status).order_by(r.c.score.desc(), r.c.id).limit(limit)
    ).all()
    return [dict(row._mapping) for row in rows]
