"""Normalising real PDF-to-text seeds: joined lines, kept headings, exact offsets back."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from xietong.extract.pipeline import extract_file, extract_text
from xietong.extract.segment import sentences
from xietong.extract.text import load, normalize, read
from xietong.ingest.errors import InputError

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_every_normalised_character_points_at_itself_in_the_original(path: Path) -> None:
    text = load(path)
    assert len(text.text) == len(text.offsets)
    for char, offset in zip(text.text, text.offsets):
        source = text.original[offset]
        assert char == source or (char == "\n" and source in "\n") or char == " " or \
            (ord(source) - ord(char) == 0xFEE0)  # full-width digits/letters fold to ASCII
    assert list(text.offsets) == sorted(text.offsets)


def test_wrapped_words_and_numbers_are_joined_and_headings_kept_apart() -> None:
    text = load(SEEDS / "000_6416cac1b2156db7.txt").text
    assert "约1平方公里的土地" in text  # "土\n\n地" in the file
    assert "2024年产业规模达1637亿元" in text
    assert "\n上下楼就是上下游\n" in text  # a heading stays its own line


SEED_003 = SEEDS / "003_9d88f236065679d1.txt"


def test_a_short_line_that_stops_mid_word_or_mid_clause_goes_on() -> None:
    """Seed 003's PDF wrapped lines around a picture, shorter than the column's width, that
    still stop mid-word (工业和信息 / 化部) or mid-clause (集聚 / 区，): they go on."""
    seed = load(SEED_003).text
    assert "记者获悉，工业和信息化部今年将深入实施国家高新区新赛道培育行动" in seed
    assert "策源地和集聚区，促进" in seed
    assert "智元机器人灵犀X2" in seed  # 灵 / 犀 X2 in the file
    other = load(SEEDS / "000_6416cac1b2156db7.txt").text
    assert "对于蓬勃发展的人工智能产业而言，技术如何与实际需求接轨并找到应用场景" in other
    # headings stay apart, LAC's reading of them and the next line notwithstanding
    assert "\n场景为王\n合作将向头部渠道集中\n" in other
    assert "\n布局产业前沿\n" in load(SEEDS / "004_8ea395dd2807991d.txt").text
    assert "1615.69\n2021年" in load(SEEDS / "002_c93b36575511fa58.txt").text  # table rows


def test_the_tail_of_a_name_wrapped_to_the_next_line_is_no_organisation() -> None:
    """Where the wrap is joined the whole name is found; where a line is too short to tell a
    wrap from a heading (工业和信息 alone), its tail 化部 is still not proposed."""
    doc = extract_file(SEED_003)
    names = {(doc.text.original[i.start:i.end], i.data["name"])
             for i in doc.of_kind("organisation")}
    assert ("工业和信息\n化部", "工业和信息化部") in names
    assert "化部" not in {name for _, name in names}
    short = "工业和信息\n\n化部今年将深入实施国家高新区新赛道培育行动。"
    assert normalize(short).text.startswith("工业和信息\n化部")  # kept apart: too short
    assert not extract_text(short, Path("short.txt"), "0").of_kind("organisation")


def test_a_paragraph_cut_by_a_page_break_goes_on() -> None:
    """Files with one paragraph a line break some mid-sentence (a PDF page break): those
    lines go on in the next; a byline closing in a bracket ends its article."""
    text = load(SEEDS / "001_981ad3a6421107d4.txt").text
    assert "为产业创新和健康发展提供制度保障" in text  # "健\n\n康发展" in the file
    assert "\n康发展" not in text
    assert "（作者：戚姚维全晨琦）\n" in text  # the next article's title stays apart
    assert "执行董事、总经理朱明渊说" in load(SEEDS / "004_8ea395dd2807991d.txt").text


def _demo_quotes() -> list[dict[str, object]]:
    demo = resources.files("xietong.demo").joinpath("ecosystem.jsonl").read_text("utf-8")
    return [json.loads(line)["source"] for line in demo.splitlines() if line.strip()]


def test_curated_demo_quotes_are_found_and_map_back_to_their_exact_spans() -> None:
    """The demo ecosystem cites 486 quotes by file span: normalisation must keep each
    findable, and our offsets must lead back to the same characters."""
    texts = {p.name: load(p) for p in SEED_FILES}
    checked = 0
    for source in _demo_quotes():
        text = texts[str(source["file"])]
        start, _end = source["span"]  # type: ignore[misc]
        wanted = re.sub(r"\s+", "", str(source["quote"]))
        kept = [(c, o) for c, o in zip(text.text, text.offsets) if c not in "\n "]
        flat = "".join(c for c, _ in kept)
        assert wanted in flat, source
        # the matched stretch starts where the curated span starts (some quotes recur)
        starts = [kept[m.start()][1] for m in re.finditer(re.escape(wanted), flat)]
        assert start in starts, (source, starts)
        checked += 1
    assert checked > 400


def test_sentences_never_cross_a_paragraph_and_cover_the_text() -> None:
    text = load(SEEDS / "003_9d88f236065679d1.txt").text
    found = sentences(text)
    assert all("\n" not in s.text for s in found)
    assert "".join(s.text for s in found) == text.replace("\n", "")


def test_a_run_without_stops_is_cut_into_bounded_sentences() -> None:
    """A table or list turned into one line has no full stop: it is cut at a comma or space
    past 300 characters, anywhere past 600, and the pieces still cover it exactly."""
    row = "上海无问芯穹智能科技有限公司入驻模速空间2024年产业规模达1637亿元"
    for text in (row * 200, "，".join([row] * 100), " ".join([row] * 100)):
        found = sentences(text)
        assert len(found) > 1 and max(len(s.text) for s in found) <= 601
        assert "".join(s.text for s in found) == text
    assert all(s.text.endswith("，") for s in sentences("，".join([row] * 100))[:-1])


def test_bylines_open_new_articles() -> None:
    text = normalize("证券时报记者 陈雨康\n\n第一篇的正文写得比较长一些，一行有二十\n\n个字。\n\n"
                     "来源：解放日报\n\n第二篇的正文也写得比较长，一行有二十个\n\n字。")
    found = sentences(text.text)
    assert [s.text for s in found] == ["证券时报记者陈雨康", "第一篇的正文写得比较长一些，一行有二十个字。",
                                       "来源：解放日报", "第二篇的正文也写得比较长，一行有二十个字。"]
    assert [s.article for s in found] == [0, 0, 1, 1]


def test_gb18030_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("模速空间揭牌当天，上海无问芯穹智能科技有限公司入驻。".encode("gb18030"))
    assert load(path).text.startswith("模速空间揭牌当天")


def test_docx_reads_like_the_txt(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    source = SEEDS / "003_9d88f236065679d1.txt"
    document = docx.Document()
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line)
    path = tmp_path / "seed.docx"
    document.save(str(path))
    from_docx = {i.label for i in extract_file(path).of_kind("person")}
    assert from_docx and from_docx == {i.label for i in extract_file(source).of_kind("person")}


def test_pdf_with_chinese_text(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    pytest.importorskip("reportlab")  # only to write the PDF under test
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "seed.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 10)
    page.drawString(40, 800, "模速空间揭牌当天，上海无问芯穹智能科技有限公司首席执行官夏立雪带着6名成员入驻。")
    page.save()
    doc = extract_file(path)
    people = {(i.data["name"], i.data["title"]) for i in doc.of_kind("person")}
    assert ("夏立雪", "首席执行官") in people
    start, end = doc.of_kind("person")[0].start, doc.of_kind("person")[0].end
    assert doc.text.original[start:end] == "夏立雪"


def test_unreadable_documents_name_the_file(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="broken.docx"):
        extract_file(bad)


def test_utf16_and_windows_line_ends_keep_offsets(tmp_path: Path) -> None:
    """Notepad's "Unicode" is UTF-16 with a BOM; "\r\n" stays in the original, so spans
    still point at the name there."""
    path = tmp_path / "notepad.txt"
    path.write_bytes("模速空间动态\r\n上海无问芯穹智能科技有限公司首席执行官夏立雪带着6名成员入驻。\r\n"
                     .encode("utf-16"))
    doc = extract_file(path)
    assert "\r\n" in doc.text.original
    person = next(i for i in doc.of_kind("person") if i.data["name"] == "夏立雪")
    assert doc.text.original[person.start:person.end] == "夏立雪"


def test_undecodable_text_names_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("第一行\n".encode() + b"\x80\xff\xfe bad\n")
    with pytest.raises(InputError, match=r"mixed.txt:2: .*0x80"):
        read(path)


@pytest.mark.parametrize(("name", "reason"), [("old.doc", "另存为 .docx"),
                                              ("table.xlsx", "不支持的文件类型 '.xlsx'")])
def test_other_file_types_are_refused_by_name(tmp_path: Path, name: str, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 whatever")
    with pytest.raises(InputError, match=reason):
        read(path)


def test_a_scanned_pdf_asks_for_ocr(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(40, 40, 500, 700, fill=1)  # an image-like page: marks, no text layer
    page.save()
    with pytest.raises(InputError, match="scan.pdf: PDF 中没有文字层"):
        read(path)


def test_articles_split_after_author_lines() -> None:
    text = load(SEEDS / "001_981ad3a6421107d4.txt")
    found = sentences(text.text)
    assert found[-1].article >= 10  # a bulletin of many signed articles, with no bylines
    signed = [s for s in found if "（作者：何建华" in s.text]
    following = next(s for s in found if s.start > signed[0].end)
    assert following.article == signed[0].article + 1
