"""Reading the graph: counts, entity lookup, profiles with provenance, name search.

Everything here reads through ``entities.canonical_id``: a merged cluster is shown as one
entity, with every member's names and facts.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, and_, func, or_, select

from xietong.model.registry import REGISTRY
from xietong.resolve.names import normalize, pinyin
from xietong.store import schema
from xietong.store.rows import fetch_tuples

e, a, f, ev, s = schema.entities, schema.aliases, schema.facts, schema.evidence, schema.sources


@dataclass(slots=True)
class Stats:
    entities: int
    entities_by_type: dict[str, int]
    merged_entities: int
    facts: int
    relations_by_type: dict[str, int]
    attributes_by_key: dict[str, int]
    facts_by_source: dict[str, int]
    open_reviews: int
    sources: int


def stats(conn: Connection) -> Stats:
    by_type: dict[str, int] = dict(conn.execute(
        select(e.c.type, func.count()).where(e.c.id == e.c.canonical_id).group_by(e.c.type)
    ).all())
    merged = conn.execute(select(func.count()).where(e.c.id != e.c.canonical_id)).scalar_one()
    by_predicate: dict[str, int] = dict(conn.execute(
        select(f.c.predicate, func.count()).group_by(f.c.predicate)
    ).all())
    relations = {k: v for k, v in by_predicate.items() if k in REGISTRY.relation_types}
    attributes = {k: v for k, v in by_predicate.items() if k not in REGISTRY.relation_types}
    root = schema.sources.alias("root")
    label = func.coalesce(root.c.name, s.c.name)
    by_source: dict[str, int] = dict(conn.execute(
        select(label, func.count(func.distinct(ev.c.fact_id)))
        .select_from(ev.join(s, s.c.id == ev.c.source_id)
                     .outerjoin(root, root.c.id == s.c.parent_id))
        .group_by(label)
    ).all())
    reviews = conn.execute(
        select(func.count()).where(schema.reviews.c.status == "open")
    ).scalar_one()
    sources = conn.execute(
        select(func.count()).where(s.c.parent_id.is_(None), s.c.retracted_at.is_(None))
    ).scalar_one()
    return Stats(
        entities=sum(by_type.values()), entities_by_type=by_type, merged_entities=merged,
        facts=sum(by_predicate.values()), relations_by_type=relations,
        attributes_by_key=attributes, facts_by_source=by_source, open_reviews=reviews,
        sources=sources,
    )


@dataclass(slots=True)
class EntityHit:
    id: int  # the canonical id
    name: str
    type: str
    matched: str  # the name or alias that matched
    score: float = 1.0
    workplaces: tuple[str, ...] = ()  # a person's organisations: they tell namesakes apart


def lookup(conn: Connection, text: str, entity_type: str | None = None) -> list[EntityHit]:
    """Entities one of whose names is exactly ``text`` (after normalisation), or whose id it
    is; with ``entity_type`` (a registry key) only entities of that type."""
    text = text.strip()
    if text.isdigit() and len(text) <= 19:  # ids are signed 64-bit
        row = conn.execute(select(e.c.canonical_id).where(e.c.id == int(text))).first()
        if row is not None:
            ent = conn.execute(select(e).where(e.c.id == row.canonical_id)).one()
            if entity_type is None or ent.type == entity_type:
                return [EntityHit(ent.id, ent.name, ent.type, text)]
    root = schema.entities.alias("root")
    stmt = (
        select(root.c.id, root.c.name, root.c.type, a.c.alias)
        .select_from(a.join(e, e.c.id == a.c.entity_id).join(root, root.c.id == e.c.canonical_id))
        .where(a.c.norm == normalize(text))
    )
    if entity_type is not None:
        stmt = stmt.where(root.c.type == entity_type)
    rows = conn.execute(stmt).all()
    hits: dict[int, EntityHit] = {}
    for row in rows:
        hits.setdefault(row.id, EntityHit(row.id, row.name, row.type, row.alias))
    return list(hits.values())


def key_facts(conn: Connection, ids: list[int], attributes: int = 2) -> dict[int, dict[str, Any]]:
    """What tells entities of one name apart, for each canonical id: its relation count,
    its first ``attributes`` attribute values (label and value) and the sources that name it."""
    if not ids:
        return {}
    members = dict(conn.execute(
        select(e.c.id, e.c.canonical_id).where(e.c.canonical_id.in_(ids))).all())
    facts: dict[int, dict[str, Any]] = {
        i: {"relations": 0, "attributes": [], "sources": []} for i in ids}
    for column in (f.c.subject_id, f.c.object_id):
        rows = conn.execute(
            select(column, func.count()).where(column.in_(list(members)),
                                               f.c.object_id.is_not(None)).group_by(column))
        for member, count in rows:
            facts[members[member]]["relations"] += count
    attr_rows = conn.execute(
        select(f.c.subject_id, f.c.predicate, f.c.value)
        .where(f.c.subject_id.in_(list(members)), f.c.object_id.is_(None))
        .order_by(f.c.subject_id, f.c.predicate))
    for member, predicate, value in attr_rows:
        shown = facts[members[member]]["attributes"]
        if len(shown) < attributes:
            attr = REGISTRY.attribute_types.get(predicate)
            shown.append({"key": predicate, "label": attr.label if attr else predicate,
                          "value": json.loads(value)})
    root = schema.sources.alias("root")
    source_rows = conn.execute(
        select(a.c.entity_id, func.coalesce(root.c.name, s.c.name)).distinct()
        .select_from(a.join(s, s.c.id == a.c.source_id)
                     .outerjoin(root, root.c.id == s.c.parent_id))
        .where(a.c.entity_id.in_(list(members))))
    for member, source in source_rows:
        named = facts[members[member]]["sources"]
        if source not in named:
            named.append(source)
    return facts


def workplaces(conn: Connection, people: list[int] | None = None) -> dict[int, list[str]]:
    """The organisations each of ``people`` (canonical ids; None: every person) works for,
    by name, sorted."""
    if people is not None and not people:
        return {}
    member, org, org_root = e.alias("member"), e.alias("org"), e.alias("org_root")
    query = (select(member.c.canonical_id, org_root.c.name)
             .select_from(f).join(member, member.c.id == f.c.subject_id)
             .join(org, org.c.id == f.c.object_id)
             .join(org_root, org_root.c.id == org.c.canonical_id)
             .where(f.c.predicate == "works_for"))
    if people is not None:
        query = query.where(member.c.canonical_id.in_(people))
    found: dict[int, set[str]] = {}
    for row in conn.execute(query):
        found.setdefault(row.canonical_id, set()).add(row.name)
    return {person: sorted(names) for person, names in found.items()}


# Below this, a hit shares a syllable or two with the query and nothing else (傅利叶 → 朱洁
# at 0.46); a typo (0.72 for one wrong character in five) or a homophone (0.92) is above.
MIN_SEARCH_SCORE = 0.5


def search(conn: Connection, text: str, limit: int = 10,
           entity_type: str | None = None) -> list[EntityHit]:
    """Names and aliases close to ``text``: substrings, typos and homophones (拼音) alike.

    Two steps, so that one query does not read a big store's every alias row: the distinct
    normalised names are ranked by characters (a broad net), and only those caught are
    joined to their entities and scored again, with pinyin for names of about the query's
    length (a homophone typo keeps the length)."""
    query = normalize(text)
    if not query:
        return []
    root = schema.entities.alias("root")
    joined = a.join(e, e.c.id == a.c.entity_id).join(root, root.c.id == e.c.canonical_id)
    names = select(a.c.norm).distinct()
    if entity_type:
        norms = list(conn.execute(
            names.select_from(joined).where(root.c.type == entity_type)).scalars())
    else:  # every name in the store: as the driver's tuples (SQLAlchemy rows cost 0.4 s)
        norms = [norm for (norm,) in fetch_tuples(conn, names)]
    pool = {norm: score for norm, score, _ in process.extract(
        query, norms, scorer=fuzz.WRatio, limit=max(limit * 20, 200))}
    if not pool:
        return []
    stmt = (select(root.c.id, root.c.name, root.c.type, a.c.alias, a.c.norm)
            .select_from(joined).where(a.c.norm.in_(list(pool))).distinct()
            .order_by(root.c.id, a.c.alias))
    if entity_type:
        stmt = stmt.where(root.c.type == entity_type)
    query_pinyin = pinyin(query)
    scores: dict[str, float] = {}
    best: dict[int, EntityHit] = {}
    for row in conn.execute(stmt):
        norm = row.norm
        combined = scores.get(norm)
        if combined is None:
            combined = scores[norm] = _similarity(query, query_pinyin, norm, pool[norm])
        hit = best.get(row.id)
        if hit is None or combined > hit.score:
            best[row.id] = EntityHit(row.id, row.name, row.type, row.alias, combined)
    ranked = sorted((h for h in best.values() if h.score >= MIN_SEARCH_SCORE),
                    key=lambda h: (-h.score, len(h.matched), h.name, h.id))
    return ranked[:limit]


def _similarity(query: str, query_pinyin: str, norm: str, characters: float) -> float:
    """0–1: exact, containing the query, alike in characters or alike in sound. A name
    shorter than the query is compared whole (fuzz.ratio): WRatio's partial match would
    score 机 at 0.81 for 智元机器人, as any fragment of the query."""
    if norm == query:
        return 1.0
    if len(norm) < len(query):
        characters = fuzz.ratio(query, norm)
    sound = fuzz.ratio(query_pinyin, pinyin(norm)) \
        if query_pinyin and abs(len(norm) - len(query)) <= 2 else 0.0
    contained = 95.0 if query in norm else 0.0
    return round(max(contained, characters * 0.9, sound * 0.92) / 100.0, 3)


@dataclass(slots=True)
class Profile:
    id: int
    name: str
    type: str
    members: list[int]
    names: list[dict[str, Any]]  # alias, kind, sources
    attributes: list[dict[str, Any]]
    relations: list[dict[str, Any]]  # direction, predicate, label, other, sources
    relation_count: int
    neighbours: list[dict[str, Any]]
    merges: list[dict[str, Any]]


def _evidence_for(conn: Connection, fact_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    root = schema.sources.alias("root")
    for start in range(0, len(fact_ids), 5000):
        chunk = fact_ids[start : start + 5000]
        rows = conn.execute(
            select(ev.c.fact_id, ev.c.locator, ev.c.quote, ev.c.confidence, ev.c.observed,
                   s.c.name, root.c.name.label("parent"))
            .select_from(ev.join(s, s.c.id == ev.c.source_id)
                         .outerjoin(root, root.c.id == s.c.parent_id))
            .where(ev.c.fact_id.in_(chunk))
        ).all()
        for row in rows:
            found.setdefault(row.fact_id, []).append({
                "source": row.parent or row.name,
                "document": row.name if row.parent else None, "locator": row.locator, "quote": row.quote,
                "confidence": row.confidence, "observed": row.observed,
            })
    return found


def _relation_rows(conn: Connection, members: list[int], direction: str, limit: int) -> list[Any]:
    """Relations from (``out``) or to (``in``) the cluster, with the other end's canonical entity."""
    mine, theirs = (f.c.subject_id, f.c.object_id) if direction == "out" else \
        (f.c.object_id, f.c.subject_id)
    other, other_root = schema.entities.alias("other"), schema.entities.alias("other_root")
    return list(conn.execute(
        select(f.c.id, f.c.predicate, f.c.weight, f.c.valid_from,
               other_root.c.id.label("other_id"), other_root.c.name.label("other_name"),
               other_root.c.type.label("other_type"))
        .select_from(f.join(other, other.c.id == theirs)
                     .join(other_root, other_root.c.id == other.c.canonical_id))
        .where(mine.in_(members)).limit(limit)
    ).all())


