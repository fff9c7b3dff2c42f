"""``xietong match`` and ``xietong recommend``: matchmaking with reasons (供需对接).

Registered in :mod:`xietong.cli.app`; errors are raised as the exceptions its ``main``
turns into one line on stderr (ValueError, LookupError, NotFound, Ambiguous).
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from xietong.api import Ecosystem
from xietong.cli.render import notice
from xietong.match.demand import ROLE_LABELS
from xietong.model.registry import REGISTRY

if TYPE_CHECKING:
    from xietong.match.engine import Match

out = Console()

DbOption = Annotated[str | None, typer.Option("--db", envvar="XIETONG_DB",
                                              help="SQLite file or postgresql:// URL.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
TopOption = Annotated[int, typer.Option("--top", min=1, max=200, help="How many results.")]
RegionOption = Annotated[str | None, typer.Option("--region", help="Only this region, e.g. 上海.")]
ParkOption = Annotated[str | None, typer.Option("--park", help="Only this park, e.g. 模力社区.")]


def match_command(
    text: Annotated[str, typer.Argument(help="The demand in Chinese, e.g. 寻找谐波减速器供应商.")],
    relation: Annotated[str | None, typer.Option(
        "--relation", help="Role sought: " + ", ".join(f"{k}({v})" for k, v in
                                                       ROLE_LABELS.items()))] = None,
    region: RegionOption = None,
    park: ParkOption = None,
    industry: Annotated[str | None, typer.Option(
        "--industry", help="Only entities in this industry or chain segment.")] = None,
    exclude_competitors_of: Annotated[list[str] | None, typer.Option(
        "--exclude-competitors-of", help="Leave out this entity's competitors.")] = None,
    top: TopOption = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rank organisations for a free-text demand, with reasons — 供需匹配。"""
    # numpy and SciPy load in about 0.4 s: here, not at every command's start
    from xietong.match.service import cite_matches, open_matcher

    eco = Ecosystem(db, create=False)
    matcher = open_matcher(eco, notify=notice)
    matches = matcher.match(text, role=relation, region=region, park=park,
                            exclude_competitors_of=exclude_competitors_of,
                            industry=industry, top=top)
    cite_matches(eco, matches)
    _show(matches, f"需求: {text}", as_json)


def recommend_command(
    entity: Annotated[str, typer.Argument(help="Name, alias or id of the entity.")],
    relation: Annotated[str, typer.Option("--relation", help="Relation, e.g. 合作, 供给, 投资.")],
    direction: Annotated[str, typer.Option(
        "--direction", help="tail: rank X in (ENTITY, relation, X); head: X in (X, relation, "
        "ENTITY).")] = "tail",
    region: RegionOption = None,
    park: ParkOption = None,
    top: TopOption = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Recommend partners, suppliers, customers or investors for an entity — 推荐。"""
    from xietong.match.service import cite_matches, open_matcher

    REGISTRY.relation(relation)  # an unknown relation fails before any work
    if direction not in ("head", "tail"):
        raise ValueError(f"未知方向 {direction!r}；可选：head, tail")
    eco = Ecosystem(db, create=False)
    hit = eco.entity(entity)
    matcher = open_matcher(eco, notify=notice)
    node = matcher.index.snapshot.node_of[hit.id]
    matches = matcher.recommend(node, relation, direction, top, region=region, park=park)
    cite_matches(eco, matches)
    label = REGISTRY.relation(relation).label
    title = f"{hit.name} {label} ?" if direction == "tail" else f"? {label} {hit.name}"
    _show(matches, title, as_json)


_RANKING_CAPTION = {
    "learned": "排序: 学习模型",
    "fixed": "排序: 固定特征加权（此类查询没有学习模型）",
}


def _show(matches: list[Match], title: str, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps([m.to_dict() for m in matches], ensure_ascii=False,
                                    indent=2, default=str) + "\n")
        return
    if not matches:
        out.print("没有找到匹配")
        return
    table = Table(title=title, title_justify="left", show_lines=True,
                  caption=_RANKING_CAPTION.get(matches[0].ranking), caption_justify="left")
    for column in ("#", "名称", "类型", "得分", "理由"):
        table.add_column(column)
    for rank, m in enumerate(matches, 1):
        entity_type = REGISTRY.entity_types.get(m.type)
        kind = entity_type.label if entity_type else m.type
        if not m.seen:
            kind += " (新)"
        table.add_row(str(rank), m.name, kind, f"{m.score:.3f}", _why(m))
    out.print(table)


def _why(m: Match) -> str:
    r = m.reasons
    lines: list[str] = []
    for path, text in zip(r.paths, r.path_texts()):
        cited = _cite([s for hop in path for s in hop.sources])
        lines.append(f"路径: {text}" + (f" [{cited}]" if cited else ""))
    if r.chain_fit:
        lines.append("产业链: " + "；".join(r.chain_fit))
    if r.shared_places:
        lines.append("同园区/区域: " + "、".join(r.shared_places))
    if r.matched_terms:
        lines.append("匹配词: " + " ".join(r.matched_terms[:8]))
    return "\n".join(lines) or "文本相似"


def _cite(sources: list[dict[str, Any]]) -> str:
    parts = [f"{s.get('document') or s['source']} {s['locator'] or ''}".strip()
             for s in sources[:2]]
    return "; ".join(parts)
