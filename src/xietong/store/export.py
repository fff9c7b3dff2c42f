"""Exporting the graph: XLSX (for Excel users), CSV (relations) or xietong's own JSON Lines
(which ``xietong import`` reads back).

XLSX has three sheets: 实体, one row per entity and one column per attribute (the header
names its unit, so the sheet imports back without a mapping file); 关系; and 属性, every
attribute value with its unit, date and sources. JSON Lines loses no value: an entity's line
carries its undated values in the registry's unit, every other value (a second source's,
a dated one, 500 万美元) follows as an attribute line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from xietong.model.registry import REGISTRY, AttributeType
from xietong.store import queries, schema

FORMATS = ("csv", "xlsx", "jsonl")
ENTITY_COLUMNS = ("id", "类型", "名称", "别名")
RELATION_COLUMNS = ("主体", "主体类型", "关系", "客体", "客体类型", "权重", "日期", "来源")
ATTRIBUTE_COLUMNS = ("主体", "主体类型", "属性", "值", "单位", "日期", "来源")
# Figures extracted from text name what they measure in their unit (营收预计(亿元)): one
# column cannot hold them, so they are on the 属性 sheet only.
_NOT_A_COLUMN = frozenset({"metric"})


@dataclass(frozen=True, slots=True)
class _Value:
    key: str
    value: Any
    unit: str | None
    as_of: str | None
    sources: tuple[str, ...]

    @property
    def in_registry_unit(self) -> bool:
        return self.unit == REGISTRY.attribute_types[self.key].unit


@dataclass(frozen=True, slots=True)
class _Entity:
    id: int
    type: str
    name: str
    aliases: list[str]
    values: list[_Value]  # oldest first (undated first), then by fact id

    def current(self) -> dict[str, _Value]:
        """The latest value of each attribute."""
        return {v.key: v for v in self.values}


def _sources(conn: Connection) -> dict[int, tuple[str, ...]]:
    ev, s = schema.evidence, schema.sources
    found: dict[int, set[str]] = {}
    for cited in conn.execute(select(ev.c.fact_id, s.c.name).join(s, s.c.id == ev.c.source_id)):
        found.setdefault(cited.fact_id, set()).add(cited.name)
    return {fact: tuple(sorted(names)) for fact, names in found.items()}


def _entities(conn: Connection, sources: dict[int, tuple[str, ...]]) -> Iterator[_Entity]:
    e, a, f = schema.entities, schema.aliases, schema.facts
    names: dict[int, list[str]] = {}
    for named in conn.execute(
        select(e.c.canonical_id, a.c.alias).join(e, e.c.id == a.c.entity_id).distinct()
    ):
        names.setdefault(named.canonical_id, []).append(named.alias)
    values: dict[int, list[_Value]] = {}
    # the same order on both backends: PostgreSQL puts nulls last unless told
    for fact in conn.execute(
        select(e.c.canonical_id, f.c.id, f.c.predicate, f.c.value, f.c.unit, f.c.valid_from)
        .join(e, e.c.id == f.c.subject_id).where(f.c.object_id.is_(None))
        .order_by(f.c.valid_from.asc().nulls_first(), f.c.id)
    ):
        values.setdefault(fact.canonical_id, []).append(
            _Value(fact.predicate, json.loads(fact.value), fact.unit, fact.valid_from,
                   sources.get(fact.id, ())))
    for row in conn.execute(select(e.c.id, e.c.type, e.c.name).where(e.c.id == e.c.canonical_id)
                            .order_by(e.c.type, e.c.name)):
        yield _Entity(row.id, row.type, row.name,
                      sorted(set(names.get(row.id, [])) - {row.name}), values.get(row.id, []))


def _relations(conn: Connection, sources: dict[int, tuple[str, ...]]
               ) -> Iterator[dict[str, Any]]:
    e, f = schema.entities, schema.facts
    subj, obj = e.alias("subj"), e.alias("obj")
    subj_root, obj_root = e.alias("subj_root"), e.alias("obj_root")
    stmt = (
        select(f.c.id, f.c.predicate, f.c.weight, f.c.valid_from,
               subj_root.c.id.label("subject_id"), obj_root.c.id.label("object_id"),
               subj_root.c.name.label("subject"), subj_root.c.type.label("subject_type"),
               obj_root.c.name.label("object"), obj_root.c.type.label("object_type"))
        .join(subj, subj.c.id == f.c.subject_id).join(subj_root, subj_root.c.id == subj.c.canonical_id)
        .join(obj, obj.c.id == f.c.object_id).join(obj_root, obj_root.c.id == obj.c.canonical_id)
    )
    for row in conn.execute(stmt):
        yield {"subject_id": row.subject_id, "object_id": row.object_id,
               "subject": row.subject, "subject_type": row.subject_type,
               "relation": row.predicate, "object": row.object, "object_type": row.object_type,
               "weight": row.weight, "valid_from": row.valid_from,
               "sources": list(sources.get(row.id, ()))}


def _affiliations(conn: Connection) -> dict[int, str]:
    """Each person's organisation for the exports (the first by name, when there are
    several): importing them back tells namesakes apart by it."""
    return {person: names[0] for person, names in queries.workplaces(conn).items()}


def export(conn: Connection, path: Path, fmt: str | None = None) -> dict[str, int]:
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"未知导出格式 {fmt!r}；可选：{', '.join(FORMATS)}")
    if not path.parent.is_dir():  # checked first: openpyxl would fail only while saving
        raise ValueError(f"{path.parent}: 文件夹不存在")
    sources = _sources(conn)
    if fmt == "jsonl":
        return _jsonl(conn, path, sources)
    if fmt == "csv":
        count = 0
        # Excel opens UTF-8 CSV correctly only with a BOM
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(RELATION_COLUMNS)
            for rel in _relations(conn, sources):
                writer.writerow(_relation_row(rel))
                count += 1
        return {"entities": 0, "relations": count}
    return _xlsx(conn, path, sources)


def _jsonl(conn: Connection, path: Path, sources: dict[int, tuple[str, ...]]
           ) -> dict[str, int]:
    counts = {"entities": 0, "relations": 0}
    affiliations = _affiliations(conn)

    def affiliation(line: dict[str, Any], key: str, entity_id: int) -> dict[str, Any]:
        if entity_id in affiliations:
            line[key] = affiliations[entity_id]
        return line

    with path.open("w", encoding="utf-8") as out:
        for ent in _entities(conn, sources):
            current = ent.current()
            inline = {k: v for k, v in current.items() if v.as_of is None and v.in_registry_unit}
            line: dict[str, Any] = {"entity": ent.type, "name": ent.name, "aliases": ent.aliases,
                    "attrs": {k: v.value for k, v in inline.items()}}
            out.write(json.dumps(affiliation(line, "affiliation", ent.id),
                                 ensure_ascii=False) + "\n")
            for value in ent.values:
                if inline.get(value.key) is value:
                    continue
                line = {"attribute": value.key, "subject": ent.name, "subject_type": ent.type,
                        "value": value.value, "unit": value.unit, "as_of": value.as_of,
                        "source": {"locator": "; ".join(value.sources)}}
                out.write(json.dumps(affiliation(line, "subject_affiliation", ent.id),
                                     ensure_ascii=False) + "\n")
            counts["entities"] += 1
        for rel in _relations(conn, sources):
            line = {  # one dict type for every line
                "relation": rel["relation"], "subject": rel["subject"],
                "subject_type": rel["subject_type"], "object": rel["object"],
                "object_type": rel["object_type"], "weight": rel["weight"],
                "valid_from": rel["valid_from"],
                "source": {"locator": "; ".join(rel["sources"])},
            }
            affiliation(line, "subject_affiliation", rel["subject_id"])
            affiliation(line, "object_affiliation", rel["object_id"])
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            counts["relations"] += 1
    return counts


def _xlsx(conn: Connection, path: Path, sources: dict[int, tuple[str, ...]]
          ) -> dict[str, int]:
    from openpyxl import Workbook

    entities = list(_entities(conn, sources))
    present = {v.key for ent in entities for v in ent.values} - _NOT_A_COLUMN
    columns = [at for at in REGISTRY.attribute_types.values() if at.key in present]
    # a person's organisation, which tells namesakes apart when the sheet is imported back
    affiliations = _affiliations(conn)
    works_for = [REGISTRY.relation("works_for").label] if affiliations else []
    book = Workbook(write_only=True)
    sheet = book.create_sheet("实体")
    sheet.append([*ENTITY_COLUMNS, *(_header(at) for at in columns), *works_for])
    for ent in entities:
        current = ent.current()
        sheet.append([str(ent.id), REGISTRY.entity_types[ent.type].label, ent.name,
                      "；".join(ent.aliases),
                      *(_cell(current[at.key]) if at.key in current else None
                        for at in columns),
                      *([affiliations.get(ent.id)] if works_for else [])])
    sheet = book.create_sheet("关系")
    sheet.append(RELATION_COLUMNS)
    relations = 0
    for rel in _relations(conn, sources):
        sheet.append(_relation_row(rel))
        relations += 1
    sheet = book.create_sheet("属性")
    sheet.append(ATTRIBUTE_COLUMNS)
    for ent in entities:
        for value in ent.values:
            at = REGISTRY.attribute_types[value.key]
            sheet.append([ent.name, REGISTRY.entity_types[ent.type].label, at.label,
                          _plain(value.value), value.unit, value.as_of,
                          "；".join(value.sources)])
    book.save(path)
    return {"entities": len(entities), "relations": relations}


def _header(at: AttributeType) -> str:
    """营业收入（万元）: the column name ``xietong import`` maps back, unit included."""
    return f"{at.label}（{at.unit}）" if at.unit else at.label


def _cell(value: _Value) -> Any:
    """A value in its column's unit; in another unit (500 万美元) as text that says so."""
    if value.in_registry_unit:
        return _plain(value.value)
    number = value.value
    if isinstance(number, float) and number.is_integer():
        number = int(number)  # 500万美元, not 500.0万美元
    return f"{number}{value.unit}"


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _relation_row(rel: dict[str, Any]) -> list[Any]:
    return [rel["subject"], REGISTRY.entity_types[rel["subject_type"]].label,
            REGISTRY.relation_types[rel["relation"]].label, rel["object"],
            REGISTRY.entity_types[rel["object_type"]].label, rel["weight"], rel["valid_from"],
            "；".join(rel["sources"])]
