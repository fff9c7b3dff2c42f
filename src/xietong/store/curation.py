"""Curating the graph after import: retracting sources, merging, unmerging, reviewing.

Merges only move ``entities.canonical_id``; the facts keep the entity their source named,
so an unmerge restores exactly the state before the merge.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, exists, func, insert, select, update

from xietong.i18n import N_, _
from xietong.model.org_types import org_type_by_name
from xietong.model.registry import REGISTRY
from xietong.store import schema, state


def _now() -> datetime:
    return datetime.now(UTC)


def retract_sources(conn: Connection, source_ids: Sequence[int]) -> None:
    """Remove what these sources (and their documents) alone support: evidence, then facts
    left without evidence, names, then entities left without any name."""
    s, ev, f, a, e = schema.sources, schema.evidence, schema.facts, schema.aliases, schema.entities
    children = select(s.c.id).where(s.c.parent_id.in_(source_ids))
    ids = list(source_ids) + list(conn.execute(children).scalars())
    state.bump(conn)
    conn.execute(delete(ev).where(ev.c.source_id.in_(ids)))
    # every fact is written with evidence, so a fact without any was supported by these alone
    conn.execute(delete(f).where(~exists().where(ev.c.fact_id == f.c.id)))
    conn.execute(delete(a).where(a.c.source_id.in_(ids)))
    named = exists().where(a.c.entity_id == e.c.id)
    orphans = list(conn.execute(select(e.c.id).where(~named)).scalars())
    if orphans:
        _delete_entities(conn, orphans)
    conn.execute(update(s).where(s.c.id.in_(ids)).values(retracted_at=_now()))


def _delete_entities(conn: Connection, entity_ids: list[int]) -> None:
    e, f, m = schema.entities, schema.facts, schema.merges
    for start in range(0, len(entity_ids), 10_000):
        chunk = entity_ids[start : start + 10_000]
        # entities merged into a vanishing one stand on their own again
        conn.execute(update(e).where(e.c.canonical_id.in_(chunk), e.c.id.not_in(chunk))
                     .values(canonical_id=e.c.id))
        conn.execute(delete(f).where(f.c.subject_id.in_(chunk)))
        conn.execute(delete(f).where(f.c.object_id.in_(chunk)))
        conn.execute(delete(m).where(m.c.entity_id.in_(chunk)))
        conn.execute(delete(m).where(m.c.into_id.in_(chunk)))
        conn.execute(delete(schema.reviews).where(schema.reviews.c.entity_id.in_(chunk)))
        conn.execute(delete(schema.reviews).where(schema.reviews.c.candidate_id.in_(chunk)))
        conn.execute(delete(e).where(e.c.id.in_(chunk)))


def canonical_of(conn: Connection, entity_id: int) -> int:
    e = schema.entities
    return conn.execute(select(e.c.canonical_id).where(e.c.id == entity_id)).scalar_one()


def remember_decision(conn: Connection, a: int, b: int, same: bool) -> None:
    d = schema.decisions
    lo, hi = sorted((a, b))
    conn.execute(delete(d).where(d.c.a_id == lo, d.c.b_id == hi))
    conn.execute(insert(d).values(a_id=lo, b_id=hi, same=same, decided_at=_now()))


def merge(conn: Connection, entity_id: int, into_id: int, *, rule: str = "manual",
          score: float = 1.0, features: dict[str, Any] | None = None,
          decided_by: str = "user") -> int:
    """Merge the cluster of ``entity_id`` into the cluster of ``into_id``; returns the
    merge id. The pair is remembered as the same organisation, and open reviews between the
    two clusters are settled as the same: the merge answered them."""
    e, r = schema.entities, schema.reviews
    target = canonical_of(conn, into_id)
    source = canonical_of(conn, entity_id)
    if target == source:
        raise ValueError(_("两者已是同一实体"))
    conn.execute(update(e).where(e.c.canonical_id == source).values(canonical_id=target))
    state.bump(conn)
    remember_decision(conn, entity_id, into_id, True)
    cluster = select(e.c.id).where(e.c.canonical_id == target)
    conn.execute(update(r).where(r.c.status == "open", r.c.entity_id.in_(cluster),
                                 r.c.candidate_id.in_(cluster))
                 .values(status="same", decided_at=_now()))
    return conn.execute(
        insert(schema.merges).values(
            entity_id=source, into_id=target, rule=rule, score=score, features=features,
            decided_by=decided_by, created_at=_now(),
        ).returning(schema.merges.c.id)
    ).scalar_one()


def unmerge(conn: Connection, entity_id: int) -> list[int]:
    """Split ``entity_id`` (and what was merged into it) out of its cluster; remembers the
    pair as different so later imports do not merge it again. Returns undone merge ids."""
    e, m = schema.entities, schema.merges
    cluster_root = canonical_of(conn, entity_id)
    if cluster_root == entity_id:
        raise ValueError(_("该实体没有被合并到其他实体；请改为对合并进来的成员撤销合并"))
    # members that joined through entity_id: itself and whatever was merged into it
    undone: list[int] = []
    members = {entity_id}
    frontier = [entity_id]
    while frontier:
        current = frontier.pop()
        rows = conn.execute(
            select(m.c.id, m.c.entity_id).where(m.c.into_id == current, m.c.undone_at.is_(None))
        ).all()
        for row in rows:
            if row.entity_id not in members:
                members.add(row.entity_id)
                frontier.append(row.entity_id)
    conn.execute(update(e).where(e.c.id.in_(members)).values(canonical_id=entity_id))
    state.bump(conn)
    joined = conn.execute(
        select(m.c.id, m.c.into_id).where(m.c.entity_id == entity_id, m.c.undone_at.is_(None))
    ).all()
    for row in joined:
        undone.append(row.id)
        conn.execute(update(m).where(m.c.id == row.id).values(undone_at=_now()))
    remember_decision(conn, entity_id, cluster_root, False)
    return undone


def count_reviews(conn: Connection, status: str = "open") -> int:
    """How many review items have ``status``: the queue's total beside the page shown."""
    r = schema.reviews
    return int(conn.execute(select(func.count()).select_from(r)
                            .where(r.c.status == status)).scalar_one())


