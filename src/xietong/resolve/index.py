"""The in-memory view of who is who, used while an import resolves names to entities.

Exact names and aliases are looked up in a dict keyed by (family, normalised name);
organisation names that miss go to the Resolver (Chinese organisation-name matching),
which is built lazily from the store on the first miss, so small imports into a big
store stay cheap. Its answers are collected when the import writes (a large import has
them worked out by a second process meanwhile: ``xietong.resolve.deferred``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Connection, select

from xietong.model.org_types import government_forms
from xietong.model.registry import REGISTRY
from xietong.resolve.deferred import DeferredResolver
from xietong.resolve.matcher import Match
from xietong.resolve.names import normalize as _normalize
from xietong.resolve.regions import place_code
from xietong.store import schema
from xietong.store.rows import fetch_tuples

ORG_FAMILY = "org"
PERSON = "person"
# Imports look the same names up again and again (products, industries): normalise once.
normalize = lru_cache(maxsize=1 << 20)(_normalize)


def family(entity_type: str) -> str:
    """Organisation types share one name space: 智元 the enterprise and 智元 the investor
    are one name to resolve, whatever type the source guessed."""
    return ORG_FAMILY if REGISTRY.entity_types[entity_type].organisation else entity_type


@lru_cache(maxsize=256)
def _families(types: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(family(t) for t in types))


@dataclass(slots=True)
class KnownEntity:
    id: int
    type: str
    canonical_id: int
    credit_code: str | None = None


class Namesakes(LookupError):
    """Several people bear a name, and the record does not say which of them it means."""

    def __init__(self, name: str, people: list[int]) -> None:
        super().__init__(name)
        self.name = name
        self.people = people


class EntityIndex:
    def __init__(self, conn: Connection, handover: int | None = None,
                 before_read: Callable[[], None] | None = None) -> None:
        """``handover``: the resolver's work done in this process before a worker process
        takes over (``xietong.resolve.deferred.HANDOVER``); None: never. ``before_read`` is
        called before the store is read after construction (to finish pending writes)."""
        self._conn = conn
        self._handover = handover
        self._before_read = before_read
        self.by_key: dict[tuple[str, str], int] = {}
        self.known: dict[int, KnownEntity] = {}
        # people by normalised name, all of them (by_key holds a name's first entity only),
        # and the organisations each works for: namesakes are told apart by them
        self.people: dict[str, list[int]] = {}
        self.affiliations: dict[int, set[int]] = {}
        # region entities by division code, so that 上海市宝山区 finds the store's 宝山区
        self.region_codes: dict[str, int] = {}
        self._resolver: DeferredResolver | None = None
        self._load()

    def _load(self) -> None:
        e = schema.entities
        known = self.known
        for entity_id, entity_type, canonical_id in fetch_tuples(
                self._conn, select(e.c.id, e.c.type, e.c.canonical_id)):
            known[entity_id] = KnownEntity(entity_id, entity_type, canonical_id)
        a = schema.aliases
        by_key = self.by_key
        # sorted here, not by the database: SQLite and PostgreSQL order strings differently,
        # and the first entity of a name wins (also in the resolver: _build_resolver)
        for entity_id, norm in sorted(fetch_tuples(self._conn,
                                                   select(a.c.entity_id, a.c.norm).distinct())):
            fam = family(known[entity_id].type)
            by_key.setdefault((fam, norm), entity_id)
            if fam == PERSON:
                self._add_person(norm, entity_id)
        f = schema.facts
        jobs = select(f.c.subject_id, f.c.object_id).where(f.c.predicate == "works_for")
        for person_id, org_id in self._conn.execute(jobs):
            self.affiliate(person_id, org_id)
        codes = select(f.c.subject_id, f.c.value).where(f.c.predicate == "credit_code")
        for subject_id, value in self._conn.execute(codes):
            known[subject_id].credit_code = _unjson(value)
        admin_codes: dict[int, str] = {}
        for subject_id, value in self._conn.execute(select(f.c.subject_id, f.c.value).where(
                f.c.predicate == "admin_code", f.c.object_id.is_(None))):
            admin_codes[subject_id] = value
        regions = select(e.c.id, e.c.name).where(e.c.type == "region", e.c.id == e.c.canonical_id)
        for entity_id, name in sorted((row.id, row.name) for row in self._conn.execute(regions)):
            code = place_code(name, _unjson(admin_codes.get(entity_id)))
            if code:
                self.region_codes.setdefault(code, entity_id)

    # -- lookups -------------------------------------------------------------------------
    def find(self, names: Iterable[str], types: Sequence[str]) -> int | None:
        """The entity one of ``names`` already denotes, among ``types`` (in preference order)."""
        families = _families(tuple(types))
        by_key = self.by_key
        for name in names:
            # 上海市政府 is 上海市人民政府 (the other form is built only then: a hot path)
            forms = (name, *government_forms(name)) if name.endswith("政府") else (name,)
            for form in forms:
                norm = normalize(form)
                for fam in families:
                    hit = by_key.get((fam, norm))
                    if hit is not None:
                        return hit
        return None

    def find_person(self, names: Iterable[str], organisation: int | None) -> int | None:
        """The person ``names`` denote. With ``organisation`` (an entity id), the namesake
        who works there, or else the only person of the name if no organisation is known
        for them; None means a new person. Without, the only person of the name; several
        raise Namesakes, since guessing would give one person another's facts."""
        canonical = self.canonical
        for name in names:
            ids = self.people.get(normalize(name))
            if not ids:
                continue
            people = list(dict.fromkeys(canonical(i) for i in ids))
            if organisation is None:
                if len(people) > 1:
                    raise Namesakes(name, people)
                return people[0]
            target = canonical(organisation)
            for person in people:
                if any(canonical(o) == target for o in self.affiliations.get(person, ())):
                    return person
            if len(people) == 1 and not self.affiliations.get(people[0]):
                return people[0]
            return None
        return None

    def affiliate(self, person_id: int, organisation_id: int) -> None:
        """Note that a person works for an organisation (a works_for fact)."""
        person = self.known.get(person_id)
        if person is not None and person.type == PERSON:
            self.affiliations.setdefault(person.canonical_id, set()).add(organisation_id)

    def _add_person(self, norm: str, entity_id: int) -> None:
        ids = self.people.setdefault(norm, [])
        if entity_id not in ids:
            ids.append(entity_id)

    def ask(self, entity_id: int, names: Sequence[str], credit_code: str | None,
            region: str | None) -> None:
        """Ask for the known organisation a new record matches; the answer comes from
        ``answers``. ``entity_id`` is the id the record will get (ids are deterministic), so
        decisions people made about it apply even before it exists again after a
        retraction."""
        self.resolver.ask(names, credit_code=credit_code, region=region, exclude=entity_id)

    def answers(self, wait: bool) -> list[Match]:
        """Answers to ``ask``, oldest first (see DeferredResolver.answers)."""
        return self._resolver.answers(wait) if self._resolver is not None else []

    @property
    def resolver(self) -> DeferredResolver:
        if self._resolver is None:
            self._resolver = self._build_resolver()
        return self._resolver

    def _build_resolver(self) -> DeferredResolver:
        if self._before_read is not None:
            self._before_read()
        resolver = DeferredResolver(self._handover)
        names: dict[int, list[str]] = {}
        a = schema.aliases
        for entity_id, alias in sorted(fetch_tuples(self._conn,
                                                    select(a.c.entity_id, a.c.alias).distinct())):
            if family(self.known[entity_id].type) == ORG_FAMILY:
                names.setdefault(entity_id, []).append(alias)
        for entity_id, entity_names in names.items():
            resolver.add(entity_id, entity_names, credit_code=self.known[entity_id].credit_code)
        d = schema.decisions
        for a_id, b_id, same in self._conn.execute(select(d.c.a_id, d.c.b_id, d.c.same)):
            resolver.record_decision(a_id, b_id, bool(same))
        return resolver

    def close(self) -> None:
        """Stop the resolver's worker process, if one was started."""
        if self._resolver is not None:
            self._resolver.close()

    # -- updates as the import goes --------------------------------------------------------
    def register(
        self,
        entity_id: int,
        entity_type: str,
        canonical_id: int,
        names: Sequence[str],
        credit_code: str | None = None,
    ) -> None:
        known = self.known.get(entity_id)
        if known is None:
            known = self.known[entity_id] = KnownEntity(entity_id, entity_type, canonical_id)
        if credit_code:
            known.credit_code = credit_code
        fam = family(known.type)
        for name in names:
            norm = normalize(name)
            self.by_key.setdefault((fam, norm), entity_id)
            if fam == PERSON:
                self._add_person(norm, entity_id)
        if self._resolver is not None and fam == ORG_FAMILY:
            self._resolver.add(entity_id, list(names), credit_code=known.credit_code)

    def canonical(self, entity_id: int) -> int:
        return self.known[entity_id].canonical_id


def _unjson(value: str | None) -> str | None:
    return None if value is None else json.loads(value)
