"""Assembling chain reports and simulation results as plain dicts (JSON, HTML, CLI)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xietong.chain import analytics
from xietong.chain.analytics import ChainMetrics
from xietong.chain.graph import GraphViews
from xietong.chain.placement import Placement, place
from xietong.chain.risk import GRADE_LABELS, RiskRules, load_rules
from xietong.chain.scope import resolve_scope
from xietong.chain.shortlist import MatchRanker, shortlist
from xietong.chain.simulate import AFFECTED, path, removal_targets, simulate
from xietong.chain.template import ChainTemplate, TemplateSet
from xietong.i18n import _
from xietong.match.engine import Matcher
from xietong.store.snapshot import GraphSnapshot

MEMBERS_SHOWN = 20


@dataclass
class ChainAnalyst:
    """One graph snapshot, its views and placements, reused across chains and scopes.

    Shortlists are ranked by ``matcher``; give one from xietong.match.service.open_matcher
    (ranker cached per store), else one is built from the snapshot on first use."""

    snapshot: GraphSnapshot
    templates: TemplateSet = field(default_factory=TemplateSet)
    rules: RiskRules = field(default_factory=load_rules)
    matcher: Matcher | None = None
    _views: GraphViews | None = None
    _placements: dict[str, Placement] = field(default_factory=dict)
    _size: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def views(self) -> GraphViews:
        if self._views is None:
            self._views = GraphViews(self.snapshot)
        return self._views

    @property
    def ranker(self) -> MatchRanker:
        if self.matcher is None:
            self.matcher = Matcher.build(self.snapshot)
        return MatchRanker(self.matcher)

    def placement(self, chain: ChainTemplate) -> Placement:
        if chain.key not in self._placements:
            self._placements[chain.key] = place(self.views, chain)
        return self._placements[chain.key]

    def metrics(self, chain_name: str, region: str | None = None, park: str | None = None
                ) -> ChainMetrics:
        chain = self.templates.get(chain_name)
        scope = resolve_scope(self.views, region, park)
        if self._size is None:
            self._size = analytics.enterprise_size(self.views)
        return analytics.compute(self.placement(chain), scope, size=self._size)

    def report(self, chain_name: str, region: str | None = None, park: str | None = None,
               shortlist_size: int = 5) -> dict[str, object]:
        return build_report(self.metrics(chain_name, region, park), self.rules, self.ranker,
                            shortlist_size)

    def simulate(self, chain_name: str, remove: Sequence[str | int], region: str | None = None,
                 park: str | None = None, top: int = 50) -> dict[str, object]:
        m = self.metrics(chain_name, region, park)
        return simulation_report(m, remove, top)


def _member(m: ChainMetrics, node: int, segment: int) -> dict[str, object]:
    p, s = m.placement, m.placement.views.snapshot
    return {"name": s.names[node], "id": int(s.ids[node]), "local": bool(m.local[node]),
            "confidence": round(float(p.confidence[node, segment]), 3),
            "size": float(m.size[node]) if m.size_known[node] else None,
            "evidence": [e.to_dict() for e in p.evidence(node, segment, limit=3)]}


def build_report(m: ChainMetrics, rules: RiskRules, ranker: MatchRanker,
                 shortlist_size: int = 5) -> dict[str, object]:
    p, chain = m.placement, m.placement.chain
    s = p.views.snapshot
    weak_max = rules.thresholds.get("weak_segment_max", 2)
    segments = []
    for j, seg in enumerate(chain.segments):
        metrics = m.segment_metrics[j]
        grade, reasons = rules.grade_segment(metrics)
        local = m.local_members[j]
        order = np.lexsort((-m.size[local], -np.asarray(p.confidence[local, j].todense()).ravel()))
        status = ("missing" if local.size == 0
                  else "weak" if local.size <= weak_max else "covered")
        entry: dict[str, object] = {
            "key": seg.key, "name": seg.name, "position": seg.position,
            "feeds": list(seg.feeds), "status": status,
            "local_enterprises": int(local.size), "national_enterprises": int(m.members[j].size),
            "downstream_local_firms": int(metrics["downstream_local_firms"] or 0),
            "hhi": None if metrics["hhi"] is None else round(metrics["hhi"], 1),
            "local_supply_rate": metrics["local_supply_rate"],
            "supply_links": int(metrics["supply_links"] or 0),
            "local_supply_links": int(metrics["local_supply_links"] or 0),
            "risk": grade, "risk_label": GRADE_LABELS[grade], "risk_reasons": reasons,
            "members": [_member(m, int(local[k]), j) for k in order[:MEMBERS_SHOWN]],
        }
        if status != "covered":
            entry["shortlist"] = shortlist(m, j, ranker, shortlist_size)
        segments.append(entry)

    enterprises = []
    for node, metrics in m.enterprise_metrics.items():
        grade, reasons = rules.grade_enterprise(metrics)
        if grade is not None:
            enterprises.append({"name": s.names[node], "segment": chain.segments[p.primary[node]].name,
                                "risk": grade, "risk_label": GRADE_LABELS[grade],
                                "reasons": reasons, **{k: v for k, v in metrics.items()}})
    severity = {"red": 0, "yellow": 1, "blue": 2}
    enterprises.sort(key=lambda e: (severity[str(e["risk"])], -float(e["sole_supplier_of"] or 0)))
    covered = sum(1 for x in segments if x["local_enterprises"])
    return {
        "chain": {"key": chain.key, "name": chain.name, "description": chain.description},
        "scope": m.scope.to_dict(),
        "summary": {
            "enterprises_on_chain": int(p.placed.size),
            "local_enterprises": int(m.local.sum()),
            "segments": len(segments),
            "segments_covered": covered,
            "segment_coverage": round(covered / len(segments), 3),
            # over distinct links into local firms; None on too few (analytics.supply_rate)
            "local_supply_rate": m.local_supply_rate,
            "supply_links": m.supply_links,
            "local_supply_links": m.local_supply_links,
            "missing_segments": [x["name"] for x in segments if x["status"] == "missing"],
            "weak_segments": [x["name"] for x in segments if x["status"] == "weak"],
            "risk_counts": {g: sum(1 for x in segments if x["risk"] == g)
                            for g in ("red", "yellow", "blue")},
        },
        "segments": segments,
        "links": [{"from": chain.segments[u].key, "to": chain.segments[d].key}
                  for u, d in chain.links],
        "leaders": analytics.leaders(m),
        "single_source": [
            {"customer": s.names[d["customer"]], "supplier": s.names[d["supplier"]],
             "segment": chain.segments[d["segment"]].name,
             "supplier_local": d["supplier_local"]} for d in m.single_sources[:100]],
        "enterprise_risks": enterprises[:100],
        "rules": rules.source,
        "shortlist_ranker": ranker.name,
    }


def supply_rate_text(part: Mapping[str, Any]) -> str:
    """本地配套率 of a report's summary or segment for people, with the links it rests on,
    and a warning below ``analytics.MIN_SUPPLY_LINKS`` links."""
    links, local = int(part.get("supply_links") or 0), int(part.get("local_supply_links") or 0)
    rate = part.get("local_supply_rate")
    if rate is None or not links:
        return _("无供给关系数据")
    if links < analytics.MIN_SUPPLY_LINKS:
        return _("{rate:.0%}（仅 {local}/{links} 条供给关系，样本过少）").format(
            rate=rate, local=local, links=links)
    return _("{rate:.0%}（{local}/{links} 条供给关系）").format(rate=rate, local=local,
                                                          links=links)


def simulation_report(m: ChainMetrics, remove: Sequence[str | int], top: int = 50
                      ) -> dict[str, object]:
    p, chain = m.placement, m.placement.chain
    s = p.views.snapshot
    removed = removal_targets(m, remove)
    sim = simulate(m, removed)
    placed = p.placed
    capacity = m.size[placed]
    lost = float((capacity * sim.loss[placed]).sum() / capacity.sum()) if capacity.sum() else 0.0
    per_segment = []
    for j, seg in enumerate(chain.segments):
        members = p.placed[p.primary[p.placed] == j]
        cap = m.size[members]
        per_segment.append({"segment": seg.name, "enterprises": int(members.size),
                            "capacity_lost": float((cap * sim.loss[members]).sum() / cap.sum())
                            if cap.sum() else 0.0})
    affected = np.flatnonzero((sim.loss >= AFFECTED) & (sim.hop > 0))
    affected = affected[np.argsort(-sim.loss[affected], kind="stable")]
    removed_set = set(removed)

    def alternatives(segment: int) -> list[str]:
        pool = m.local_members[segment] if m.scope.kind != "all" else m.members[segment]
        ok = [int(x) for x in pool if int(x) not in removed_set and sim.loss[x] < AFFECTED]
        ok.sort(key=lambda x: (-float(p.confidence[x, segment]), -m.size[x]))
        return [s.names[x] for x in ok[:5]]

    rows = []
    for node in affected[:top]:
        supplier = int(sim.parent[node])
        supplier_segment = int(p.primary[supplier]) if supplier >= 0 else -1
        rows.append({"name": s.names[node], "segment": chain.segments[p.primary[node]].name,
                     "loss": round(float(sim.loss[node]), 3), "hop": int(sim.hop[node]),
                     "local": bool(m.local[node]), "path": path(sim, int(node), s.names),
                     "alternative_suppliers": (alternatives(supplier_segment)
                                               if supplier_segment >= 0 else [])})
    removed_segments = sorted({int(p.primary[r]) for r in removed if p.primary[r] >= 0})
    return {
        "chain": {"key": chain.key, "name": chain.name},
        "scope": m.scope.to_dict(),
        "removed": [s.names[r] for r in removed],
        "hops": sim.hops,
        "affected_count": int(affected.size),
        "capacity_lost": round(lost, 4),
        "segments": per_segment,
        "affected": rows,
        "alternatives": {chain.segments[j].name: alternatives(j) for j in removed_segments},
    }
