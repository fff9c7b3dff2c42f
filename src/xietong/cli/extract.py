"""``xietong extract FILE… [--review] [--json]``: facts from Chinese text into the graph.

Registered in app.py as ``app.command("extract")(extract_command)``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
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
)
from rich.table import Table
from rich.text import Text

from xietong.api import Ecosystem
from xietong.i18n import N_, _
from xietong.ingest.errors import InputError

if TYPE_CHECKING:
    from xietong.extract import Decisions, Document

out = Console()
err = Console(stderr=True, soft_wrap=True)  # notices: stdout stays for results and --json

# What the summary and the item table call things (the writer's tables, the items' kinds)
_COUNTED = {"entities": N_("实体"), "aliases": N_("名称"), "facts": N_("事实"),
            "evidence": N_("出处"), "merges": N_("合并"), "reviews": N_("待审核")}
_KINDS = {"organisation": N_("机构"), "person": N_("人物"), "region": N_("区域"),
          "figure": N_("数字"), "relation": N_("关系")}


def extract_command(
    files: Annotated[list[Path], typer.Argument(help=_(
        "TXT（UTF-8、GB18030 或 UTF-16）、DOCX 或 PDF 文件，或包含这些文件的文件夹。"))],
    review: Annotated[bool, typer.Option("--review", help=_(
        "先列出将要导入的内容，逐项接受或拒绝。"))] = False,
    accept_all: Annotated[bool, typer.Option("--accept-all", help=_(
        "与 --review 同用：接受所有未被拒绝的项。"))] = False,
    reject: Annotated[list[str] | None, typer.Option("--reject", help=_(
        "与 --review 同用：拒绝此 id 的项（可重复）。"))] = None,
    accept: Annotated[list[str] | None, typer.Option("--accept", help=_(
        "与 --review 同用：接受此 id 的项（可重复）。"))] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="XIETONG_DB", help=_(
        "SQLite 文件或 postgresql:// 地址（默认 ./xietong.db）。"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON，供脚本使用。"))] = False,
) -> None:
    """从新闻、报告中抽取机构、人物、数字和关系，导入图谱。"""
    # xietong.extract loads its models in about 0.4 s: here, not at every command's start
    from xietong.extract import Decisions, extract_text, import_document, unplaced_people
    from xietong.extract.graph import known_names
    from xietong.extract.pipeline import read_file

    # every file is read before the first is imported: an unreadable one (a scan, a wrong
    # encoding) stops the run with nothing written
    texts = _readable(files, read_file)
    eco = Ecosystem(db, create=True)
    eco.init()
    decisions = Decisions.load(eco.engine)
    results = []
    # a bar over the files, unless the output is JSON or the reviewer is being asked
    with _files_progress(len(texts), quiet=as_json or review) as show:
        for done, (path, original, sha256) in enumerate(texts):
            show(done, path)
            # Each file sees the graph as it stands, names added by earlier files included.
            doc = extract_text(original, path, sha256,
                               known_names(eco, excluding_uri=str(path.resolve())))
            unplaced = unplaced_people(eco, doc)  # as the store stands before this file
            if review:
                results.append(_review(eco, doc, decisions, accept_all, set(reject or ()),
                                       set(accept or ()), as_json, unplaced))
            else:
                summary = import_document(eco, doc, rejected=decisions.rejected(),
                                          unplaced=unplaced)
                results.append(_result(doc, decisions, summary, unplaced))
                if not as_json:
                    _show_summary(doc, summary)
                    _show_unplaced(unplaced)
            decisions.save()  # with its file's import: a later file's failure keeps them
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def _files_progress(total: int, quiet: bool) -> Iterator[Callable[[int, Path], None]]:
    """Show how many files are done and which is next: a Rich bar on a terminal, for two
    files or more."""
    if quiet or total < 2 or not out.is_terminal:
        yield lambda done, path: None
        return
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn(), console=out, transient=True)
    task = bar.add_task(_("抽取"), total=total)
    with bar:
        yield lambda done, path: bar.update(task, completed=done, description=_(
            "抽取 {name}").format(name=path.name))


def _documents(paths: list[Path]) -> list[Path]:
    """The files to read: each file given, and a folder's documents (TXT, DOCX, PDF) at any
    depth in name order, each once."""
    from xietong.extract.text import DOCUMENT_SUFFIXES

    found: dict[Path, Path] = {}  # resolved → as given, in order
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file()
                            and p.suffix.lower() in DOCUMENT_SUFFIXES
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not inside:
                raise InputError(_("{path}: 文件夹中没有可抽取的文件（{suffixes}）").format(
                    path=path, suffixes="、".join(DOCUMENT_SUFFIXES)))
            for p in inside:
                found.setdefault(p.resolve(), p)
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            raise InputError(_("{path}: 文件不存在").format(path=path))
    return list(found.values())


def _proposed(doc: Document) -> list[Any]:
    from xietong.extract import item_records

    return [item for item in doc.items if item_records(item)]


def _review(eco: Ecosystem, doc: Document, decisions: Decisions, accept_all: bool,
            reject: set[str], accept: set[str], as_json: bool, unplaced: list[Any]
            ) -> dict[str, Any]:
    from xietong.extract import import_document
    from xietong.extract.decisions import ACCEPT, REJECT

    items = _proposed(doc)
    ids = {item.id for item in items}
    unknown = (reject | accept) - ids - set(decisions.entries)
    if unknown:
        raise InputError(_("{name}: 没有 id 为 {ids} 的抽取项").format(
            name=doc.path.name, ids=", ".join(sorted(unknown))))
    preview = import_document(eco, doc, rejected=decisions.rejected(), dry_run=True,
                              unplaced=unplaced)
    if not as_json:
        _show_items(doc, items, decisions)
        _show_summary(doc, preview)
        _show_unplaced(unplaced)
    interactive = not (accept_all or reject or accept or as_json) and sys.stdin.isatty()
    for item in items:
        decision = REJECT if item.id in reject else ACCEPT if item.id in accept else None
        if decision is None and decisions.get(item.id) is None:
            if accept_all:
                decision = ACCEPT
            elif interactive:
                decision = _ask(item)
        if decision is not None:
            decisions.decide(item.id, decision, item.label, doc.path.name)
    accepted = {i.id for i in items if decisions.get(i.id) == ACCEPT}
    summary = import_document(eco, doc, only=accepted, rejected=decisions.rejected(),
                              unplaced=unplaced)
    if not as_json:
        pending = sum(1 for i in items if decisions.get(i.id) is None)
        out.print(_("已接受 {accepted} 项，拒绝 {rejected} 项，待定 {pending} 项（待定的不导入）")
                  .format(accepted=len(accepted), rejected=len(items) - len(accepted) - pending,
                          pending=pending))
        _show_summary(doc, summary)
    return _result(doc, decisions, summary, unplaced, preview)


def _shown(item: Any) -> str:
    """What a reviewer reads: the item's label with the graph's Chinese names of types and
    relations (the label, as --json gives it, names them by their ids)."""
    from xietong.model.registry import REGISTRY

    data = item.data
    if item.kind == "organisation":
        kind = REGISTRY.entity_types.get(str(data["type"]))
        return f"{_(kind.label) if kind else data['type']} {data['name']}"
    if item.kind == "relation":
        relation = REGISTRY.relation_types.get(str(data["predicate"]))
        predicate = _(relation.label) if relation else data["predicate"]
        return f"{data['subject']} —{predicate}→ {data['object']}"
    return str(item.label)


# decisions as stored (decisions.ACCEPT, REJECT) and as shown
_DECISIONS = {"accept": N_("接受"), "reject": N_("拒绝")}


def _ask(item: Any) -> str:
    from xietong.extract.decisions import ACCEPT, REJECT

    answer = typer.prompt(_("[{id}] {label} — 接受？(y/n)").format(id=item.id, label=_shown(item)),
                          default="y")
    return ACCEPT if answer.strip().lower() in ("y", "yes", "是", "") else REJECT


def _show_items(doc: Document, items: list[Any], decisions: Decisions) -> None:
    table = Table(title=Text(_("{name}: {n} 项待导入").format(name=doc.path.name, n=len(items))),
                  show_lines=False)
    for column in ("id", _("类型"), _("内容"), _("置信度"), _("位置"), _("决定")):
        table.add_column(column)
    for item in items:
        decision = decisions.get(item.id)
        table.add_row(item.id, _(_KINDS.get(item.kind, item.kind)), Text(_shown(item)),
                      f"{item.confidence:.2f}", f"{item.start}-{item.end}",
                      _(_DECISIONS[decision]) if decision in _DECISIONS else "")
    out.print(table)


def _show_summary(doc: Document, summary: Any) -> None:
    added = "，".join(f"{_(_COUNTED.get(k, k))} +{v:,}" for k, v in summary.added.items() if v)
    template = _("{name}: 将会新增 {added}；合并 {merged}，待审核 {queued}") if summary.dry_run \
        else _("{name}: 新增 {added}；合并 {merged}，待审核 {queued}")
    out.print(template.format(name=doc.path.name, added=added or _("无"), merged=summary.merged,
                              queued=summary.queued_for_review), markup=False)


def _show_unplaced(unplaced: list[Any]) -> None:
    for item in unplaced:
        out.print(_("  未导入 {label}：图谱中有多位同名人员，文中未写其单位").format(label=_shown(item)),
                  markup=False)


def _readable(files: list[Path], read: Callable[[Path], tuple[str, str]]
              ) -> list[tuple[Path, str, str]]:
    """Every document's text and hash, read before any is imported; an empty document (or
    one of white space only) is skipped with a notice and adds nothing, not even a source.
    When every document is empty, the run is refused."""
    texts: list[tuple[Path, str, str]] = []
    empty: list[tuple[Path, str, str]] = []
    for path in _documents(files):
        original, sha256 = read(path)
        (texts if original.strip() else empty).append((path, original, sha256))
    if empty and not texts:
        raise InputError(_("{names}: 文件为空，没有可抽取的文字；未导入任何内容").format(
            names="、".join(str(path) for path, _text, _sha in empty)))
    for path, _text, _sha in empty:
        err.print(_("{path}: 文件为空，已跳过").format(path=path), markup=False)
    return texts


def _result(doc: Document, decisions: Decisions, summary: Any, unplaced: list[Any],
            preview: Any = None) -> dict[str, Any]:
    def counts(s: Any) -> dict[str, Any]:
        return {"added": s.added, "merged": s.merged, "queued_for_review": s.queued_for_review,
                "dry_run": s.dry_run, "unchanged": s.unchanged}

    result: dict[str, Any] = {
        "file": str(doc.path), "sha256": doc.sha256,
        "items": [{"id": i.id, "kind": i.kind, "label": i.label, "span": [i.start, i.end],
                   "sentence": i.sentence, "article": i.article, "confidence": i.confidence,
                   "decision": decisions.get(i.id), "data": i.data} for i in doc.items],
        "import": counts(summary),
        # people left out: several in the graph bear the name, and the text gives no unit
        "unplaced": [i.id for i in unplaced],
    }
    if preview is not None:
        result["preview"] = counts(preview)
    return result
