"""Typing an organisation by the end of its name."""

from __future__ import annotations

import pytest

from xietong.model.org_types import government_forms, org_type_by_name


@pytest.mark.parametrize(("name", "kind"), [
    ("上海阶跃星辰智能科技有限公司", "enterprise"),
    ("上海国和投资有限公司", "investor"),  # an investment company is registered as 公司
    ("红杉资本", "investor"),
    ("上海交通大学", "institute"),
    ("上海交通大学人工智能研究院", "institute"),
    ("上海交大", "institute"),  # universities' short names (交通大学, 师范大学, 工业大学)
    ("华东师大", "institute"),
    ("哈工大", "institute"),
    ("科大讯飞", None),  # 科大 begins it: a company
    ("浦东新区科经委", "government"),
    ("徐汇区人民政府", "government"),
    ("中建三局", "enterprise"),  # a state builder, not a bureau
    ("广东电网有限责任公司东莞供电局", "enterprise"),  # a company's unit
    ("艺康中国餐饮服务事业部", "enterprise"),
    ("上汽集团", "enterprise"),
    ("上海海关", "government"),
    ("申花足球俱乐部", None),  # its 部 is no ministry's
    ("模速空间", None),  # a park, or a brand: the name alone does not say
    ("智元机器人", None),
])
def test_the_suffix_decides_or_says_nothing(name: str, kind: str | None) -> None:
    assert org_type_by_name(name) == kind


def test_the_two_forms_of_a_governments_name() -> None:
    assert government_forms("上海市人民政府") == ("上海市政府",)
    assert government_forms("徐汇区政府") == ("徐汇区人民政府",)
    assert government_forms("上海市经信委") == ()
