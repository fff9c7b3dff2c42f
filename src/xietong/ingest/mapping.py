"""Mapping files: how an analyst's columns become entity, relation and attribute records.

A mapping is a small YAML file (format in docs/mapping.md). ``load_mapping`` checks the
mapping itself against the registry and reports problems at their YAML line;
``infer_mapping`` guesses one from recognisable column names; ``records_from_table``
validates every cell and yields records for the rows that are clean.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
import struct
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from xietong.i18n import _
from xietong.ingest.errors import InputError, MappingError, ValidationReport
from xietong.ingest.readers import EXTRA_CELLS, Row, Table, read_table
from xietong.model.records import (
    AttributeRecord,
    EntityRecord,
    EntityRef,
    Provenance,
    Record,
    RelationRecord,
)
from xietong.model.registry import REGISTRY, AttributeType, RelationType
from xietong.model.values import (
    MAX_TEXT_CHARS,
    check_name,
    is_placeholder,
    parse_confidence,
    parse_date,
    parse_money,
    parse_number,
    parse_value,
    split_cell,
    strip_controls,
    unit_problem,
)
from xietong.resolve.names import parse_org_name
from xietong.resolve.regions import canonical_region, canonical_region_in, region_label

# --- the mapping ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TypeSpec:
    """An entity type: fixed, or read from a column (through ``values`` or the registry)."""

    fixed: str | None = None
    column: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # cell text -> entity type key
    default: str | None = None  # for empty cells in ``column``


@dataclass(frozen=True, slots=True)
class AttributeColumn:
    column: str
    attribute: AttributeType
    unit: str | None = None  # unit the cells are written in; None: the attribute's unit


@dataclass(frozen=True, slots=True)
class RelationColumn:
    column: str
    relation: RelationType
    object_type: str | None
    reverse: bool = False  # the cell's entity is the subject and the row's the object
    split: bool = True  # one relation per separated value in the cell


@dataclass(frozen=True, slots=True)
class EntityLayout:
    """One row per entity."""

    type: TypeSpec
    name: str
    aliases: tuple[str, ...] = ()
    attributes: tuple[AttributeColumn, ...] = ()
    relations: tuple[RelationColumn, ...] = ()
    # columns naming the province or city the row lies in (所属城市): they place a district
    # name several cities share (宝山区 is in 上海 and in 双鸭山)
    places: tuple[str, ...] = ()
    # the one separator between aliases (xietong's export joins them with ；), or None for
    # any of the usual ones
    alias_separator: str | None = None


@dataclass(frozen=True, slots=True)
class RelationLayout:
    """One row per relation: subject, relation label (or a fixed relation), object."""

    subject: str
    object: str
    relation_column: str | None = None
    relation: RelationType | None = None
    subject_type: TypeSpec | None = None
    object_type: TypeSpec | None = None
    weight: str | None = None
    # a person's organisation, telling namesakes apart (张伟 of 上海交通大学)
    subject_affiliation: str | None = None
    object_affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Mapping:
    source: str  # the mapping file, or "automatic mapping"
    layout: EntityLayout | RelationLayout
    sheet: str | int | None = None
    encoding: str | None = None
    date_column: str | None = None  # observed / valid-from / as-of date of each row
    date: str | None = None  # the same, fixed for every row (ISO)
    confidence_column: str | None = None
    confidence: float = 1.0
    unmapped: tuple[str, ...] = ()  # columns an automatic mapping could not place

    def columns(self) -> list[str]:
        """Every column the mapping reads; all must be present in the header."""
        lay = self.layout
        cols: list[str | None]
        if isinstance(lay, EntityLayout):
            cols = [lay.type.column, lay.name, *lay.aliases,
                    *(a.column for a in lay.attributes), *(r.column for r in lay.relations),
                    *lay.places]
        else:
            cols = [lay.subject, lay.relation_column, lay.object, lay.weight,
                    lay.subject_type.column if lay.subject_type else None,
                    lay.object_type.column if lay.object_type else None,
                    lay.subject_affiliation, lay.object_affiliation]
        cols += [self.date_column, self.confidence_column]
        return list(dict.fromkeys(c for c in cols if c))


# --- loading a mapping file, with YAML line numbers ---------------------------------

class _Node(dict[str, Any]):
    """A YAML mapping that remembers where it and each of its keys are."""

    line: int = 0
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Node:
    result = _Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = str(loader.construct_object(key_node, deep=True))
        line = key_node.start_mark.line + 1
        if key in result:
            # PyYAML keeps the last of two equal keys silently; an analyst never means that.
            raise yaml.MarkedYAMLError(problem=f"重复的键 {key!r}",
                                       problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

_TOP_KEYS = ("entities", "relations", "sheet", "encoding", "date", "confidence")
_ENTITY_KEYS = ("type", "name", "aliases", "attributes", "relations", "places")
_RELATION_KEYS = ("subject", "subject_type", "relation", "relation_column", "object",
                  "object_type", "weight", "subject_affiliation", "object_affiliation")
_TYPE_KEYS = ("column", "values", "default")
_ATTR_KEYS = ("attribute", "unit")
_REL_COLUMN_KEYS = ("relation", "object_type", "reverse", "split")


def load_mapping(path: str | os.PathLike[str]) -> Mapping:
    """Read and check a mapping file; MappingError lists every problem with its line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{p}: 映射文件不存在") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{p}: 映射文件须为 UTF-8 编码（偏移 {e.start} 处有无效字节）") \
            from None
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        report = ValidationReport()
        report.error(str(p), line, None, None, f"YAML 格式错误：{e.problem or e}")
        raise MappingError(report) from None
    if not isinstance(data, _Node):
        report = ValidationReport()
        report.error(str(p), 1, None, None, "映射文件应为 YAML 映射，含 'entities:' 或 "
                     "'relations:' 部分（见 docs/mapping.md）")
        raise MappingError(report)
    checker = _Checker(str(p))
    mapping = checker.mapping(data)
    if not checker.report.ok or mapping is None:
        checker.report.issues.sort(key=lambda i: i.row or 0)
        raise MappingError(checker.report)
    return mapping


