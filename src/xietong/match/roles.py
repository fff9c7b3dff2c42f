"""Who can play the role a demand seeks, and how an investor's portfolio fits the demand.

A role restricts the answer to those who play it: an investor demand ranks investors and
firms that have invested (投资 facts), never the parks or companies that merely share its
words. What the data supports, per role (docs/matching.md, "Roles"):

- supplier: enterprises, and anyone with a 供给/主营产品/发布/基于专利生产 fact as maker;
- customer: enterprises, institutes and government bodies, and anyone supplied (供给 tail);
- partner: every organisation (a park signs cooperation agreements too);
- investor: investors, and anyone with a 投资 fact as investor;
- acquirer: investors, and anyone with a 并购 or 投资 fact as buyer or investor.

Investors and acquirers are ranked by what they invested in: each investee's profile is
scored against the demand (BM25), and an investor's portfolio fit is the sum over its
investees. The data has no funding rounds, so the stage a demand names (天使轮, A轮, 初创…)
is approximated by the share of the fitting investees that are not listed (no 股票代码).
Customers likewise by whom they buy from: the fit of the suppliers of their 供给 facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from xietong.match.index import MatchIndex

ROLE_TYPES: dict[str, tuple[str, ...]] = {
    "supplier": ("enterprise",),
    "customer": ("enterprise", "institute", "government"),
    "partner": ("enterprise", "investor", "institute", "government", "park"),
    "investor": ("investor",),
    "acquirer": ("investor",),
}
# (relation, end): whoever is at that end of such a fact plays the role, whatever its type
ROLE_ACTS: dict[str, tuple[tuple[str, str], ...]] = {
    "supplier": (("supplies", "head"), ("main_product", "head"), ("launches", "head"),
                 ("produces_from_patent", "head")),
    "customer": (("supplies", "tail"),),
    "partner": (),
    "investor": (("invests", "head"),),
    "acquirer": (("acquires", "head"), ("invests", "head")),
}
# role -> (relation, the end the candidate is at): whom it invested in, bought or bought from
PORTFOLIO_RELATION = {"investor": ("invests", "head"), "acquirer": ("acquires", "head"),
                      "customer": ("supplies", "tail")}
INVESTEE_HITS = 2000  # investees scored against a demand (BM25 over enterprise profiles)
EARLY_STAGE = re.compile(r"天使轮|种子轮|Pre-?A|[Aa]\+?轮|初创|早期")


def plays(index: MatchIndex, role: str | None, nodes: np.ndarray) -> np.ndarray:
    """Which ``nodes`` can play ``role`` (all when no role is sought)."""
    if role is None:
        return np.ones(len(nodes), dtype=bool)
    fb, g = index.features, index.graph
    types = np.array(fb.type_names, dtype=object)
    keep = np.isin(types, list(ROLE_TYPES[role]))[fb.type_code[nodes]]
    # a fact makes a player of an organisation only (ICKG has products 供给'd products)
    organisation = np.isin(types, list(ROLE_TYPES["partner"]))[fb.type_code[nodes]]
    for relation, end in ROLE_ACTS[role]:
        if relation in g.relations:
            m = g.by_relation[g.relations.index(relation)]
            counts = np.diff(m.indptr) if end == "head" else np.bincount(m.indices,
                                                                          minlength=g.n)
            keep |= (counts[nodes] > 0) & organisation
    return keep


@dataclass(slots=True)
class Portfolio:
    """Per node: the summed fit of its investees, how many fit, and the unlisted share of
    that fit; ``relevance`` per investee."""

    fit: np.ndarray
    count: np.ndarray
    unlisted: np.ndarray
    relevance: np.ndarray
    links: sp.csr_matrix  # candidate × the other end (investee, target, supplier)

    def examples(self, index: MatchIndex, node: int, limit: int = 3) -> list[int]:
        """The node's best-fitting investees (or suppliers)."""
        m = self.links
        mine = m.indices[m.indptr[node]:m.indptr[node + 1]]
        mine = mine[self.relevance[mine] > 0]
        return mine[np.argsort(-self.relevance[mine], kind="stable")][:limit].tolist()


def portfolio(index: MatchIndex, role: str, terms: list[str]) -> Portfolio | None:
    """How well each node's investments (or acquisitions) fit the demand's words."""
    g, snap = index.graph, index.snapshot
    key, end = PORTFOLIO_RELATION.get(role, ("", ""))
    if key not in g.relations:
        return None
    m = g.by_relation[g.relations.index(key)]
    if end == "tail":
        m = m.T.tocsr()
    relevance = np.zeros(g.n, dtype=np.float64)
    hit, bm25 = index.text.search(terms, "profile", INVESTEE_HITS,
                                  types=("enterprise", "institute"))
    if len(hit):
        relevance[hit] = bm25 / float(bm25.max())
    listed = np.array([bool(a.get("stock_code") or a.get("exchange"))
                       for a in snap.attributes], dtype=bool) if snap.attributes \
        else np.zeros(g.n, dtype=bool)
    listed = np.concatenate([listed, np.zeros(max(g.n - len(listed), 0), dtype=bool)])
    fit = m @ relevance
    count = m @ (relevance > 0).astype(np.float64)
    unlisted = np.divide(m @ (relevance * ~listed[:g.n]), fit, out=np.zeros(g.n),
                         where=fit > 0)
    return Portfolio(fit, count, unlisted, relevance, m)
