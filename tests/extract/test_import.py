"""Extractions into the graph through entity resolution, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import SEEDS
from xietong.api import Ecosystem
from xietong.cli.extract import extract_command
from xietong.extract import (
    Decisions,
    extract_file,
    import_document,
    known_names,
    unplaced_people,
)
from xietong.ingest.errors import InputError

SEED = SEEDS / "003_9d88f236065679d1.txt"


def _extract(eco: Ecosystem, path: Path):  # type: ignore[no-untyped-def]
    return extract_file(path, known_names(eco, excluding_uri=str(path.resolve())))


def test_running_twice_on_the_same_file_adds_nothing(eco: Ecosystem) -> None:
    first = import_document(eco, _extract(eco, SEED))
    assert first.added["entities"] > 10 and first.added["facts"] > 10
    again = import_document(eco, _extract(eco, SEED))
    assert again.unchanged, again.added


def test_names_the_graph_knows_resolve_to_its_entities(eco: Ecosystem) -> None:
    eco.import_demo()
    before = eco.entity("模速空间").id
    import_document(eco, _extract(eco, SEED))
    import_document(eco, _extract(eco, SEEDS / "001_981ad3a6421107d4.txt"))
    park = eco.entity("模速空间")  # still one entity, now also cited by the texts
    assert park.id == before
    profile = eco.profile("上海无问芯穹智能科技有限公司")
    text = json.dumps(profile, default=lambda o: getattr(o, "__dict__", str(o)),
                      ensure_ascii=False)
    assert "003_9d88f236065679d1.txt" in text
    person = eco.profile("夏立雪")
    assert "首席执行官" in json.dumps(person, default=lambda o: getattr(o, "__dict__", str(o)),
                                    ensure_ascii=False)


def test_a_second_post_is_a_second_works_for_of_the_same_person(eco: Ecosystem) -> None:
    """Seed 002: "…上海快特声学技术有限公司创始人吴海军，是上海交大机械与动力工程学院副教授":
    one person, known by the first post's company, working for both."""
    doc = _extract(eco, SEEDS / "002_c93b36575511fa58.txt")
    posts = {i.data["object"] for i in doc.of_kind("relation")
             if i.data["predicate"] == "works_for" and i.data["subject"] == "吴海军"}
    assert len(posts) == 2 and "上海快特声学技术有限公司" in posts
    import_document(eco, doc)
    person = eco.entity("吴海军")  # one entity: a second one would make the name ambiguous
    text = json.dumps(eco.profile(person.name), default=lambda o: getattr(o, "__dict__", str(o)),
                      ensure_ascii=False)
    assert all(post in text for post in posts)


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("extract")(extract_command)
    app.command("noop")(lambda: None)  # two commands: typer keeps "extract" as a sub-command
    return app


