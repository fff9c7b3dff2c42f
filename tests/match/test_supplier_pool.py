"""A supplier demand's products in a real ChainKG store: names, variants, heads, narrower."""

from __future__ import annotations

from pathlib import Path

import pytest
from xietong_eval.records_graph import snapshot_from_records

from xietong.ingest.chainkg import chainkg_records
from xietong.match.engine import Matcher
from xietong.match.product_names import ProductNames, base_name


@pytest.fixture(scope="module")
def matcher(data_dir: Path) -> Matcher:
    return Matcher.build(snapshot_from_records(chainkg_records(data_dir / "chainkg")),
                         train=False)


def _names(matcher: Matcher, nodes: list[int]) -> list[str]:
    return [matcher.index.snapshot.names[n] for n in nodes]


def test_variants_share_a_base_name() -> None:
    assert base_name("金针菇‐自产") == base_name("金针菇-外购") == base_name("金针菇（外购）") \
        == "金针菇"


def test_spans_resolve_to_store_products(matcher: Matcher) -> None:
    names = ProductNames(matcher.index.snapshot)
    exact = names.resolve("金针菇")
    assert exact.how == "exact"
    assert set(_names(matcher, exact.named)) == {"金针菇", "金针菇‐自产", "金针菇‐外购"}
    # no product is named 人形机器人谐波减速器: its head is, and the modifier is not sought
    head = names.resolve("人形机器人谐波减速器")
    assert head.how == "inside" and _names(matcher, head.named) == ["减速器"]
    both = set(_names(matcher, names.resolve("谐波减速器和RV减速机").named))
    assert {"减速器", "RV减速机"} <= both
    assert _names(matcher, names.resolve("机器人关节用伺服电机").named) == ["伺服电机"]
    assert names.resolve("完全不存在的东西").named == []


def test_the_pool_widens_to_narrower_products_and_drops_the_posters(matcher: Matcher) -> None:
    read, sought, cands = matcher.demand_features.supplier("我们生产重混凝土，需要采购水泥，请推荐供应商")
    assert (read.sought, read.poster) == ("水泥", "重混凝土")
    narrower = set(_names(matcher, sought.narrower))
    assert any(n != "水泥" and "水泥" in n for n in narrower)
    assert _names(matcher, sought.poster) == ["重混凝土"]
    makers = cands.column("sought_maker") > 0
    assert makers.sum() >= 3 and (cands.column("sought_share")[makers] >= 0).all()
    found = matcher.match("我们生产重混凝土，需要采购水泥，请推荐供应商", top=10)
    assert all(any("水泥" in fit for fit in m.reasons.chain_fit) for m in found[:5])