class _Checker:
    """Turns the YAML tree into a Mapping, recording each problem at its line."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.report = ValidationReport()

    def err(self, line: int, reason: str) -> None:
        self.report.error(self.file, line, None, None, reason)

    def keys(self, node: _Node, allowed: tuple[str, ...], where: str) -> None:
        for key in node:
            if key not in allowed:
                near = difflib.get_close_matches(key, allowed, n=1)
                hint = f"；是否想写 {near[0]!r}？" if near else ""
                self.err(node.key_lines[key], f"{where} 中有未知的键 {key!r}{hint}"
                         f"（可用的键：{'、'.join(allowed)}）")

    def line_of(self, node: _Node, key: str) -> int:
        return node.key_lines.get(key, node.line)

    def mapping(self, top: _Node) -> Mapping | None:
        self.keys(top, _TOP_KEYS, "映射文件顶层")
        if ("entities" in top) == ("relations" in top):
            self.err(top.line, "映射文件须有且只有 'entities:'（每行一个实体）和 "
                     "'relations:'（每行一个关系）中的一个")
            return None
        layout: EntityLayout | RelationLayout | None
        if "entities" in top:
            layout = self.entity_layout(top["entities"], self.line_of(top, "entities"))
        else:
            layout = self.relation_layout(top["relations"], self.line_of(top, "relations"))
        date_column, date = self.date(top)
        confidence_column, confidence = self.confidence(top)
        sheet = top.get("sheet")
        if sheet is not None and not isinstance(sheet, (str, int)):
            self.err(self.line_of(top, "sheet"), "sheet 应为工作表名称或从 0 开始的编号")
            sheet = None
        encoding = top.get("encoding")
        if encoding is not None:
            import codecs

            try:
                codecs.lookup(str(encoding))
            except LookupError:
                self.err(self.line_of(top, "encoding"),
                         f"未知编码 {encoding!r}（可用 utf-8、gb18030 等）")
        if layout is None:
            return None
        return Mapping(self.file, layout, sheet=sheet, encoding=encoding,
                       date_column=date_column, date=date,
                       confidence_column=confidence_column, confidence=confidence)

    def column(self, value: Any, line: int, what: str) -> str | None:
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value).strip()
        self.err(line, f"{what} 应为列名，而不是 {value!r}")
        return None

    def entity_type(self, label: Any, line: int) -> str | None:
        try:
            return REGISTRY.entity_type(str(label)).key
        except KeyError as e:
            self.err(line, e.args[0])
            return None

    def type_spec(self, value: Any, line: int, what: str) -> TypeSpec | None:
        if not isinstance(value, _Node):
            key = self.entity_type(value, line)
            return TypeSpec(fixed=key) if key else None
        self.keys(value, _TYPE_KEYS, what)
        column = self.column(value.get("column"), line, f"{what}.column")
        values: dict[str, str] = {}
        raw_values = value.get("values", {})
        if not isinstance(raw_values, _Node):
            self.err(self.line_of(value, "values"),
                     f"{what}.values 应把单元格文本对应到实体类型，如 {{企业: enterprise}}")
        else:
            for text, label in raw_values.items():
                key = self.entity_type(label, raw_values.key_lines[text])
                if key:
                    values[text] = key
        default = None
        if "default" in value:
            default = self.entity_type(value["default"], self.line_of(value, "default"))
        return TypeSpec(column=column, values=values, default=default) if column else None

    def entity_layout(self, node: Any, line: int) -> EntityLayout | None:
        if not isinstance(node, _Node):
            self.err(line, "'entities:' 下应有 type、name、attributes 等键")
            return None
        self.keys(node, _ENTITY_KEYS, "entities")
        if "name" not in node:
            self.err(node.line, "entities: 缺少 'name:'（存放实体名称的列）")
        name = self.column(node["name"], self.line_of(node, "name"), "name") \
            if "name" in node else None
        type_spec = self.type_spec(node.get("type", "enterprise"), self.line_of(node, "type"),
                                   "type")
        aliases = self.column_list(node, "aliases")
        places = self.column_list(node, "places")
        attributes = self.attribute_columns(node.get("attributes"), type_spec, node)
        relations = self.relation_columns(node.get("relations"), type_spec, node)
        if name is None or type_spec is None:
            return None
        return EntityLayout(type_spec, name, aliases, attributes, relations, places)

    def column_list(self, node: _Node, key: str) -> tuple[str, ...]:
        """``key: 列名`` or ``key: [列名, …]``."""
        raw = node.get(key, [])
        raw = [raw] if isinstance(raw, str) else raw
        if not isinstance(raw, list):
            self.err(self.line_of(node, key), f"{key} 应为列名或列名列表")
            return ()
        found = (self.column(c, self.line_of(node, key), key) for c in raw)
        return tuple(c for c in found if c)

    def attribute_columns(self, node: Any, type_spec: TypeSpec | None,
                          parent: _Node) -> tuple[AttributeColumn, ...]:
        if node is None:
            return ()
        if not isinstance(node, _Node):
            self.err(self.line_of(parent, "attributes"),
                     "attributes 应把列对应到属性，如 成立日期: founded")
            return ()
        out = []
        for column, spec in node.items():
            line = node.key_lines[column]
            unit = None
            if isinstance(spec, _Node):
                self.keys(spec, _ATTR_KEYS, f"属性列 {column}")
                unit = spec.get("unit")
                spec = spec.get("attribute")
            try:
                at = REGISTRY.attribute(str(spec))
            except KeyError:
                self.err(line, f"列 {column}: {_unknown_attribute(str(spec))}")
                continue
            if type_spec and type_spec.fixed and at.entity_types \
                    and type_spec.fixed not in at.entity_types:
                self.err(line, f"列 {column}: 属性 {at.key} 不适用于 {type_spec.fixed}"
                         f"（只适用于 {'、'.join(at.entity_types)}）")
                continue
            if unit is not None:
                problem = unit_problem(str(unit), at)
                if problem:
                    self.err(line, f"列 {column}: {problem}")
                    continue
            out.append(AttributeColumn(column, at, str(unit) if unit is not None else None))
        return tuple(out)

    def relation(self, label: Any, line: int, what: str) -> RelationType | None:
        try:
            return REGISTRY.relation(str(label))
        except KeyError:
            self.err(line, f"{what}: {_unknown_relation(str(label))}")
            return None

    def relation_columns(self, node: Any, type_spec: TypeSpec | None,
                         parent: _Node) -> tuple[RelationColumn, ...]:
        if node is None:
            return ()
        if not isinstance(node, _Node):
            self.err(self.line_of(parent, "relations"),
                     "relations 应把列对应到关系，如 所在园区: located_in_park")
            return ()
        out = []
        for column, spec in node.items():
            line = node.key_lines[column]
            opts: _Node | dict[str, Any] = {}
            if isinstance(spec, _Node):
                self.keys(spec, _REL_COLUMN_KEYS, f"关系列 {column}")
                opts, spec = spec, spec.get("relation")
            rel = self.relation(spec, line, f"列 {column}")
            if rel is None:
                continue
            reverse = bool(opts.get("reverse", False))
            cell_side, row_side = (rel.domain, rel.range) if reverse else (rel.range, rel.domain)
            object_type = None
            if "object_type" in opts:
                object_type = self.entity_type(opts["object_type"], line)
                if object_type and object_type not in cell_side:
                    self.err(line, f"列 {column}: 关系 {rel.key} 不能指向 {object_type}"
                             f"（允许的类型：{'、'.join(cell_side)}）")
                    continue
            if type_spec and type_spec.fixed and type_spec.fixed not in row_side:
                self.err(line, f"列 {column}: 关系 {rel.key} 不适用于 {type_spec.fixed} 类型的行"
                         f"（允许的类型：{'、'.join(row_side)}）")
                continue
            out.append(RelationColumn(column, rel, object_type or cell_side[0], reverse,
                                      bool(opts.get("split", True))))
        return tuple(out)

    def relation_layout(self, node: Any, line: int) -> RelationLayout | None:
        if not isinstance(node, _Node):
            self.err(line, "'relations:' 下应有 subject、relation_column（或 relation）"
                     "和 object")
            return None
        self.keys(node, _RELATION_KEYS, "relations")
        for required in ("subject", "object"):
            if required not in node:
                self.err(node.line, f"relations: 缺少 '{required}:'（列名）")
        if ("relation" in node) == ("relation_column" in node):
            self.err(node.line, "relations: 须有且只有 'relation_column:'（关系标签所在的列，"
                     "如 投资、合作）和 'relation:'（固定的一种关系）中的一个")
        subject = self.column(node.get("subject"), self.line_of(node, "subject"), "subject")
        obj = self.column(node.get("object"), self.line_of(node, "object"), "object")
        rel_col = self.column(node["relation_column"], self.line_of(node, "relation_column"),
                              "relation_column") if "relation_column" in node else None
        rel = self.relation(node["relation"], self.line_of(node, "relation"), "relation") \
            if "relation" in node else None
        weight, subject_affiliation, object_affiliation = (
            self.column(node[key], self.line_of(node, key), key) if key in node else None
            for key in ("weight", "subject_affiliation", "object_affiliation"))
        st = self.type_spec(node["subject_type"], self.line_of(node, "subject_type"),
                            "subject_type") if "subject_type" in node else None
        ot = self.type_spec(node["object_type"], self.line_of(node, "object_type"),
                            "object_type") if "object_type" in node else None
        if rel is not None:
            for spec, allowed, key in ((st, rel.domain, "subject_type"),
                                       (ot, rel.range, "object_type")):
                if spec and spec.fixed and spec.fixed not in allowed:
                    self.err(self.line_of(node, key), f"{key} {spec.fixed} 不适用于关系 "
                             f"{rel.key}（允许的类型：{'、'.join(allowed)}）")
        if not subject or not obj or (rel_col is None and rel is None):
            return None
        return RelationLayout(subject, obj, rel_col, rel, st, ot, weight, subject_affiliation,
                              object_affiliation)

    def date(self, top: _Node) -> tuple[str | None, str | None]:
        value = top.get("date")
        line = self.line_of(top, "date")
        if value is None:
            return None, None
        if isinstance(value, _Node):
            self.keys(value, ("column", "value"), "date")
            if "column" in value:
                return self.column(value["column"], line, "date.column"), None
            value = value.get("value")
            try:
                return None, parse_date(str(value))
            except ValueError as e:
                self.err(line, f"date.value: {e}")
                return None, None
        if isinstance(value, str):
            return value.strip(), None
        if isinstance(value, dt.date):  # YAML reads an unquoted 2024-03-05 as a date
            return None, value.isoformat()[:10]
        self.err(line, "date 应为列名、{column: ...} 或 {value: 2024-03-05}")
        return None, None

    def confidence(self, top: _Node) -> tuple[str | None, float]:
        value = top.get("confidence", 1.0)
        line = self.line_of(top, "confidence")
        if isinstance(value, _Node):
            self.keys(value, ("column",), "confidence")
            return self.column(value.get("column"), line, "confidence.column"), 1.0
        if isinstance(value, str):
            return value.strip(), 1.0
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
            return None, float(value)
        self.err(line, f"confidence 应为 0 到 1 之间的数或列名，而不是 {value!r}")
        return None, 1.0


def _unknown_attribute(label: str) -> str:
    names = [n for a in REGISTRY.attribute_types.values() for n in (a.key, a.label)]
    near = difflib.get_close_matches(label, names, n=3, cutoff=0.5)
    if near:
        return f"未知属性 {label!r}；是否想写 {'、'.join(near)}？"
    valid = "、".join(f"{a.label}({a.key})" for a in REGISTRY.attribute_types.values())
    return f"未知属性 {label!r}；可选：{valid}"


def _unknown_relation(label: str) -> str:
    labels = [lab for r in REGISTRY.relation_types.values() for lab in (r.label, *r.aliases)]
    keys = list(REGISTRY.relation_types)
    near = difflib.get_close_matches(label, labels + keys, n=3, cutoff=0.5)
    if near:
        return f"未知关系 {label!r}；是否想写 {'、'.join(near)}？"
    return f"未知关系 {label!r}；可选：{'、'.join(labels)}"


# --- rows to records ---------------------------------------------------------------------

def norm_column(column: str) -> str:
    """Header comparison ignores width, case and spaces: 'Name ' == 'name', （ == (."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", column)).lower()


