"""The ICKG reader on a copy of the real subset: inferred types, and bad lines named."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import DATA
from xietong.ingest.errors import InputError
from xietong.ingest.ickg import ickg_records
from xietong.model.records import EntityRecord, RelationRecord


@pytest.fixture
def subset(tmp_path: Path) -> Path:
    folder = tmp_path / "ickg-subset"
    shutil.copytree(DATA / "ickg-subset", folder)
    return folder


def test_every_line_becomes_a_record_with_an_inferred_type(subset: Path) -> None:
    records = list(ickg_records(subset))
    entities = [r for r in records if isinstance(r, EntityRecord)]
    relations = [r for r in records if isinstance(r, RelationRecord)]
    lines = sum(1 for split in ("train.txt", "valid.txt")
                for line in (subset / split).read_text(encoding="utf-8").splitlines() if line)
    assert len(relations) == lines
    types = Counter(r.type for r in entities)
    assert types["enterprise"] > 100 and types["industry"] > 100
    by_name = {r.name: r.type for r in entities}
    assert by_name["通信行业"] == "industry"  # the name decides: …行业
    # a relation's ends carry the same types as the entity records
    assert all(r.subject.type == by_name[r.subject.name] for r in relations[:500])


def _break_line(path: Path, number: int, replacement: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[number - 1] = replacement
    path.write_bytes(b"\n".join(lines))


@pytest.mark.parametrize(("replacement", "message"), [
    (b"459\t10\t939", "train.txt:7: 应有 4 个以 '\\t' 分隔的字段，实际有 3 个"),
    (b"459\t10\tx\t549", "train.txt:7: 编号须为数字"),
    (b"459\t10\t99999\t549", "train.txt:7: 未知的实体编号 99999"),
    (b"459\t77\t939\t549", "train.txt:7: 未知的关系编号 77"),
    ("459\t10\t939\t549 备注".encode("gbk"), "train.txt:7: 不是 UTF-8 编码"),
])
def test_a_bad_line_is_named_before_any_record(subset: Path, replacement: bytes,
                                               message: str) -> None:
    _break_line(subset / "train.txt", 7, replacement)
    records = ickg_records(subset)
    with pytest.raises(InputError) as caught:
        next(records)  # the splits are read whole before the first record
    assert str(caught.value).startswith(message)


def test_a_byte_order_mark_does_not_enter_the_first_name(subset: Path) -> None:
    before = list(ickg_records(subset))
    for name in ("entity2id.txt", "train.txt"):
        path = subset / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert list(ickg_records(subset)) == before
