"""Native JSON Lines (the demo ecosystem's format): what is read, and what is refused."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from xietong.ingest.errors import InputError
from xietong.ingest.native import native_records
from xietong.model.records import RelationRecord

DEMO = resources.files("xietong.demo").joinpath("ecosystem.jsonl")


@pytest.fixture
def demo_lines() -> list[str]:
    return DEMO.read_text(encoding="utf-8").splitlines()


def _relation_line(lines: list[str]) -> tuple[int, dict]:
    return next((i, json.loads(line)) for i, line in enumerate(lines) if '"relation"' in line)


def test_reads_the_demo_file_whole(demo_lines: list[str]) -> None:
    with resources.as_file(DEMO) as path:
        records = list(native_records(path))
    assert len(records) == sum(1 for line in demo_lines if line.strip())


def test_blank_lines_nan_and_huge_numbers_read_as_json_reads_them(
        demo_lines: list[str], tmp_path: Path) -> None:
    """orjson reads most lines; those it refuses go through json, which takes more: a huge
    integer, and NaN, which is then refused as a weight (not as broken JSON)."""
    i, row = _relation_line(demo_lines)
    path = tmp_path / "图谱.jsonl"
    text = json.dumps({**row, "weight": 3}, ensure_ascii=False)
    path.write_text("\n".join([text, "\u3000", "",
                               text.replace('"weight": 3', '"weight": 1' + "0" * 30)]) + "\n",
                    encoding="utf-8")
    weights = [r.weight for r in native_records(path) if isinstance(r, RelationRecord)]
    assert weights == [3.0, 1e30]
    path.write_text(text + "\n" + text.replace('"weight": 3', '"weight": NaN') + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(native_records(path))
    assert str(caught.value) == "图谱.jsonl:2: 字段 'weight' 应为有限的数，而不是 nan"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("weight", "很多", "图谱.jsonl:2: 字段 'weight' 应为数，而不是 '很多'"),
    ("confidence", "高", "图谱.jsonl:2: 字段 'confidence' 应为 0 到 1 之间的数，而不是 '高'"),
])
def test_a_field_that_is_not_a_number_is_named_with_its_line(
        demo_lines: list[str], tmp_path: Path, field: str, value: str, message: str) -> None:
    i, row = _relation_line(demo_lines)
    path = tmp_path / "图谱.jsonl"
    path.write_text(demo_lines[0] + "\n" + json.dumps({**row, field: value}, ensure_ascii=False)
                    + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(native_records(path))
    assert str(caught.value) == message


def test_a_broken_line_and_a_wrong_encoding_are_named(demo_lines: list[str],
                                                      tmp_path: Path) -> None:
    path = tmp_path / "图谱.jsonl"
    path.write_text(demo_lines[0] + "\n" + demo_lines[1][:-5] + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^图谱.jsonl:2: 第 2 行第 \d+ 个字符处 JSON 格式错误"):
        list(native_records(path))
    path.write_text(demo_lines[0] + "\n[1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^图谱.jsonl:2: 第 2 行是 JSON 数组，应为对象"):
        list(native_records(path))
    path.write_bytes(demo_lines[0].encode("utf-8") + b"\n" + demo_lines[1].encode("gbk") + b"\n")
    with pytest.raises(InputError, match=r"^图谱.jsonl:2: 不是 UTF-8 编码"):
        list(native_records(path))


def test_a_byte_order_mark_is_skipped(demo_lines: list[str], tmp_path: Path) -> None:
    """Windows Notepad saves UTF-8 with a byte-order mark: the file reads as without it."""
    path = tmp_path / "图谱.jsonl"
    path.write_text("\n".join(demo_lines[:20]) + "\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with_mark = list(native_records(path))
    path.write_text("\n".join(demo_lines[:20]) + "\n", encoding="utf-8")
    assert with_mark == list(native_records(path))
