"""Relation rules on real sentences: FinRE's validation file and the seeds."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEEDS
from xietong.extract.entities import Mention
from xietong.extract.finre import evaluate_finre, gold_relation, predict
from xietong.extract.pipeline import extract_file
from xietong.extract.relations import classify

# Measured on finre/valid.txt (docs/benchmarks.md); precision floors per mapped relation
# with enough support to be stable.
PRECISION_FLOOR = {"cooperates": 0.55, "controls": 0.45, "acquires": 0.3}


def test_finre_precision_floors(data_dir: Path) -> None:
    rows = {r[0]: r for r in evaluate_finre(data_dir / "finre" / "valid.txt")}
    for predicate, floor in PRECISION_FLOOR.items():
        _, _, gold, predicted, precision, recall = rows[predicate]
        assert gold > 10 and predicted > 10, rows[predicate]
        assert precision >= floor, rows[predicate]
        assert recall > 0.1, rows[predicate]


def test_finre_labels_map_with_direction() -> None:
    assert gold_relation("被收购", "A", "B") == ("acquires", "B")
    assert gold_relation("持股", "A", "B") == ("controls", "A")
    assert gold_relation("分析", "A", "B") is None


def test_direction_follows_the_sentence() -> None:
    assert predict("华为与中兴签署战略合作协议", "华为", "中兴") == ("cooperates", "华为")
    assert predict("美的集团收购库卡", "库卡", "美的集团") == ("acquires", "美的集团")
    assert predict("库卡被美的集团收购", "库卡", "美的集团") == ("acquires", "美的集团")


def _m(sentence: str, text: str, kind: str) -> Mention:
    start = sentence.index(text)
    return Mention(start, start + len(text), text, kind, 1.0, "test")


def test_entering_a_park() -> None:
    s = "上海无问芯穹智能科技有限公司入驻模速空间"
    rel = classify(s, _m(s, "上海无问芯穹智能科技有限公司", "enterprise"), _m(s, "模速空间", "park"))
    assert rel is not None and rel.predicate == "located_in_park"
    assert rel.subject.text.startswith("上海无问") and rel.object.text == "模速空间"


def test_seed_people_work_for_the_organisation_named_before_their_title() -> None:
    doc = extract_file(SEEDS / "000_6416cac1b2156db7.txt")
    works = {(i.data["subject"], i.data["object"]) for i in doc.of_kind("relation")
             if i.data["predicate"] == "works_for"}
    assert ("朱慧", "上海张江科学之门科技发展有限公司") in works
    assert ("郭葵", "上海张江数智经济发展有限公司") in works