class _RowContext:
    """The cells of one row plus the errors found in it, with file/row/column attached."""

    def __init__(self, file: str, number: int, row: Row, columns: dict[str, str],
                 report: ValidationReport) -> None:
        self.file, self.number, self.columns = file, number, columns
        self.report = report
        self.failed = False
        self.row = self._clean(row)

    def _clean(self, row: Row) -> Row:
        """The row without control characters (NUL, ESC, DEL …), which no analyst means
        to type and which cut or garble names downstream; a warning where one stood
        between visible characters, as the cell may have been two values."""
        clean: Row | None = None
        for column, value in row.items():
            if value is None:
                continue
            text, meaningful = strip_controls(value)
            if text is value:
                continue
            if clean is None:
                clean = dict(row)
            clean[column] = text
            if meaningful:
                self.report.warning(self.file, self.number, column, value,
                                    _("已删除单元格中的控制字符（如 NUL、ESC）；请核对该值"))
        return row if clean is None else clean

    def cell(self, column: str | None) -> str | None:
        """The cell's text, stripped; None when empty or a no-value marker ('-', 'N/A')."""
        if column is None:
            return None
        value = self.row.get(self.columns[column])
        if value is None:
            return None
        value = value.strip()
        if len(value) > MAX_TEXT_CHARS:
            self.error(column, value, _("单元格过长（{n} 个字符，上限 {limit}）").format(
                n=f"{len(value):,}", limit=f"{MAX_TEXT_CHARS:,}"))
            return None
        return value if value and not is_placeholder(value) else None

    def name(self, column: str | None, empty: str) -> str | None:
        """The cell as a name (``check_name``); an error when it is empty or too long."""
        text = self.cell(column)
        if text is None:
            raw = self.row.get(self.columns[column]) if column is not None else None
            if raw is None or len(raw.strip()) <= MAX_TEXT_CHARS:  # else cell() said why
                self.error(column, None, empty)
            return None
        return self.convert(column, check_name)

    def names(self, column: str | None, split: bool = True,
              separator: str | None = None) -> list[str]:
        """The names in a multi-valued cell (or the cell as one name), split on any usual
        separator or on ``separator`` alone."""
        def exact(text: str) -> list[str]:
            parts = (check_name(p) for p in text.split(separator)) if separator \
                else (check_name(text),)
            return list(dict.fromkeys(p for p in parts if p and not is_placeholder(p)))

        found = self.convert(column, split_cell if split and not separator else exact)
        return found or []

    def error(self, column: str | None, value: str | None, reason: str) -> None:
        self.failed = True
        actual = self.columns.get(column, column) if column else None
        self.report.error(self.file, self.number, actual, value, reason)

    def convert(self, column: str | None, fn: Callable[[str], Any]) -> Any:
        text = self.cell(column)
        if text is None:
            return None
        try:
            return fn(text)
        except ValueError as e:
            self.error(column, text, str(e))
            return None

    def entity_type(self, spec: TypeSpec) -> str | None:
        if spec.fixed:
            return spec.fixed
        text = self.cell(spec.column)
        if text is None:
            if spec.default:
                return spec.default
            self.error(spec.column, None, "实体类型为空")
            return None
        if text in spec.values:
            return spec.values[text]
        try:
            return REGISTRY.entity_type(text).key
        except KeyError:
            known = "、".join(spec.values) if spec.values else \
                "、".join(t.label for t in REGISTRY.entity_types.values())
            self.error(spec.column, text, f"未知实体类型；可选：{known}")
            return None


