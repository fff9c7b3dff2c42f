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
from xietong.cli.render import notice

if TYPE_CHECKING:
    from xietong.chain.report import ChainAnalyst

chain_app = typer.Typer(help="产业链图谱: 模板、企业落位、补链强链、风险与断链模拟。",
                        no_args_is_help=True, add_completion=False)
out = Console()

DbOption = Annotated[str | None, typer.Option("--db", envvar="XIETONG_DB",
                                              help="SQLite file or postgresql:// URL.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
TemplatesOption = Annotated[list[Path] | None, typer.Option(
    "--templates", help="Extra chain template files or folders (YAML).")]
RegionOption = Annotated[str | None, typer.Option("--region", help="区域, e.g. 上海 or 浦东新区.")]
ParkOption = Annotated[str | None, typer.Option("--park", help="园区, e.g. 张江机器人谷.")]
RulesOption = Annotated[Path | None, typer.Option("--rules", help="Risk rules YAML (docs/chains.md).")]


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


@chain_app.command("list")
def list_(templates: TemplatesOption = None, as_json: JsonOption = False) -> None:
    """List the chain templates — 产业链模板列表。"""
    chains = list(TemplateSet(templates or []))
    if as_json:
        _print_json([{"key": c.key, "name": c.name, "segments": len(c.segments),
                      "source": c.path} for c in chains])
        return
    table = Table("key", "产业链", "环节", "来源")
    for c in chains:
        table.add_row(c.key, c.name, "、".join(s.name for s in c.segments), c.path)
    out.print(table)


@chain_app.command()
def show(chain: Annotated[str, typer.Argument(help="Chain key, name or alias.")],
         templates: TemplatesOption = None, as_json: JsonOption = False) -> None:
    """Show a chain's segments and links — 产业链环节与上下游。"""
    template = TemplateSet(templates or []).get(chain)
    if as_json:
        _print_json(as_dict(template))
        return
    out.print(f"[bold]{template.name}[/] ({template.key}) — {template.description}")
    table = Table("环节", "位置", "下游", "映射行业", "关键词")
    for s in template.segments:
        feeds = "、".join(template.segment(k).name for k in s.feeds)
        table.add_row(s.name, s.position, feeds, "、".join(s.industries[:6]),
                      "、".join(s.keywords[:6]))
    out.print(table)


@chain_app.command()
def report(
    chain: Annotated[str, typer.Argument(help="Chain key, name or alias.")],
    region: RegionOption = None, park: ParkOption = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write a self-contained HTML report.")] = None,
    templates: TemplatesOption = None, rules: RulesOption = None,
    db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Chain report for a region or park — 产业链报告 (补链/强链、链主、风险)。"""
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
        out.print(f"[green]✓[/] HTML 报告: {html}")


def _render_report(r: dict[str, Any]) -> None:
    s = r["summary"]
    rate = "无供给关系数据" if s["local_supply_rate"] is None else f"{s['local_supply_rate']:.0%}"
    out.print(f"[bold]{r['chain']['name']}[/] · {r['scope']['name']}: 链上企业 "
              f"{s['enterprises_on_chain']:,}，本地 {s['local_enterprises']:,}；环节覆盖 "
              f"{s['segments_covered']}/{s['segments']}；本地配套率 {rate}")
    table = Table("环节", "位置", "本地", "全部", "HHI", "风险", "原因", "代表企业 / 招引候选")
    colour = {"red": "red", "yellow": "yellow", "blue": "blue"}
    for seg in r["segments"]:
        names = [m["name"] for m in seg["members"][:3]]
        if seg.get("shortlist"):
            names = ["招引: " + "、".join(c["name"] for c in seg["shortlist"][:3])]
        risk = seg["risk_label"]
        if seg["risk"]:
            risk = f"[{colour[seg['risk']]}]{risk}[/]"
        table.add_row(seg["name"], seg["position"], str(seg["local_enterprises"]),
                      str(seg["national_enterprises"]),
                      "" if seg["hhi"] is None else f"{seg['hhi']:.0f}", risk,
                      "；".join(seg["risk_reasons"][:1]), "、".join(names))
    out.print(table)
    for leader in r["leaders"][:3]:
        out.print(f"链主候选 {leader['name']}: {leader['explanation']}")


@chain_app.command()
def simulate(
    chain: Annotated[str, typer.Argument(help="Chain key, name or alias.")],
    remove: Annotated[list[str], typer.Option("--remove", help="Enterprise, region or park to remove (repeatable).")],
    region: RegionOption = None, park: ParkOption = None,
    templates: TemplatesOption = None, db: DbOption = None, as_json: JsonOption = False,
) -> None:
    """Disruption simulation — 断链模拟: 移除企业或区域，沿供给关系多跳传播。"""
    # JSON-like values, read by key below
    result: dict[str, Any] = _analyst(db, templates).simulate(chain, remove, region=region,
                                                              park=park)
    if as_json:
        _print_json(result)
        return
    out.print(f"移除 {len(result['removed'])} 家: {'、'.join(result['removed'][:8])}"
              f"{'…' if len(result['removed']) > 8 else ''}")
    out.print(f"影响持续 {result['hops']} 跳，受影响企业 {result['affected_count']} 家，"
              f"链产能损失 {result['capacity_lost']:.1%}")
    table = Table("企业", "环节", "损失", "跳数", "传导路径", "本地替代供应商")
    for row in result["affected"][:30]:
        table.add_row(row["name"], row["segment"], f"{row['loss']:.0%}", str(row["hop"]),
                      " → ".join(row["path"]), "、".join(row["alternative_suppliers"][:3]))
    out.print(table)
