"""The README's 快速上手 is a test: its commands run in order, as a new user copies them.

The bash block under ``## 快速上手`` in README.md is parsed (so README and test cannot drift)
and each line runs as a real subprocess of the installed ``xietong`` — on a SQLite file and on
a real PostgreSQL database. Every step must exit 0, print no Python traceback, and give the
right answer for that step, checked by a read-only probe run right after it (usually the same
command again with ``--json``). Each step's wall time is printed and written to
``tour-times-<backend>.md`` in the pytest temporary directory; no assertion depends on time.

How the README's lines are honoured:
- ``scripts/setup`` is recognised as done: the test runs inside the virtual environment it
  creates (installing again would reach for the network and take minutes).
- ``source .venv/bin/activate`` puts the running environment's ``bin`` first on PATH.
- ``export XIETONG_DB=park.db`` is honoured: ``park.db`` in the working directory on SQLite;
  on PostgreSQL the variable is a fresh database on the test server instead.
- Commands run in a temporary working directory laid out like the repository's root:
  ``examples`` links to the repository's sample spreadsheets and ``../shared`` to the real
  data beside the repository, so every path resolves as written, and what the tour writes
  (park.db, 生态.xlsx, 人形机器人.html) stays out of the repository. XIETONG_CACHE and
  XIETONG_ERROR_DIR point into it too, so the first ``match`` is cold, as for a new user.

The tour's steps are marked ``tour`` (``pytest -m tour``, or ``-m "not tour"`` to leave them
out): they import ICKG25 and ChainKG and build the match index, a few minutes per backend.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
README = REPO / "README.md"
BIN = Path(sys.executable).parent  # the environment scripts/setup made
STEP_TIMEOUT = 900  # seconds; a hung step fails instead of blocking the run


# --- the README's tour ------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    number: int  # line in README.md
    text: str
    argv: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"L{self.number}:{' '.join(self.argv)[:60]}"


def tour_lines(readme: Path = README) -> list[Line]:
    """The commands of the first bash block under ``## 快速上手``, comments removed."""
    text = readme.read_text(encoding="utf-8")
    heading = text.index("\n## 快速上手")
    start = text.index("```bash\n", heading) + len("```bash\n")
    end = text.index("```", start)
    first = text.count("\n", 0, start) + 1
    lines = []
    for offset, raw in enumerate(text[start:end].splitlines()):
        argv = tuple(shlex.split(raw, comments=True))
        if argv:
            lines.append(Line(first + offset, raw, argv))
    return lines


LINES = tour_lines()


# --- running it -----------------------------------------------------------------------------

@dataclass
class Run:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        assert self.returncode == 0, f"{shlex.join(self.argv)} → {self.returncode}\n{self.output}"
        return json.loads(self.stdout)


@dataclass
class StepResult:
    line: Line
    run: Run | None = None  # None: recognised as done (scripts/setup, source, export)
    failures: list[str] = field(default_factory=list)
    probes: list[Run] = field(default_factory=list)


