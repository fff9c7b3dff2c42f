"""Chinese labels for the resolver's rules and features, for the review queue and merges.

A stored review keeps the resolver's evidence as English keys (``Match.rule`` and
``Match.features``): raw signs for decisions by rule, log-odds contributions for the learned
model's. ``explain`` turns either into one readable line.
"""

from __future__ import annotations

from collections.abc import Mapping

from xietong.i18n import N_, _

RULE_LABELS: dict[str, str] = {
    "credit_code": N_("统一社会信用代码相同"),
    "credit_code_conflict": N_("统一社会信用代码不同"),
    "decision": N_("此前人工判定"),
    "exact_name": N_("名称完全相同"),
    "legal_name": N_("注册名字号与行业相同"),
    "trade_name+region": N_("注册名字号、行业与地区相同"),
    "legal_name_similar": N_("注册名字号相同、行业相近"),
    "legal_names_differ": N_("注册名不同"),
    "generic_name": N_("通用名称，无字号可辨"),
    "abbreviation": N_("简称完整出现在全称中"),
    "scored": N_("模型评分"),
    "unit_of_group": N_("疑为集团下属或分支单位"),
    "short_names_differ": N_("双方简称不一致"),
    "short_partial": N_("三字简称不是对方名称的连续片段"),
    "ambiguous": N_("多个候选得分接近"),
    "subsidiary": N_("候选为子公司或分支机构"),
    "short_name": N_("两字名称，易与普通词混淆"),
    "region_conflict": N_("地区冲突"),
    "numeral_conflict": N_("编号不同"),
    "latin_name": N_("英文名不同"),
    "no_candidate": N_("无候选"),
    "guessed_type": N_("数据集的类型为推测，即同名园区"),
}

# (label, whether the sign speaks for the same organisation)
FEATURE_LABELS: dict[str, tuple[str, bool]] = {
    "abbreviation": (N_("简称覆盖"), True),
    "abbreviation_full": (N_("简称完整出现"), True),
    "trade_cover": (N_("字号覆盖"), True),
    "trade_similarity": (N_("字号相似"), True),
    "trade_equal": (N_("字号相同"), True),
    "trade_found": (N_("字号出现在全称中"), True),
    "trade_and_industry": (N_("字号与行业词均相符"), True),
    "same_head": (N_("开头相同"), True),
    "core_equal": (N_("去掉地区与组织形式后相同"), True),
    "same_core": (N_("字号与行业相同"), True),
    "region_agree": (N_("地区一致"), True),
    "industry_agree": (N_("行业词一致"), True),
    "industry_bridge": (N_("行业词在全称中重现"), True),
    "rank_first": (N_("候选中排名第一"), True),
    "margin": (N_("领先其他候选"), True),
    "candidate_joint_stock": (N_("候选为股份公司"), True),
    "listed_pair": (N_("上市简称对股份公司"), True),
    "both_legal": (N_("双方均为注册名"), True),
    "credit_code": (N_("信用代码相同"), True),
    "exact_name": (N_("名称完全相同"), True),
    "decision_same": (N_("人工判定为同一"), True),
    "guessed_type": (N_("类型为数据集推测"), True),
    "region_nested": (N_("地区为上下级"), False),
    "region_one_side": (N_("仅一方写明地区"), False),
    "region_conflict": (N_("地区冲突"), False),
    "industry_conflict": (N_("行业词冲突"), False),
    "business_differs": (N_("经营业务不同"), False),
    "business_added": (N_("一方另有业务词"), False),
    "added_business": (N_("全称另有业务词"), False),
    "form_conflict": (N_("组织形式不同"), False),
    "form_mismatch": (N_("上市简称对非股份公司"), False),
    "holding_form": (N_("一方为控股公司"), False),
    "trade_inside": (N_("字号嵌在对方字号中"), False),
    "trade_late": (N_("字号位置靠后"), False),
    "trade_shared": (N_("字号为多家共用"), False),
    "scattered_head": (N_("简称开头在全称中分散"), False),
    "partial": (N_("简称未完整出现"), False),
    "unit_word": (N_("全称多出下属单位词"), False),
    "group_unit": (N_("集团下属单位"), False),
    "group_company": (N_("集团与其上市公司"), False),
    "regional_unit": (N_("地区子公司"), False),
    "candidate_subsidiary": (N_("候选为子公司或分支"), False),
    "generic_trade": (N_("无字号的通用名称"), False),
    "group_and_regional": (N_("集团对地区公司"), False),
    "numeral_conflict": (N_("编号不同"), False),
    "latin_differs": (N_("英文名不同"), False),
    "latin_prefix": (N_("英文名为前缀"), False),
    "short_name": (N_("两字名称"), False),
    "short_has_industry": (N_("简称带行业词"), False),
    "short_names_differ": (N_("双方简称不一致"), False),
    "claims_listed": (N_("上市公司简称"), False),
    "listed_unlisted": (N_("上市简称对非股份公司"), False),
    "listed_brand": (N_("上市简称对品牌名"), False),
    "three_chars": (N_("三字名称"), False),
    "short_partial": (N_("三字简称不是对方名称的连续片段"), False),
    "scattered_unlisted": (N_("简称分散在非上市公司名称中"), False),
    "inside_unlisted": (N_("字号嵌在非上市公司字号中"), False),
    "brand_regional": (N_("品牌对某地注册公司"), False),
    "group_form": (N_("一方为集团"), False),
    "reversed": (N_("注册名对简称"), False),
    "runner_up": (N_("次优候选接近"), False),
    "credit_code_conflict": (N_("信用代码不同"), False),
}
# Features that are shares (0..1) when stored raw: shown as percentages
_SHARES = frozenset({"abbreviation", "trade_cover", "trade_similarity"})
# Raw signs a reader looks for first
_KEY_SIGNS = frozenset({"trade_equal", "same_core", "industry_agree", "region_agree",
                        "credit_code", "exact_name"})


