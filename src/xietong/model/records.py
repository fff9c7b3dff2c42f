"""The records every importer produces and the store consumes.

Importers (built-in data sets, analysts' spreadsheets through a mapping file, the
demo ecosystem, text extraction) turn their input into these three records; the
store resolves names to entities and writes them with their provenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one record came from inside its source.

    ``locator`` is human-readable and precise: ``"row 12"``, ``"line 40"``,
    ``"chars 1520-1544"``. ``quote`` is the supporting text, when there is one.
    """

    locator: str
    quote: str | None = None
    document: str | None = None  # a document inside the source, when it cites several


@dataclass(frozen=True, slots=True)
class EntityRef:
    """A name that points at an entity; ``type`` narrows resolution when known.

    ``affiliation`` is, for a person, the organisation they work for as written: people
    are told apart by it, so 张伟 of 上海交通大学 is not 张伟 of 复旦大学."""

    name: str
    type: str | None = None
    affiliation: str | None = None


@dataclass(slots=True)
class EntityRecord:
    type: str  # registry key, e.g. "enterprise"
    name: str
    provenance: Provenance
    aliases: tuple[str, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict)  # attribute key -> value
    confidence: float = 1.0
    observed: str | None = None  # ISO date (YYYY, YYYY-MM or YYYY-MM-DD)
    affiliation: str | None = None  # a person's organisation (see EntityRef)


@dataclass(slots=True)
class RelationRecord:
    subject: EntityRef
    predicate: str  # relation key
    object: EntityRef
    provenance: Provenance
    confidence: float = 1.0
    valid_from: str | None = None  # ISO date the relation is observed/valid from
    weight: float | None = None


@dataclass(slots=True)
class AttributeRecord:
    subject: EntityRef
    key: str  # attribute key
    value: Any
    provenance: Provenance
    unit: str | None = None
    as_of: str | None = None  # ISO date the value holds at
    confidence: float = 1.0


Record = EntityRecord | RelationRecord | AttributeRecord
