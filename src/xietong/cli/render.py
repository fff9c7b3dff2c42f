"""Rich rendering of API results for people (the ``--json`` path bypasses this)."""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xietong.api import Ambiguous, ImportResult
from xietong.i18n import _
from xietong.model.registry import REGISTRY
from xietong.store.queries import EntityHit, Profile, Stats

_TABLE_LABELS = {"entities": "实体", "aliases": "名称", "facts": "事实", "evidence": "出处",
                 "merges": "合并", "reviews": "待审核"}


err = Console(stderr=True, soft_wrap=True)  # errors and notices; stdout stays for results

# C0 and C1 control characters and the bidirectional overrides: from data, they would move
# the cursor, recolour the terminal or reorder what is shown (an escape sequence in a name)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(value: object) -> str:
    """``value`` as text with control characters shown as escapes (``\\x1b``), never
    acted on by the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", str(value))


def safe(value: object) -> str:
    """Data for a Rich markup string or table cell: control characters made visible and
    markup escaped, so a name like ``[red]…`` prints as it is."""
    return escape(visible(value))


def notice(message: str) -> None:
    """A line on stderr before slow work, so a long wait is not taken for a hang (stdout
    stays clean for --json)."""
    err.print(f"[dim]{safe(message)}[/]", highlight=False)


def _type_label(key: str) -> str:
    entity_type = REGISTRY.entity_types.get(key)
    return entity_type.label if entity_type else key


def import_result(console: Console, result: ImportResult, lines: int = 10,
                  earlier: int = 0) -> None:
    """An import's counts and warnings; for a dry run also what it would change, ``lines``
    examples of each kind (``--json`` has up to a thousand). ``earlier``: how many sources
    the same command showed before this one."""
    s = result.summary
    if s.dry_run and earlier == 1:  # said once, where it starts to matter
        console.print(_("[yellow]注意[/]：试运行时每个来源都按数据库当前状态检查，不含前面来源的变化"),
                      highlight=False)
    head = _("[yellow]试运行，未写入[/] ") if s.dry_run else "[green]✓[/] "
    source = safe(s.source)
    if s.unchanged:
        console.print(head + _("{source}: {n} 条记录, 无变化（此前已导入）").format(
            source=source, n=f"{s.records:,}"))
    else:
        labels = {k: _(v) for k, v in _TABLE_LABELS.items()}
        added = ", ".join(f"{labels[k]} +{v:,}" for k, v in s.added.items() if v)
        removed = ", ".join(f"{labels[k]} -{v:,}" for k, v in s.removed.items() if v)
        console.print(head + _("{source}: {n} 条记录; {added}").format(
            source=source, n=f"{s.records:,}", added=added) + (f"; {removed}" if removed else ""))
        if s.merged or s.queued_for_review:
            console.print(_("   实体消歧: 自动合并 {merged}, 待审核 {queued} (xietong review)")
                          .format(merged=f"{s.merged:,}", queued=f"{s.queued_for_review:,}"))
        if s.replaced:
            console.print(_("   替换了旧版本: {names}").format(
                names=", ".join(safe(n) for n in s.replaced)))
    if s.dry_run:
        _import_changes(console, s.changes, lines)
    warnings = result.report.warnings
    for issue in warnings[:10]:
        console.print(_("   [yellow]警告[/] {issue}").format(issue=safe(issue.render(tagged=False))),
                      highlight=False)
    if len(warnings) > 10:
        console.print(_("   … 另有 {n} 条警告 (--json 查看全部)").format(n=len(warnings) - 10))


def _import_changes(console: Console, changes: Any, lines: int) -> None:
    """The dry run's examples, section by section, each with how many more there are."""
    def pairs(d: dict[str, Any]) -> str:
        return _("{name} → {into}  规则 {rule}, 得分 {score:.2f}").format(
            name=safe(d["name"]), into=safe(d["into"]), rule=safe(d["rule"]), score=d["score"])

    sections = (
        ("entities", _("将新增实体"),
         lambda d: f"{safe(d['name'])}  [dim]{_type_label(d['type'])}[/]"),
        ("merges", _("将自动合并"), pairs),
        ("reviews", _("将送人工审核"), pairs),
        ("facts_added", _("将新增事实"), _fact_line),
        ("facts_removed", _("将删除事实（旧版本独有）"), _fact_line),
    )
    for key, title, line in sections:
        shown: list[dict[str, Any]] = getattr(changes, key)[:lines]
        total = changes.totals.get(key, len(shown))
        if not total:
            continue
        console.print(f"   [bold]{title}[/] ({total:,})", highlight=False)
        for detail in shown:
            console.print(f"     {line(detail)}", highlight=False)
        if total > len(shown):
            console.print(_("     … 另有 {n} 条 (--json 查看前 {limit} 条)").format(
                n=f"{total - len(shown):,}", limit=f"{len(getattr(changes, key)):,}"),
                highlight=False)