class Tour:
    """One backend's working directory, environment and results, step by step."""

    def __init__(self, root: Path, db: str | None) -> None:
        self.cwd = root / "repo"
        self.cwd.mkdir(parents=True)
        (self.cwd / "examples").symlink_to(REPO / "examples")
        (root / "shared").symlink_to(SHARED)
        self.env = {k: v for k, v in os.environ.items() if k != "XIETONG_DB"}
        self.env |= {"XIETONG_CACHE": str(root / "cache"), "XIETONG_ERROR_DIR": str(root / "errors"),
                     "COLUMNS": "200", "NO_COLOR": "1"}
        self.db = db  # a PostgreSQL URL, or None for the README's own value
        self.results: list[StepResult] = []
        self.state: dict[str, Any] = {}  # what a later check compares with

    def run(self, argv: tuple[str, ...] | list[str]) -> Run:
        argv = tuple(argv)
        exe = str(BIN / argv[0]) if argv[0] == "xietong" else argv[0]
        began = time.perf_counter()
        try:
            proc = subprocess.run([exe, *argv[1:]], cwd=self.cwd, env=self.env,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=STEP_TIMEOUT)
            code, out, err = proc.returncode, proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as exc:
            code, out, err = -1, str(exc.stdout or ""), f"timed out after {STEP_TIMEOUT} s"
        return Run(argv, code, out, err, time.perf_counter() - began)

    def probe(self, *argv: str) -> Run:
        """A read-only command run for a check; it must work and print no traceback."""
        run = self.run(("xietong", *argv))
        self.results[-1].probes.append(run)
        return run

    def step(self, line: Line) -> None:
        result = StepResult(line)
        self.results.append(result)
        argv = line.argv
        if argv[0] == "scripts/setup":
            return  # done: this test runs in the environment it creates
        if argv[0] == "source":
            assert argv[1:] == (".venv/bin/activate",), line.text
            self.env["VIRTUAL_ENV"] = str(BIN.parent)
            self.env["PATH"] = f"{BIN}{os.pathsep}{self.env.get('PATH', '')}"
            return
        if argv[0] == "export":
            name, _, value = argv[1].partition("=")
            self.env[name] = self.db if name == "XIETONG_DB" and self.db else value
            return
        assert argv[0] == "xietong", f"README line {line.number}: unexpected command {line.text}"
        result.run = self.run(argv)
        check = checker(argv)
        if check is None:
            result.failures.append(f"no right-answer check for README line {line.number}")
            return
        try:
            check(self, result.run)
        except AssertionError as exc:
            result.failures.append(str(exc) or repr(exc))
        except Exception as exc:  # a probe's output that is not what the check expects
            result.failures.append(f"{type(exc).__name__}: {exc}")

    def times(self) -> str:
        rows = ["| README line | command | seconds | exit |", "|---|---|---|---|"]
        total = 0.0
        for r in self.results:
            if r.run is not None:
                total += r.run.seconds
                rows.append(f"| {r.line.number} | `{' '.join(r.line.argv)}` | "
                            f"{r.run.seconds:.1f} | {r.run.returncode} |")
        rows.append(f"| | total | {total:.1f} | |")
        return "\n".join(rows) + "\n"


# --- right answers, one per kind of step ---------------------------------------------------------

Check = Callable[[Tour, Run], None]
CHECKS: list[tuple[Callable[[tuple[str, ...]], bool], Check]] = []


def check_for(predicate: Callable[[tuple[str, ...]], bool]) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS.append((predicate, fn))
        return fn
    return register


def checker(argv: tuple[str, ...]) -> Check | None:
    for predicate, fn in CHECKS:
        if predicate(argv):
            return fn
    return None


def command(name: str, *args: str, without: tuple[str, ...] = ()) -> Callable[[tuple[str, ...]], bool]:
    """argv is ``xietong name …`` with ``args`` among its arguments and none of ``without``."""
    def matches(argv: tuple[str, ...]) -> bool:
        rest = argv[2:]
        return (len(argv) > 1 and argv[1] == name and all(a in rest for a in args)
                and not any(w in rest for w in without))
    return matches


def stats(tour: Tour) -> dict[str, Any]:
    data: dict[str, Any] = tour.probe("stats", "--json").json()
    return data


def active_sources(tour: Tour) -> list[str]:
    return [s["name"] for s in tour.probe("sources", "--json").json() if not s.get("retracted_at")]


def profile(tour: Tour, name: str) -> dict[str, Any]:
    data: dict[str, Any] = tour.probe("show", name, "--json").json()
    return data


def alias_names(prof: dict[str, Any]) -> set[str]:
    return {n["alias"] for n in prof["names"]} | {prof["name"]}


@check_for(command("init"))
def _init(tour: Tour, run: Run) -> None:
    assert stats(tour)["entities"] == 0, "a new store should be empty"


@check_for(command("import", "--demo"))
def _demo(tour: Tour, run: Run) -> None:
    by_type = stats(tour)["entities_by_type"]
    assert by_type.get("park", 0) >= 19 and by_type.get("enterprise", 0) >= 50, by_type
    assert profile(tour, "模速空间")["type"] == "park"


@check_for(command("import", "../shared/data/ickg25"))
def _ickg(tour: Tour, run: Run) -> None:
    assert any(s.startswith("ickg25") for s in active_sources(tour))
    assert stats(tour)["entities_by_type"]["enterprise"] > 10_000


