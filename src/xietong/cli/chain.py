"""``xietong chain …``: industry-chain maps (产业链图谱) — list, show, report, simulate.

Mounted by xietong.cli.app as ``app.add_typer(chain_app, name="chain")``; errors
(TemplateError, RuleError, LookupError: all ValueError/LookupError) become one line on
stderr through app.main().
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from xietong.api import Ecosystem
from xietong.chain.template import TemplateSet, as_dict
from xietong.cli.render import notice, safe
from xietong.i18n import _

if TYPE_CHECKING:
    from xietong.chain.report import ChainAnalyst

chain_app = typer.Typer(help=_("产业链图谱: 模板、企业落位、补链强链、风险与断链模拟。"),
                        no_args_is_help=True, add_completion=False)
out = Console()

DbOption = Annotated[str | None, typer.Option(
    "--db", envvar="XIETONG_DB", help=_("SQLite 文件或 postgresql:// 地址（默认 ./xietong.db）。"))]
JsonOption = Annotated[bool, typer.Option("--json", help=_("输出 JSON，供脚本使用。"))]
TemplatesOption = Annotated[list[Path] | None, typer.Option(
    "--templates", help=_("额外的产业链模板文件或文件夹（YAML）。"))]
RegionOption = Annotated[str | None, typer.Option(
    "--region", help=_("区域，如 上海 或 浦东新区。"))]
ParkOption = Annotated[str | None, typer.Option("--park", help=_("园区，如 张江机器人谷。"))]
RulesOption = Annotated[Path | None, typer.Option(
    "--rules", help=_("风险规则 YAML 文件（见 docs/chains.md）。"))]
ChainArgument = Annotated[str, typer.Argument(help=_("产业链的 key、名称或别名。"))]


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def _analyst(db: str | None, templates: list[Path] | None, rules: Path | None = None,
             *, shortlists: bool = False) -> ChainAnalyst:
    """The analyst over the store; with ``shortlists`` also the store's matcher (its
    trained ranker is cached between runs by xietong.match.service)."""
    # imported here, as every command's heavy modules are: each xietong command starts
    # a new process and should load only what it uses (docs/benchmarks.md, CLI start-up)
    from xietong.chain.report import ChainAnalyst
    from xietong.chain.risk import load_rules
    from xietong.match.service import open_matcher

    templates_set = TemplateSet(templates or [])
    risk_rules = load_rules(rules)
    eco = Ecosystem(db, create=False)
    try:
        matcher = open_matcher(eco, notify=notice) if shortlists else None
        snapshot = matcher.index.snapshot if matcher else eco.snapshot()
    finally:
        eco.close()
    return ChainAnalyst(snapshot, templates_set, risk_rules, matcher)


@chain_app.command("list", help=_("产业链模板列表。"))
def list_(templates: TemplatesOption = None, as_json: JsonOption = False) -> None:
    """List the chain templates."""
    chains = list(TemplateSet(templates or []))
    if as_json:
        _print_json([{"key": c.key, "name": c.name, "segments": len(c.segments),
                      "source": c.path} for c in chains])
        return
    table = Table("key", _("产业链"), _("环节"), _("来源"))
    for c in chains:
        table.add_row(safe(c.key), safe(c.name), safe("、".join(s.name for s in c.segments)),
                      safe(c.path))
    out.print(table)


@chain_app.command(help=_("产业链的环节与上下游。"))
def show(chain: ChainArgument, templates: TemplatesOption = None,
         as_json: JsonOption = False) -> None:
    """Show a chain's segments and links."""
    template = TemplateSet(templates or []).get(chain)
    if as_json:
        _print_json(as_dict(template))
        return
    out.print(f"[bold]{safe(template.name)}[/] ({safe(template.key)}) — "
              f"{safe(template.description)}")
    table = Table(_("环节"), _("位置"), _("下游"), _("映射行业"), _("关键词"))
    for s in template.segments:
        feeds = "、".join(template.segment(k).name for k in s.feeds)
        table.add_row(safe(s.name), safe(s.position), safe(feeds),
                      safe("、".join(s.industries[:6])), safe("、".join(s.keywords[:6])))
    out.print(table)


