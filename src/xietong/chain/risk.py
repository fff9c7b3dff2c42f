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
                   "hhi", "local_supply_rate", "single_source_links")
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
        raise RuleError(f"{where} must be a list of rules")
    out = []
    for n, item in enumerate(raw, 1):
        at = f"{where} rule {n}"
        if not isinstance(item, dict) or not {"grade", "reason", "all"} <= set(item):
            raise RuleError(f"{at}: needs grade, reason and all")
        if item["grade"] not in GRADES:
            raise RuleError(f"{at}: grade {item['grade']!r} is not one of {', '.join(GRADES)}")
        clauses = []
        for clause in item["all"]:
            if not (isinstance(clause, list) and len(clause) == 3):
                raise RuleError(f"{at}: a clause is [metric, op, value], got {clause!r}")
            metric, op, value = clause
            if metric not in allowed:
                raise RuleError(f"{at}: unknown metric {metric!r}; metrics: {', '.join(allowed)}")
            if op not in _OPS:
                raise RuleError(f"{at}: unknown operator {op!r}; operators: {' '.join(_OPS)}")
            if not isinstance(value, (int, float)):
                raise RuleError(f"{at}: value {value!r} must be a number")
            clauses.append((metric, op, float(value)))
        out.append(Rule(item["grade"], str(item["reason"]), tuple(clauses)))
    return tuple(out)


def parse_rules(text: str, source: str) -> RiskRules:
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise RuleError(f"{source}: not valid YAML: {exc}") from None
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
        raise RuleError(f"{file}: no such rules file")
    return parse_rules(file.read_text(encoding="utf-8"), str(file))
