"""The matchmaking Python API on the demo ecosystem: results carry reasons with sources."""

from __future__ import annotations

from xietong.api import Ecosystem


def test_match_and_recommend_through_the_api(eco: Ecosystem) -> None:
    eco.import_demo()
    found = [m.to_dict() for m in eco.match("寻找人形机器人整机合作伙伴", top=5)]
    assert found and all(m["reasons"] for m in found)
    names = {m["name"] for m in found}
    assert names & {"傅利叶", "上海智元新创技术有限公司", "擎朗", "卓益得", "开普勒机器人"}
    recommended = [m.to_dict() for m in eco.recommend("无问芯穹", "合作", top=5)]
    assert recommended and "上海无问芯穹智能科技有限公司" not in {m["name"] for m in recommended}
