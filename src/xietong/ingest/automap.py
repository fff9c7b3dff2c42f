"""Guessing a mapping from a header: 企业名称, 简称, 统一社会信用代码, 主体/关系/客体 …

Used when ``xietong import`` gets a file without ``--mapping``: recognisable Chinese and
English column names become a mapping; unrecognised columns are reported as warnings.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace

from xietong.ingest.errors import InputError
from xietong.ingest.mapping import (
    AttributeColumn,
    EntityLayout,
    Mapping,
    RelationColumn,
    RelationLayout,
    TypeSpec,
    norm_column,
)
from xietong.ingest.readers import Table
from xietong.model.registry import REGISTRY
from xietong.model.values import unit_problem
from xietong.store.export import ENTITY_COLUMNS

_FULL_NAMES = ("企业全称", "公司全称", "全称", "机构全称", "fullname", "full_name")
_NAMES = (*_FULL_NAMES, "企业名称", "公司名称", "机构名称", "单位名称", "园区名称", "载体名称",
          "主体名称", "实体名称", "名称", "name")
# A roster of people (专家库, 企业家名单): its rows are persons unless a type column says
# otherwise.
_PERSON_NAMES = ("姓名", "人员姓名", "专家姓名", "联系人姓名", "人物")
_SHORT_NAMES = ("名称", "name", "企业名称", "公司名称", "简称")
_ALIASES = ("别名", "简称", "曾用名", "企业简称", "公司简称", "aliases", "alias", "short_name")
# the province or city a row lies in: it places a district several cities share (宝山区)
_PLACES = ("所属城市", "所在城市", "城市", "所属地市", "地市", "所属省份", "所在省份", "省份")
_TYPES = ("类型", "主体类型", "实体类型", "机构类型", "type", "entity_type")
_DATES = ("日期", "统计日期", "数据日期", "更新日期", "截至日期", "date", "as_of")
_CONFIDENCES = ("置信度", "confidence")
_ATTRIBUTE_SYNONYMS = {
    "信用代码": "credit_code", "社会信用代码": "credit_code", "统一信用代码": "credit_code",
    "成立时间": "founded", "注册时间": "founded", "注册日期": "founded",
    "证券代码": "stock_code", "营收": "revenue", "员工数": "headcount", "员工数量": "headcount",
    "官网": "website", "网站": "website", "所在地区": "region", "注册地": "region",
    # registry exports (企查查, 天眼查): the district is the region; province and city
    # columns only place it (_PLACES), as only one column can give it
    "所属区县": "region", "区县": "region", "法人代表": "legal_representative",
    "法人": "legal_representative", "经营状态": "registration_status",
    "企业状态": "registration_status", "公司类型": "company_kind", "企业地址": "address",
    "注册地址": "address", "通信地址": "address", "办公地址": "address",
    "社保人数": "insured_headcount", "注册资金": "registered_capital",
}
_RELATION_SYNONYMS = {"所在园区": "located_in_park", "所在区": "located_in_region",
                      "所属区域": "located_in_region", "单位": "works_for",
                      "工作单位": "works_for", "所在单位": "works_for", "任职单位": "works_for",
                      "任职机构": "works_for", "所在企业": "works_for", "所在机构": "works_for"}
_SUBJECTS = ("主体", "主体名称", "头实体", "subject", "head")
_RELATION_LABELS = ("关系", "关系类型", "relation", "predicate")
_OBJECTS = ("客体", "对象", "客体名称", "尾实体", "object", "tail")
_WEIGHTS = ("权重", "weight")
_SUBJECT_TYPES = ("主体类型", "subject_type")
# a person's organisation, which tells namesakes apart
_SUBJECT_AFFILIATIONS = ("主体单位", "主体工作单位", "主体所在单位", "subject_affiliation")
_OBJECT_AFFILIATIONS = ("客体单位", "客体工作单位", "客体所在单位", "对象单位", "object_affiliation")
_OBJECT_TYPES = ("客体类型", "对象类型", "object_type")
# a spreadsheet's row numbers: ignored without a warning (编号 only when it counts rows)
_ROW_NUMBERS = ("序号", "行号", "顺序号", "no", "no.", "#")
_MAYBE_ROW_NUMBERS = ("编号", "index")
_ROW_SAMPLE = 50  # rows read to tell a row number from an identifier such as QY-001
_UNIT_SUFFIX = re.compile(r"(.+?)\((.+)\)")
EXPORT_SEPARATOR = "；"  # between the aliases of an exported entity (store.export)


def infer_mapping(table: Table) -> Mapping:
    """A mapping guessed from recognisable column names; InputError if there is no name."""
    by_norm = {norm_column(c): c for c in table.columns}

    def find(candidates: tuple[str, ...], taken: set[str]) -> str | None:
        for cand in candidates:
            col = by_norm.get(norm_column(cand))
            if col is not None and col not in taken:
                return col
        return None

    used = _row_numbers(table, by_norm)
    subject, rel_col, obj = (find(c, used) for c in (_SUBJECTS, _RELATION_LABELS, _OBJECTS))
    if subject and rel_col and obj:
        used |= {subject, rel_col, obj}
        st, ot, weight, sa, oa = (find(c, used) for c in (
            _SUBJECT_TYPES, _OBJECT_TYPES, _WEIGHTS, _SUBJECT_AFFILIATIONS, _OBJECT_AFFILIATIONS))
        used |= {c for c in (st, ot, weight, sa, oa) if c}
        layout: EntityLayout | RelationLayout = RelationLayout(
            subject, obj, rel_col, None,
            TypeSpec(column=st) if st else None, TypeSpec(column=ot) if ot else None, weight,
            sa, oa)
        return _auto(table, layout, used, find)

    # xietong's own export (id, 类型, 名称, 别名, …): one organisation per 任职于 cell and
    # aliases joined by ；, so names holding , or | come back whole
    exported = table.columns[:len(ENTITY_COLUMNS)] == list(ENTITY_COLUMNS)
    if exported:
        used.add(table.columns[0])  # its own entity id, meaningless in another store
    name = find(_NAMES, used)
    person = name is None and (name := find(_PERSON_NAMES, used)) is not None
    if name is None:
        raise InputError(
            f"{table.name}:{table.header_row}: 无法自动识别各列：没有名称列（应为 "
            f"{'、'.join(_NAMES)} 之一；人员名单用 姓名；每行一个关系时用 主体、关系、客体）；"
            f"文件中的列：{'、'.join(table.columns)}。请编写映射文件（见 docs/mapping.md）。")
    used.add(name)
    type_col = find(_TYPES, used)
    if type_col:
        used.add(type_col)
    default_type = "person" if person else "enterprise"
    type_spec = TypeSpec(column=type_col, default=default_type) if type_col \
        else TypeSpec(fixed=default_type)
    # With a full legal name present, the short-name columns are aliases.
    is_full = norm_column(name) in {norm_column(f) for f in _FULL_NAMES}
    alias_candidates = _ALIASES + (_SHORT_NAMES if is_full else ())
    aliases = []
    while (alias := find(alias_candidates, used)) is not None:
        aliases.append(alias)
        used.add(alias)
    places = []
    while (place := find(_PLACES, used)) is not None:
        places.append(place)
        used.add(place)
    attributes: list[AttributeColumn] = []
    relations: list[RelationColumn] = []
    for col in table.columns:
        if col in used:
            continue
        ac = _auto_attribute(col, type_spec)
        if ac is not None and all(a.attribute.key != ac.attribute.key for a in attributes):
            attributes.append(ac)
            used.add(col)
        elif (rc := _auto_relation(col, type_spec)) is not None:
            relations.append(replace(rc, split=False) if exported else rc)
            used.add(col)
    layout = EntityLayout(type_spec, name, tuple(aliases), tuple(attributes), tuple(relations),
                          tuple(places), EXPORT_SEPARATOR if exported else None)
    return _auto(table, layout, used, find)


def _row_numbers(table: Table, by_norm: dict[str, str]) -> set[str]:
    """The columns that number the rows (序号, No.; 编号 holding 1, 2, 3 …)."""
    found = {by_norm[n] for n in map(norm_column, _ROW_NUMBERS) if n in by_norm}
    maybe = [by_norm[n] for n in map(norm_column, _MAYBE_ROW_NUMBERS) if n in by_norm]
    if not maybe:
        return found
    rows = [row for _line, row in itertools.islice(table, _ROW_SAMPLE)]
    for col in maybe:
        numbers = [_integer(row.get(col)) for row in rows if str(row.get(col) or "").strip()]
        first = numbers[0] if numbers else None
        if first is not None and numbers == list(range(first, first + len(numbers))):
            found.add(col)
    return found


def _integer(cell: object) -> int | None:
    text = str(cell).strip()
    if text.endswith(".0"):  # a spreadsheet's number as text
        text = text[:-2]
    return int(text) if text.isascii() and text.isdigit() else None


def _auto(table: Table, layout: EntityLayout | RelationLayout, used: set[str],
          find: Callable[[tuple[str, ...], set[str]], str | None]) -> Mapping:
    date = find(_DATES, used)
    used |= {date} if date else set()
    confidence = find(_CONFIDENCES, used)
    used |= {confidence} if confidence else set()
    unmapped = tuple(c for c in table.columns if c not in used)
    return Mapping("automatic mapping", layout, date_column=date, confidence_column=confidence,
                   unmapped=unmapped)


def _auto_attribute(column: str, type_spec: TypeSpec) -> AttributeColumn | None:
    label, unit = norm_column(column), None
    if m := _UNIT_SUFFIX.fullmatch(label):
        label, unit = m[1], m[2]
    key = _ATTRIBUTE_SYNONYMS.get(label)
    try:
        at = REGISTRY.attribute_types[key] if key else REGISTRY.attribute(label)
    except KeyError:
        return None
    if type_spec.fixed and at.entity_types and type_spec.fixed not in at.entity_types:
        return None
    if unit is not None and unit_problem(unit, at):
        return None
    return AttributeColumn(column, at, unit)


def _auto_relation(column: str, type_spec: TypeSpec) -> RelationColumn | None:
    label = norm_column(column)
    key = _RELATION_SYNONYMS.get(label)
    if key is None and not REGISTRY.is_relation(label):
        return None
    rel = REGISTRY.relation_types[key] if key else REGISTRY.relation(label)
    if type_spec.fixed and type_spec.fixed not in rel.domain:
        return None
    # several types possible (任职于 any organisation): resolved among them all, and a new
    # one typed by its name (xietong.model.org_types)
    return RelationColumn(column, rel, rel.range[0] if len(rel.range) == 1 else None)