def profile(conn: Connection, entity_id: int, relation_limit: int = 200) -> Profile:
    root_id = conn.execute(select(e.c.canonical_id).where(e.c.id == entity_id)).scalar_one()
    root = conn.execute(select(e).where(e.c.id == root_id)).one()
    members = list(conn.execute(select(e.c.id).where(e.c.canonical_id == root_id)).scalars())

    name_rows = conn.execute(
        select(a.c.alias, a.c.kind, s.c.name).join(s, s.c.id == a.c.source_id)
        .where(a.c.entity_id.in_(members))
    ).all()
    names: dict[str, dict[str, Any]] = {}
    for name_row in name_rows:
        entry = names.setdefault(name_row.alias,
                                 {"alias": name_row.alias, "kind": name_row.kind, "sources": []})
        if name_row.name not in entry["sources"]:
            entry["sources"].append(name_row.name)

    attr_rows = conn.execute(
        select(f.c.id, f.c.predicate, f.c.value, f.c.unit, f.c.valid_from)
        .where(f.c.subject_id.in_(members), f.c.object_id.is_(None))
    ).all()
    rel_filter = or_(f.c.subject_id.in_(members), f.c.object_id.in_(members))
    relation_count = conn.execute(
        select(func.count()).where(rel_filter, f.c.object_id.is_not(None))
    ).scalar_one()
    out_rows = _relation_rows(conn, members, "out", relation_limit)
    in_rows = _relation_rows(conn, members, "in", relation_limit)
    evidence = _evidence_for(conn, [r.id for r in (*attr_rows, *out_rows, *in_rows)])

    # Members of a merged entity often state the same fact (both say 入驻 模速空间): one
    # entry, with the sources of each.
    attributes: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in sorted(attr_rows, key=lambda r: (r.predicate, r.valid_from or "")):
        attr = REGISTRY.attribute_types.get(row.predicate)
        same_value = (row.predicate, row.value, row.unit, row.valid_from)
        value_entry = attributes.get(same_value)
        if value_entry is None:
            attributes[same_value] = value_entry = {
                "key": row.predicate, "label": attr.label if attr else row.predicate,
                "value": json.loads(row.value), "unit": row.unit, "as_of": row.valid_from,
                "sources": []}
        value_entry["sources"] += evidence.get(row.id, [])
    relations: dict[tuple[Any, ...], dict[str, Any]] = {}
    neighbours: Counter[tuple[int, str, str]] = Counter()
    for direction, rows in (("out", out_rows), ("in", in_rows)):
        for row in rows:
            same_fact = (direction, row.predicate, row.other_id, row.weight, row.valid_from)
            fact_entry = relations.get(same_fact)
            if fact_entry is None:
                rel = REGISTRY.relation_types[row.predicate]
                relations[same_fact] = fact_entry = {
                    "direction": direction, "predicate": row.predicate, "label": rel.label,
                    "other_id": row.other_id, "other": row.other_name,
                    "other_type": row.other_type, "weight": row.weight,
                    "valid_from": row.valid_from, "sources": []}
                neighbours[(row.other_id, row.other_name, row.other_type)] += 1
            fact_entry["sources"] += evidence.get(row.id, [])
    if len(out_rows) + len(in_rows) == relation_count:  # all of them read: count entries
        relation_count = len(relations)
    merge_rows = conn.execute(
        select(schema.merges).where(
            or_(schema.merges.c.entity_id.in_(members), schema.merges.c.into_id.in_(members)),
        )
    ).mappings().all()
    return Profile(
        id=root.id, name=root.name, type=root.type, members=members,
        names=list(names.values()), attributes=list(attributes.values()),
        relations=list(relations.values()),
        relation_count=relation_count,
        neighbours=[{"id": i, "name": n, "type": t, "links": c}
                    for (i, n, t), c in neighbours.most_common(20)],
        merges=[{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in m.items()}
                for m in merge_rows],
    )


def list_sources(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(s.c.id, s.c.kind, s.c.name, s.c.uri, s.c.imported_at, s.c.retracted_at)
        .where(s.c.parent_id.is_(None)).order_by(s.c.id)
    ).all()
    return [dict(row._mapping) for row in rows]


def find_source(conn: Connection, text: str) -> list[int]:
    cond = or_(s.c.name == text, s.c.uri == text)
    if text.isdigit():
        cond = or_(cond, s.c.id == int(text))
    return list(conn.execute(
        select(s.c.id).where(and_(cond, s.c.parent_id.is_(None)))
    ).scalars())
