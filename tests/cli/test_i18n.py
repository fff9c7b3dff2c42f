"""Chinese first, English through the gettext catalogue: the real command under each
locale, the catalogue against the source, and how the locale is read."""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from xietong.i18n import DOMAIN, LOCALE_DIR, user_languages

XIETONG = str(Path(sys.executable).with_name("xietong"))
SRC = Path(__file__).resolve().parents[2] / "src" / "xietong"
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "xietong.po"
# the command line's own files: every message in them has its English translation
CLI_FILES = ["cli/app.py", "cli/render.py", "cli/chain.py", "cli/crash.py", "store/engine.py"]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def run(lang: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run([XIETONG, *args], capture_output=True, text=True, timeout=300,
                          env={**env, "LANG": lang, "COLUMNS": "200"})


def test_english_under_an_english_locale(tmp_path: Path) -> None:
    top = run("en_US.UTF-8", "--help")
    assert top.returncode == 0
    assert "knowledge graph of an innovation ecosystem" in top.stdout
    assert "Create the store (or upgrade its schema)." in top.stdout
    assert "Options" in top.stdout and "初始化数据库" not in top.stdout
    show = run("en_US.UTF-8", "show", "--help")
    assert "Relations to list." in show.stdout and "[default: 30]" in show.stdout
    missing = tmp_path / "none.db"
    error = run("en_US.UTF-8", "stats", "--db", str(missing))
    assert error.returncode == 1 and "Traceback" not in error.stderr
    assert error.stderr.startswith("Error: ") and "xietong init" in error.stderr
    assert "错误" not in error.stderr
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database" * 100)
    error = run("en_US.UTF-8", "stats", "--db", str(broken))
    assert f"Error: {broken}: not an SQLite database file" in error.stderr


@pytest.mark.parametrize("lang", ["C.UTF-8", "zh_CN.UTF-8", "POSIX"])
def test_chinese_by_default(lang: str, tmp_path: Path) -> None:
    top = run(lang, "--help")
    assert "协同 xietong — 创新生态知识图谱" in top.stdout
    assert "初始化数据库" in top.stdout and "选项" in top.stdout
    assert "Create the store" not in top.stdout
    show = run(lang, "show", "--help")
    assert "列出的关系条数。" in show.stdout and "[默认: 30]" in show.stdout
    error = run(lang, "stats", "--db", str(tmp_path / "none.db"))
    assert error.returncode == 1 and error.stderr.startswith("错误: ")
    assert "数据库不存在" in error.stderr


def test_the_locale_is_read_as_gnu_gettext_reads_it() -> None:
    assert user_languages({"LANG": "C.UTF-8"}) == []  # Python alone would say en_US
    assert user_languages({"LANG": "C.UTF-8", "LANGUAGE": "en"}) == []
    assert user_languages({"LANG": "en_US.UTF-8"}) == ["en_US.UTF-8"]
    assert user_languages({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}) == ["en_GB.UTF-8"]
    assert user_languages({"LANG": "de_DE.UTF-8", "LANGUAGE": "fr:en"}) == ["fr", "en"]
    assert user_languages({}) == []


def _catalogue() -> dict[str, str]:
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    return {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}


def test_every_cli_message_has_its_english_translation() -> None:
    translated = _catalogue()
    missing = []
    for name in CLI_FILES:
        for _line, message, _comments, _context in extract_from_file(
                "python", str(SRC / name), keywords={"_": None, "N_": None}):
            if message not in translated:
                missing.append(f"{name}: {message}")
    assert not missing, "run scripts/i18n and translate:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders_and_the_compiled_catalogue_is_current() -> None:
    compiled = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=["en"])
    for msgid, msgstr in _catalogue().items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid
        assert compiled.gettext(msgid) == msgstr, f"xietong.mo is stale: run scripts/i18n ({msgid})"