@check_for(command("import", "../shared/data/chainkg"))
def _chainkg(tour: Tour, run: Run) -> None:
    # ChainKG's listing dates are its 'time' column; reading the exchange there warned 1,832 times
    assert "不是日期" not in run.output, run.output[:500]
    assert "chainkg" in active_sources(tour)
    counts = stats(tour)
    assert counts["entities_by_type"]["enterprise"] > 20_000, counts["entities_by_type"]
    tour.state["before_dry_run"] = counts


@check_for(command("import", "examples/企业名录.xlsx", "--dry-run"))
def _dry_run(tour: Tour, run: Run) -> None:
    assert stats(tour) == tour.state["before_dry_run"], "a dry run changed the store"
    assert "企业名录.xlsx" not in active_sources(tour), "a dry run added a source"
    # it shows what would change, not only counts: the first row's firm and its credit code
    assert "上海阶跃星辰智能科技有限公司" in run.output and "91310104MA1RFB4LEY" in run.output, \
        run.output[:800]


@check_for(command("import", "examples/企业名录.xlsx", without=("--dry-run",)))
def _directory(tour: Tour, run: Run) -> None:
    assert "企业名录.xlsx" in active_sources(tour)
    short, full = profile(tour, "阶跃星辰"), profile(tour, "上海阶跃星辰智能科技有限公司")
    assert short["id"] == full["id"], "the legal name should join the demo's 阶跃星辰"
    codes = {a["value"] for a in short["attributes"] if a["key"] == "credit_code"}
    assert codes == {"91310104MA1RFB4LEY"}, codes
    people = {r["other"] for r in short["relations"] if r["predicate"] == "works_for"}
    assert "周敏" in people, "the directory's 联系人 works for the firm"
    tour.state["directory_only_person"] = "周敏"


@check_for(command("import", "examples/企查查导出.xlsx"))
def _registry_export(tour: Tour, run: Run) -> None:
    agibot = profile(tour, "智元机器人")
    assert agibot["name"] == "上海智元新创技术有限公司" and agibot["type"] == "enterprise"
    attrs = {a["key"]: a["value"] for a in agibot["attributes"]}
    assert attrs.get("registration_status") == "存续", attrs
    assert attrs.get("credit_code") == "91310115MA18D729DT", attrs
    # one firm per credit code: the export's row joined the directory's, not a second 智元
    hits = [h for h in tour.probe("search", "上海智元新创技术有限公司", "--json").json()
            if h["name"] == "上海智元新创技术有限公司"]
    assert len(hits) == 1, hits
    # a district several cities share is placed by 所属省份/所属城市: 宝山区 of 上海
    hengyue = profile(tour, "上海衡越精密传动有限公司")
    assert any(a["key"] == "region" and "上海" in str(a["value"]) for a in hengyue["attributes"]) \
        or any(r["predicate"] == "located_in_region" and r["other"] in {"宝山区", "上海市宝山区"}
               for r in hengyue["relations"]), hengyue["attributes"]


@check_for(command("import", "examples/园区企业台账.xls"))
def _ledger(tour: Tour, run: Run) -> None:
    fourier = profile(tour, "傅利叶")
    parks = {r["other"] for r in fourier["relations"]
             if r["predicate"] == "located_in_park"
             and any(s["source"] == "园区企业台账.xls" for s in r["sources"])}
    assert parks == {"张江机器人谷"}, parks
    # the ledger's short name joined the firm the directory named in full
    assert "上海傅利叶智能科技有限公司" in alias_names(fourier), alias_names(fourier)


@check_for(command("stats"))
def _stats(tour: Tour, run: Run) -> None:
    counts = stats(tour)
    by_type = counts["entities_by_type"]
    assert 20_000 < by_type["enterprise"] < 100_000, by_type
    assert by_type["park"] >= 19 and by_type["product"] > 10_000, by_type
    assert counts["entities"] == sum(by_type.values())
    for label in ("企业", "园区", "来源"):
        assert label in run.stdout, f"stats should label {label}"


@check_for(command("show", "模速空间"))
def _show_park(tour: Tour, run: Run) -> None:
    assert "园区" in run.stdout
    park = profile(tour, "模速空间")
    assert park["type"] == "park", park["type"]
    residents = {r["other"] for r in park["relations"]
                 if r["predicate"] == "located_in_park" and r["direction"] == "in"}
    assert {"阶跃星辰", "上海无问芯穹智能科技有限公司"} <= residents, sorted(residents)[:20]


