"""The contracts of one import, shared by whoever reads input and whoever writes it: what
is imported (``SourceSpec``), what a record did wrong (``RecordError``) and what the import
did (``ImportSummary`` with its ``ImportChanges`` and ``Notice``s). Plain data, so that
readers, the linker, the store and the command line agree on them without depending on
each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from xietong.model.records import Provenance

# examples of each kind of change an import keeps (a dry run shows them): enough to judge
# an import by, bounded so that ICKG25's 60,000 new entities cost no memory; counts are exact
DETAIL_LIMIT = 1000


class RecordError(ValueError):
    """A record the store cannot take; names where it came from."""

    def __init__(self, provenance: Provenance, message: str) -> None:
        where = provenance.locator
        if provenance.document:
            where = f"{provenance.document}: {where}"
        super().__init__(f"{where}: {message}")
        self.provenance = provenance
        self.reason = message

    def within(self, source: str) -> RecordError:
        """The error naming its source file too, when its provenance names no document."""
        if self.provenance.document:
            return self
        return RecordError(replace(self.provenance, document=source), self.reason)


@dataclass(frozen=True, slots=True)
class SourceSpec:
    kind: str  # file, dataset, demo
    name: str  # what users see
    uri: str  # absolute path or data-set locator; re-importing a changed uri replaces it
    sha256: str  # content hash: the same content twice is one source
    meta: dict[str, Any] | None = None
    size: int | None = None  # bytes of input, when known: a big import resolves in parallel


@dataclass(slots=True)
class ImportChanges:
    """Examples of what an import changes, at most ``DETAIL_LIMIT`` of each, in the order
    the import made them: new entities, merges and reviews (with whom, by which rule and
    score), facts added and facts removed (a replaced version's). Entities and facts are
    dicts naming them, so they can be shown without the store."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    facts_added: list[dict[str, Any]] = field(default_factory=list)
    facts_removed: list[dict[str, Any]] = field(default_factory=list)
    # how many of each there are in all (the lists hold the first DETAIL_LIMIT)
    totals: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"totals": self.totals, "entities": self.entities, "merges": self.merges,
                "reviews": self.reviews, "facts_added": self.facts_added,
                "facts_removed": self.facts_removed}


@dataclass(frozen=True, slots=True)
class Notice:
    """A value the import changed on the way in (a control character removed)."""

    where: str  # file and row/line, as RecordError names them
    value: str
    reason: str


@dataclass(slots=True)
class ImportSummary:
    source: str
    records: int = 0
    # rows this import itself wrote (net of what replacing an earlier version removed),
    # never the store's growth, which another import may share (two at once)
    added: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    merged: int = 0
    queued_for_review: int = 0
    replaced: list[str] = field(default_factory=list)
    dry_run: bool = False
    changes: ImportChanges = field(default_factory=ImportChanges)
    notices: list[Notice] = field(default_factory=list)
    cleaned: int = 0  # names and values with control characters removed (notices: the first)

    @property
    def unchanged(self) -> bool:
        return not any(self.added.values()) and not any(self.removed.values())

    @property
    def empty(self) -> bool:
        """The input had no records: nothing was written, not even the source."""
        return self.records == 0
