"""The one registry of entity types, relation types and attributes.

Every Chinese label used by importers, the CLI and the docs resolves here, so
"合作", "cooperates" and "cooperates_with" can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ValueKind = Literal["text", "int", "float", "date", "credit_code", "list", "bool"]


@dataclass(frozen=True, slots=True)
class EntityType:
    key: str
    label: str  # Chinese label shown to users
    description: str
    # Legal organisations go through Chinese organisation-name resolution; parks and
    # government bodies are named by place (静安区科委 vs 静安区委), where 字号 matching misleads.
    organisation: bool = False


@dataclass(frozen=True, slots=True)
class RelationType:
    key: str
    label: str
    description: str
    origin: str  # "ickg", "chainkg" or "ecosystem"
    domain: tuple[str, ...]  # allowed subject types; the first is the default for unknown names
    range: tuple[str, ...]  # allowed object types; the first is the default
    symmetric: bool = False
    weighted: bool = False
    aliases: tuple[str, ...] = ()  # further labels accepted on input


@dataclass(frozen=True, slots=True)
class AttributeType:
    key: str
    label: str
    kind: ValueKind
    description: str
    unit: str | None = None
    entity_types: tuple[str, ...] = ()  # empty: any type
    # an amount of money: a cell may name its currency (3000万元人民币, 500万美元); amounts in
    # another currency keep it in their fact's unit, as no exchange rate is applied
    money: bool = False


ENTITY_TYPES: tuple[EntityType, ...] = (
    EntityType("enterprise", "企业", "A company or other business.", organisation=True),
    EntityType("park", "园区/载体", "An industrial park, incubator or innovation community."),
    EntityType("region", "区域", "A province, city or district, with its administrative code."),
    EntityType("investor", "投资机构/基金", "An investor, venture firm or fund.", organisation=True),
    EntityType("institute", "科研院所/高校", "A university, laboratory or innovation centre.",
               organisation=True),
    EntityType("government", "政府部门", "A government body or agency."),
    EntityType("person", "人物", "A person, with title and organisation."),
    EntityType("product", "产品/技术", "A product, material or technology."),
    EntityType("industry", "行业", "An industry category (e.g. 申万 classification)."),
    EntityType("patent", "专利", "A patent, by title."),
    EntityType("chain_segment", "产业链环节", "A segment of an industry chain."),
    EntityType("demand", "需求", "A scenario or technology demand (场景需求/技术需求)."),
    EntityType("policy", "政策", "A policy or support measure."),
    EntityType("event", "活动", "A matchmaking event, roadshow or competition (对接会/路演)."),
)

_ANY_ORG = ("enterprise", "investor", "institute", "government", "park")
_PRODUCTISH = ("product", "patent", "industry")

RELATION_TYPES: tuple[RelationType, ...] = (
    # ICKG's 13 relations
    RelationType("operates_in", "涉足行业", "Operates in an industry.", "ickg",
                 _ANY_ORG, ("industry",)),
    RelationType("belongs_to_industry", "归属于行业", "Belongs to an industry.", "ickg",
                 ("product", "enterprise", "industry", "patent"), ("industry",)),
    RelationType("contains", "包含", "Contains (an industry or product contains another).", "ickg",
                 ("industry", "product", "enterprise"), ("product", "industry")),
    RelationType("cooperates", "合作", "Cooperates with.", "ickg", _ANY_ORG, _ANY_ORG,
                 symmetric=True),
    RelationType("upstream_of", "上游于", "Is upstream of.", "ickg",
                 ("product", "industry", "enterprise"), ("product", "industry", "enterprise")),
    RelationType("holds_patent", "持有专利", "Holds a patent.", "ickg",
                 _ANY_ORG, ("patent",)),
    RelationType("supplies", "供给", "Supplies (a product or a customer).", "ickg",
                 ("enterprise",), ("enterprise", "product")),
    RelationType("acquires", "并购", "Acquires.", "ickg", _ANY_ORG, ("enterprise",),
                 aliases=("收购",)),
    RelationType("invests", "投资", "Invests in.", "ickg",
                 ("investor", "enterprise", "government"), ("enterprise",),
                 aliases=("入股", "注资")),
    RelationType("controls", "母公司/控股", "Is the parent of / controls.", "ickg",
                 ("enterprise", "investor", "government"), ("enterprise",),
                 aliases=("控股", "母公司", "持股")),
    RelationType("competes", "竞争", "Competes with.", "ickg", ("enterprise",), ("enterprise",),
                 symmetric=True),
    RelationType("produces_from_patent", "基于专利生产",
                 "Produces (a product) based on its patents.", "ickg",
                 _ANY_ORG, ("product", "patent")),
    RelationType("joint_venture", "合资", "Forms a joint venture with.", "ickg",
                 ("enterprise",), ("enterprise",), symmetric=True),
    # ChainKG's relations
    RelationType("main_product", "主营产品", "Main product, weighted by revenue share.",
                 "chainkg", ("enterprise",), ("product",), weighted=True),
    RelationType("upstream_material", "上游材料", "Has this upstream material.", "chainkg",
                 ("product",), ("product",)),
    RelationType("sub_product", "产品小类", "Has this sub-product.", "chainkg",
                 ("product",), ("product",)),
    RelationType("downstream_product", "下游产品", "Has this downstream product.", "chainkg",
                 ("product",), ("product",)),
    RelationType("in_industry", "所属行业", "Is classified in an industry.", "chainkg",
                 ("enterprise",), ("industry",)),
    RelationType("parent_industry", "上级行业", "Has this parent industry.", "chainkg",
                 ("industry",), ("industry",)),
    RelationType("upstream_industry", "上游行业", "Has this upstream industry (weight: count).",
                 "chainkg", ("industry",), ("industry",), weighted=True),
    # The ecosystem's relations
    RelationType("located_in_park", "入驻园区", "Is located in a park.", "ecosystem",
                 ("enterprise", "investor", "institute", "government"), ("park",),
                 aliases=("入驻", "位于园区")),
    RelationType("located_in_region", "位于区域", "Is located in a region.", "ecosystem",
                 _ANY_ORG + ("region",), ("region",), aliases=("位于", "所在区域")),
    RelationType("posted_demand", "发布需求", "Posted a demand.", "ecosystem",
                 _ANY_ORG, ("demand",)),
    RelationType("issued_policy", "发布政策", "Issued a policy.", "ecosystem",
                 ("government", "park", "region"), ("policy",)),
    RelationType("member_of_segment", "属于链环节", "Is a member of a chain segment.",
                 "ecosystem", ("enterprise", "product", "industry"), ("chain_segment",)),
    RelationType("works_for", "任职于", "A person holds a position at an organisation.",
                 "ecosystem", ("person",), _ANY_ORG),
    RelationType("operates_park", "运营园区", "Operates or builds a park.", "ecosystem",
                 _ANY_ORG, ("park",), aliases=("运营",)),
    RelationType("launches", "发布产品", "Launches a product or technology.", "ecosystem",
                 _ANY_ORG, ("product",)),
    RelationType("leads", "牵头", "Leads (a project, alliance or event).", "ecosystem",
                 _ANY_ORG, _ANY_ORG + ("event",)),
    RelationType("organises_event", "举办活动", "Organises an event.", "ecosystem",
                 _ANY_ORG, ("event",)),
    RelationType("takes_part_in", "参与活动", "Takes part in an event.", "ecosystem",
                 _ANY_ORG + ("person",), ("event",)),
)

ATTRIBUTE_TYPES: tuple[AttributeType, ...] = (
    AttributeType("credit_code", "统一社会信用代码", "credit_code",
                  "18-character unified social credit code, check digit validated.",
                  entity_types=_ANY_ORG),
    AttributeType("stock_code", "股票代码", "text", "Stock code, e.g. 688268.SH."),
    AttributeType("exchange", "上市地", "text", "Stock exchange."),
    AttributeType("listing_date", "上市日期", "date", "Listing date."),
    AttributeType("founded", "成立日期", "date", "Founding date."),
    AttributeType("region", "所在地", "text", "Region name (province/city/district)."),
    AttributeType("admin_code", "行政区划代码", "text", "GB/T 2260 administrative code.",
                  entity_types=("region",)),
    AttributeType("level", "行政级别", "text", "province, city or district.",
                  entity_types=("region",)),
    AttributeType("industry_code", "行业代码", "text", "Industry classification code.",
                  entity_types=("industry",)),
    AttributeType("headcount", "员工人数", "int", "Number of employees.", unit="人"),
    AttributeType("revenue", "营业收入", "float", "Revenue.", unit="万元"),
    AttributeType("registered_capital", "注册资本", "float", "Registered capital.", unit="万元",
                  entity_types=_ANY_ORG, money=True),
    AttributeType("paid_in_capital", "实缴资本", "float", "Paid-in capital.", unit="万元",
                  entity_types=_ANY_ORG, money=True),
    AttributeType("legal_representative", "法定代表人", "text",
                  "Legal representative, as registered.", entity_types=_ANY_ORG),
    AttributeType("registration_status", "登记状态", "text",
                  "Registration status: 存续, 在业, 注销, 吊销, 迁出 …", entity_types=_ANY_ORG),
    AttributeType("company_kind", "企业类型", "text",
                  "Registered kind, e.g. 有限责任公司(自然人投资或控股).", entity_types=_ANY_ORG),
    AttributeType("address", "地址", "text", "Registered or office address."),
    AttributeType("business_scope", "经营范围", "text", "Registered business scope.",
                  entity_types=_ANY_ORG),
    AttributeType("insured_headcount", "参保人数", "int",
                  "Employees covered by social insurance.", unit="人"),
    AttributeType("rd_ratio", "研发投入占比", "float", "R&D spend as a share of revenue (0–1)."),
    AttributeType("qualifications", "资质", "list",
                  "Qualifications such as 高新技术企业, 专精特新, 小巨人."),
    AttributeType("description", "简介", "text", "Short description."),
    AttributeType("english_name", "英文名", "text", "English name."),
    AttributeType("website", "网址", "text", "Website."),
    AttributeType("title", "职务", "text", "A person's title.", entity_types=("person",)),
    AttributeType("area", "面积", "float", "Area.", unit="平方米"),
    AttributeType("enterprise_count", "企业数量", "int", "Number of enterprises.", unit="家"),
    AttributeType("registered_model_count", "备案模型数", "int",
                  "Number of registered (备案) large models.", unit="个"),
    AttributeType("industry_scale", "产业规模", "float", "Industry output.", unit="亿元"),
    AttributeType("fund_size", "基金规模", "float", "Fund size.", unit="亿元"),
    AttributeType("talent_count", "人才数量", "int", "Number of talents or staff.", unit="人"),
    AttributeType("metric", "指标", "float", "Any other figure; its name goes in the unit."),
    AttributeType("event_date", "活动日期", "date", "Date of an event.",
                  entity_types=("event",)),
    AttributeType("demand_kind", "需求类型", "text", "场景需求 or 技术需求.",
                  entity_types=("demand",)),
)


@dataclass(slots=True)
class Registry:
    entity_types: dict[str, EntityType] = field(default_factory=dict)
    relation_types: dict[str, RelationType] = field(default_factory=dict)
    attribute_types: dict[str, AttributeType] = field(default_factory=dict)
    _labels: dict[str, str] = field(default_factory=dict)  # any label -> relation key
    _entity_labels: dict[str, str] = field(default_factory=dict)
    _attribute_labels: dict[str, str] = field(default_factory=dict)

    def relation(self, label: str) -> RelationType:
        """A relation type by key, Chinese label or alias; KeyError lists the valid ones."""
        key = self._labels.get(label.strip())
        if key is None:
            valid = "、".join(f"{r.label}({r.key})" for r in self.relation_types.values())
            raise KeyError(f"未知关系 {label!r}；可选：{valid}")
        return self.relation_types[key]

    def entity_type(self, label: str) -> EntityType:
        key = self._entity_labels.get(label.strip())
        if key is None:
            valid = "、".join(f"{t.label}({t.key})" for t in self.entity_types.values())
            raise KeyError(f"未知实体类型 {label!r}；可选：{valid}")
        return self.entity_types[key]

    def attribute(self, label: str) -> AttributeType:
        key = self._attribute_labels.get(label.strip())
        if key is None:
            valid = "、".join(f"{a.label}({a.key})" for a in self.attribute_types.values())
            raise KeyError(f"未知属性 {label!r}；可选：{valid}")
        return self.attribute_types[key]

    def is_relation(self, label: str) -> bool:
        return label.strip() in self._labels


def _build() -> Registry:
    reg = Registry()
    for et in ENTITY_TYPES:
        reg.entity_types[et.key] = et
        for label in (et.key, et.label, *et.label.split("/")):
            reg._entity_labels[label] = et.key
    for rt in RELATION_TYPES:
        reg.relation_types[rt.key] = rt
        for label in (rt.key, rt.label, *rt.aliases):
            if label in reg._labels and reg._labels[label] != rt.key:
                raise ValueError(f"relation label {label!r} is used twice")
            reg._labels[label] = rt.key
    for at in ATTRIBUTE_TYPES:
        reg.attribute_types[at.key] = at
        reg._attribute_labels[at.key] = at.key
        reg._attribute_labels[at.label] = at.key
    return reg


REGISTRY = _build()