def records_from_table(table: Table, mapping: Mapping,
                       report: ValidationReport) -> Iterator[Record]:
    """Validate every row; yield the records of the rows without errors.

    Problems go to ``report``; a row with any error yields nothing, so the caller can
    refuse the import or skip just those rows.
    """
    columns = _match_columns(table, mapping, report)
    if columns is None:
        return
    if mapping.unmapped:
        report.warning(table.name, table.header_row, None, None,
                       f"以下列无法识别，已忽略：{'、'.join(mapping.unmapped)}")
    if isinstance(mapping.layout, EntityLayout):
        yield from _entity_rows(table, mapping, mapping.layout, columns, report)
    else:
        yield from _relation_rows(table, mapping, mapping.layout, columns, report)


def _match_columns(table: Table, mapping: Mapping,
                   report: ValidationReport) -> dict[str, str] | None:
    present = {norm_column(c): c for c in table.columns}
    columns: dict[str, str] = {}
    missing = []
    for col in mapping.columns():
        if norm_column(col) in present:
            columns[col] = present[norm_column(col)]
        else:
            near = difflib.get_close_matches(col, table.columns, n=1, cutoff=0.6)
            missing.append(f"{col}（是否想写 {near[0]}？）" if near else col)
    if missing:
        report.error(table.name, table.header_row, None, None,
                     f"缺少列 {'、'.join(missing)}；文件中的列：{'、'.join(table.columns)}")
        return None
    return columns