@chain_app.command(help=_("区域或园区的产业链报告（补链/强链、链主、风险）。"))
def report(
    chain: ChainArgument,
    region: RegionOption = None, park: ParkOption = None,
    html: Annotated[Path | None, typer.Option(
        "--html", help=_("另写一份独立的 HTML 报告到此文件。"))] = None,
    templates: TemplatesOption = None, rules: RulesOption = None,
    db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Chain report for a region or park."""
    result = _analyst(db, templates, rules, shortlists=True).report(chain, region=region,
                                                                   park=park)
    if html is not None:
        from xietong.chain.html import write_html

        write_html(result, html)
    if as_json:
        _print_json(result)
        return
    _render_report(result)
    if html is not None:
        out.print("[green]✓[/] " + _("HTML 报告: {path}").format(path=safe(html)))


def _render_report(r: dict[str, Any]) -> None:
    from xietong.chain.report import supply_rate_text  # loaded already by the analyst

    s = r["summary"]
    rate = safe(supply_rate_text(s))  # with the links it rests on, as in the HTML report
    out.print(f"[bold]{safe(r['chain']['name'])}[/] · " + _(
        "{scope}: 链上企业 {on_chain}，本地 {local}；环节覆盖 {covered}/{segments}；"
        "本地配套率 {rate}").format(
        scope=safe(r["scope"]["name"]), on_chain=f"{s['enterprises_on_chain']:,}",
        local=f"{s['local_enterprises']:,}", covered=s["segments_covered"],
        segments=s["segments"], rate=rate))
    table = Table(_("环节"), _("位置"), _("本地"), _("全部"), "HHI", _("风险"), _("原因"),
                  _("代表企业 / 招引候选"))
    colour = {"red": "red", "yellow": "yellow", "blue": "blue"}
    for seg in r["segments"]:
        names = safe("、".join(m["name"] for m in seg["members"][:3]))
        if seg.get("shortlist"):
            names = _("招引: {names}").format(
                names=safe("、".join(c["name"] for c in seg["shortlist"][:3])))
        risk = safe(seg["risk_label"])
        if seg["risk"]:
            risk = f"[{colour[seg['risk']]}]{risk}[/]"
        table.add_row(safe(seg["name"]), safe(seg["position"]), str(seg["local_enterprises"]),
                      str(seg["national_enterprises"]),
                      "" if seg["hhi"] is None else f"{seg['hhi']:.0f}", risk,
                      safe("；".join(seg["risk_reasons"][:1])), names)
    out.print(table)
    for leader in r["leaders"][:3]:
        out.print(_("链主候选 {name}: {explanation}").format(
            name=safe(leader["name"]), explanation=safe(leader["explanation"])))


@chain_app.command(help=_("断链模拟：移除企业、区域或园区，沿供给关系多跳传播。"))
def simulate(
    chain: ChainArgument,
    remove: Annotated[list[str], typer.Option(
        "--remove", help=_("要移除的企业、区域或园区（名称或 id，可重复）。"))],
    entity_type: Annotated[str | None, typer.Option(
        "--type", help=_("--remove 的实体类型（如 企业、园区）：同名实体中选这一类。"))] = None,
    region: RegionOption = None, park: ParkOption = None,
    templates: TemplatesOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Disruption simulation: remove firms or places, propagate along supply links."""
    targets = _removal_ids(db, remove, entity_type)
    # JSON-like values, read by key below
    result: dict[str, Any] = _analyst(db, templates).simulate(chain, targets, region=region,
                                                              park=park)
    if as_json:
        _print_json(result)
        return
    removed = "、".join(result["removed"][:8]) + ("…" if len(result["removed"]) > 8 else "")
    out.print(_("移除 {count} 家: {names}").format(count=len(result["removed"]),
                                                 names=safe(removed)))
    out.print(_("影响持续 {hops} 跳，受影响企业 {affected} 家，链产能损失 {lost}").format(
        hops=result["hops"], affected=result["affected_count"],
        lost=f"{result['capacity_lost']:.1%}"))
    table = Table(_("企业"), _("环节"), _("损失"), _("跳数"), _("传导路径"), _("本地替代供应商"))
    for row in result["affected"][:30]:
        table.add_row(safe(row["name"]), safe(row["segment"]), f"{row['loss']:.0%}",
                      str(row["hop"]), safe(" → ".join(row["path"])),
                      safe("、".join(row["alternative_suppliers"][:3])))
    out.print(table)


def _removal_ids(db: str | None, remove: list[str], entity_type: str | None) -> list[int]:
    """Each --remove as the id of the one entity it names: a name several entities share
    raises Ambiguous, listing them, unless --type picks one (the id keeps that choice, where
    the name would bring its namesakes back)."""
    with Ecosystem(db, create=False) as eco:
        return [eco.entity(name, entity_type).id for name in remove]
