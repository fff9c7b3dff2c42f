"""What the matching tests share."""

from __future__ import annotations

from xietong.store.snapshot import GraphSnapshot


def main_product_pair(snap: GraphSnapshot) -> tuple[str, str]:
    """(company, product) of a 主营产品 link with a revenue share above half: a demand for
    that product must find that company."""
    main = snap.relation_code("main_product")
    edge = next(i for i in range(snap.edge_count)
                if snap.edge_relation[i] == main and snap.edge_weight[i] > 0.5)
    return snap.names[snap.edge_source[edge]], snap.names[snap.edge_target[edge]]
