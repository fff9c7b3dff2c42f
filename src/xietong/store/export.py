"""Exporting the graph: XLSX (for Excel users), CSV (for any spreadsheet) or xietong's own
JSON Lines (which ``xietong import`` reads back, losing nothing).

XLSX has three sheets: 实体, one row per entity and one column per attribute (the header
names its unit, so the sheet imports back without a mapping file); 关系; and 属性, every
attribute value with its unit, date and sources. CSV holds one table per file, so the same
three tables go to three files: the named one (生态.csv) holds 实体 — an analyst who asks
for 生态.csv expects the entities in it — beside it 生态-关系.csv and 生态-属性.csv. JSON
Lines loses no value: an entity's line carries its undated values in the registry's unit,
every other value (a second source's, a dated one, 500 万美元) follows as an attribute line.

Every file is written aside and renamed onto its target when complete (``atomic``); cell
text is made safe for spreadsheets (``cells``: no control characters, no live formulas).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from sqlalchemy import Connection, select

from xietong.i18n import _
from xietong.model.registry import REGISTRY, AttributeType
from xietong.store import queries, schema, xlsx
from xietong.store.atomic import atomic_paths
from xietong.store.cells import CellCleaner, is_formula_like

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


class ExportError(ValueError):
    """The export cannot be written (a bad format, a missing folder, a full disk)."""


class ExportSummary(TypedDict):
    entities: int
    relations: int
    attributes: int  # rows on the 属性 sheet / in the -属性.csv file (0 for JSON Lines)
    files: list[str]  # every file written, the named one first
    cleaned: int  # cells whose control characters were removed
    neutralised: int  # cells that would have been formulas in a spreadsheet
    truncated: int  # XLSX cells cut to Excel's 32,767 characters


def csv_paths(path: Path) -> tuple[Path, Path, Path]:
    """生态.csv → 生态.csv (entities), 生态-关系.csv, 生态-属性.csv."""
    return (path, path.with_name(f"{path.stem}-关系{path.suffix}"),
            path.with_name(f"{path.stem}-属性{path.suffix}"))


def export(conn: Connection, path: Path, fmt: str | None = None) -> ExportSummary:
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(_("未知导出格式 {fmt!r}；可选：{formats}").format(
            fmt=fmt, formats=", ".join(FORMATS)))
    if not path.parent.is_dir():
        raise ExportError(_("{folder}: 文件夹不存在").format(folder=path.parent))
    targets = csv_paths(path) if fmt == "csv" else (path,)
    for target in targets:
        if target.is_dir():
            raise ExportError(_("{path}: 是文件夹，不能写成文件").format(path=target))
    sources = _sources(conn)
    cleaner = CellCleaner()
    try:
        with atomic_paths(*targets) as temps:
            if fmt == "jsonl":
                counts = _jsonl(conn, temps[0], sources)
            elif fmt == "csv":
                counts = _csv(conn, temps, sources, cleaner)
            else:
                counts = _xlsx(conn, temps[0], sources, cleaner)
    except OSError as e:  # permission, full disk: the targets are as they were
        reason = e.strerror or e
        raise ExportError(_("{path}: 无法写入（{reason}）；目标文件未改动").format(
            path=path, reason=reason)) from None
    return ExportSummary(entities=counts[0], relations=counts[1], attributes=counts[2],
                         files=[str(t) for t in targets], cleaned=cleaner.cleaned,
                         neutralised=cleaner.neutralised, truncated=cleaner.truncated)


# Line breaks to str.splitlines() and to JavaScript that JSON leaves raw
_RAW_BREAKS = re.compile("[\x85\u2028\u2029]")


def _json_line(obj: dict[str, Any]) -> str:
    """One JSON Lines line, Chinese as it is; the line breaks JSON leaves raw are escaped
    (they occur only inside strings), so no reader splits a record."""
    line = json.dumps(obj, ensure_ascii=False)
    if _RAW_BREAKS.search(line):  # rare: searching is cheap, rewriting is not
        line = _RAW_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
    return line + "\n"


def _jsonl(conn: Connection, path: Path, sources: dict[int, tuple[str, ...]]
           ) -> tuple[int, int, int]:
    """Values as they are: JSON escapes control characters and runs no formulas."""
    entities = relations = 0
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
            out.write(_json_line(affiliation(line, "affiliation", ent.id)))
            for value in ent.values:
                if inline.get(value.key) is value:
                    continue
                line = {"attribute": value.key, "subject": ent.name, "subject_type": ent.type,
                        "value": value.value, "unit": value.unit, "as_of": value.as_of,
                        "source": {"locator": "; ".join(value.sources)}}
                out.write(_json_line(affiliation(line, "subject_affiliation", ent.id)))
            entities += 1
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
            out.write(_json_line(line))
            relations += 1
    return entities, relations, 0


@dataclass(frozen=True, slots=True)
class _Tables:
    """The three tables of a spreadsheet export, as rows of plain values."""

    entity_header: list[str]
    entities: list[_Entity]
    columns: list[AttributeType]
    affiliations: dict[int, str]

    def entity_rows(self) -> Iterator[list[Any]]:
        for ent in self.entities:
            current = ent.current()
            yield [str(ent.id), REGISTRY.entity_types[ent.type].label, ent.name,
                   "；".join(ent.aliases),
                   *(_cell(current[at.key]) if at.key in current else None
                     for at in self.columns),
                   *([self.affiliations.get(ent.id)] if self.affiliations else [])]

    def attribute_rows(self) -> Iterator[list[Any]]:
        for ent in self.entities:
            for value in ent.values:
                at = REGISTRY.attribute_types[value.key]
                yield [ent.name, REGISTRY.entity_types[ent.type].label, at.label,
                       _plain(value.value), value.unit, value.as_of, "；".join(value.sources)]


def _tables(conn: Connection, sources: dict[int, tuple[str, ...]]) -> _Tables:
    entities = list(_entities(conn, sources))
    present = {v.key for ent in entities for v in ent.values} - _NOT_A_COLUMN
    columns = [at for at in REGISTRY.attribute_types.values() if at.key in present]
    # a person's organisation, which tells namesakes apart when the table is imported back
    affiliations = _affiliations(conn)
    works_for = [REGISTRY.relation("works_for").label] if affiliations else []
    header = [*ENTITY_COLUMNS, *(_header(at) for at in columns), *works_for]
    return _Tables(header, entities, columns, affiliations)


def _csv(conn: Connection, paths: Sequence[Path], sources: dict[int, tuple[str, ...]],
         cleaner: CellCleaner) -> tuple[int, int, int]:
    tables = _tables(conn, sources)
    parts: list[tuple[Sequence[str], Iterator[list[Any]]]] = [
        (tables.entity_header, tables.entity_rows()),
        (RELATION_COLUMNS, (_relation_row(rel) for rel in _relations(conn, sources))),
        (ATTRIBUTE_COLUMNS, tables.attribute_rows())]
    counts = []
    for path, (header, rows) in zip(paths, parts, strict=True):
        # Excel opens UTF-8 CSV correctly only with a BOM
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            count = 0
            for row in rows:
                writer.writerow([cleaner.csv(v) for v in row])
                count += 1
        counts.append(count)
    return counts[0], counts[1], counts[2]


# Excel's grid: rows beyond it are lost, and integers beyond 15 digits lose their last ones
XLSX_MAX_ROWS = 1_048_576
_EXACT_IN_EXCEL = 10**15


def _xlsx(conn: Connection, path: Path, sources: dict[int, tuple[str, ...]],
          cleaner: CellCleaner) -> tuple[int, int, int]:
    tables = _tables(conn, sources)
    relations = (_relation_row(rel) for rel in _relations(conn, sources))
    counts = []
    with xlsx.Workbook(path) as book:
        for title, header, rows in (("实体", tables.entity_header, tables.entity_rows()),
                                    ("关系", RELATION_COLUMNS, relations),
                                    ("属性", ATTRIBUTE_COLUMNS, tables.attribute_rows())):
            sheet = book.sheet(title)
            sheet.append(header)
            for row in rows:
                if sheet.rows >= XLSX_MAX_ROWS:
                    raise ExportError(_(
                        "工作表 {sheet} 超过 Excel 的 {limit:,} 行上限；请导出为 .csv 或 .jsonl"
                    ).format(sheet=title, limit=XLSX_MAX_ROWS))
                sheet.append([_xlsx_cell(v, cleaner) for v in row])
            counts.append(sheet.rows - 1)
    return counts[0], counts[1], counts[2]


def _xlsx_cell(value: Any, cleaner: CellCleaner) -> Any:
    """A number stays a number (if Excel holds it exactly); all else is text, cleaned, and
    marked to stay text if it begins like a formula."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and math.isfinite(value) and abs(value) < _EXACT_IN_EXCEL:
        return value
    text = cleaner.xlsx(value if isinstance(value, str) else str(value))
    if is_formula_like(text):
        cleaner.neutralised += 1
        return xlsx.QuotedText(text)
    return text


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
