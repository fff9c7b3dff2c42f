"""ICKG types its entities by guessing (every 合作 partner is an enterprise): an organisation
only such data sets name is the declared park of exactly its name (issue 22: `show 模速空间`
found the demo's park and ICKG's enterprise 模速空间, a 合作 partner of 无问芯穹)."""

from __future__ import annotations

import json
from pathlib import Path

from xietong.api import Ambiguous, Ecosystem
from xietong.model.imports import SourceSpec
from xietong.model.records import EntityRecord, Provenance
from xietong.store import curation

# ICKG25 entity ids: 模速空间 (one 合作 with 无问芯穹) and 市北高新 (涉足行业 and 合作), which
# the demo has as an alias of its park 上海市北高新技术服务业园区 and chainkg as a listed company
MOSU, SHIBEI = 31484, 46303


def _ickg_slice(data_dir: Path, root: Path) -> Path:
    """ICKG25's own files, with only the quadruples naming 模速空间 or 市北高新."""
    source, folder = data_dir / "ickg25", root / "ickg-slice"
    folder.mkdir()
    for name in ("entity2id.txt", "relation2id.txt", "time2id.txt"):
        (folder / name).write_bytes((source / name).read_bytes())
    kept = [line for line in (source / "train.txt").read_text(encoding="utf-8").splitlines()
            if {int(x) for x in line.split("\t")[0:3:2]} & {MOSU, SHIBEI}]
    assert len(kept) >= 2
    (folder / "train.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    (folder / "valid.txt").write_text("", encoding="utf-8")
    return folder


def _chainkg_slice(data_dir: Path, root: Path) -> Path:
    """ChainKG's row for the listed company 市北高新, and the first row of its other files."""
    folder = root / "chainkg-slice"
    folder.mkdir()
    for path in (data_dir / "chainkg").glob("*.jsonl"):
        lines = path.read_text(encoding="utf-8").splitlines()
        if path.name == "company.jsonl":
            lines = [line for line in lines if json.loads(line)["name"] == "市北高新"]
        (folder / path.name).write_text(lines[0] + "\n", encoding="utf-8")
    return folder


def _guessed_merges(eco: Ecosystem) -> int:
    """Merges by the ``guessed_type`` rule still in force."""
    m = curation.schema.merges
    with eco.engine.connect() as conn:
        return len(conn.execute(m.select().where(m.c.rule == curation.GUESSED_TYPE_RULE,
                                                 m.c.undone_at.is_(None))).all())


def _types(eco: Ecosystem, name: str) -> list[str]:
    try:
        return [eco.entity(name).type]
    except Ambiguous as exc:
        return sorted(hit.type for hit in exc.hits)


def test_a_guessed_enterprise_is_the_declared_park(eco: Ecosystem, data_dir: Path,
                                                    tmp_path: Path) -> None:
    eco.import_demo()
    eco.import_ickg(_ickg_slice(data_dir, tmp_path))
    park = eco.entity("模速空间")  # one entity, not Ambiguous
    assert park.type == "park"
    relations = json.dumps([r for r in eco.profile("模速空间").relations], ensure_ascii=False,
                           default=str)
    assert "无问芯穹" in relations, "ICKG's 合作 with 无问芯穹 is on the park"
    assert _guessed_merges(eco) == 1
    # 市北高新 also has another source's name (the demo's enterprise 上海市北高新集团, which the
    # resolver merged it into): no guess to settle
    assert "enterprise" in _types(eco, "市北高新")
    # chainkg declares 市北高新 a listed company; 模速空间 stays the park
    eco.import_chainkg(_chainkg_slice(data_dir, tmp_path))
    assert eco.entity("上海市北高新股份有限公司").type == "enterprise"
    assert eco.entity("模速空间").type == "park" and _guessed_merges(eco) == 1


def test_a_guess_another_source_contradicts_is_undone(eco: Ecosystem, data_dir: Path,
                                                       tmp_path: Path) -> None:
    eco.import_demo()
    eco.import_ickg(_ickg_slice(data_dir, tmp_path))
    assert eco.entity("模速空间").type == "park"
    # a spreadsheet declares an enterprise named 模速空间: ICKG's is that one, not the park
    spec = SourceSpec(kind="file", name="企业名单", uri="test:企业名单", sha256="企业名单")
    eco.import_records(spec, [EntityRecord("enterprise", "模速空间", Provenance("row 2"))])
    assert _types(eco, "模速空间") == ["enterprise", "park"]
    assert _guessed_merges(eco) == 0


def test_unmerged_guess_is_not_merged_again(eco: Ecosystem, data_dir: Path,
                                            tmp_path: Path) -> None:
    eco.import_demo()
    eco.import_ickg(_ickg_slice(data_dir, tmp_path))
    with eco.engine.connect() as conn:
        member = conn.execute(curation.schema.merges.select().where(
            curation.schema.merges.c.rule == curation.GUESSED_TYPE_RULE)).first()
    assert member is not None
    eco.unmerge(str(member.entity_id))
    with eco.engine.begin() as conn:
        assert curation.settle_guessed_types(conn) == []
