"""Where an organisation says it is when no located_in fact places it: the region its 所在地
attribute names, read beside the region its name begins with, else that region. Matching's
region filter and the chain maps' regional scope both ask this."""

from __future__ import annotations

from functools import lru_cache

from xietong.resolve.names import parse_org_name
from xietong.resolve.regions import Region, canonical_region_in


@lru_cache(maxsize=500_000)
def stated_region(name: str, written: str | None) -> Region | None:
    """``written``, the 所在地 attribute, wins over the region the legal ``name`` begins
    with (上海… registered, 苏州 written: 苏州), and is read beside it: 宝山区 of a 上海
    company is 上海's, not 双鸭山's. Pass an empty name for entities whose name says
    nothing of a place (parks, regions)."""
    named = parse_org_name(name).region if name else None
    if written:
        found = canonical_region_in(written, [named] if named else [])
        if found is not None:
            return found
    return named
