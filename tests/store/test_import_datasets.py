"""Importing the real data sets: counts match the files, provenance is kept, twice is once."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import pytest

from xietong.api import Ecosystem
from xietong.model.imports import RecordError
from xietong.resolve import importer
from xietong.resolve.deferred import HANDOVER_ENV


def _ickg_triples(folder: Path, splits: tuple[str, ...]) -> set[tuple[int, int, int]]:
    triples = set()
    for split in splits:
        for line in (folder / split).read_text(encoding="utf-8").splitlines():
            head, rel, tail, _ = line.split("\t")
            triples.add((int(head), int(rel), int(tail)))
    return triples


def test_ickg_subset_lands_whole_and_twice_is_once(eco: Ecosystem, data_dir: Path) -> None:
    folder = data_dir / "ickg-subset"
    first = eco.import_ickg(folder)
    triples = _ickg_triples(folder, ("train.txt", "valid.txt"))
    # one fact per distinct (head, relation, tail); one evidence row per quadruple line
    assert first.summary.added["facts"] == len(triples)
    lines = sum(1 for s in ("train.txt", "valid.txt")
                for _ in (folder / s).read_text(encoding="utf-8").splitlines())
    assert first.summary.added["evidence"] == lines
    stats = eco.stats()
    assert stats.facts == len(triples)
    assert sum(stats.relations_by_type.values()) == len(triples)

    again = eco.import_ickg(folder)
    assert again.summary.unchanged
    assert eco.stats() == stats


def test_ickg_relation_keeps_source_line_and_date(eco: Ecosystem, data_dir: Path) -> None:
    folder = data_dir / "ickg-subset"
    eco.import_ickg(folder)
    names = dict(line.split("\t") for line in
                 (folder / "entity2id.txt").read_text(encoding="utf-8").splitlines())
    by_id = {int(v): k for k, v in names.items()}
    dates = dict(line.split(",") for line in
                 (folder / "time2id.txt").read_text(encoding="utf-8").splitlines())
    head, rel, tail, time = (folder / "train.txt").read_text(encoding="utf-8").splitlines()[0].split("\t")
    profile = eco.profile(by_id[int(head)])
    cited = [r for r in profile.relations
             if r["other"] in (eco.entity(by_id[int(tail)]).name,) and r["direction"] == "out"]
    assert cited, f"{by_id[int(head)]} should relate to {by_id[int(tail)]}"
    sources = [s for r in cited for s in r["sources"]]
    assert any(s["locator"] == "train.txt line 1" and s["observed"] == dates[time]
               for s in sources)


def test_chainkg_companies_products_and_weights(eco: Ecosystem, chainkg_slice: Path) -> None:
    result = eco.import_chainkg(chainkg_slice)
    assert result.summary.records > 10_000
    first = json.loads((chainkg_slice / "company_product.jsonl").read_text("utf-8").splitlines()[0])
    company = next(json.loads(line) for line in
                   (chainkg_slice / "company.jsonl").read_text("utf-8").splitlines()
                   if json.loads(line)["code"].split(".")[0] == first["company_code"].split(".")[0])
    profile = eco.profile(company["fullname"])
    assert company["name"] in {n["alias"] for n in profile.names}
    products = {r["other"]: r["weight"] for r in profile.relations if r["predicate"] == "main_product"}
    assert products[first["product"]] == pytest.approx(first["weight"])
    attributes = {a["key"]: a["value"] for a in profile.attributes}
    assert attributes["stock_code"] == first["company_code"]
    # the source's own errors are reported, not silently taken: shared stock codes
    assert any("共用此股票代码" in i.reason for i in result.report.warnings)


def test_demo_ecosystem_cites_its_seed_files(eco: Ecosystem) -> None:
    eco.import_demo()
    park = eco.profile("模速空间")
    counts = [a for a in park.attributes if a["key"] == "enterprise_count"]
    assert any(a["value"] == 255 and a["as_of"] == "2025-04" for a in counts)
    cited = [s for a in counts for s in a["sources"]]
    assert all(s["document"].endswith(".txt") and s["locator"].startswith("chars ")
               and s["quote"] for s in cited)
    assert eco.import_demo().summary.unchanged


def _resolution_state(eco: Ecosystem) -> dict[str, list[tuple]]:
    queries = {
        "entities": "select id, canonical_id from entities order by id",
        "merges": "select entity_id, into_id, rule, score from merges order by entity_id",
        "reviews": "select entity_id, candidate_id, rule, score from reviews "
                   "order by entity_id, candidate_id",
    }
    with eco.engine.connect() as conn:
        return {name: [tuple(row) for row in conn.exec_driver_sql(sql)]
                for name, sql in queries.items()}


def test_resolving_in_a_worker_process_writes_the_same_store(
        eco: Ecosystem, data_dir: Path, chainkg_slice: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A big import hands resolution to a worker process (xietong.resolve.deferred); the
    store must be the same as when this process resolves, also for answers that arrive
    after their entity's row was written (small flushes make that common)."""
    monkeypatch.setattr(importer, "FLUSH_EVERY", 500)
    monkeypatch.setenv(HANDOVER_ENV, "off")
    inline = Ecosystem(str(tmp_path / "inline.db"))
    inline.init()
    inline.import_ickg(data_dir / "ickg-subset")
    inline.import_chainkg(chainkg_slice)
    monkeypatch.setenv(HANDOVER_ENV, "0")
    worked = [eco.import_ickg(data_dir / "ickg-subset"), eco.import_chainkg(chainkg_slice)]
    expected = _resolution_state(inline)
    inline.close()
    assert len(expected["merges"]) > 10 and expected["reviews"]
    assert _resolution_state(eco) == expected
    assert sum(r.summary.merged for r in worked) == len(expected["merges"])


