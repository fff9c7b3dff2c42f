"""Where an organisation says it is without a located_in fact (matching and chain scope)."""

from __future__ import annotations

from xietong.resolve.located import stated_region


def test_the_written_region_wins_and_is_read_beside_the_names() -> None:
    # 宝山区 is a district of 上海 and of 双鸭山: a 上海 company's is 上海's
    baoshan = stated_region("上海钢联电子商务股份有限公司", "宝山区")
    assert baoshan is not None and baoshan.code.startswith("31")
    # registered under a 上海 name, written as being in 苏州: 苏州
    suzhou = stated_region("上海某某科技有限公司", "江苏省苏州市")
    assert suzhou is not None and suzhou.code.startswith("3205")
    named = stated_region("上海某某科技有限公司", None)
    assert named is not None and named.name == "上海市"
    assert stated_region("", "宝山区") is None  # ambiguous without a name to read it by
    assert stated_region("", None) is None