@check_for(command("search", "智圆机器人"))
def _search(tour: Tour, run: Run) -> None:
    hits = tour.probe("search", "智圆机器人", "--json").json()
    assert hits and hits[0]["name"] in {"智元机器人", "上海智元新创技术有限公司"}, hits[:3]
    assert "智元" in run.stdout


# Words two different firms' names share without being a 字号 (trade name).
_NOT_TRADE = re.compile(
    "中国|国家|中华|北京|上海|天津|重庆|广东|广州|深圳|江苏|浙江|湖北|四川|山东|河北|河南|福建"
    "|安徽|湖南|陕西|辽宁|吉林|黑龙江|山西|江西|云南|贵州|广西|海南|甘肃|内蒙古|宁夏|新疆|西藏|青海"
    "|有限责任|有限公司|有限|股份|集团|公司|控股|科技|技术|信息|智能|电子|网络|能源|新能源|材料|新材料"
    "|投资|发展|实业|工程|科学|数字|数据|软件|系统|设备|电力|电气|汽车|医药|生物|环境|建设|管理"
    "|服务|国际|产业|贸易|机械|制造|研究院|研究所|中心|分公司|[省市县区]")


def _trade_words(name: str) -> set[str]:
    rest = _NOT_TRADE.sub(" ", re.sub(r"[（(][^)）]*[)）]", " ", name))
    return {part[i:i + 2] for part in rest.split() for i in range(len(part) - 1)}


def plausible_pair(a: str, b: str) -> bool:
    """The two names share a two-character word that is neither a place nor a trade."""
    return bool(_trade_words(a) & _trade_words(b)) or a in b or b in a


@check_for(command("review"))
def _review(tour: Tour, run: Run) -> None:
    items = tour.probe("review", "--limit", "10", "--json").json()
    assert items, "the review queue is empty after three data sets and three spreadsheets"
    for item in items[:5]:
        assert plausible_pair(item["entity"], item["candidate"]), \
            f"implausible pair #{item['id']}: {item['entity']} / {item['candidate']}"
    # the 依据 column is Chinese, not feature names
    assert not re.search(r"[a-z]+_[a-z]+", run.stdout), run.stdout[:800]
    # and the total is shown
    total = stats(tour).get("open_reviews")
    assert total is not None and (f"{total:,}" in run.stdout or str(total) in run.stdout), \
        f"review should show its total ({total})"


BIREN, BIREN_FORMER = "上海壁仞科技股份有限公司", "上海壁仞智能科技有限公司"


def _biren_ids(tour: Tour) -> dict[str, set[int]]:
    ids: dict[str, set[int]] = {}
    for hit in tour.probe("search", "壁仞", "--json").json():
        ids.setdefault(hit["name"], set()).add(hit["id"])
    return ids


@check_for(command("search", "壁仞"))
def _search_duplicate(tour: Tour, run: Run) -> None:
    ids = _biren_ids(tour)
    assert BIREN in ids and BIREN_FORMER in ids and ids[BIREN] != ids[BIREN_FORMER], ids
    assert BIREN_FORMER in run.stdout or "上海壁仞智能" in run.stdout


@check_for(command("merge"))
def _merge(tour: Tour, run: Run) -> None:
    ids = _biren_ids(tour)
    assert BIREN_FORMER not in ids, f"{BIREN_FORMER} is still its own entity: {ids}"
    queue = tour.probe("review", "--limit", "5000", "--json").json()
    assert not [i for i in queue if {i["entity"], i["candidate"]} == {BIREN, BIREN_FORMER}], \
        "the merged pair is still open in the review queue"


@check_for(command("show", "壁仞科技"))
def _show_merged(tour: Tour, run: Run) -> None:
    biren = profile(tour, "壁仞科技")
    assert biren["name"] == BIREN and BIREN_FORMER in alias_names(biren), alias_names(biren)
    assert BIREN_FORMER in run.stdout


