"""What the graph already knows, as a dictionary for extraction (read-only)."""

from __future__ import annotations

from sqlalchemy import func, select

from xietong.api import Ecosystem
from xietong.extract.entities import ORG_KINDS, KnownNames
from xietong.store import schema


def known_names(eco: Ecosystem, excluding_uri: str | None = None) -> KnownNames:
    """Every name and alias of the graph's organisations and parks, with its type.

    Two-character aliases (智元, 商汤) are kept: they come from curated data, and exact
    dictionary matches are what makes "the 智元 of five documents" one entity.

    Names that only ``excluding_uri`` (the file being extracted) put there are left out,
    so a second run sees what the first saw and adds nothing."""
    known = KnownNames()
    e, a, s = schema.entities, schema.aliases, schema.sources
    query = (select(a.c.alias, e.c.type).join(e, e.c.id == a.c.entity_id)
             .join(s, s.c.id == a.c.source_id)
             .where(e.c.type.in_(ORG_KINDS), s.c.retracted_at.is_(None)))
    if excluding_uri is not None:
        query = query.where(s.c.uri != excluding_uri)
    eco.init()
    with eco.engine.connect() as conn:
        for alias, kind in conn.execute(query):
            known.add(alias, kind)
    return known


def shared_person_names(eco: Ecosystem) -> set[str]:
    """Normalised names that several people in the graph bear (张伟 of two organisations)."""
    e, a = schema.entities, schema.aliases
    query = (select(a.c.norm).join(e, e.c.id == a.c.entity_id).where(e.c.type == "person")
             .group_by(a.c.norm).having(func.count(e.c.canonical_id.distinct()) > 1))
    eco.init()
    with eco.engine.connect() as conn:
        return set(conn.execute(query).scalars())
