"""``xietong match`` and ``xietong recommend``: matchmaking with reasons (供需对接).

Registered in :mod:`xietong.cli.app`; errors are raised as the exceptions its ``main``
turns into one line on stderr (ValueError, LookupError, NotFound, Ambiguous). A demand
with nothing to match (no word that names anything, e.g. ``' OR 1=1 --``) is such an
error (exit code 1); a demand whose words match nothing prints "没有找到匹配" with exit 0.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from xietong.api import Ecosystem
from xietong.cli.render import err, notice
from xietong.i18n import _
from xietong.match.demand import ROLE_LABELS
from xietong.model.registry import REGISTRY

if TYPE_CHECKING:
    from xietong.match.engine import Match

out = Console()
MAX_RESULTS = 200

DbOption = Annotated[str | None, typer.Option(
    "--db", envvar="XIETONG_DB", help=_("SQLite 文件或 postgresql:// 地址。"))]
JsonOption = Annotated[bool, typer.Option("--json", help=_("输出 JSON，供脚本使用。"))]
TopOption = Annotated[int, typer.Option(
    "--top", "--limit", min=1, max=MAX_RESULTS,
    help=_("返回多少个结果（1–{max}）。").format(max=MAX_RESULTS))]
RegionOption = Annotated[str | None, typer.Option(
    "--region", help=_("只要这个区域的机构，例如 上海、浦东新区。"))]
ParkOption = Annotated[str | None, typer.Option(
    "--park", help=_("只要入驻这个园区的机构，例如 模力社区。"))]


class _Stages:
    """The matcher's build stages on stderr: a progress bar with the count done and the
    time remaining measured from the stage's own pace on a terminal, one line per stage
    (with its time when done) otherwise."""

    def __init__(self, console: Console) -> None:
        self.console = console

    @contextmanager
    def stage(self, label: str, total: int | None = None, unit: str = ""
              ) -> Iterator[Callable[[int], None]]:
        what = label + (f"（{total:,} {unit}）" if total and unit else "")
        started = time.perf_counter()
        if not self.console.is_terminal:
            self.console.print(Text("… " + what, style="dim"))
            yield lambda _done: None
            self.console.print(Text(_("  完成，用时 {seconds:.1f} 秒").format(
                seconds=time.perf_counter() - started), style="dim"))
            return
        columns = [SpinnerColumn(), TextColumn("{task.description}")]
        if total:
            columns += [BarColumn(), MofNCompleteColumn(), TextColumn(_("剩余")),
                        TimeRemainingColumn()]
        columns += [TextColumn(_("已用")), TimeElapsedColumn()]
        with Progress(*columns, console=self.console, transient=False) as bar:
            task = bar.add_task(label, total=total)
            yield lambda done: bar.advance(task, done)
            if total:
                bar.update(task, completed=total)


def match_command(
    text: Annotated[str, typer.Argument(help=_("中文需求，例如：寻找谐波减速器供应商。"))],
    relation: Annotated[str | None, typer.Option(
        "--relation", help=_("要找的角色：") + "、".join(
            f"{k}({v})" for k, v in ROLE_LABELS.items()))] = None,
    region: RegionOption = None,
    park: ParkOption = None,
    industry: Annotated[str | None, typer.Option(
        "--industry", help=_("只要属于这个行业或产业链环节的机构。"))] = None,
    exclude_competitors_of: Annotated[list[str] | None, typer.Option(
        "--exclude-competitors-of", help=_("排除这个实体的竞争对手（可重复）。"))] = None,
    top: TopOption = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """为一段中文需求排序机构，并给出理由 — 供需匹配。"""
    # numpy and SciPy load in about 0.4 s: here, not at every command's start
    from xietong.match.service import cite_matches, open_matcher

    eco = Ecosystem(db, create=False)
    matcher = open_matcher(eco, notify=notice, progress=_Stages(err))
    matches = matcher.match(text, role=relation, region=region, park=park,
                            exclude_competitors_of=exclude_competitors_of,
                            industry=industry, top=top)
    reading = matcher.reading(text, relation)
    cite_matches(eco, matches)
    _show(matches, _("需求：{text}").format(text=text) + reading_line(reading), as_json,
          reading)


def reading_line(reading: dict[str, Any] | None) -> str:
    """A supplier demand as read — "求购：金针菇；用于：炝拌金针菇" — on a line of its own."""
    if not reading:
        return ""
    parts = []
    for key, label in (("sought", _("求购")), ("for", _("用于")), ("quantity", _("数量")),
                       ("qualification", _("资质")), ("deadline", _("交期"))):
        if reading.get(key):
            parts.append(f"{label}：{reading[key]}")
    if reading.get("regions"):
        parts.append(_("地区优先") + "：" + "、".join(reading["regions"]))
    if reading.get("products") and reading["products"] != [reading.get("sought")]:
        parts.append(_("库中产品") + "：" + "、".join(reading["products"]))
    return "\n" + "；".join(parts) if parts else ""


def recommend_command(
    entity: Annotated[str, typer.Argument(help=_("实体的名称、别名或 id。"))],
    relation: Annotated[str, typer.Option(
        "--relation", help=_("关系，例如 合作、供给、投资。"))],
    direction: Annotated[str, typer.Option(
        "--direction", help=_("tail：推荐 (实体, 关系, ?) 中的 ?；head：推荐 (?, 关系, 实体) "
                              "中的 ?。"))] = "tail",
    region: RegionOption = None,
    park: ParkOption = None,
    top: TopOption = 20,
    entity_type: Annotated[str | None, typer.Option(
        "--type", help=_("实体类型（如 园区、企业，或 park、enterprise）：同名实体中选这一类。"))] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """为一个实体推荐合作伙伴、供应商、客户或投资方 — 推荐。"""
    from xietong.match.service import cite_matches, open_matcher

    REGISTRY.relation(relation)  # an unknown relation fails before any work
    if direction not in ("head", "tail"):
        raise ValueError(_("未知方向 {direction!r}；可选：head, tail").format(
            direction=direction))
    eco = Ecosystem(db, create=False)
    hit = eco.entity(entity, entity_type)
    matcher = open_matcher(eco, notify=notice, progress=_Stages(err))
    node = matcher.index.snapshot.node_of[hit.id]
    matches = matcher.recommend(node, relation, direction, top, region=region, park=park)
    cite_matches(eco, matches)
    kind = REGISTRY.relation(relation)
    _show(matches, recommend_title(hit.name, kind.label, direction, kind.symmetric), as_json)


def recommend_title(name: str, label: str, direction: str, symmetric: bool) -> str:
    """The question as a sentence — "与 阶跃星辰 可能合作的机构" — not "阶跃星辰 合作 ?"."""
    if symmetric:
        return _("与 {name} 可能{relation}的机构").format(name=name, relation=label)
    if direction == "tail":
        return _("{name} 可能「{relation}」的对象（{name} {relation} → ？）").format(
            name=name, relation=label)
    return _("可能「{relation}」{name} 的机构（？ → {relation} {name}）").format(
        name=name, relation=label)


def _show(matches: list[Match], title: str, as_json: bool,
          reading: dict[str, Any] | None = None) -> None:
    if as_json:
        # a supplier demand: how it was read, on every row (the output stays a list of
        # matches for the scripts that read it)
        rows = [m.to_dict() | ({"parse": reading} if reading is not None else {})
                for m in matches]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if not matches:
        out.print(_("没有找到匹配：库中没有与需求相关的机构。可换用更具体的产品或行业名称，"
                    "或去掉 --region/--park/--industry 限制。"))
        return
    caption = _("排序模型：{model}。得分 0–100：本次所有候选中最高为 100、最低为 0，"
                "只在同一次查询内可比。").format(model=matches[0].model)
    table = Table(title=Text(title), title_justify="left", show_lines=True,
                  caption=caption, caption_justify="left")
    for column in ("#", _("名称"), _("类型"), _("得分"), _("理由")):
        table.add_column(column)
    for rank, m in enumerate(matches, 1):
        entity_type = REGISTRY.entity_types.get(m.type)
        kind = entity_type.label if entity_type else m.type
        if not m.seen:
            kind += _(" (新)")
        table.add_row(str(rank), Text(m.name), kind, f"{m.relative:.0f}", Text(_why(m)))
    out.print(table)


def _why(m: Match) -> str:
    r = m.reasons
    lines: list[str] = []
    if r.portfolio:
        lines.append(r.portfolio_label + "：" + "、".join(r.portfolio))
        if r.portfolio_note:
            lines.append(r.portfolio_note)
    for path, text in zip(r.paths, r.path_texts()):
        cited = _cite([s for hop in path for s in hop.sources])
        lines.append(_("路径：") + text + (f" [{cited}]" if cited else ""))
    if r.chain_fit:
        lines.append(_("产业链：") + "；".join(r.chain_fit))
    if r.shared_places:
        lines.append(_("同园区/区域：") + "、".join(r.shared_places))
    if r.matched_terms:
        lines.append(_("匹配词：") + " ".join(r.matched_terms[:8]))
    return "\n".join(lines) or _("名称与档案文本相似")


def _cite(sources: list[dict[str, Any]]) -> str:
    parts = [f"{s.get('document') or s['source']} {s['locator'] or ''}".strip()
             for s in sources[:2]]
    return "; ".join(parts)