@check_for(command("export"))
def _export(tour: Tour, run: Run) -> None:
    path = tour.cwd / run.argv[2]
    assert path.is_file(), f"{path.name} was not written"
    expected = stats(tour)["entities"]
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        sheets = {ws.title: ws for ws in wb.worksheets}
        sheet = next((ws for title, ws in sheets.items() if "实体" in title), wb.worksheets[0])
        rows = sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if any(row))
    finally:
        wb.close()
    assert rows == expected, f"sheet {sheet.title}: {rows} rows, the store has {expected} entities"


@check_for(command("retract"))
def _retract(tour: Tour, run: Run) -> None:
    assert "企业名录.xlsx" not in active_sources(tour)
    # a fact only the directory gave is gone; one the registry export also gives stays
    step = profile(tour, "阶跃星辰")
    people = {r["other"] for r in step["relations"] if r["predicate"] == "works_for"}
    assert tour.state["directory_only_person"] not in people, people
    codes = {a["value"] for a in step["attributes"] if a["key"] == "credit_code"}
    assert codes == {"91310104MA1RFB4LEY"}, "the export also gives the credit code"


@check_for(command("sources"))
def _sources(tour: Tour, run: Run) -> None:
    names = set(active_sources(tour))
    assert {"chainkg", "企查查导出.xlsx", "园区企业台账.xls"} <= names, names
    assert "企业名录.xlsx" not in names


FRAGMENTS = {"有限", "限公", "公司", "有限公司", "股份", "份有"}


def _ranked(results: list[dict[str, Any]]) -> None:
    assert results, "no results"
    for r in results:
        assert 0 <= r["score"] <= 100, f"score {r['score']} of {r['name']}"
        terms = set(r["reasons"]["matched_terms"])
        assert not terms & FRAGMENTS, f"{r['name']}: matched terms {sorted(terms)}"


@check_for(command("match"))
def _match(tour: Tour, run: Run) -> None:
    results = tour.probe(*run.argv[1:], "--json").json()
    _ranked(results)
    top = results[:5]
    assert all(r["type"] == "enterprise" for r in top), [(r["name"], r["type"]) for r in top]
    reducers = ("谐波", "减速", "传动", "绿的", "双环", "中大力德")
    assert any(any(w in r["name"] for w in reducers) for r in results[:10]) or any(
        any(w in t for w in ("谐波", "减速器")) for r in results[:10]
        for t in r["reasons"]["matched_terms"]), [r["name"] for r in results[:10]]


@check_for(command("recommend"))
def _recommend(tour: Tour, run: Run) -> None:
    header = run.stdout.strip().splitlines()[0] if run.stdout.strip() else ""
    assert "?" not in header and "阶跃星辰" in header and "合作" in header, header
    results = tour.probe(*run.argv[1:], "--json").json()
    _ranked(results)
    assert "阶跃星辰" not in {r["name"] for r in results}, "recommended itself"


@check_for(command("chain", "report"))
def _chain_report(tour: Tour, run: Run) -> None:
    html = tour.cwd / run.argv[run.argv.index("--html") + 1]
    assert html.is_file() and "人形机器人" in html.read_text(encoding="utf-8")
    at = run.argv.index("--html")
    report = tour.probe(*run.argv[1:at], *run.argv[at + 2:], "--json").json()
    summary = report["summary"]
    local = {m["name"] for seg in report["segments"] for m in seg["members"]}
    assert summary["local_enterprises"] > 0 and "上海智元新创技术有限公司" in local, summary
    # local firms supply the chain (the sample export places 节卡股份, which supplies 智元, in
    # 闵行区), so some of the chain's supply is local
    assert summary["local_supply_links"] > 0, summary
    assert summary["local_supply_rate"] is not None and summary["local_supply_rate"] > 0, summary
    assert "本地配套率 0%" not in run.stdout


@check_for(command("chain", "simulate"))
def _chain_simulate(tour: Tour, run: Run) -> None:
    result = tour.probe(*run.argv[1:], "--json").json()
    assert "上海智元新创技术有限公司" in result["removed"], result["removed"]
    segments = {row["segment"] for row in result["affected"]}
    assert segments, "removing the chain's integrator affected no segment"


GENERIC = {"机器人", "算力", "通用", "巨人", "和信", "化部", "纳米", "新产业", "人工智能", "大模型"}


