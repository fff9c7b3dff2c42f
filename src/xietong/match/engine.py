"""The matcher: recommend partners for an entity, or rank answers to a free-text demand.

    >>> m = Matcher.build(eco.snapshot())
    >>> m.recommend(node, "cooperates")             # given (head, 合作) rank tails
    >>> m.match("寻找人形机器人谐波减速器供应商", region="上海")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xietong.i18n import N_, _
from xietong.match import demand as demands
from xietong.match import roles
from xietong.match.demand_features import DemandCandidates, DemandFeatures, fixed_score
from xietong.match.demand_ranker import DemandConfig, DemandRanker
from xietong.match.encoder import TextEncoder
from xietong.match.features import QueryBatch
from xietong.match.graph import row
from xietong.match.index import MatchIndex
from xietong.match.places import Places
from xietong.match.progress import QUIET, Stages
from xietong.match.ranker import Ranker, RankerConfig, heuristic_score
from xietong.match.reasons import Explainer, Reasons
from xietong.model.registry import REGISTRY
from xietong.store.snapshot import GraphSnapshot

# "长三角优先" is a soft preference: an organisation in a preferred region passes those
# that score less than this share of the candidates' score range above it. A share, not a
# fixed bonus, because the fixed combination and the learned ranker score on other scales.
PREFERRED_REGION_SHARE = 0.2


RANKING_MODELS = {
    "learned": N_("LightGBM lambdarank，在本库的事实上训练（推荐：各类关系；供应商需求：主营产品关系）"),
    "fixed": N_("固定加权：文本 BM25 + 产品/行业路径 + 产业链一步 + 角色次数（无训练标签）"),
    "portfolio": N_("固定加权 + 关系对象匹配：被投企业（或供应方）与需求的 BM25 之和（无训练标签）"),
    "bm25": N_("BM25（所求产品词对企业名称与主营产品等画像）：训练时学习模型在验证集上不及它，故由它排序"),
}
PORTFOLIO_WEIGHT = 2.0  # the portfolio fit (÷ the best) outweighs the investor's own words
STAGE_WEIGHT = 0.5  # an early-stage demand: the unlisted share of the fitting investees
EXPLAIN_AT_MOST = 5  # candidates explained per result shown, at most, to fill the list


def relative_scores(scores: np.ndarray) -> np.ndarray:
    """0–100 between the weakest and the best of ``scores`` (all 100 when they tie)."""
    if len(scores) == 0:
        return scores.astype(np.float64)
    low, high = float(scores.min()), float(scores.max())
    if high - low < 1e-12:
        return np.full(len(scores), 100.0)
    return 100.0 * (scores.astype(np.float64) - low) / (high - low)


@dataclass(slots=True)
class Match:
    node: int
    entity_id: int
    name: str
    type: str
    score: float
    seen: bool  # the entity takes part in some relation (else ranked from text alone)
    reasons: Reasons = field(default_factory=Reasons)
    # what ranked it: "learned" (a trained model), "fixed" (the hand-set combination) or
    # "portfolio" (investors and acquirers: the fixed combination plus portfolio fit)
    ranking: str = "fixed"
    # 0–100: where the score lies between the weakest (0) and the best (100) candidate
    # the query considered; the raw ``score`` is on the ranking model's own scale
    relative: float = 100.0

    @property
    def model(self) -> str:
        """The ranking model, named for the user."""
        return _(RANKING_MODELS.get(self.ranking, self.ranking))

    def to_dict(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "name": self.name, "type": self.type,
                "score": round(self.relative, 1), "raw_score": round(self.score, 4),
                "seen": self.seen, "ranking": self.ranking, "model": self.model,
                "reasons": self.reasons.to_dict()}


class Matcher:
    def __init__(self, index: MatchIndex, ranker: Ranker | None,
                 demand_ranker: DemandRanker | None = None, *,
                 train: Callable[[str], Ranker | DemandRanker | None] | None = None,
                 pending: set[str] | None = None) -> None:
        """``pending`` models ("ranker", "demand") are trained by ``train`` when first
        used (see xietong.match.service: the cache trains what a command needs)."""
        self.index, self._ranker, self._demand_ranker = index, ranker, demand_ranker
        self._train, self._pending = train, set(pending or ()) if train else set()
        self.origin = "built"  # or, from xietong.match.service: "loaded", "updated"
        self.demand_features = DemandFeatures(index)
        self.explainer = Explainer(index)
        self.places = Places(index)
        self._by_name: dict[str, list[int]] | None = None

    @classmethod
    def build(cls, snap: GraphSnapshot, *, ranker: Ranker | None = None, train: bool = True,
              config: RankerConfig | None = None, encoder: TextEncoder | None = None,
              demand_ranker: DemandRanker | None = None,
              demand_config: DemandConfig | None = None,
              progress: Stages = QUIET) -> Matcher:
        """Index ``snap``; train the rankers on it (held-out edges) unless given: the
        ``recommend`` ranker, and the supplier-demand ranker (from 主营产品 links). A graph
        too small to learn from is ranked by a fixed feature combination."""
        options: dict[str, Any] = {"encoder": encoder} if encoder else {}
        index = MatchIndex.build(snap, progress=progress, **options)
        shared = {"names": index.features.name_terms, "progress": progress}
        if ranker is None and train:
            ranker = Ranker.try_fit(snap, config or RankerConfig(), options | shared, progress)
        if demand_ranker is None and train:
            demand_ranker = DemandRanker.try_fit(snap, demand_config or DemandConfig(),
                                                 index=index, **shared)  # type: ignore[arg-type]
        return cls(index, ranker, demand_ranker)

    @property
    def ranker(self) -> Ranker | None:
        """The ``recommend`` ranker (trained now if it is still pending)."""
        if "ranker" in self._pending and self._train is not None:
            self._pending.discard("ranker")
            model = self._train("ranker")
            self._ranker = model if isinstance(model, Ranker) else None
        return self._ranker

    @property
    def demand_ranker(self) -> DemandRanker | None:
        """The supplier-demand model (trained now if it is still pending)."""
        if "demand" in self._pending and self._train is not None:
            self._pending.discard("demand")
            model = self._train("demand")
            self._demand_ranker = model if isinstance(model, DemandRanker) else None
        return self._demand_ranker

    # -- helpers ----------------------------------------------------------------------
    def node_named(self, name: str) -> int | None:
        if self._by_name is None or len(self._by_name) == 0:
            self._by_name = {}
            snap = self.index.snapshot
            for i, n in enumerate(snap.names):
                for alias in (n, *snap.aliases[i]):
                    self._by_name.setdefault(alias, []).append(i)
        found = self._by_name.get(name.strip())
        return found[0] if found else None

    def _result(self, node: int, score: float) -> Match:
        snap, g = self.index.snapshot, self.index.graph
        return Match(node, int(snap.ids[node]), snap.names[node], snap.types[node], float(score),
                     bool(g.degree[node] > 0))

    def _score(self, batch: QueryBatch) -> tuple[np.ndarray, np.ndarray]:
        cands = self.index.features.build(batch)
        scores = self.ranker.score(cands) if self.ranker else heuristic_score(cands)
        return cands.node, scores

    def _of_types(self, nodes: np.ndarray, allowed: tuple[str, ...]) -> np.ndarray:
        """Which nodes have one of the ``allowed`` types (a relation's domain or range)."""
        fb = self.index.features
        wanted = np.isin(np.array(fb.type_names, dtype=object), list(allowed))
        return wanted[fb.type_code[nodes]]

    def _filters(self, nodes: np.ndarray, region: str | None, park: str | None,
                 exclude_competitors_of: list[int], industry: str | None = None) -> np.ndarray:
        keep = np.ones(len(nodes), dtype=bool)
        if industry:
            segments = self.places.segments(industry)
            keep &= np.array([self.places.in_segments(int(n), segments) for n in nodes],
                             dtype=bool)
        if region:
            wanted = self.places.region(region)
            keep &= np.array([self.places.in_region(int(n), wanted) for n in nodes], dtype=bool)
        if park:
            park_node = self.places.park(park)
            keep &= np.array([park_node in self.places.parks(int(n)) for n in nodes], dtype=bool)
        g = self.index.graph
        if exclude_competitors_of and "competes" in g.relations:
            rivals = g.answers(g.relations.index("competes"), "tail")
            banned = {int(c) for x in exclude_competitors_of for c in row(rivals, x)}
            banned |= set(exclude_competitors_of)
            keep &= ~np.isin(nodes, list(banned))
        return keep

    # -- (entity, relation) -------------------------------------------------------------
    def recommend(self, node: int, relation: str, direction: str = "tail", top: int = 20,
                  *, region: str | None = None, park: str | None = None,
                  include_known: bool = False) -> list[Match]:
        """Rank answers of (node, relation, ?) for direction "tail", of (?, relation, node)
        for "head". Only entities of the relation's range (tail) or domain (head) types in
        the registry are answers; known answers are left out unless ``include_known``."""
        if direction not in ("head", "tail"):
            raise ValueError(_("未知方向 {direction!r}；可选：head, tail").format(
                direction=direction))
        kind = REGISTRY.relation(relation)
        g = self.index.graph
        code = g.relations.index(kind.key)
        nodes, scores = self._score(QueryBatch(np.array([node]), code, direction))
        keep = self._of_types(nodes, kind.range if direction == "tail" else kind.domain)
        keep &= self._filters(nodes, region, park, [])
        if not include_known:
            keep &= ~np.isin(nodes, row(g.answers(code, direction), node))
        nodes, scores = nodes[keep], scores[keep]
        order = np.argsort(-scores, kind="stable")[:top]
        wanted_products = self._products(node)
        relative = relative_scores(scores)
        ranking = "learned" if self.ranker else "fixed"
        out = []
        for i in order:
            match = self._result(int(nodes[i]), scores[i])
            match.ranking, match.relative = ranking, float(relative[i])
            match.reasons = self.explainer.explain(
                match.node, query_terms=self.index.features.profile_terms[node],
                path_sources=[node], place_of=[node], products=wanted_products)
            out.append(match)
        return out

    def _products(self, node: int) -> list[int]:
        g = self.index.graph
        found: list[int] = []
        for key in ("main_product", "launches", "supplies"):
            if key in g.relations:
                found += row(g.by_relation[g.relations.index(key)], node).tolist()
        return found

    # -- free-text demands ------------------------------------------------------------
    def match(self, text: str, *, role: str | None = None, region: str | None = None,
              park: str | None = None, exclude_competitors_of: list[str] | None = None,
              industry: str | None = None, top: int = 20) -> list[Match]:
        """Rank organisations for a demand; see docs/matching.md for how."""
        if role is not None:
            role = demands.parse_role(role)
        parsed = demands.parse(text, role)
        if region:
            self.places.region(region)  # fail early on an unknown region
        if park:
            self.places.park(park)
        if industry:
            self.places.segments(industry)
        excluded = []
        for name in [*(exclude_competitors_of or []), *parsed.exclude_competitors_of]:
            found = self.node_named(name)
            if found is None:
                raise demands.DemandError(
                    _("没有名为 {name!r} 的实体，无法排除其竞争对手").format(name=name))
            excluded.append(found)
        terms = demands.search_terms(parsed, industry)
        if not any(demands.meaningful(t) for t in terms):
            raise demands.DemandError(_(
                "需求“{text}”中没有可匹配的词：请用中文写明要找的产品、技术、行业或角色，"
                "例如：寻找人形机器人谐波减速器供应商").format(text=text.strip()[:40]))
        wanted: list[int] = []
        poster_only = np.empty(0, dtype=np.int64)
        if parsed.role == "supplier":
            read, sought, cands = self.demand_features.supplier(text)
            terms = read.terms or terms
            nodes, scores, ranking = self._supplier_scores(cands)
            anchors, wanted = cands.anchors, sought.wanted() + cands.anchors
            parsed.prefer_regions += [r for r in read.regions if r not in parsed.prefer_regions]
            # makers of the poster's own product are its peers or customers, not suppliers
            makes = (cands.column("sought_maker") + cands.column("narrower_maker")) > 0
            poster_only = cands.node[(cands.column("poster_maker") > 0) & ~makes]
        else:
            nodes, scores, anchors, ranking = self._demand_scores(terms, parsed.role)
            wanted = anchors
        folio = roles.portfolio(self.index, parsed.role, terms) if parsed.role else None
        if folio is not None and folio.fit.max() > 0:
            early = parsed.role != "customer" and bool(roles.EARLY_STAGE.search(text))
            nodes, scores = self._with_portfolio(nodes, scores, folio, early)
            ranking = "portfolio"
        if len(nodes) == 0:
            return []
        keep = self._filters(nodes, region, park, excluded, industry)
        keep &= roles.plays(self.index, parsed.role, nodes) & ~np.isin(nodes, poster_only)
        nodes, scores = nodes[keep], scores[keep]
        if len(nodes) == 0:
            return []
        if parsed.prefer_regions:
            preferred = [self.places.region(r) for r in parsed.prefer_regions]
            bonus = np.array([any(self.places.in_region(int(n), p) for p in preferred)
                              for n in nodes], dtype=np.float32)
            spread = float(scores.max() - scores.min())
            scores = scores + PREFERRED_REGION_SHARE * spread * bonus
        relative = relative_scores(scores)
        order = np.argsort(-scores, kind="stable")[:top * EXPLAIN_AT_MOST]
        out = []
        for i in order:
            match = self._result(int(nodes[i]), scores[i])
            match.ranking, match.relative = ranking, float(relative[i])
            match.reasons = self.explainer.explain(match.node, query_terms=terms,
                                                   path_sources=anchors[:20], products=wanted)
            if folio is not None:
                self._portfolio_reasons(match, folio, parsed.role == "customer")
            if not match.reasons.any():
                continue  # nothing the demand asked for explains it: not an answer
            out.append(match)
            if len(out) == top:
                break
        return out

    def _with_portfolio(self, nodes: np.ndarray, scores: np.ndarray, folio: roles.Portfolio,
                        early: bool) -> tuple[np.ndarray, np.ndarray]:
        """The candidates plus everyone whose investments fit the demand, scored with
        their portfolio fit (and, for an early-stage demand, its unlisted share)."""
        invested = np.flatnonzero(folio.fit > 0)
        extra = invested[~np.isin(invested, nodes)]
        nodes = np.concatenate([nodes, extra]).astype(np.int64)
        scores = np.concatenate([scores.astype(np.float64), np.zeros(len(extra))])
        fit = folio.fit[nodes]
        scores = scores + PORTFOLIO_WEIGHT * fit / float(fit.max())
        if early:
            scores = scores + STAGE_WEIGHT * folio.unlisted[nodes] * (fit > 0)
        return nodes, scores.astype(np.float32)

    def _portfolio_reasons(self, match: Match, folio: roles.Portfolio, buyer: bool) -> None:
        names = self.index.snapshot.names
        examples = folio.examples(self.index, match.node)
        if not examples:
            return
        match.reasons.portfolio = [names[n] for n in examples]
        match.reasons.portfolio_label = _("供应方") if buyer else _("被投企业")
        if buyer:
            match.reasons.portfolio_note = _("与需求相关的供应方 {count} 家（供给关系）").format(
                count=int(folio.count[match.node]))
            return
        match.reasons.portfolio_note = _(
            "与需求相关的被投企业 {count} 家，其中未上市占 {share}（数据无融资轮次，以是否上市近似阶段）"
        ).format(count=int(folio.count[match.node]),
                 share=f"{folio.unlisted[match.node]:.0%}")

    def _supplier_scores(self, cands: DemandCandidates
                         ) -> tuple[np.ndarray, np.ndarray, str]:
        """A supplier demand's candidates ranked by the learned model (or the peer it fell
        back to at training time), else by the fixed combination."""
        model = self.demand_ranker
        if model is not None:
            return cands.node, model.score(cands), model.ranking
        return cands.node, fixed_score(cands), "fixed"

    def reading(self, text: str, role: str | None = None) -> dict[str, Any] | None:
        """How a supplier demand is read (None for other roles): the sought and the
        poster's product spans, the store products they name, and quantity, region,
        qualification and deadline when given."""
        if role is not None:
            role = demands.parse_role(role)
        if demands.parse(text, role).role != "supplier":
            return None
        read, sought, _cands = self.demand_features.supplier(text)
        names = self.index.snapshot.names
        return read.to_dict() | {"products": [names[p] for p in sought.products[:5]],
                                 "poster_products": [names[p] for p in sought.poster[:5]],
                                 "read_as": sought.how}

    def _demand_scores(self, terms: list[str], role: str | None
                       ) -> tuple[np.ndarray, np.ndarray, list[int], str]:
        """Candidates of a demand with their scores, the anchors it names, and what ranked
        them: the learned supplier model, or the fixed combination (roles without labels,
        or a store with too few labelled products to learn from)."""
        cands = self.demand_features.build(terms, role)
        if role == "supplier" and self.demand_ranker is not None:
            return cands.node, self.demand_ranker.score(cands), cands.anchors, "learned"
        return cands.node, fixed_score(cands), cands.anchors, "fixed"

    # -- incremental updates ------------------------------------------------------------
    def add_entity(self, name: str, entity_type: str, entity_id: int | None = None,
                   aliases: list[str] | None = None,
                   attributes: dict[str, Any] | None = None) -> int:
        node = self.index.add_entity(name, entity_type, entity_id, aliases, attributes)
        self._by_name = None
        return node

    def add_relation(self, source: int, target: int, relation: str, fact: int = -1,
                     weight: float = float("nan")) -> None:
        self.index.add_relation(source, target, REGISTRY.relation(relation).key, fact, weight)