def _fact_line(d: dict[str, Any]) -> str:
    predicate = d["predicate"]
    if "object" in d:
        relation = REGISTRY.relation_types.get(predicate)
        label = relation.label if relation else predicate
        return f"{safe(d['subject'])} —{safe(label)}→ {safe(d['object'])}"
    attribute = REGISTRY.attribute_types.get(predicate)
    label = attribute.label if attribute else predicate
    value = _value(d.get("value")) + (f" {d['unit']}" if d.get("unit") else "")
    return f"{safe(d['subject'])} · {safe(label)} = {safe(value)}"


def stats(console: Console, s: Stats) -> None:
    console.print(_("[bold]实体[/] {entities} (另有 {merged} 个已合并)  [bold]事实[/] {facts}  "
                    "[bold]来源[/] {sources}  [bold]待审核[/] {reviews}").format(
        entities=f"{s.entities:,}", merged=f"{s.merged_entities:,}", facts=f"{s.facts:,}",
        sources=s.sources, reviews=f"{s.open_reviews:,}"))
    for title, counts, label in (
        (_("实体类型"), s.entities_by_type, _type_label),
        (_("关系类型"), s.relations_by_type, lambda k: REGISTRY.relation_types[k].label),
        (_("属性"), s.attributes_by_key,
         lambda k: REGISTRY.attribute_types[k].label if k in REGISTRY.attribute_types else k),
        (_("来源"), s.facts_by_source, str),
    ):
        if not counts:
            continue
        table = Table(title=title, title_justify="left")
        table.add_column(_("名称"))
        table.add_column("key", style="dim")
        table.add_column(_("数量"), justify="right")
        for key, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            table.add_row(safe(label(key)), safe(key) if label is not str else "", f"{count:,}")
        console.print(table)


def _cite(sources: list[dict[str, Any]]) -> str:
    parts = []
    for src in sources[:2]:
        text = f"{src['document'] or src['source']} {src['locator']}"
        if src.get("observed"):
            text += f" @{src['observed']}"
        if src.get("confidence") is not None and src["confidence"] < 1:
            text += _(" (置信度 {confidence})").format(confidence=f"{src['confidence']:.2f}")
        parts.append(safe(text))
    if len(sources) > 2:
        parts.append(f"+{len(sources) - 2}")
    return "; ".join(parts)


def profile(console: Console, p: Profile, limit: int) -> None:
    console.print(f"[bold]{safe(p.name)}[/]  [dim]{safe(_type_label(p.type))} #{p.id}[/]")
    others = [n["alias"] for n in p.names if n["alias"] != p.name]
    if others:
        console.print(_("别名: {names}").format(names=safe("、".join(others))))
    if len(p.members) > 1:
        console.print("[dim]" + _("由 {count} 条记录合并 (xietong unmerge 可撤销)").format(
            count=len(p.members)) + "[/]")
    if p.attributes:
        table = Table(title=_("属性"), title_justify="left")
        for column in (_("属性"), _("值"), _("时间"), _("出处")):
            table.add_column(column)
        for attr in p.attributes:
            text = _value(attr["value"])
            if attr["unit"]:
                text += f" {attr['unit']}"
            table.add_row(safe(attr["label"]), safe(text), safe(attr["as_of"] or ""),
                          _cite(attr["sources"]))
        console.print(table)
    if p.relations:
        table = Table(title=_("关系 ({count})").format(count=f"{p.relation_count:,}"),
                      title_justify="left")
        for column in (_("关系"), _("对象"), _("类型"), _("时间"), _("出处")):
            table.add_column(column)
        for rel in p.relations[:limit]:
            arrow = "→" if rel["direction"] == "out" else "←"
            label = rel["label"] + (f" {rel['weight']:.2f}" if rel["weight"] is not None else "")
            table.add_row(f"{arrow} {safe(label)}", safe(rel["other"]),
                          safe(_type_label(rel["other_type"])), safe(rel["valid_from"] or ""),
                          _cite(rel["sources"]))
        console.print(table)
        if len(p.relations) > limit:
            console.print("[dim]" + _("… 另有 {count} 条 (--limit 或 --json)").format(
                count=len(p.relations) - limit) + "[/]")
    if p.neighbours:
        console.print(_("邻居: {names}").format(names="、".join(
            f"{safe(n['name'])}({n['links']})" for n in p.neighbours[:12])))


