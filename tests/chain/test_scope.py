"""Which firms are local to a region: through the graph's places and their codes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from xietong.api import Ecosystem
from xietong.chain.graph import GraphViews
from xietong.chain.scope import local_mask, resolve_scope


def local_firms(eco: Ecosystem, names: tuple[str, ...], region: str) -> set[str]:
    """Which of ``names`` a chain report scoped to ``region`` counts as local."""
    snapshot = eco.snapshot()
    views = GraphViews(snapshot)
    nodes = {name: snapshot.names.index(name) for name in names}
    candidates = np.array(sorted(nodes.values()), dtype=np.int64)
    local = local_mask(views, resolve_scope(views, region=region), candidates)
    return {name for name, node in nodes.items() if local[node]}


def test_a_district_new_to_the_graph_is_inside_its_city(eco: Ecosystem, tmp_path: Path) -> None:
    """长宁区 is not among the demo's regions: a list that puts a firm there makes it a new
    region, linked to nothing. Its division code places it in 上海 all the same; 南京市鼓楼区
    is not there."""
    eco.import_demo()
    path = tmp_path / "名录.csv"
    path.write_text("企业名称,所在区\n测试甲科技有限公司,长宁区\n测试乙科技有限公司,南京市鼓楼区\n"
                    "测试丙科技有限公司,徐汇区\n", encoding="utf-8")
    eco.import_file(path)
    firms = ("测试甲科技有限公司", "测试乙科技有限公司", "测试丙科技有限公司")
    assert local_firms(eco, firms, "上海") == {"测试甲科技有限公司", "测试丙科技有限公司"}
    assert local_firms(eco, firms, "南京") == {"测试乙科技有限公司"}
    # as a list writes it
    assert local_firms(eco, firms, "上海市长宁区") == {"测试甲科技有限公司"}


def test_a_registry_exports_district_places_a_firm(eco: Ecosystem, tmp_path: Path) -> None:
    """A 企查查 export gives the district as 所属区县 (the 所在地 attribute), with no link to a
    region: the firm is local to its city all the same, and a bare 普陀区 (also a district
    of 舟山) is placed by the export's 所属城市."""
    eco.import_demo()
    path = tmp_path / "企查查导出.csv"
    path.write_text("企业名称,所属城市,所属区县\n测试丁科技有限公司,上海市,普陀区\n"
                    "测试戊科技有限公司,舟山市,普陀区\n测试己科技有限公司,,\n",
                    encoding="utf-8")
    eco.import_file(path)
    firms = ("测试丁科技有限公司", "测试戊科技有限公司", "测试己科技有限公司")
    assert local_firms(eco, firms, "上海") == {"测试丁科技有限公司"}
    assert local_firms(eco, firms, "舟山") == {"测试戊科技有限公司"}