def _common(ctx: _RowContext, mapping: Mapping) -> tuple[str | None, float]:
    date = mapping.date
    if mapping.date_column:
        date = ctx.convert(mapping.date_column, parse_date)
    confidence = mapping.confidence
    if mapping.confidence_column:
        parsed = ctx.convert(mapping.confidence_column, parse_confidence)
        confidence = parsed if parsed is not None else confidence
    if ctx.row.get(EXTRA_CELLS):
        width = len(ctx.row) - 1
        ctx.error(None, ctx.row[EXTRA_CELLS],
                  f"单元格数多于表头的 {width} 列（单元格里有未加引号的逗号？）")
    return date, confidence


class _Seen:
    """What duplicate detection keeps per entity, packed into one bytes object.

    ``row (8) | row digest (12) | one 8-byte digest per mapped attribute``: about 150 bytes
    per entity with the dict entry, so a million-row file stays in a few hundred MB
    at most, while conflicts can still name the column and both rows.
    """

    _ROW = struct.Struct("<Q")
    _FP = 12
    _ATTR = 8

    @classmethod
    def pack(cls, row: int, fingerprint: bytes, attr_digests: bytes) -> bytes:
        return cls._ROW.pack(row) + fingerprint + attr_digests

    @classmethod
    def row(cls, entry: bytes) -> int:
        return int(cls._ROW.unpack_from(entry)[0])

    @classmethod
    def fingerprint(cls, entry: bytes) -> bytes:
        return entry[8:8 + cls._FP]

    @classmethod
    def attr(cls, entry: bytes, index: int) -> bytes:
        at = 8 + cls._FP + index * cls._ATTR
        return entry[at:at + cls._ATTR]


