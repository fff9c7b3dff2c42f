"""The curated demo ecosystem: well-formed, consistent with the registry, and every fact cited.

Each line of src/xietong/demo/ecosystem.jsonl cites a quote from a seed article in
../shared/seeds; these tests check the quotes against the real seed files.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from xietong.model.registry import REGISTRY

REPO = Path(__file__).parents[2]
SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"
DEMO = REPO / "src" / "xietong" / "demo" / "ecosystem.jsonl"
ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
KINDS = ("entity", "relation", "attribute")

# Parks the demo must contain whenever the seeds mention them: (label, term searched in seeds).
KEY_PARKS = (
    ("模速空间", "模速空间"),
    ("模力社区", "模力社区"),
    ("张江人工智能岛", "张江人工智能岛"),
    ("张江机器人谷", "张江机器人谷"),
    ("市北高新园区", "市北高新园区"),
    ("静安大宁功能区", "静安大宁功能区"),
    ("苏河湾", "苏河湾"),
    ("大零号湾", "大零号湾"),
    ("临港滴水湖AI创新港", "滴水湖AI创新港"),
    ("张江AI小镇", "张江AI小镇"),
)


@cache
def lines() -> tuple[dict[str, Any], ...]:
    out = []
    with DEMO.open(encoding="utf-8") as f:
        for number, raw in enumerate(f, start=1):
            try:
                line = json.loads(raw)
            except json.JSONDecodeError as exc:
                pytest.fail(f"{DEMO.name} line {number}: not JSON: {exc}")
            line["_line"] = number
            out.append(line)
    return tuple(out)


@cache
def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def kind(line: dict[str, Any]) -> str:
    return next(k for k in KINDS if k in line)


def entities() -> list[dict[str, Any]]:
    return [line for line in lines() if kind(line) == "entity"]


def of_kind(k: str) -> list[dict[str, Any]]:
    return [line for line in lines() if kind(line) == k]


@cache
def type_of() -> dict[str, str]:
    """Every declared name and alias -> its entity type."""
    return {label: ent["entity"] for ent in entities() for label in (ent["name"], *ent["aliases"])}


def canonical(label: str) -> str:
    for ent in entities():
        if label == ent["name"] or label in ent["aliases"]:
            return ent["name"]
    raise KeyError(label)


def test_seeds_are_present() -> None:
    assert SEEDS.is_dir(), f"seed articles not found at {SEEDS}"
    assert len(list(SEEDS.glob("*.txt"))) == 5


def test_every_line_parses_into_one_known_kind() -> None:
    required = {
        "entity": {"entity", "name", "aliases", "attrs", "source"},
        "relation": {"relation", "subject", "object", "confidence", "source"},
        "attribute": {"attribute", "subject", "value", "source"},
    }
    optional = {"entity": set(), "relation": {"valid_from"},
                "attribute": {"unit", "as_of", "confidence"}}
    assert lines(), "the demo is empty"
    for line in lines():
        kinds = [k for k in KINDS if k in line]
        assert len(kinds) == 1, f"line {line['_line']}: exactly one of {KINDS} expected"
        k = kinds[0]
        keys = set(line) - {"_line"}
        assert required[k] <= keys, f"line {line['_line']}: missing {required[k] - keys}"
        assert keys <= required[k] | optional[k], \
            f"line {line['_line']}: unexpected {keys - required[k] - optional[k]}"


def test_every_quote_is_the_seed_text_at_its_span() -> None:
    for line in lines():
        src = line["source"]
        assert set(src) == {"file", "span", "quote"}, f"line {line['_line']}"
        start, end = src["span"]
        text = seed_text(src["file"])
        assert 0 <= start < end <= len(text), f"line {line['_line']}: span out of range"
        assert text[start:end] == src["quote"], f"line {line['_line']}: quote differs from seed"
        assert src["quote"] == src["quote"].strip(), f"line {line['_line']}: quote has padding"
        assert len(src["quote"]) <= 120, f"line {line['_line']}: keep quotes short"


def test_entity_types_and_their_attributes_are_in_the_registry() -> None:
    for ent in entities():
        assert ent["entity"] in REGISTRY.entity_types, f"line {ent['_line']}"
        assert isinstance(ent["aliases"], list)
        for key, value in ent["attrs"].items():
            check_attribute(key, value, ent["entity"], f"line {ent['_line']}")


def test_relations_are_in_the_registry_and_fit_domain_and_range() -> None:
    types = type_of()
    for rel in of_kind("relation"):
        where = f"line {rel['_line']}"
        rt = REGISTRY.relation_types.get(rel["relation"])
        assert rt is not None, f"{where}: unknown relation {rel['relation']}"
        assert types[rel["subject"]] in rt.domain, f"{where}: {rel['subject']} not in domain"
        assert types[rel["object"]] in rt.range, f"{where}: {rel['object']} not in range"
        assert canonical(rel["subject"]) != canonical(rel["object"]), f"{where}: self-relation"


def test_attributes_are_in_the_registry_and_apply_to_their_subject() -> None:
    types = type_of()
    for att in of_kind("attribute"):
        where = f"line {att['_line']}"
        check_attribute(att["attribute"], att["value"], types[att["subject"]], where)
        if att["attribute"] == "metric":
            assert att.get("unit"), f"{where}: a metric names its figure in unit"


def check_attribute(key: str, value: Any, entity_type: str, where: str) -> None:
    at = REGISTRY.attribute_types.get(key)
    assert at is not None, f"{where}: unknown attribute {key}"
    assert not at.entity_types or entity_type in at.entity_types, \
        f"{where}: {key} does not apply to a {entity_type}"
    if at.kind == "int":
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: {key} int"
    elif at.kind == "float":
        assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{where}: {key}"
    elif at.kind == "date":
        assert isinstance(value, str) and ISO_DATE.match(value), f"{where}: {key} ISO date"
    elif at.kind == "list":
        assert isinstance(value, list) and all(isinstance(v, str) for v in value), where
    elif at.kind in ("text", "credit_code"):
        assert isinstance(value, str) and value.strip(), f"{where}: {key} text"


def test_every_referenced_name_is_declared_before_use() -> None:
    declared: set[str] = set()
    for line in lines():
        if kind(line) == "entity":
            declared.update((line["name"], *line["aliases"]))
            continue
        names = [line["subject"]] + ([line["object"]] if kind(line) == "relation" else [])
        for name in names:
            assert name in declared, f"line {line['_line']}: {name!r} is not declared before use"


def test_no_name_or_alias_is_declared_twice() -> None:
    seen: dict[str, int] = {}
    for ent in entities():
        labels = (ent["name"], *ent["aliases"])
        assert len(set(labels)) == len(labels), f"line {ent['_line']}: alias repeats the name"
        for label in labels:
            assert label not in seen, f"line {ent['_line']}: {label!r} also on line {seen[label]}"
            seen[label] = ent["_line"]


def test_dates_are_iso_and_confidences_are_probabilities() -> None:
    for line in lines():
        for key in ("valid_from", "as_of"):
            if key in line:
                assert ISO_DATE.match(line[key]), f"line {line['_line']}: {key} {line[key]!r}"
        if "confidence" in line:
            assert 0 < line["confidence"] <= 1, f"line {line['_line']}: confidence"


def test_key_parks_the_seeds_mention_are_in_the_demo() -> None:
    corpus = "".join(seed_text(p.name) for p in sorted(SEEDS.glob("*.txt")))
    compact = re.sub(r"\s+", "", corpus)
    parks = {label for ent in entities() if ent["entity"] == "park"
             for label in (ent["name"], *ent["aliases"])}
    mentioned = [label for label, term in KEY_PARKS if term in compact]
    assert len(mentioned) == len(KEY_PARKS), "the seeds name every key park"
    missing = [label for label in mentioned if label not in parks]
    assert not missing, f"parks missing from the demo: {missing}"


def test_every_park_is_placed_in_a_region() -> None:
    placed = {canonical(rel["subject"]) for rel in of_kind("relation")
              if rel["relation"] == "located_in_region"}
    unplaced = [ent["name"] for ent in entities()
                if ent["entity"] == "park" and ent["name"] not in placed]
    # Parks the seeds name without saying where they are.
    assert set(unplaced) <= {"紫竹国家高新技术产业开发区", "张江高新区", "阿斯利康上海国际生命科学创新园"}


def test_districts_carry_gbt2260_codes_under_shanghai() -> None:
    districts = [ent for ent in entities() if ent["entity"] == "region"
                 and ent["attrs"].get("level") == "district"]
    assert {"徐汇区", "浦东新区", "静安区", "闵行区"} <= {d["name"] for d in districts}
    parents = {canonical(rel["subject"]): canonical(rel["object"]) for rel in of_kind("relation")
               if rel["relation"] == "located_in_region"}
    shanghai = next(ent for ent in entities() if ent["name"] == "上海市")
    assert shanghai["attrs"] == {"admin_code": "310000", "level": "province"}
    for d in districts:
        assert re.fullmatch(r"3101\d\d", d["attrs"]["admin_code"]), d["name"]
        assert parents[d["name"]] == "上海市", d["name"]
    codes = {d["name"]: d["attrs"]["admin_code"] for d in districts}
    assert codes["徐汇区"] == "310104" and codes["浦东新区"] == "310115"
    assert codes["静安区"] == "310106" and codes["闵行区"] == "310112"


def test_every_person_has_a_title_and_an_organisation() -> None:
    employed = {canonical(rel["subject"]) for rel in of_kind("relation")
                if rel["relation"] == "works_for"}
    for ent in entities():
        if ent["entity"] == "person":
            assert ent["attrs"].get("title"), f"line {ent['_line']}: no title"
            assert ent["name"] in employed, f"line {ent['_line']}: no works_for"


def test_the_demo_is_broad_enough() -> None:
    facts = len(of_kind("relation")) + len(of_kind("attribute"))
    assert 80 <= len(entities()) <= 250
    assert 150 <= facts <= 400
    assert {ent["entity"] for ent in entities()} >= {
        "enterprise", "park", "region", "investor", "institute", "government", "person",
        "product", "industry", "chain_segment", "policy", "event"}


def test_key_figures_of_mosu_space() -> None:
    figures = {(att["attribute"], att.get("as_of")): att["value"] for att in of_kind("attribute")
               if canonical(att["subject"]) == "模速空间"}
    assert figures[("enterprise_count", "2025-04")] == 255
    assert figures[("registered_model_count", "2025-04")] == 34


def test_the_jsonl_is_what_the_build_script_writes() -> None:
    env = {**os.environ, "XIETONG_SEEDS": str(SEEDS)}
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_demo.py"), "--check"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr or result.stdout
