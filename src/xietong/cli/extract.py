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

from xietong.api import Ecosystem
from xietong.ingest.errors import InputError

if TYPE_CHECKING:
    from xietong.extract import Decisions, Document

out = Console()


def extract_command(
    files: Annotated[list[Path], typer.Argument(help="TXT (UTF-8, GB18030 or UTF-16), DOCX or PDF files, or folders of them.")],
    review: Annotated[bool, typer.Option("--review", help="Show what would be added and "
                                         "accept or reject it item by item.")] = False,
    accept_all: Annotated[bool, typer.Option("--accept-all", help="With --review: accept "
                                             "every item not rejected.")] = False,
    reject: Annotated[list[str] | None, typer.Option("--reject", help="With --review: "
                                                     "reject this item id (repeatable).")] = None,
    accept: Annotated[list[str] | None, typer.Option("--accept", help="With --review: "
                                                     "accept this item id (repeatable).")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="XIETONG_DB", help="SQLite file or "
                                           "postgresql:// URL (default ./xietong.db).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Extract organisations, people, figures and relations from text — 从新闻报告中抽取事实。"""
    # xietong.extract loads its models in about 0.4 s: here, not at every command's start
    from xietong.extract import Decisions, extract_text, import_document, unplaced_people
    from xietong.extract.graph import known_names
    from xietong.extract.pipeline import read_file

    # every file is read before the first is imported: an unreadable one (a scan, a wrong
    # encoding) stops the run with nothing written
    texts = [(path, *read_file(path)) for path in _documents(files)]
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
    task = bar.add_task("抽取", total=total)
    with bar:
        yield lambda done, path: bar.update(task, completed=done,
                                            description=f"抽取 {path.name}")


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
                raise InputError(f"{path}: 文件夹中没有可抽取的文件（{'、'.join(DOCUMENT_SUFFIXES)}）")
            for p in inside:
                found.setdefault(p.resolve(), p)
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            raise InputError(f"{path}: 文件不存在")
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
        raise InputError(f"{doc.path.name}: 没有 id 为 {', '.join(sorted(unknown))} 的抽取项")
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
        out.print(f"已接受 {len(accepted)} 项，拒绝 {len(items) - len(accepted) - pending} 项，"
                  f"待定 {pending} 项（待定的不导入）")
        _show_summary(doc, summary)
    return _result(doc, decisions, summary, unplaced, preview)


def _ask(item: Any) -> str:
    from xietong.extract.decisions import ACCEPT, REJECT

    answer = typer.prompt(f"[{item.id}] {item.label} — 接受? (y/n)", default="y")
    return ACCEPT if answer.strip().lower() in ("y", "yes", "是", "") else REJECT


def _show_items(doc: Document, items: list[Any], decisions: Decisions) -> None:
    table = Table(title=f"{doc.path.name}: {len(items)} 项待导入", show_lines=False)
    for column in ("id", "类型", "内容", "置信度", "位置", "决定"):
        table.add_column(column)
    for item in items:
        table.add_row(item.id, item.kind, item.label, f"{item.confidence:.2f}",
                      f"{item.start}-{item.end}", decisions.get(item.id) or "")
    out.print(table)


def _show_summary(doc: Document, summary: Any) -> None:
    added = ", ".join(f"{k} +{v}" for k, v in summary.added.items() if v) or "无变化"
    prefix = "将会" if summary.dry_run else ""
    out.print(f"{doc.path.name}: {prefix}新增 {added}；合并 {summary.merged}，"
              f"待审核 {summary.queued_for_review}")


def _show_unplaced(unplaced: list[Any]) -> None:
    for item in unplaced:
        out.print(f"  未导入 {item.label}：图谱中有多位同名人员，文中未写其单位", markup=False)


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
