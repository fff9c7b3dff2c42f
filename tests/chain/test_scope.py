"""Which firms are local to a region: through the graph's places and their codes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from xietong.api import Ecosystem
from xietong.chain.graph import GraphViews
from xietong.chain.scope import local_mask, resolve_scope


def test_a_district_new_to_the_graph_is_inside_its_city(eco: Ecosystem, tmp_path: Path) -> None:
    """长宁区 is not among the demo's regions: a list that puts a firm there makes it a new
    region, linked to nothing. Its division code places it in 上海 all the same; 南京市鼓楼区
    is not there."""
    eco.import_demo()
    path = tmp_path / "名录.csv"
    path.write_text("企业名称,所在区\n测试甲科技有限公司,长宁区\n测试乙科技有限公司,南京市鼓楼区\n"
                    "测试丙科技有限公司,徐汇区\n", encoding="utf-8")
    eco.import_file(path)
    snapshot = eco.snapshot()
    views = GraphViews(snapshot)
    nodes = {name: snapshot.names.index(name)
             for name in ("测试甲科技有限公司", "测试乙科技有限公司", "测试丙科技有限公司")}
    candidates = np.array(sorted(nodes.values()), dtype=np.int64)
    local = local_mask(views, resolve_scope(views, region="上海"), candidates)
    assert {name for name, node in nodes.items() if local[node]} == {
        "测试甲科技有限公司", "测试丙科技有限公司"}
    nanjing = local_mask(views, resolve_scope(views, region="南京"), candidates)
    assert {name for name, node in nodes.items() if nanjing[node]} == {"测试乙科技有限公司"}
    changning = resolve_scope(views, region="上海市长宁区")  # as a list writes it
    assert {name for name, node in nodes.items()
            if local_mask(views, changning, candidates)[node]} == {"测试甲科技有限公司"}
