"""The ChainKG listed-company industry-chain data set (JSON Lines) as records."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from xietong.i18n import _
from xietong.ingest.datasets import read_jsonl, require_files, sha256_of, size_of
from xietong.ingest.errors import InputError, ValidationReport
from xietong.model.imports import SourceSpec
from xietong.model.records import EntityRecord, EntityRef, Provenance, Record, RelationRecord
from xietong.model.values import is_placeholder

FILES = (
    "company.jsonl", "industry.jsonl", "product.jsonl", "industry_industry.jsonl",
    "company_industry.jsonl", "industry_up.jsonl", "company_product.jsonl",
    "product_product.jsonl",
)
_EXCHANGE_SUFFIX = {"上海证券交易所": "SH", "深圳证券交易所": "SZ", "北京证券交易所": "BJ"}
_EXCHANGE_BY_SUFFIX = {suffix: name for name, suffix in _EXCHANGE_SUFFIX.items()}
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
                 report: ValidationReport | None) -> _Company:
    full, short = _field(row, "fullname", path, n), _field(row, "name", path, n)
    code = _field(row, "code", path, n)
    # `location` is the exchange and `time` the listing date; where the source lacks the
    # date it repeats the exchange in `time` (81 rows) or writes '-' (5 rows): no date,
    # nothing wrong with the row. One row has the date in both fields.
    location, listed = str(row.get("location") or "").strip(), str(row.get("time") or "").strip()
    if not _ISO_DAY.match(listed) and _ISO_DAY.match(location):
        listed = location
    if not _ISO_DAY.match(listed):
        if listed and listed not in _EXCHANGE_SUFFIX and not is_placeholder(listed) \
                and report is not None:
            report.warning(path.name, n, "time", listed, _("不是日期；已忽略上市日期"))
        listed = ""
    code = code.upper()
    if "." not in code:
        suffix = _EXCHANGE_SUFFIX.get(location) or _SUFFIX_BY_FIRST_DIGIT.get(code[0])
        code = f"{code}.{suffix}" if suffix else code
    attrs: dict[str, object] = {"stock_code": code}
    attrs.update({"exchange": location} if location in _EXCHANGE_SUFFIX else _exchange_of(code))
    if listed:
        attrs["listing_date"] = listed
    return _Company(n, full, short, code, attrs)


def _exchange_of(code: str) -> dict[str, object]:
    """The exchange a suffixed stock code names (600690.SH: 上海证券交易所), if any."""
    exchange = _EXCHANGE_BY_SUFFIX.get(code.rpartition(".")[2])
    return {"exchange": exchange} if exchange else {}


@dataclass(frozen=True, slots=True)
class _Company:
    line: int
    full: str
    short: str
    code: str
    attrs: dict[str, object]


def _in_order(short: str, full: str) -> bool:
    """Whether the short name's characters appear in the full name in order (京源环保 in
    江苏京源环保股份有限公司), as a listed company's short name is drawn from its name."""
    rest = iter(full)
    return all(char in rest for char in short.removeprefix("*ST").removeprefix("ST"))


def _company_records(companies: list[_Company], path: Path, by_code: dict[str, str],
                     report: ValidationReport | None) -> Iterator[EntityRecord]:
    """One enterprise per stock code. The source lists a renamed company once per name
    under the same code and listing date (海尔智家, earlier 青岛海尔), the current name
    first: one company, the other names its aliases, each cited by its line. It also has
    rows whose code and short name belong to another company (ten full names under 688078
    龙软科技, with their own listing dates): such a code identifies only the row whose
    name contains its short name, if any; the others keep their names and dates."""
    groups: dict[str, list[_Company]] = {}
    for company in companies:
        groups.setdefault(company.code, []).append(company)
    for company in companies:
        group = groups[company.code]
        first = group[0]
        if len({c.full for c in group}) == 1 or \
                len({c.attrs.get("listing_date") for c in group}) == 1:
            by_code[company.code] = first.full
            names = (company.full, company.short) if company is not first else (company.short,)
            aliases = tuple(a for a in dict.fromkeys(names) if a != first.full)
            yield EntityRecord("enterprise", first.full,
                               Provenance(f"{path.name} line {company.line}"),
                               aliases=aliases, attrs=company.attrs)
            continue
        owners = [c for c in group if _in_order(c.short, c.full)]
        if len(owners) == 1 and company is owners[0]:
            by_code[company.code] = company.full
            aliases = (company.short,) if company.short != company.full else ()
            yield EntityRecord("enterprise", company.full,
                               Provenance(f"{path.name} line {company.line}"),
                               aliases=aliases, attrs=company.attrs)
            continue
        if company is group[0] and report is not None:
            wrong = [c for c in group if not (len(owners) == 1 and c is owners[0])]
            report.warning(path.name, company.line, "code", company.code, _(
                "{n} 家公司共用此股票代码（{names}），代码和简称不属于它们；已忽略代码和简称")
                .format(n=len(wrong), names="、".join(c.full for c in wrong[:3])
                        + ("等" if len(wrong) > 3 else "")))
        attrs = {k: v for k, v in company.attrs.items() if k != "stock_code"}
        yield EntityRecord("enterprise", company.full,
                           Provenance(f"{path.name} line {company.line}"), attrs=attrs)


def chainkg_records(directory: Path, report: ValidationReport | None = None) -> Iterator[Record]:
    """All of ChainKG; rows the source got wrong are reported to ``report`` as warnings."""
    paths = dict(zip(FILES, require_files(directory, FILES), strict=True))
    by_code: dict[str, str] = {}  # "688268.SH" -> full name

    path = paths["company.jsonl"]
    companies = [_company_row(row, path, n, report) for n, row in read_jsonl(path)]
    yield from _company_records(companies, path, by_code, report)

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
    uncoded = [c.full for c in companies if by_code.get(c.code) != c.full
               and c.full not in by_code.values()]
    for n, row in read_jsonl(path):
        code = _field(row, "company_code", path, n).upper()
        name = by_code.get(code)
        if name is None:
            # a company this file names by code and short name (中国银行, 601988.SH) that
            # company.jsonl lists without a usable code, or not at all: the short name
            # picks the listed full name when exactly one fits, else it names the company
            short = _field(row, "company_name", path, n)
            fits = [full for full in uncoded if short in full] \
                or [full for full in uncoded if _in_order(short, full)]
            name = by_code[code] = fits[0] if len(fits) == 1 else short
            yield EntityRecord("enterprise", name, Provenance(f"{file} line {n}"),
                               aliases=(short,) if short != name else (),
                               attrs={"stock_code": code,
                                      **_exchange_of(code)})
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
        name = _company(by_code, _field(row, "company_code", path, n).upper(), path, n,
                        report)
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