def _digest(value: object, size: int) -> bytes:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"),
                           digest_size=size).digest()


_ABSENT = _digest(None, _Seen._ATTR)


def _fingerprint(row: Row) -> bytes:
    return _digest(tuple((v or "").strip() for v in row.values()), _Seen._FP)


def _entity_rows(table: Table, mapping: Mapping, lay: EntityLayout, columns: dict[str, str],
                 report: ValidationReport) -> Iterator[Record]:
    seen: dict[bytes, bytes] = {}  # digest of (type, name) -> packed _Seen entry
    for number, row in table:
        if _is_total_row(table, number, row, report):
            continue
        ctx = _RowContext(table.name, number, row, columns, report)
        provenance = Provenance(locator=f"row {number}")
        name = ctx.name(lay.name, "名称为空")
        etype = ctx.entity_type(lay.type)
        aliases = tuple(dict.fromkeys(
            a for col in lay.aliases for a in ctx.names(col, separator=lay.alias_separator)
            if a != name))
        attrs: dict[str, Any] = {}
        foreign: dict[str, tuple[float, str]] = {}  # money in another currency, with its unit
        for ac in lay.attributes:
            at = ac.attribute
            if etype and at.entity_types and etype not in at.entity_types \
                    and ctx.cell(ac.column) is not None:
                ctx.error(ac.column, ctx.cell(ac.column), f"属性 {at.key} 不适用于 {etype}")
                continue
            if at.money and at.unit is not None:
                amount = ctx.convert(ac.column, partial(parse_money, unit=at.unit,
                                                        written_in=ac.unit))
                if amount is not None and amount[1] != at.unit:
                    foreign[at.key] = amount
                elif amount is not None:
                    attrs[at.key] = amount[0]
                continue
            value = ctx.convert(ac.column, partial(parse_value, at=at, written_in=ac.unit))
            if at.key == "region" and isinstance(value, str) and name is not None \
                    and canonical_region(value) is None:
                value = _placed(value, ctx, lay, name, etype)  # 宝山区 → 上海市宝山区
            if value is not None:
                attrs[at.key] = value
        date, confidence = _common(ctx, mapping)
        affiliation = _affiliation(ctx, lay) if etype == "person" else None
        relations = list(_column_relations(ctx, lay, name, etype, affiliation, provenance,
                                           confidence, date))
        if ctx.failed or name is None or etype is None:
            continue
        fp = _fingerprint(row)
        # namesakes at different organisations are different people
        key = _digest((etype, name) if affiliation is None else (etype, name, affiliation), 16)
        first = seen.get(key)
        values = {**attrs, **foreign} if foreign else attrs
        if first is None:
            digests = b"".join(_digest(values.get(ac.attribute.key), _Seen._ATTR)
                               for ac in lay.attributes)
            seen[key] = _Seen.pack(number, fp, digests)
        elif _Seen.fingerprint(first) == fp:
            report.warning(table.name, number, None, None,
                           f"与第 {_Seen.row(first)} 行完全相同；已跳过")
            continue
        elif _conflicts(ctx, first, values, lay, name):
            continue
        yield EntityRecord(etype, name, provenance, aliases, attrs, confidence, date,
                           affiliation)
        for attr_key, (amount, unit) in foreign.items():
            yield AttributeRecord(EntityRef(name, etype, affiliation), attr_key, amount,
                                  provenance, unit, date, confidence)
        yield from relations