def candidates(console: Console, exc: Ambiguous) -> None:
    """The entities a name is shared by, with what tells them apart, and how to pick one."""
    table = Table(title=_("{text!r} 对应 {count} 个实体").format(text=visible(exc.text),
                                                            count=len(exc.hits)),
                  title_justify="left")
    for column in ("id", _("名称"), _("类型"), _("关系数"), _("属性"), _("来源")):
        table.add_column(column)
    for hit in exc.hits[:20]:
        facts = exc.details.get(hit.id, {})
        attributes = "；".join(f"{a['label']}: {_short(_value(a['value']))}"
                              for a in facts.get("attributes", []))
        if hit.id in exc.notes:
            attributes = "；".join(x for x in (exc.notes[hit.id], attributes) if x)
        table.add_row(str(hit.id), safe(hit.name), safe(_type_label(hit.type)),
                      f"{facts['relations']:,}" if facts else "", safe(attributes),
                      safe("、".join(facts.get("sources", [])[:2])))
    console.print(table)
    if len(exc.hits) > 20:
        console.print(_("… 另有 {count} 个").format(count=len(exc.hits) - 20))
    types = sorted({hit.type for hit in exc.hits})
    console.print(_("请用 --type 指定类型（{types}），或改用 id").format(
        types=safe("、".join(_type_label(t) for t in types))))


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, (int, float)):
        return f"{value:,}"
    return str(value)


def hits(console: Console, found: list[EntityHit]) -> None:
    if not found:
        console.print(_("没有找到"))
        return
    table = Table()
    people = any(hit.workplaces for hit in found)  # namesakes are told apart by them
    for column in (_("名称"), _("类型"), *((_("单位"),) if people else ()), _("匹配"),
                   _("得分"), "id"):
        table.add_column(column)
    for hit in found:
        table.add_row(safe(hit.name), safe(_type_label(hit.type)),
                      *((safe("、".join(hit.workplaces)),) if people else ()),
                      safe(hit.matched) if hit.matched != hit.name else "", f"{hit.score:.2f}",
                      str(hit.id))
    console.print(table)


def reviews(console: Console, pending: list[dict[str, Any]], total: int | None = None) -> None:
    """The review queue's page, most plausible pairs first, with the queue's total."""
    from xietong.resolve.labels import explain

    if not pending:
        console.print(_("审核队列为空"))
        return
    total = len(pending) if total is None else total
    title = _("共 {total} 对待审核，显示前 {shown} 对（同一机构：xietong review --accept ID；"
              "不同机构：--reject ID）").format(total=f"{total:,}", shown=len(pending))
    table = Table(title=title, title_justify="left")
    table.add_column(_("ID"), justify="right")
    for column in (_("新记录"), _("候选")):
        table.add_column(column, overflow="fold", ratio=2)
    table.add_column(_("得分"), justify="right")
    table.add_column(_("依据"), overflow="fold", ratio=3)
    for row in pending:
        table.add_row(str(row["id"]), escape(row["entity"]), escape(row["candidate"]),
                      f"{row['score']:.2f}", escape(explain(row["rule"], row.get("features"))))
    console.print(table)


def sources(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table()
    for column in ("ID", _("类型"), _("名称"), _("导入时间"), _("状态")):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row["id"]), safe(row["kind"]), safe(row["name"]),
                      str(row["imported_at"])[:19],
                      _("已撤回") if row["retracted_at"] else _("有效"))
    console.print(table)
