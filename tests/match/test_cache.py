"""The matcher's on-disk cache: a second open on an unchanged store loads the index and
ranker; a store that only gained a few entities and facts updates the previous cache in
place; any other change builds a new cache, and the old one is never read again."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from xietong.api import Ecosystem
from xietong.match import service
from xietong.match.service import fingerprint, folder_for, open_matcher
from xietong.model.imports import SourceSpec
from xietong.model.records import EntityRecord, EntityRef, Provenance, RelationRecord


@pytest.fixture
def demo(eco: Ecosystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ecosystem:
    monkeypatch.setenv("XIETONG_CACHE", str(tmp_path / "cache"))
    eco.import_demo()
    return eco


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_second_open_loads_the_saved_index(demo: Ecosystem) -> None:
    first = open_matcher(demo)
    folder = folder_for(demo.url, demo.snapshot())
    assert first.index.text.path == folder / "text"
    written = _files(folder)
    second = open_matcher(demo)
    assert second.index.text.path == folder / "text" and _files(folder) == written
    query = "寻找人形机器人整机合作伙伴"
    assert [m.to_dict() for m in second.match(query)] == [m.to_dict() for m in first.match(query)]
    built = open_matcher(demo, cache=False)  # the same answers as an index built afresh
    node = built.index.snapshot.node_of[demo.entity("阶跃星辰").id]
    assert [m.to_dict() for m in second.recommend(node, "合作")] == \
        [m.to_dict() for m in built.recommend(node, "合作")]


def test_an_unchanged_store_is_known_by_its_revision(demo: Ecosystem,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    first = open_matcher(demo)
    folder = folder_for(demo.url, demo.snapshot())

    def no_read() -> None:
        raise AssertionError("the graph was read although the store is unchanged")

    with monkeypatch.context() as patch:
        patch.setattr(Ecosystem, "snapshot", lambda self: no_read())
        again = open_matcher(demo)  # one query for the revision, no graph read
    assert again.origin == "loaded" and again.index.text.path == folder / "text"
    assert again.index.snapshot.node_of == first.index.snapshot.node_of
    _add_supplier(demo)  # any write moves the revision: the graph is read again
    assert open_matcher(demo).origin == "updated"


def test_a_store_made_anew_at_the_same_path_does_not_reuse_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIETONG_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "s.db"
    first = Ecosystem(str(path))
    first.init()
    first.import_demo()
    revision = first.revision()
    open_matcher(first)
    first.close()
    path.unlink()
    second = Ecosystem(str(path))
    second.init()
    second.import_demo()  # the same graph, the same number of writes, another store
    assert second.revision() != revision
    assert second.revision().split(":")[1] == revision.split(":")[1]
    second.close()


def test_updating_a_loaded_index_leaves_the_cache_as_it_was(demo: Ecosystem) -> None:
    open_matcher(demo)
    folder = folder_for(demo.url, demo.snapshot())
    written = _files(folder)
    loaded = open_matcher(demo)
    node = loaded.add_entity("上海谐波精密传动有限公司", "enterprise")
    loaded.add_relation(node, loaded.places.park("模速空间"), "入驻园区")
    found = loaded.match("寻找谐波传动供应商", park="模速空间", top=1)
    assert found[0].name == "上海谐波精密传动有限公司"
    assert loaded.index.text.path != folder / "text"
    assert _files(folder) == written
    again = open_matcher(demo)
    assert again.index.text.size == loaded.index.text.size - 1


def _add_supplier(eco: Ecosystem) -> None:
    """One new enterprise in 模速空间: an import of two records."""
    name = "上海谐波精密传动有限公司"
    eco.import_records(
        SourceSpec(kind="file", name="new.jsonl", uri="/tmp/new.jsonl", sha256="0" * 64),
        [EntityRecord(type="enterprise", name=name, provenance=Provenance("row 1"),
                      attrs={"description": "谐波减速器与精密传动部件"}),
         RelationRecord(subject=EntityRef(name, "enterprise"), predicate="located_in_park",
                        object=EntityRef("模速空间", "park"), provenance=Provenance("row 2"))])


def test_a_store_that_gained_an_enterprise_updates_its_cache(demo: Ecosystem) -> None:
    told: list[str] = []
    first = open_matcher(demo, notify=told.append)
    old = folder_for(demo.url, demo.snapshot())
    assert not [p for p in old.iterdir() if p.name.startswith(("ranker.", "demand."))], \
        "the rankers are trained when first used, not with the index"
    first.ranker, first.demand_ranker  # noqa: B018 — used, so trained and saved
    rankers = {p.name: p.read_bytes() for p in old.iterdir()
               if p.name.startswith(("ranker.", "demand."))}
    _add_supplier(demo)
    updated = open_matcher(demo, notify=told.append)
    new = folder_for(demo.url, demo.snapshot())
    assert first.origin == "built" and updated.origin == "updated"
    # the user is told before each slow path, in the order they ran
    assert told == [service.BUILD_NOTICE_QUIET.format(
        nodes=first.index.snapshot.node_count, edges=first.index.snapshot.edge_count),
        service.UPDATE_NOTICE]
    assert new.is_dir() and not old.exists()
    # the new enterprise is found by its text and its park, with the rankers kept
    found = updated.match("寻找谐波传动供应商", park="模速空间", top=3)
    assert found[0].name == "上海谐波精密传动有限公司"
    assert rankers and {name: (new / name).read_bytes() for name in rankers} == rankers
    # the update is what a build from scratch would hold: same nodes, edges and documents
    built = open_matcher(demo, cache=False)
    a, b = updated.index.snapshot, built.index.snapshot
    assert sorted(a.ids.tolist()) == sorted(b.ids.tolist())
    assert sorted(a.edge_fact.tolist()) == sorted(b.edge_fact.tolist())
    assert updated.index.text.size == built.index.text.size
    node_a = a.node_of[demo.entity("上海谐波精密传动有限公司").id]
    node_b = b.node_of[demo.entity("上海谐波精密传动有限公司").id]
    assert sorted(updated.index.features.profile_terms[node_a]) == \
        sorted(built.index.features.profile_terms[node_b])
    # the next open loads the updated folder as it is, without a word
    again = open_matcher(demo, notify=told.append)
    assert again.origin == "loaded" and again.index.snapshot.node_of == a.node_of
    assert len(told) == 2


def test_many_additions_rebuild_and_retrain(demo: Ecosystem,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    open_matcher(demo)
    monkeypatch.setattr(service, "MAX_INCREMENTAL_SHARE", 0.0)
    _add_supplier(demo)
    assert open_matcher(demo).origin == "built"


def test_a_changed_store_gets_a_new_cache(demo: Ecosystem) -> None:
    before = open_matcher(demo)
    old = folder_for(demo.url, demo.snapshot())
    demo.merge("无限光年", into="它石智能")  # any change to the store will do
    after = open_matcher(demo)
    new = folder_for(demo.url, demo.snapshot())
    assert after.origin == "built"  # a merge is no mere addition: rebuilt
    assert new != old and new.is_dir() and not old.exists()
    assert after.index.snapshot.node_count == before.index.snapshot.node_count - 1
    assert after.node_named("无限光年") == after.node_named("它石智能") is not None


def test_the_fingerprint_covers_names_aliases_types_and_attributes(demo: Ecosystem) -> None:
    snap = demo.snapshot()
    base = fingerprint(demo.url, snap)
    assert fingerprint(demo.url, demo.snapshot()) == base
    assert fingerprint(demo.url + "x", snap) != base
    for change in ("names", "aliases", "types", "attributes"):
        other = copy.deepcopy(snap)
        values = getattr(other, change)
        if change == "aliases":
            values[0] = [*values[0], "别名"]
        elif change == "attributes":
            values[0] = {**values[0], "description": "新的简介"}
        else:
            values[0] = values[0] + "x"
        assert fingerprint(demo.url, other) != base, change
    other = copy.deepcopy(snap)
    other.edge_weight[0] = 0.5 if other.edge_weight[0] != 0.5 else 0.25
    assert fingerprint(demo.url, other) != base
