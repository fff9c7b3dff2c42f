"""What the graph already knows, as a dictionary for extraction (read-only)."""

from __future__ import annotations

from sqlalchemy import func, select

from xietong.api import Ecosystem
from xietong.extract.dictionary import (
    BULK,
    CURATED,
    REGISTERED,
    REGISTERED_FORMS,
    trust,
)
from xietong.extract.entities import ORG_KINDS, KnownNames
from xietong.store import schema

# Sources whose organisations are machine-typed in bulk (ICKG25, ChainKG): their names are
# trusted only as far as they say they are names (dictionary.trust)
_BULK_SOURCES = frozenset(("dataset",))
_FOUND_SOURCES = frozenset(("text",))  # earlier extractions: machine-found, then reviewed
_OTHER_THINGS = ("product", "industry", "chain_segment")
_CONFIRMATION = (CURATED, REGISTERED, BULK)  # strongest first


def known_names(eco: Ecosystem, excluding_uri: str | None = None) -> KnownNames:
    """The names and aliases of the graph's organisations and parks, with their types,
    that extraction may look for (dictionary.trust: generic words that bulk data sets give
    as names are left out, or matched only where the tagger agrees).

    Two-character aliases (智元, 商汤) are kept: exact dictionary matches are what makes
    "the 智元 of five documents" one entity.

    Names that only ``excluding_uri`` (the file being extracted) put there are left out,
    so a second run sees what the first saw and adds nothing."""
    known = KnownNames()
    e, a, s = schema.entities, schema.aliases, schema.sources
    query = (select(a.c.alias, e.c.type, e.c.canonical_id, s.c.kind)
             .join(e, e.c.id == a.c.entity_id).join(s, s.c.id == a.c.source_id)
             .where(e.c.type.in_(ORG_KINDS), s.c.retracted_at.is_(None)))
    if excluding_uri is not None:
        query = query.where(s.c.uri != excluding_uri)
    # names the graph also gives a product, an industry or a chain segment (机器人, 算力)
    org_aliases = select(a.c.alias).join(e, e.c.id == a.c.entity_id) \
        .where(e.c.type.in_(ORG_KINDS))
    other = (select(a.c.alias).distinct().join(e, e.c.id == a.c.entity_id)
             .where(e.c.type.in_(_OTHER_THINGS), a.c.alias.in_(org_aliases)))
    eco.init()
    with eco.engine.connect() as conn:
        rows = conn.execute(query).all()
        other_names = set(conn.execute(other).scalars())
    source: dict[int, str] = {}  # canonical id → CURATED, REGISTERED or BULK
    for alias, _, canonical, source_kind in rows:
        confirmed = REGISTERED if source_kind in _FOUND_SOURCES or (
            source_kind in _BULK_SOURCES and alias.endswith(REGISTERED_FORMS)) \
            else BULK if source_kind in _BULK_SOURCES else CURATED
        if _CONFIRMATION.index(confirmed) < _CONFIRMATION.index(source.get(canonical, BULK)):
            source[canonical] = confirmed
    for alias, kind, canonical, _ in rows:
        level = trust(alias, kind, source.get(canonical, BULK), alias in other_names)
        if level is not None:
            known.add(alias, kind, level)
    return known


def shared_person_names(eco: Ecosystem) -> set[str]:
    """Normalised names that several people in the graph bear (张伟 of two organisations)."""
    e, a = schema.entities, schema.aliases
    query = (select(a.c.norm).join(e, e.c.id == a.c.entity_id).where(e.c.type == "person")
             .group_by(a.c.norm).having(func.count(e.c.canonical_id.distinct()) > 1))
    eco.init()
    with eco.engine.connect() as conn:
        return set(conn.execute(query).scalars())