_STATUS_LABELS = {"same": N_("已判定为同一机构"), "different": N_("已判定为不同机构")}


def decide_review(conn: Connection, review_id: int, same: bool) -> dict[str, Any]:
    """Settle one review item; returns its row with both names (``entity``, ``candidate``),
    so the caller can say which pair was decided."""
    r, e = schema.reviews, schema.entities
    row = conn.execute(select(r).where(r.c.id == review_id)).mappings().first()
    if row is None:
        raise LookupError(_("没有审核项 #{id}（xietong review 列出待审核项）").format(id=review_id))
    if row["status"] != "open":
        raise ValueError(_("审核项 #{id} 已处理过：{status}").format(
            id=review_id, status=_(_STATUS_LABELS.get(row["status"], row["status"]))))
    names = {pair.id: pair.name for pair in conn.execute(select(e.c.id, e.c.name).where(
        e.c.id.in_((row["entity_id"], row["candidate_id"]))))}
    if same:
        merge(conn, row["entity_id"], row["candidate_id"], rule=row["rule"], score=row["score"],
              features=row["features"], decided_by="reviewer")
    else:
        remember_decision(conn, row["entity_id"], row["candidate_id"], False)
    conn.execute(update(r).where(r.c.id == review_id)
                 .values(status="same" if same else "different", decided_at=_now()))
    return {**row, "entity": names.get(row["entity_id"], ""),
            "candidate": names.get(row["candidate_id"], ""), "same": same}


