"""Exporting the graph: XLSX (two sheets, for Excel users), CSV (relations) or xietong's
own JSON Lines (which ``xietong import`` reads back)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from xietong.model.registry import REGISTRY
from xietong.store import schema

FORMATS = ("csv", "xlsx", "jsonl")
ENTITY_COLUMNS = ("id", "类型", "名称", "别名", "属性")
RELATION_COLUMNS = ("主体", "主体类型", "关系", "客体", "客体类型", "权重", "日期", "来源")


def _entities(conn: Connection) -> Iterator[dict[str, Any]]:
    e, a, f = schema.entities, schema.aliases, schema.facts
    names: dict[int, list[str]] = {}
    for named in conn.execute(
        select(e.c.canonical_id, a.c.alias).join(e, e.c.id == a.c.entity_id).distinct()
    ):
        names.setdefault(named.canonical_id, []).append(named.alias)
    attrs: dict[int, dict[str, Any]] = {}
    for fact in conn.execute(
        select(e.c.canonical_id, f.c.predicate, f.c.value, f.c.valid_from)
        .join(e, e.c.id == f.c.subject_id).where(f.c.object_id.is_(None))
        .order_by(f.c.valid_from)
    ):
        attrs.setdefault(fact.canonical_id, {})[fact.predicate] = json.loads(fact.value)
    for row in conn.execute(select(e.c.id, e.c.type, e.c.name).where(e.c.id == e.c.canonical_id)
                            .order_by(e.c.type, e.c.name)):
        yield {"id": row.id, "type": row.type, "name": row.name,
               "aliases": sorted(set(names.get(row.id, [])) - {row.name}),
               "attrs": attrs.get(row.id, {})}


def _relations(conn: Connection) -> Iterator[dict[str, Any]]:
    e, f, ev, s = schema.entities, schema.facts, schema.evidence, schema.sources
    subj, obj = e.alias("subj"), e.alias("obj")
    subj_root, obj_root = e.alias("subj_root"), e.alias("obj_root")
    sources: dict[int, set[str]] = {}
    for cited in conn.execute(select(ev.c.fact_id, s.c.name).join(s, s.c.id == ev.c.source_id)):
        sources.setdefault(cited.fact_id, set()).add(cited.name)
    stmt = (
        select(f.c.id, f.c.predicate, f.c.weight, f.c.valid_from,
               subj_root.c.name.label("subject"), subj_root.c.type.label("subject_type"),
               obj_root.c.name.label("object"), obj_root.c.type.label("object_type"))
        .join(subj, subj.c.id == f.c.subject_id).join(subj_root, subj_root.c.id == subj.c.canonical_id)
        .join(obj, obj.c.id == f.c.object_id).join(obj_root, obj_root.c.id == obj.c.canonical_id)
    )
    for row in conn.execute(stmt):
        yield {"subject": row.subject, "subject_type": row.subject_type,
               "relation": row.predicate, "object": row.object, "object_type": row.object_type,
               "weight": row.weight, "valid_from": row.valid_from,
               "sources": sorted(sources.get(row.id, ()))}


def export(conn: Connection, path: Path, fmt: str | None = None) -> dict[str, int]:
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"未知导出格式 {fmt!r}；可选：{', '.join(FORMATS)}")
    if not path.parent.is_dir():  # checked first: openpyxl would fail only while saving
        raise ValueError(f"{path.parent}: 文件夹不存在")
    counts = {"entities": 0, "relations": 0}
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as out:
            for ent in _entities(conn):
                out.write(json.dumps({"entity": ent["type"], "name": ent["name"],
                                      "aliases": ent["aliases"], "attrs": ent["attrs"]},
                                     ensure_ascii=False) + "\n")
                counts["entities"] += 1
            for rel in _relations(conn):
                out.write(json.dumps({
                    "relation": rel["relation"], "subject": rel["subject"],
                    "subject_type": rel["subject_type"], "object": rel["object"],
                    "object_type": rel["object_type"], "weight": rel["weight"],
                    "valid_from": rel["valid_from"],
                    "source": {"locator": "; ".join(rel["sources"])},
                }, ensure_ascii=False) + "\n")
                counts["relations"] += 1
    elif fmt == "csv":
        # Excel opens UTF-8 CSV correctly only with a BOM
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(RELATION_COLUMNS)
            for rel in _relations(conn):
                writer.writerow(_relation_row(rel))
                counts["relations"] += 1
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("实体")
        sheet.append(ENTITY_COLUMNS)
        for ent in _entities(conn):
            sheet.append([str(ent["id"]), REGISTRY.entity_types[ent["type"]].label, ent["name"],
                          "；".join(ent["aliases"]),
                          json.dumps(ent["attrs"], ensure_ascii=False) if ent["attrs"] else ""])
            counts["entities"] += 1
        sheet = book.create_sheet("关系")
        sheet.append(RELATION_COLUMNS)
        for rel in _relations(conn):
            sheet.append(_relation_row(rel))
            counts["relations"] += 1
        book.save(path)
    return counts


def _relation_row(rel: dict[str, Any]) -> list[Any]:
    return [rel["subject"], REGISTRY.entity_types[rel["subject_type"]].label,
            REGISTRY.relation_types[rel["relation"]].label, rel["object"],
            REGISTRY.entity_types[rel["object_type"]].label, rel["weight"], rel["valid_from"],
            "；".join(rel["sources"])]
