"""Where an entity is: region codes from located_in_region facts and the region its 所在地
attribute or the prefix of its name states (xietong.resolve.located); parks from
located_in_park facts. Used for the --region and --park filters and the "shared
park/region" reason."""

from __future__ import annotations

from xietong.i18n import _
from xietong.match.graph import row
from xietong.match.index import MatchIndex
from xietong.resolve.located import stated_region
from xietong.resolve.regions import Region, canonical_region, place_code


class PlaceError(ValueError):
    pass


_SEGMENT_LINKS = ("operates_in", "in_industry", "belongs_to_industry", "member_of_segment")


class Places:
    def __init__(self, index: MatchIndex) -> None:
        self.index = index

    def _linked(self, node: int, relation: str) -> list[int]:
        g = self.index.graph
        if relation not in g.relations:
            return []
        m = g.by_relation[g.relations.index(relation)]
        return row(m, node).tolist()

    def region_codes(self, node: int) -> set[str]:
        snap = self.index.snapshot
        codes: set[str] = set()
        for region in self._linked(node, "located_in_region"):
            attrs = snap.attributes[region] if snap.attributes else {}
            code = place_code(snap.names[region], attrs.get("admin_code"))
            if code:
                codes.add(code)
        attrs = snap.attributes[node] if snap.attributes else {}
        written = attrs.get("region")
        organisation = snap.types[node] in ("enterprise", "investor", "institute", "government")
        stated = stated_region(snap.names[node] if organisation else "",
                               written if isinstance(written, str) else None)
        if stated is not None:
            codes.add(stated.code)
        return codes

    def in_region(self, node: int, region: Region) -> bool:
        return any(code.startswith(region.code) for code in self.region_codes(node))

    def parks(self, node: int) -> set[int]:
        return set(self._linked(node, "located_in_park"))

    def region(self, text: str) -> Region:
        found = canonical_region(text)
        if found is None:
            snap = self.index.snapshot
            known = sorted({snap.names[i] for i, t in enumerate(snap.types) if t == "region"})
            listed = "、".join(known[:30]) or _("无")
            raise PlaceError(_("未知区域 {text!r}；请给出省、市或区，如 上海、浦东新区"
                               "（图谱中的区域：{listed}）").format(text=text, listed=listed))
        return found

    def segments(self, text: str) -> set[int]:
        """Industry and chain-segment nodes named ``text`` (or containing it)."""
        snap = self.index.snapshot
        wanted = text.strip()
        kinds = ("industry", "chain_segment")
        exact = {i for i, t in enumerate(snap.types) if t in kinds and snap.names[i] == wanted}
        found = exact or {i for i, t in enumerate(snap.types)
                          if t in kinds and wanted and wanted in snap.names[i]}
        if not found:
            known = sorted(snap.names[i] for i, t in enumerate(snap.types) if t in kinds)
            listed = "、".join(known[:30]) or _("图谱中没有行业或产业链环节")
            raise PlaceError(_("未知行业或产业链环节 {text!r}；例如：{listed}").format(
                text=text, listed=listed))
        return found

    def in_segments(self, node: int, segments: set[int]) -> bool:
        linked: set[int] = set()
        for key in _SEGMENT_LINKS:
            linked.update(self._linked(node, key))
        return bool(linked & segments)

    def park(self, text: str) -> int:
        snap = self.index.snapshot
        wanted = text.strip()
        parks = [i for i, t in enumerate(snap.types) if t == "park"]
        for i in parks:
            if wanted == snap.names[i] or wanted in snap.aliases[i]:
                return i
        listed = "、".join(sorted(snap.names[i] for i in parks)) or _("图谱中没有园区")
        raise PlaceError(_("未知园区 {text!r}；可选：{listed}").format(text=text, listed=listed))
