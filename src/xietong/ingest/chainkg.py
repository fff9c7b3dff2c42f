"""The ChainKG listed-company industry-chain data set (JSON Lines) as records."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from xietong.ingest.datasets import read_jsonl, require_files, sha256_of, size_of
from xietong.ingest.errors import InputError, ValidationReport
from xietong.model.records import EntityRecord, EntityRef, Provenance, Record, RelationRecord
from xietong.store.writer import SourceSpec

FILES = (
    "company.jsonl", "industry.jsonl", "product.jsonl", "industry_industry.jsonl",
    "company_industry.jsonl", "industry_up.jsonl", "company_product.jsonl",
    "product_product.jsonl",
)
_EXCHANGE_SUFFIX = {"上海证券交易所": "SH", "深圳证券交易所": "SZ", "北京证券交易所": "BJ"}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SUFFIX_BY_FIRST_DIGIT = {"6": "SH", "0": "SZ", "3": "SZ", "8": "BJ", "4": "BJ"}
_PRODUCT_RELATIONS = {"上游材料": "upstream_material", "产品小类": "sub_product",
                      "下游产品": "downstream_product"}


def chainkg_source(directory: Path) -> SourceSpec:
    paths = require_files(directory.resolve(), FILES)
    return SourceSpec(kind="dataset", name=directory.name, uri=f"chainkg:{directory.resolve()}",
                      sha256=sha256_of(paths), meta={"format": "chainkg"}, size=size_of(paths))


def _field(row: dict, key: str, path: Path, number: int) -> str:
    value = row.get(key)
    if value is not None:
        text = (value if type(value) is str else str(value)).strip()
        if text:
            return text
    raise InputError(f"{path.name}:{number}: 字段 {key!r} 缺失或为空")


def _company_row(row: dict, path: Path, n: int,
                 report: ValidationReport | None) -> tuple[str, str, str, dict[str, object]]:
    full, short = _field(row, "fullname", path, n), _field(row, "name", path, n)
    code, exchange = _field(row, "code", path, n), str(row.get("location") or "")
    listed = str(row.get("time") or "")
    if _ISO_DAY.match(exchange) and not _ISO_DAY.match(listed):
        exchange, listed = listed, exchange  # some rows have the two fields swapped
    if listed and not _ISO_DAY.match(listed):
        if report is not None:
            report.warning(path.name, n, "time", listed, "不是日期；已忽略上市日期")
        listed = ""
    if "." not in code:
        suffix = _EXCHANGE_SUFFIX.get(exchange) or _SUFFIX_BY_FIRST_DIGIT.get(code[0])
        code = f"{code}.{suffix}" if suffix else code
    attrs: dict[str, object] = {"stock_code": code}
    if exchange in _EXCHANGE_SUFFIX:
        attrs["exchange"] = exchange
    if listed:
        attrs["listing_date"] = listed
    return full, short, code, attrs


def chainkg_records(directory: Path, report: ValidationReport | None = None) -> Iterator[Record]:
    """All of ChainKG; rows the source got wrong are reported to ``report`` as warnings."""
    paths = dict(zip(FILES, require_files(directory, FILES), strict=True))
    by_code: dict[str, str] = {}  # "688268.SH" -> full name

    path = paths["company.jsonl"]
    file = path.name
    companies = [(n, _company_row(row, path, n, report)) for n, row in read_jsonl(path)]
    # The source has rows whose code and short name belong to another company (ten full
    # names under 688078 龙软科技): such codes identify nobody, so we keep the full names
    # and drop the code and short name, with a warning.
    names_by_code: dict[str, set[str]] = {}
    for _, (full, _short, code, _attrs) in companies:
        names_by_code.setdefault(code, set()).add(full)
    for n, (full, short, code, attrs) in companies:
        aliases: tuple[str, ...] = (short,) if short != full else ()
        if len(names_by_code[code]) > 1:
            if report is not None:
                report.warning(path.name, n, "code", code,
                               f"{len(names_by_code[code])} 家公司共用此股票代码；"
                               "已忽略代码和简称")
            attrs = {k: v for k, v in attrs.items() if k != "stock_code"}
            aliases = ()
        else:
            by_code[code] = full
        yield EntityRecord("enterprise", full, Provenance(f"{file} line {n}"),
                           aliases=aliases, attrs=attrs)

    path = paths["industry.jsonl"]
    file = path.name
    for n, row in read_jsonl(path):
        yield EntityRecord("industry", _field(row, "name", path, n),
                           Provenance(f"{file} line {n}"),
                           attrs={"industry_code": _field(row, "code", path, n)})

    path = paths["product.jsonl"]
    file = path.name
    for n, row in read_jsonl(path):
        yield EntityRecord("product", _field(row, "name", path, n),
                           Provenance(f"{file} line {n}"))

    path = paths["industry_industry.jsonl"]
    file = path.name
    for n, row in read_jsonl(path):
        yield RelationRecord(EntityRef(_field(row, "from_industry", path, n), "industry"),
                             "parent_industry",
                             EntityRef(_field(row, "to_industry", path, n), "industry"),
                             Provenance(f"{file} line {n}"))

    path = paths["company_industry.jsonl"]
    file = path.name
    for n, row in read_jsonl(path):
        name = _company(by_code, _field(row, "company_code", path, n), path, n, report)
        if name is None:
            continue
        yield RelationRecord(EntityRef(name, "enterprise"), "in_industry",
                             EntityRef(_field(row, "industry_name", path, n), "industry"),
                             Provenance(f"{file} line {n}"))

    path = paths["industry_up.jsonl"]
    file = path.name
    for n, row in read_jsonl(path):
        industry = _field(row, "industry", path, n)
        ups = row.get("ups") or {}
        if not isinstance(ups, dict):
            raise InputError(f"{path.name}:{n}: 字段 'ups' 应为 JSON 对象")
        for upstream, count in ups.items():
            yield RelationRecord(EntityRef(industry, "industry"), "upstream_industry",
                                 EntityRef(upstream, "industry"),
                                 Provenance(f"{file} line {n}"), weight=float(count))

    path = paths["company_product.jsonl"]
    file = path.name
    for n, row in read_jsonl(path):
        name = _company(by_code, _field(row, "company_code", path, n), path, n, report)
        if name is None:
            continue
        weight = row.get("weight")
        yield RelationRecord(EntityRef(name, "enterprise"), "main_product",
                             EntityRef(_field(row, "product", path, n), "product"),
                             Provenance(f"{file} line {n}"),
                             weight=None if weight is None else float(weight))

    path = paths["product_product.jsonl"]
    file = path.name
    for n, row in read_jsonl(path):
        label = _field(row, "rel", path, n)
        relation = _PRODUCT_RELATIONS.get(label)
        if relation is None:
            raise InputError(f"{path.name}:{n}: 未知的产品关系 {label!r}；"
                             f"可选：{'、'.join(_PRODUCT_RELATIONS)}")
        yield RelationRecord(EntityRef(_field(row, "from_product", path, n), "product"),
                             relation,
                             EntityRef(_field(row, "to_product", path, n), "product"),
                             Provenance(f"{file} line {n}"))


def _company(by_code: dict[str, str], code: str, path: Path, number: int,
             report: ValidationReport | None) -> str | None:
    name = by_code.get(code)
    if name is None and report is not None:
        report.warning(path.name, number, "company_code", code,
                       "company.jsonl 中没有唯一对应此代码的公司；已跳过该行")
    return name