@check_for(command("extract"))
def _extract(tour: Tour, run: Run) -> None:
    data = tour.probe(*run.argv[1:], "--json").json()
    [doc] = data if isinstance(data, list) else [data]
    orgs = {i["data"]["name"] for i in doc["items"] if i["kind"] == "organisation"}
    assert {"上海无问芯穹智能科技有限公司", "模速空间"} & orgs, sorted(orgs)
    assert not orgs & GENERIC, f"generic words as organisations: {sorted(orgs & GENERIC)}"
    objects = {i["data"].get("object") for i in doc["items"] if i["kind"] == "relation"}
    assert not objects & GENERIC, f"relations to generic words: {sorted(objects & GENERIC)}"


# --- the tests ------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def tour(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tour]:
    """The whole tour on one backend, run once; the tests below read its results."""
    if not (SHARED / "data" / "ickg25").is_dir():
        pytest.fail(f"{SHARED / 'data'} is missing: the tour reads the real data sets")
    db = None
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres")
        if server is None:
            pytest.skip("PostgreSQL is not installed")
        db = server.create_database(f"tour_{os.getpid()}")
    root = tmp_path_factory.mktemp(f"tour-{request.param}")
    t = Tour(root, db)
    for line in LINES:
        t.step(line)
        r = t.results[-1]
        if r.run is not None:
            print(f"[{request.param}] {r.run.seconds:6.1f} s  rc={r.run.returncode}  "
                  f"{' '.join(line.argv)}", flush=True)
    table = t.times()
    (tmp_path_factory.getbasetemp() / f"tour-times-{request.param}.md").write_text(
        table, encoding="utf-8")
    print(f"\n[{request.param}] step times (written to "
          f"{tmp_path_factory.getbasetemp() / f'tour-times-{request.param}.md'}):\n{table}")
    yield t


@pytest.mark.tour
@pytest.mark.parametrize("line", LINES, ids=[line.id for line in LINES])
def test_step(tour: Tour, line: Line) -> None:
    [result] = [r for r in tour.results if r.line == line]
    if result.run is None:
        return  # setup, activation and the store's variable: see the module's docstring
    runs = [result.run, *result.probes]
    for run in runs:
        assert "Traceback" not in run.output, f"{shlex.join(run.argv)}:\n{run.output[-3000:]}"
    assert result.run.returncode == 0, f"exit {result.run.returncode}:\n{result.run.output[-2000:]}"
    assert not result.failures, "\n".join(result.failures)


def test_readme_tour_is_complete() -> None:
    """The tour covers what 快速上手 promises, in an order that makes sense."""
    subcommands = [line.argv[1] for line in LINES if line.argv[0] == "xietong"]
    for sub in ("init", "import", "stats", "show", "search", "review", "merge", "export",
                "retract", "match", "recommend", "chain", "extract"):
        assert sub in subcommands, f"快速上手 lost its {sub} step"
    imports = [line.argv[2] for line in LINES if line.argv[:2] == ("xietong", "import")]
    retracted = [line.argv[2] for line in LINES if line.argv[:2] == ("xietong", "retract")]
    for name in retracted:
        assert any(Path(p).name == name for p in imports), f"retracts {name}, never imported"
    for line in LINES:
        for arg in line.argv[2:]:
            if arg.startswith(("examples/", "../shared/")):
                assert (REPO / arg).resolve().exists(), f"README line {line.number}: {arg} is missing"
        if line.argv[0] == "xietong":
            assert checker(line.argv) is not None, f"README line {line.number} has no check"
    # the README shows no fixed review ids: they differ from store to store
    assert not [line for line in LINES if line.argv[:2] == ("xietong", "review")
                and {"--accept", "--reject"} & set(line.argv)]


def test_every_tour_command_has_json() -> None:
    """快速上手 says 每个命令都支持 --json: every subcommand the tour uses offers it."""
    seen: set[tuple[str, ...]] = set()
    for line in LINES:
        if line.argv[0] != "xietong":
            continue
        sub = line.argv[1:3] if line.argv[1] == "chain" else line.argv[1:2]
        if sub in seen:
            continue
        seen.add(sub)
        proc = subprocess.run([str(BIN / "xietong"), *sub, "--help"], capture_output=True,
                              text=True, env={**os.environ, "COLUMNS": "200"}, timeout=120)
        assert proc.returncode == 0 and "--json" in proc.stdout, f"xietong {' '.join(sub)}"