def rule_label(rule: str) -> str:
    """The rule's Chinese label; a model review's rule is the feature that held it back."""
    if rule in RULE_LABELS:
        return _(RULE_LABELS[rule])
    if rule in FEATURE_LABELS:
        return _(FEATURE_LABELS[rule][0])
    return rule


def explain(rule: str, features: Mapping[str, float] | None, limit: int = 3) -> str:
    """One line: the rule, then the strongest signs for and against the same organisation.

    Decisions by rule store raw signs (shares shown as percentages); the model's store
    log-odds contributions, ranked by size."""
    features = features or {}
    model = rule not in RULE_LABELS or rule in ("abbreviation", "scored", "unit_of_group",
                                                  "short_names_differ", "short_partial")
    model = model and "bias" in features
    pro: list[tuple[float, str]] = []
    con: list[tuple[float, str]] = []
    for key, value in features.items():
        if key == "bias" or key not in FEATURE_LABELS or not value:
            continue
        label, speaks_for = FEATURE_LABELS[key]
        text = _(label)
        if model:
            # only signs the model weighs the way they read (字号相同 for, 地区冲突 against):
            # correlated features can carry the other sign, which would read as nonsense
            if (value > 0) == speaks_for:
                (pro if speaks_for else con).append((abs(value), text))
            continue
        weight = 3.0 if key in _KEY_SIGNS else 2.0
        if key in _SHARES:
            if value >= 1.0:
                continue  # the full share is said by 字号相同 and the like
            text = _("{label} {share:.0%}").format(label=text, share=value)
            weight = value
        (pro if speaks_for else con).append((weight, text))
    parts = [rule_label(rule)]
    if pro:
        parts.append(_("相符：{signs}").format(
            signs="、".join(t for _w, t in sorted(pro, key=lambda p: -p[0])[:limit])))
    if con:
        parts.append(_("疑点：{signs}").format(
            signs="、".join(t for _w, t in sorted(con, key=lambda p: -p[0])[:limit])))
    return "；".join(parts)
