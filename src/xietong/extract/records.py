"""Extractions → the store's records, each citing its file span and sentence."""

from __future__ import annotations

from collections.abc import Iterator

from xietong.extract.pipeline import Document, Item
from xietong.model.records import (
    AttributeRecord,
    EntityRecord,
    EntityRef,
    Provenance,
    Record,
    RelationRecord,
)

# Below this an item is shown but not proposed for the graph. For tagger mentions the
# confidence is the CRF's marginal probability; 0.6 trades a little recall for precision
# on the seeds (docs/decisions/extraction.md).
MIN_CONFIDENCE = 0.6
_SUBJECT_KINDS = ("enterprise", "park", "institute", "government", "investor", "region")


def _provenance(item: Item) -> Provenance:
    return Provenance(locator=f"chars {item.start}-{item.end}", quote=item.sentence.strip())


def item_records(item: Item) -> list[Record]:
    """The records one extraction adds (empty when it carries no fact for the graph)."""
    if item.confidence < MIN_CONFIDENCE:
        return []
    d, prov = item.data, _provenance(item)
    if item.kind == "organisation":
        aliases = tuple(str(a) for a in d.get("aliases", ()))  # type: ignore[attr-defined]
        return [EntityRecord(str(d["type"]), str(d["name"]), prov, aliases=aliases,
                             confidence=item.confidence)]
    if item.kind == "region":
        aliases = (str(d["surface"]),) if d["surface"] != d["name"] else ()
        return [EntityRecord("region", str(d["name"]), prov, aliases=aliases,
                             attrs={"admin_code": str(d["code"]), "level": str(d["level"])},
                             confidence=item.confidence)]
    if item.kind == "person":
        organisation = d.get("organisation")
        return [EntityRecord("person", str(d["name"]), prov, attrs={"title": d["title"]},
                             confidence=item.confidence,
                             affiliation=str(organisation) if organisation else None)]
    if item.kind == "relation":
        obj_type = str(d["object_type"])
        # a person is known by where they work: their first post's organisation (a second
        # post's works_for names it as subject_affiliation)
        affiliation = str(d.get("subject_affiliation") or d["object"]) \
            if d["subject_type"] == "person" and d["predicate"] == "works_for" else None
        return [RelationRecord(EntityRef(str(d["subject"]), str(d["subject_type"]), affiliation),
                               str(d["predicate"]), EntityRef(str(d["object"]), obj_type),
                               prov, confidence=item.confidence)]
    if item.kind == "figure" and d["subject"] and d["raw_unit"] not in ("%", "倍"):
        subject_type = str(d["subject_type"])
        ref = EntityRef(str(d["subject"]), subject_type if subject_type in _SUBJECT_KINDS
                        else "region")
        return [AttributeRecord(ref, str(d["key"]), d["value"], prov, unit=str(d["unit"]),
                                as_of=d["as_of"] if isinstance(d["as_of"], str) else None,
                                confidence=item.confidence)]
    return []


_ENTITY_KINDS = ("organisation", "person", "region")


def document_records(doc: Document, skip: set[str] = frozenset()) -> Iterator[Record]:  # type: ignore[assignment]
    """Records of every item not in ``skip``. A relation or figure whose entity was skipped
    is skipped too: citing it would bring the rejected entity back."""
    # a name is dropped when every item naming it is (张伟 without an organisation may be
    # left out while 张伟 of 交大 stays)
    dropped = {str(i.data["name"]) for i in doc.items
               if i.id in skip and i.kind in _ENTITY_KINDS} - {
        str(i.data["name"]) for i in doc.items if i.id not in skip and i.kind in _ENTITY_KINDS}
    for item in doc.items:
        if item.id in skip:
            continue
        if item.kind in ("relation", "figure") and ({str(item.data.get("subject")),
                                                     str(item.data.get("object"))} & dropped):
            continue
        for record in item_records(item):
            if isinstance(record, EntityRecord) and record.affiliation in dropped:
                record.affiliation = None  # a person of a rejected organisation: not placed
            yield record