# Data sets that type their entities by guessing (ICKG gives no types: ingest/ickg.py infers
# them from relation positions, so every partner in 合作 is an enterprise by default)
GUESSED_TYPE_FORMATS = frozenset({"ickg"})
GUESSED_TYPE_RULE = "guessed_type"


def settle_guessed_types(conn: Connection) -> list[tuple[int, int]]:
    """Merge an organisation whose type only guessing data sets gave into the park of exactly
    its name that another source declared: ICKG's 模速空间, a 合作 partner of 无问芯穹 typed
    as an enterprise, is the demo's park. Recorded as a merge with rule ``guessed_type``, so
    ``unmerge`` undoes it and remembers the pair as different.

    Not merged: a name that says it is a company (…有限公司: ``org_type_by_name``), an
    organisation any other source also names (chainkg's listed 市北高新 is a company, not
    the 市北高新 park; if chainkg comes later, the merge is undone), a name two parks share,
    and a pair a reviewer called different.
    Returns the (organisation, park) pairs merged."""
    s, a, e, d = schema.sources, schema.aliases, schema.entities, schema.decisions
    guessing = {row.id for row in conn.execute(select(s.c.id, s.c.meta)
                                               .where(s.c.retracted_at.is_(None)))
                if isinstance(row.meta, dict) and row.meta.get("format") in GUESSED_TYPE_FORMATS}
    if not guessing:
        return []
    _undo_disproved_guesses(conn, guessing)
    park_names: dict[str, set[int]] = {}
    for park in conn.execute(select(a.c.norm, e.c.canonical_id).join(e, e.c.id == a.c.entity_id)
                             .where(e.c.type == "park", a.c.source_id.not_in(guessing))):
        park_names.setdefault(park.norm, set()).add(park.canonical_id)
    parks = {norm: ids.pop() for norm, ids in park_names.items() if len(ids) == 1}
    if not parks:
        return []
    org_types = [key for key, t in REGISTRY.entity_types.items() if t.organisation]
    candidates: dict[int, tuple[str, int]] = {}
    for org in conn.execute(select(e.c.id, e.c.name, a.c.norm).join(a, a.c.entity_id == e.c.id)
                            .where(a.c.norm.in_(list(parks)), e.c.type.in_(org_types),
                                   e.c.canonical_id == e.c.id)):
        if org_type_by_name(org.name) is None:
            candidates.setdefault(org.id, (org.name, parks[org.norm]))
    merged: list[tuple[int, int]] = []
    for entity_id, (_name, park_id) in sorted(candidates.items()):
        sources = set(conn.execute(select(a.c.source_id).where(a.c.entity_id == entity_id))
                      .scalars())
        lo, hi = sorted((entity_id, park_id))
        different = conn.execute(select(d.c.same).where(d.c.a_id == lo, d.c.b_id == hi,
                                                        d.c.same.is_(False))).first()
        members = conn.execute(select(func.count()).select_from(e)
                               .where(e.c.canonical_id == entity_id)).scalar_one()
        if sources <= guessing and different is None and members == 1:
            merge(conn, entity_id, park_id, rule=GUESSED_TYPE_RULE, score=1.0,
                  features={"guessed_type": 1.0, "exact_name": 1.0}, decided_by="auto")
            merged.append((entity_id, park_id))
    return merged


def _undo_disproved_guesses(conn: Connection, guessing: set[int]) -> None:
    """Split out again what ``settle_guessed_types`` merged once another source has named it
    too (chainkg then declares ICKG's 市北高新 a listed company): its type is no longer a
    guess, and the pair is remembered as different."""
    m, a = schema.merges, schema.aliases
    rows = conn.execute(select(m.c.entity_id).where(m.c.rule == GUESSED_TYPE_RULE,
                                                    m.c.undone_at.is_(None))).scalars().all()
    for entity_id in rows:
        sources = set(conn.execute(select(a.c.source_id).where(a.c.entity_id == entity_id))
                      .scalars())
        if not sources <= guessing:
            unmerge(conn, entity_id)