def test_review_accepts_rejects_and_remembers(eco: Ecosystem, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["extract", str(SEED), "--review", "--json", "--db", eco.url]

    shown = runner.invoke(_app(), base)  # no decisions given: a preview, nothing written
    assert shown.exit_code == 0, shown.output
    (preview,) = json.loads(shown.stdout)
    assert preview["preview"]["added"]["entities"] > 0
    assert preview["import"]["unchanged"]
    people = [i for i in preview["items"] if i["kind"] == "person"]
    rejected = people[0]["id"]

    done = runner.invoke(_app(), [*base, "--reject", rejected, "--accept-all"])
    assert done.exit_code == 0, done.output
    (result,) = json.loads(done.stdout)
    assert not result["import"]["unchanged"]
    assert Decisions.load(eco.engine).get(rejected) == "reject"  # kept in the store
    assert not eco.search(people[0]["data"]["name"], entity_type="person") or \
        all(h.name != people[0]["data"]["name"] for h in eco.search(people[0]["data"]["name"],
                                                                    entity_type="person"))

    again = runner.invoke(_app(), [*base, "--accept-all"])  # remembered: still rejected
    (result,) = json.loads(again.stdout)
    assert result["import"]["unchanged"]
    assert next(i for i in result["items"] if i["id"] == rejected)["decision"] == "reject"


def test_a_folder_is_read_whole_before_anything_is_written(eco: Ecosystem,
                                                           tmp_path: Path) -> None:
    """A folder gives its documents at any depth, hidden ones left; one unreadable file
    stops the run before the first is imported."""
    folder = tmp_path / "新闻"
    (folder / "二月").mkdir(parents=True)
    (folder / ".草稿").mkdir()
    (folder / "a.txt").write_text("上海无问芯穹智能科技有限公司入驻模速空间。", encoding="utf-8")
    (folder / "二月" / "b.txt").write_bytes("智元机器人入驻张江机器人谷。".encode("gb18030"))
    (folder / ".草稿" / "c.txt").write_text("不应读取。", encoding="utf-8")
    (folder / "说明.xlsx").write_bytes(b"PK\x03\x04")  # not a document: not taken
    (folder / "扫描.pdf").write_bytes(b"not a pdf")
    before = eco.stats()
    failed = CliRunner().invoke(_app(), ["extract", str(folder), "--db", eco.url, "--json"])
    assert failed.exit_code != 0
    assert "扫描.pdf: 无法读取的 PDF 文件" in str(failed.exception)
    assert eco.stats() == before
    (folder / "扫描.pdf").unlink()
    done = CliRunner().invoke(_app(), ["extract", str(folder), str(folder / "a.txt"),
                                       "--db", eco.url, "--json"])
    assert done.exit_code == 0, done.output
    assert [Path(r["file"]).name for r in json.loads(done.output)] == ["a.txt", "b.txt"]
    assert eco.stats().entities > before.entities


def test_unknown_review_ids_are_one_clear_error(eco: Ecosystem, tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["extract", str(SEED), "--review", "--reject", "nope",
                                         "--db", eco.url])
    assert result.exit_code != 0
    assert "没有 id 为 nope 的抽取项" in str(result.exception)


def test_a_rejected_organisation_does_not_place_its_people() -> None:
    """A person keeps the organisation that places them only while it is accepted:
    rejecting 无问芯穹 must not bring it back through 夏立雪's record."""
    from xietong.extract.records import document_records
    from xietong.model.records import EntityRecord

    doc = extract_file(SEED)
    person = next(i for i in doc.of_kind("person") if i.data["name"] == "夏立雪")
    organisation = str(person.data["organisation"])
    org_items = {i.id for i in doc.of_kind("organisation") if i.data["name"] == organisation}
    assert org_items

    def placed(skip: set[str]) -> list[str | None]:
        return [r.affiliation for r in document_records(doc, skip)
                if isinstance(r, EntityRecord) and r.name == "夏立雪"]

    assert placed(set()) == [organisation]
    assert placed(org_items) == [None]


def test_a_namesake_without_organisation_is_left_out_and_reported(
        eco: Ecosystem, tmp_path: Path) -> None:
    """With two 张伟 in the graph, a text's 张伟（记者） could be either: left out and
    reported, while 张伟（教授 @ 上海交通大学） joins the right one; the document imports."""
    roster = tmp_path / "专家库.csv"
    roster.write_text("姓名,职务,工作单位\n张伟,教授,上海交通大学\n张伟,总经理,复旦大学\n",
                      encoding="utf-8")
    eco.import_file(roster)
    text = tmp_path / "新闻.txt"
    text.write_text("上海交通大学教授张伟表示，模速空间已集聚大模型企业。\n本报记者张伟报道。\n",
                    encoding="utf-8")
    doc = _extract(eco, text)
    assert [i.label for i in unplaced_people(eco, doc)] == ["张伟（记者）"]
    import_document(eco, doc)
    people = [h for h in eco.search("张伟", entity_type="person") if h.name == "张伟"]
    titles = sorted(tuple(sorted(a["value"] for a in eco.profile(str(h.id)).attributes
                                 if a["key"] == "title")) for h in people)
    assert titles == [("总经理",), ("教授",)]  # no third 张伟, and no 记者 given to either
    result = CliRunner().invoke(_app(), ["extract", str(text), "--db", eco.url, "--json"])
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.output)
    assert [i["label"] for i in report["items"] if i["id"] in report["unplaced"]] == \
        ["张伟（记者）"]


def test_an_empty_document_is_skipped_and_adds_nothing(eco: Ecosystem, tmp_path: Path) -> None:
    """An empty or white-space-only file adds no source: alone it is refused in Chinese;
    beside others it is skipped with a notice."""
    empty = tmp_path / "空白.txt"
    empty.write_text(" \n\u3000\n\t", encoding="utf-8")
    eco.init()
    sources = eco.sources()
    refused = CliRunner().invoke(_app(), ["extract", str(empty), "--db", eco.url])
    assert refused.exit_code != 0
    assert "空白.txt: 文件为空，没有可抽取的文字" in str(refused.exception)
    assert eco.sources() == sources
    text = tmp_path / "新闻.txt"
    text.write_text("上海无问芯穹智能科技有限公司入驻模速空间。", encoding="utf-8")
    done = CliRunner().invoke(_app(), ["extract", str(empty), str(text), "--db", eco.url,
                                       "--json"])
    assert done.exit_code == 0, done.output
    assert [Path(r["file"]).name for r in json.loads(done.stdout)] == ["新闻.txt"]
    assert "空白.txt: 文件为空，已跳过" in done.stderr
    assert [s["name"] for s in eco.sources()] == [*(s["name"] for s in sources), "新闻.txt"]
    with pytest.raises(InputError, match="文件为空"):  # the API refuses it too
        import_document(eco, extract_file(empty))


def test_the_summary_and_the_review_table_are_in_chinese(eco: Ecosystem) -> None:
    result = CliRunner().invoke(_app(), ["extract", str(SEED), "--review", "--db", eco.url])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "将会新增 实体 +" in out and "名称 +" in out
    assert "│ 机构 │" in out and "│ 关系 │" in out and "任职于" in out
    for english in ("entities", "aliases", "organisation", "works_for", "enterprise"):
        assert english not in out
