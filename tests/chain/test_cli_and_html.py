"""The ``chain`` CLI and the offline HTML report, opened in real headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xietong.api import Ecosystem
from xietong.chain.html import write_html
from xietong.chain.report import ChainAnalyst
from xietong.cli.chain import chain_app

runner = CliRunner()


def test_cli_list_show_report_simulate(eco: Ecosystem, tmp_path: Path) -> None:
    eco.import_demo()
    listed = runner.invoke(chain_app, ["list", "--json"])
    assert listed.exit_code == 0 and len(json.loads(listed.stdout)) == 5
    shown = runner.invoke(chain_app, ["show", "集成电路", "--json"])
    assert {s["name"] for s in json.loads(shown.stdout)["segments"]} >= {"EDA/IP", "封测"}
    html = tmp_path / "r.html"
    report = runner.invoke(chain_app, ["report", "人形机器人", "--region", "上海", "--json",
                                       "--html", str(html), "--db", eco.url])
    assert report.exit_code == 0, report.output
    assert json.loads(report.stdout)["scope"]["name"] == "上海市"
    assert "<svg id=\"chain-diagram\"" in html.read_text("utf-8")
    table = runner.invoke(chain_app, ["report", "llm", "--park", "模速空间", "--db", eco.url])
    assert table.exit_code == 0 and "无问芯穹" in table.stdout
    sim = runner.invoke(chain_app, ["simulate", "humanoid_robot", "--remove", "张江机器人谷",
                                    "--db", eco.url, "--json"])
    assert json.loads(sim.stdout)["removed"] == ["上海智元新创技术有限公司"]
    bad = runner.invoke(chain_app, ["report", "量子计算", "--db", eco.url])
    assert bad.exit_code != 0 and "未知产业链 '量子计算'" in str(bad.exception)


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("XIETONG_REQUIRE_BROWSER") == "1":
        pytest.fail("chromium is required (XIETONG_REQUIRE_BROWSER=1): apt-get install chromium")
    return found


def test_html_report_renders_in_headless_chromium(demo: ChainAnalyst, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed")
    page = write_html(demo.report("humanoid_robot", region="上海"), tmp_path / "report.html")
    assert "http://" not in page.read_text("utf-8").replace("http://www.w3.org/2000/svg", "")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
             "--window-size=1400,1000"]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert 'data-segments="11"' in dom
    width = int(dom.split('data-diagram-width="')[1].split('"')[0])
    assert width > 500  # the diagram was laid out, not an empty box
    shot = tmp_path / "shot.png"
    subprocess.run([*flags, f"--screenshot={shot}", page.as_uri()], capture_output=True,
                   timeout=120, check=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # a drawn page; a blank 1400×1000 PNG is ~5 KB