# A row summing the others, as spreadsheets end (or break) with: its first cell says so.
_TOTALS = frozenset({"合计", "总计", "小计", "共计", "总数"})


def _is_total_row(table: Table, number: int, row: Row, report: ValidationReport) -> bool:
    for first in row.values():
        if first is not None and first.strip():
            break
    else:
        return False
    if first.lstrip()[:1] not in "合总小共":  # most rows: one string test
        return False
    word = re.sub(r"[\s:：]", "", first)
    if word not in _TOTALS:
        return False
    report.warning(table.name, number, None, None, f"{word}行，已跳过")
    return True


def _conflicts(ctx: _RowContext, first: bytes, attrs: dict[str, Any], lay: EntityLayout,
               name: str) -> bool:
    """Errors for attributes given on both rows with different values."""
    first_row = _Seen.row(first)
    for i, ac in enumerate(lay.attributes):
        value = attrs.get(ac.attribute.key)
        earlier = _Seen.attr(first, i)
        if value is not None and earlier != _ABSENT \
                and earlier != _digest(value, _Seen._ATTR):
            ctx.error(ac.column, ctx.cell(ac.column),
                      f"{name!r} 在第 {first_row} 行也出现过，但 {ac.column} 不同；"
                      f"第 {first_row} 行与第 {ctx.number} 行冲突")
    return ctx.failed


def _placed(district: str, ctx: _RowContext, lay: EntityLayout, name: str,
            etype: str | None) -> str:
    """A district name several cities share, with the city the row places it in: its
    places columns (所属城市), else the region its organisation's name starts with
    (上海…有限公司). As written when neither says."""
    context = [r for col in lay.places
               if (text := ctx.cell(col)) is not None and (r := canonical_region(text))]
    if etype is not None and REGISTRY.entity_types[etype].organisation:
        named = parse_org_name(name).region
        if named is not None:
            context.append(named)
    found = canonical_region_in(district, context)
    return region_label(found) if found is not None else district