def test_a_failed_import_stops_its_resolver_worker_and_writes_nothing(
        eco: Ecosystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HANDOVER_ENV, "0")
    lines = resources.files("xietong.demo").joinpath("ecosystem.jsonl") \
        .read_text(encoding="utf-8").splitlines()
    bad = {"relation": "认识", "subject": "上海市", "object": "徐汇区"}
    path = tmp_path / "生态.jsonl"
    path.write_text("\n".join([*lines, json.dumps(bad, ensure_ascii=False)]) + "\n",
                    encoding="utf-8")
    before = eco.stats()
    with pytest.raises(RecordError, match="认识"):
        eco.import_file(path)
    assert eco.stats() == before
    assert not _resolver_workers(), "the worker of the failed import is still running"


def _resolver_workers() -> list[int]:
    """Child processes of this one running the resolver's worker."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if parent == os.getpid() and b"xietong.resolve.worker" in command:
            found.append(int(stat.parent.name))
    return found


def test_a_government_named_with_and_without_renmin_is_one_body(eco: Ecosystem) -> None:
    """上海市人民政府 and 上海市政府 name one body: the second form finds the first entity and
    becomes its alias, in one import and across imports."""
    from xietong.model.imports import SourceSpec
    from xietong.model.records import EntityRef, Provenance, RelationRecord

    def issue(name: str, policy: str, uri: str) -> None:
        eco.import_records(
            SourceSpec(kind="file", name=uri, uri=uri, sha256=uri[-1] * 64),
            [RelationRecord(subject=EntityRef(name, "government"), predicate="issued_policy",
                            object=EntityRef(policy, "policy"), provenance=Provenance("row 1"))])

    issue("上海市人民政府", "上海市加快推进绿色低碳转型行动方案", "/tmp/a")
    issue("上海市政府", "促进软件和信息服务业高质量发展的若干措施", "/tmp/b")
    body = eco.entity("上海市政府")
    assert body.id == eco.entity("上海市人民政府").id
    text = json.dumps(eco.profile(body.name), default=lambda o: getattr(o, "__dict__", str(o)),
                      ensure_ascii=False)
    assert "绿色低碳转型" in text and "软件和信息服务业" in text
