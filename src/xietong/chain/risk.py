"""红/黄/蓝 risk grades from documented, configurable rules (risk_rules.yaml).

A rule is a grade, a reason and clauses ``[metric, op, value]`` that must all hold. Rules
are data so that a district can tighten them without code; the metrics each rule may use
are listed in SEGMENT_METRICS and ENTERPRISE_METRICS and documented in docs/chains.md.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

GRADES = ("red", "yellow", "blue")
GRADE_LABELS = {"red": "红", "yellow": "黄", "blue": "蓝", None: "正常"}
SEGMENT_METRICS = ("local_enterprises", "national_enterprises", "downstream_local_firms",
                   "hhi", "local_supply_rate", "supply_links", "single_source_links")
ENTERPRISE_METRICS = ("sole_supplier_of", "single_source", "segment_share",
                      "segment_local_enterprises", "local_customers", "suppliers")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne,
    ">=": operator.ge, ">": operator.gt,
}


class RuleError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Rule:
    grade: str
    reason: str
    clauses: tuple[tuple[str, str, float], ...]

    def holds(self, metrics: Mapping[str, float | None]) -> bool:
        for metric, op, value in self.clauses:
            actual = metrics.get(metric)
            if actual is None or not _OPS[op](actual, value):
                return False
        return True


@dataclass(frozen=True, slots=True)
class RiskRules:
    segment: tuple[Rule, ...]
    enterprise: tuple[Rule, ...]
    thresholds: Mapping[str, float]
    source: str

    def grade_segment(self, metrics: Mapping[str, float | None]) -> tuple[str | None, list[str]]:
        return _grade(self.segment, metrics)

    def grade_enterprise(self, metrics: Mapping[str, float | None]) -> tuple[str | None, list[str]]:
        return _grade(self.enterprise, metrics)


def _grade(rules: tuple[Rule, ...], metrics: Mapping[str, float | None]
           ) -> tuple[str | None, list[str]]:
    """The first matching rule's grade; reasons of every matching rule (most severe first)."""
    fired = [r for r in rules if r.holds(metrics)]
    if not fired:
        return None, []
    return fired[0].grade, [r.reason for r in fired]


def _rules(raw: Any, allowed: tuple[str, ...], where: str) -> tuple[Rule, ...]:
    if not isinstance(raw, list):
        raise RuleError(f"{where}：必须是规则列表")
    out = []
    for n, item in enumerate(raw, 1):
        at = f"{where} 第 {n} 条规则"
        if not isinstance(item, dict) or not {"grade", "reason", "all"} <= set(item):
            raise RuleError(f"{at}：需要 grade、reason 和 all")
        if item["grade"] not in GRADES:
            raise RuleError(f"{at}：grade {item['grade']!r} 无效；可选：{', '.join(GRADES)}")
        clauses = []
        for clause in item["all"]:
            if not (isinstance(clause, list) and len(clause) == 3):
                raise RuleError(f"{at}：条件应为 [metric, op, value]，实际为 {clause!r}")
            metric, op, value = clause
            if metric not in allowed:
                raise RuleError(f"{at}：未知指标 {metric!r}；可用指标：{', '.join(allowed)}")
            if op not in _OPS:
                raise RuleError(f"{at}：未知运算符 {op!r}；可用运算符：{' '.join(_OPS)}")
            if not isinstance(value, (int, float)):
                raise RuleError(f"{at}：值 {value!r} 必须是数字")
            clauses.append((metric, op, float(value)))
        out.append(Rule(item["grade"], str(item["reason"]), tuple(clauses)))
    return tuple(out)


def parse_rules(text: str, source: str) -> RiskRules:
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise RuleError(f"{source}: 不是有效的 YAML：{exc}") from None
    try:
        return RiskRules(
            segment=_rules(raw.get("segment", []), SEGMENT_METRICS, "segment"),
            enterprise=_rules(raw.get("enterprise", []), ENTERPRISE_METRICS, "enterprise"),
            thresholds={"weak_segment_max": 2, **(raw.get("thresholds") or {})},
            source=source,
        )
    except RuleError as exc:
        raise RuleError(f"{source}: {exc}") from None


def load_rules(path: str | os.PathLike[str] | None = None) -> RiskRules:
    if path is None:
        text = resources.files("xietong.chain").joinpath("risk_rules.yaml").read_text("utf-8")
        return parse_rules(text, "xietong:chain/risk_rules.yaml")
    file = Path(path)
    if not file.is_file():
        raise RuleError(f"{file}: 规则文件不存在")
    return parse_rules(file.read_text(encoding="utf-8"), str(file))
