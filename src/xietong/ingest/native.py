"""xietong's own JSON Lines format: one entity, relation or attribute per line.

The demo ecosystem ships in it and ``xietong export --format jsonl`` writes it, so an
export can be imported elsewhere. A line's ``source`` cites where the fact comes from:
``{"file": "003_x.txt", "span": [120, 146], "quote": "…"}`` (a document and a character
span) or ``{"locator": "…"}``; without one, the line number is the locator. A person's
organisation tells namesakes apart: ``affiliation`` on their entity line,
``subject_affiliation`` / ``object_affiliation`` where a line names them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xietong.ingest.datasets import read_jsonl
from xietong.ingest.errors import InputError
from xietong.model.records import (
    AttributeRecord,
    EntityRecord,
    EntityRef,
    Provenance,
    Record,
    RelationRecord,
)

KINDS = ("entity", "relation", "attribute")


def is_native(first_object: dict[str, Any]) -> bool:
    return any(kind in first_object for kind in KINDS)


def _provenance(path: Path, number: int, row: dict[str, Any]) -> Provenance:
    source = row.get("source")
    if source is None:
        return Provenance(f"line {number}")
    if not isinstance(source, dict):
        raise InputError(f"{path.name}:{number}: 字段 'source' 应为 JSON 对象")
    span = source.get("span")
    if span is not None:
        if not (isinstance(span, list) and len(span) == 2 and all(isinstance(i, int) for i in span)):
            raise InputError(f"{path.name}:{number}: 字段 'source.span' 应为 [start, end]"
                             "（两个整数）")
        locator = f"chars {span[0]}-{span[1]}"
    else:
        locator = str(source.get("locator") or f"line {number}")
    return Provenance(locator, quote=source.get("quote"), document=source.get("file"))


def _text(path: Path, number: int, row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{path.name}:{number}: 字段 {key!r} 应为非空字符串")
    return value


def _optional_text(path: Path, number: int, row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{path.name}:{number}: 字段 {key!r} 应为字符串")
    return value.strip() or None


def _ref(path: Path, number: int, row: dict[str, Any], role: str) -> EntityRef:
    """``subject`` or ``object``, with its type and (for a person) organisation."""
    return EntityRef(_text(path, number, row, role), row.get(f"{role}_type"),
                     _optional_text(path, number, row, f"{role}_affiliation"))


def _confidence(path: Path, number: int, row: dict[str, Any]) -> float:
    value = row.get("confidence", 1.0)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f"{path.name}:{number}: 字段 'confidence' 应为 0 到 1 之间的数，"
                         f"而不是 {value!r}") from None


def _weight(path: Path, number: int, row: dict[str, Any]) -> float | None:
    value = row.get("weight")
    if value is None:
        return None
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{path.name}:{number}: 字段 'weight' 应为数，而不是 {value!r}") from None
    if not math.isfinite(weight):
        raise InputError(f"{path.name}:{number}: 字段 'weight' 应为有限的数，而不是 {value!r}")
    return weight


def native_records(path: Path) -> Iterator[Record]:
    for number, row in read_jsonl(path):
        prov = _provenance(path, number, row)
        confidence = _confidence(path, number, row)
        if "entity" in row:
            aliases = row.get("aliases") or []
            attrs = row.get("attrs") or {}
            if not isinstance(aliases, list) or not isinstance(attrs, dict):
                raise InputError(f"{path.name}:{number}: 'aliases' 应为列表，'attrs' 应为"
                                 "对象")
            yield EntityRecord(type=_text(path, number, row, "entity"),
                               name=_text(path, number, row, "name"), provenance=prov,
                               aliases=tuple(str(x) for x in aliases), attrs=attrs,
                               confidence=confidence, observed=row.get("observed"),
                               affiliation=_optional_text(path, number, row, "affiliation"))
        elif "relation" in row:
            yield RelationRecord(
                subject=_ref(path, number, row, "subject"),
                predicate=_text(path, number, row, "relation"),
                object=_ref(path, number, row, "object"),
                provenance=prov, confidence=confidence, valid_from=row.get("valid_from"),
                weight=_weight(path, number, row),
            )
        elif "attribute" in row:
            if "value" not in row:
                raise InputError(f"{path.name}:{number}: 属性行缺少 'value'")
            yield AttributeRecord(
                subject=_ref(path, number, row, "subject"),
                key=_text(path, number, row, "attribute"), value=row["value"],
                provenance=prov, unit=row.get("unit"), as_of=row.get("as_of"),
                confidence=confidence,
            )
        else:
            raise InputError(f"{path.name}:{number}: 每行须含 {'、'.join(KINDS)} 之一")