def _affiliation(ctx: _RowContext, lay: EntityLayout) -> str | None:
    """A person's organisation: the first one their row says they work for."""
    for rc in lay.relations:
        if rc.relation.key == "works_for" and not rc.reverse:
            if ctx.cell(rc.column) is not None:
                return next(iter(ctx.names(rc.column, rc.split)), None)
    return None


def _column_relations(ctx: _RowContext, lay: EntityLayout, name: str | None,
                      etype: str | None, affiliation: str | None, provenance: Provenance,
                      confidence: float, date: str | None) -> Iterator[RelationRecord]:
    for rc in lay.relations:
        text = ctx.cell(rc.column)
        if text is None or name is None:
            continue
        row_side = rc.relation.range if rc.reverse else rc.relation.domain
        if etype and etype not in row_side:
            ctx.error(rc.column, text, f"关系 {rc.relation.key} 不适用于 {etype}"
                      f"（允许的类型：{'、'.join(row_side)}）")
            continue
        row_ref = EntityRef(name, etype, affiliation)
        to_region = rc.object_type == "region" or (rc.object_type is None
                                                   and rc.relation.range == ("region",))
        for other in ctx.names(rc.column, rc.split):
            if to_region and not rc.reverse and canonical_region(other) is None:
                other = _placed(other, ctx, lay, name, etype)
            cell_ref = EntityRef(other, rc.object_type)
            subject, obj = (cell_ref, row_ref) if rc.reverse else (row_ref, cell_ref)
            yield RelationRecord(subject, rc.relation.key, obj, provenance, confidence, date)


def _relation_rows(table: Table, mapping: Mapping, lay: RelationLayout,
                   columns: dict[str, str], report: ValidationReport) -> Iterator[Record]:
    seen: dict[bytes, int] = {}
    for number, row in table:
        if _is_total_row(table, number, row, report):
            continue
        ctx = _RowContext(table.name, number, row, columns, report)
        subject = ctx.name(lay.subject, "主体为空")
        obj = ctx.name(lay.object, "客体为空")
        rel = lay.relation
        if lay.relation_column is not None:
            label = ctx.cell(lay.relation_column)
            if label is None:
                ctx.error(lay.relation_column, None, "关系为空")
            else:
                try:
                    rel = REGISTRY.relation(label)
                except KeyError:
                    ctx.error(lay.relation_column, label, _unknown_relation(label))
        st = ctx.entity_type(lay.subject_type) if lay.subject_type else None
        ot = ctx.entity_type(lay.object_type) if lay.object_type else None
        if rel is not None:
            for etype, allowed, col, role in ((st, rel.domain, lay.subject, "主体"),
                                              (ot, rel.range, lay.object, "客体")):
                if etype and etype not in allowed:
                    ctx.error(col, ctx.cell(col), f"{etype} 不能作为关系 {rel.key} 的{role}"
                              f"（允许的类型：{'、'.join(allowed)}）")
        weight = ctx.convert(lay.weight, lambda t: parse_number(t, "float")) \
            if lay.weight else None
        date, confidence = _common(ctx, mapping)
        if ctx.failed or subject is None or obj is None or rel is None:
            continue
        fp = _fingerprint(row)
        if fp in seen:
            report.warning(table.name, number, None, None,
                           f"与第 {seen[fp]} 行完全相同；已跳过")
            continue
        seen[fp] = number
        yield RelationRecord(EntityRef(subject, st, ctx.cell(lay.subject_affiliation)),
                             rel.key, EntityRef(obj, ot, ctx.cell(lay.object_affiliation)),
                             Provenance(locator=f"row {number}"), confidence, date, weight)


# --- convenience -----------------------------------------------------------------------

def open_table(path: str | os.PathLike[str],
               mapping_path: str | os.PathLike[str] | None = None) -> tuple[Table, Mapping]:
    """The table and its mapping: from ``mapping_path``, or guessed from the header."""
    if mapping_path is None:
        from xietong.ingest.automap import infer_mapping  # automap builds on this module

        table = read_table(path)
        return table, infer_mapping(table)
    mapping = load_mapping(mapping_path)
    return read_table(path, sheet=mapping.sheet, encoding=mapping.encoding), mapping


__all__ = [
    "AttributeColumn", "EntityLayout", "Mapping", "RelationColumn",
    "RelationLayout", "TypeSpec", "load_mapping", "open_table", "records_from_table",
]
