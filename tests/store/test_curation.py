"""Provenance and curation: retracting a source, merging, unmerging, reviewing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from xietong.api import Ecosystem, NotFound
from xietong.store.schema import metadata


def write_jsonl(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                    encoding="utf-8")
    return path


def entity(kind: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"entity": kind, "name": name, **extra}


def relation(subject: str, predicate: str, obj: str) -> dict[str, Any]:
    return {"relation": predicate, "subject": subject, "object": obj}


def test_migrations_match_the_schema(eco: Ecosystem) -> None:
    with eco.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_retracting_a_source_removes_exactly_what_it_alone_supports(
        eco: Ecosystem, tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [
        entity("park", "模速空间"),
        entity("enterprise", "上海无问芯穹智能科技有限公司", aliases=["无问芯穹"]),
        entity("enterprise", "上海阶跃星辰智能科技有限公司"),
        relation("无问芯穹", "located_in_park", "模速空间"),
        relation("上海阶跃星辰智能科技有限公司", "located_in_park", "模速空间"),
    ])
    b = write_jsonl(tmp_path / "b.jsonl", [
        entity("park", "模速空间"),
        entity("enterprise", "上海无问芯穹智能科技有限公司"),
        relation("上海无问芯穹智能科技有限公司", "located_in_park", "模速空间"),
    ])
    eco.import_file(a)
    eco.import_file(b)
    before = eco.stats()
    eco.retract("a.jsonl")
    after = eco.stats()
    # the shared fact survives (b supports it too); a's own fact and entity are gone
    assert after.relations_by_type == {"located_in_park": 1}
    assert before.relations_by_type == {"located_in_park": 2}
    with pytest.raises(NotFound):
        eco.entity("上海阶跃星辰智能科技有限公司")
    profile = eco.profile("上海无问芯穹智能科技有限公司")
    assert [s["source"] for r in profile.relations for s in r["sources"]] == ["b.jsonl"]
    # a's alias went with it
    assert "无问芯穹" not in {n["alias"] for n in profile.names}
    # importing a again brings everything back
    eco.import_file(a)
    assert eco.stats().relations_by_type == before.relations_by_type


def test_merge_unmerge_and_remembered_decisions(eco: Ecosystem, tmp_path: Path) -> None:
    revisions = [eco.revision()]

    def moved() -> bool:  # every write moves the revision that caches trust (store.state)
        revisions.append(eco.revision())
        return revisions[-1] != revisions[-2]

    eco.import_file(write_jsonl(tmp_path / "a.jsonl", [
        entity("enterprise", "上海智元新创技术有限公司"),
        relation("上海智元新创技术有限公司", "located_in_region", "浦东新区"),
    ]))
    assert moved()
    eco.import_file(write_jsonl(tmp_path / "b.jsonl", [
        entity("enterprise", "AgiBot"),
        relation("AgiBot", "cooperates", "上海交通大学"),
    ]))
    assert moved()
    eco.import_file(tmp_path / "b.jsonl", dry_run=True)
    assert not moved()  # a dry run writes nothing
    assert eco.entity("AgiBot").id != eco.entity("上海智元新创技术有限公司").id
    eco.merge("AgiBot", "上海智元新创技术有限公司")
    assert moved()
    merged = eco.profile("AgiBot")
    assert merged.name == "上海智元新创技术有限公司"
    assert {r["predicate"] for r in merged.relations} == {"located_in_region", "cooperates"}
    assert len(merged.merges) == 1

    undone = eco.unmerge("AgiBot")
    assert len(undone) == 1 and moved()
    apart = eco.profile("AgiBot")
    assert apart.name == "AgiBot"
    assert {r["predicate"] for r in apart.relations} == {"cooperates"}
    # the verdict "different" outlives a retraction and holds when the name comes back
    eco.retract("b.jsonl")
    assert moved()
    eco.import_file(tmp_path / "b.jsonl")
    assert eco.entity("AgiBot").id != eco.entity("上海智元新创技术有限公司").id
    assert len(set(revisions)) == len(revisions) - 1  # only the dry run left it alone


def test_review_queue_accept_merges_and_reject_is_remembered(
        eco: Ecosystem, tmp_path: Path, data_dir: Path) -> None:
    rows = [json.loads(line) for line in
            (data_dir / "chainkg" / "company.jsonl").read_text("utf-8").splitlines()[:1500]]
    eco.import_file(write_jsonl(tmp_path / "full.jsonl",
                                [entity("enterprise", r["fullname"]) for r in rows]))
    short = write_jsonl(tmp_path / "short.jsonl",
                        [entity("enterprise", r["name"]) for r in rows[:400]])
    eco.import_file(short)
    pending = eco.reviews(limit=1000)
    assert len(pending) >= 2, "real short names include pairs a person must look at"
    for row in pending:  # every queued pair names its candidate, score and rule
        assert row["candidate"] and 0 < row["score"] <= 1 and row["rule"]
    accepted, rejected = pending[0], pending[1]
    eco.decide(accepted["id"], same=True)
    eco.decide(rejected["id"], same=False)
    assert eco.entity(str(accepted["entity_id"])).id == eco.entity(str(accepted["candidate_id"])).id
    assert eco.entity(str(rejected["entity_id"])).id != eco.entity(str(rejected["candidate_id"])).id
    open_ids = {r["id"] for r in eco.reviews()}
    assert accepted["id"] not in open_ids and rejected["id"] not in open_ids
    with pytest.raises(ValueError):
        eco.decide(accepted["id"], same=True)
    # a rejected pair is never queued again, even when its source is imported afresh
    eco.retract("short.jsonl")
    eco.import_file(short)
    pairs = {(r["entity_id"], r["candidate_id"]) for r in eco.reviews(limit=1000)}
    assert (rejected["entity_id"], rejected["candidate_id"]) not in pairs
