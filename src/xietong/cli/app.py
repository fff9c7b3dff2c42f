"""The ``xietong`` command line: a thin skin over :mod:`xietong.api`.

Every command takes ``--db`` (or $XIETONG_DB) and ``--json``; errors are one line on
stderr with exit code 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from xietong.api import Ambiguous, Ecosystem, ImportRejected, ImportResult, NotFound
from xietong.cli import render
from xietong.cli.chain import chain_app
from xietong.cli.extract import extract_command
from xietong.cli.match import match_command, recommend_command
from xietong.i18n import _
from xietong.ingest.errors import InputError
from xietong.store.engine import StoreError
from xietong.store.writer import RecordError

app = typer.Typer(
    name="xietong",
    help="协同 xietong — 创新生态知识图谱: 导入、实体消歧、查询。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(chain_app, name="chain", help="Industry-chain maps — 产业链图谱: 覆盖、缺链、链主、风险、断链模拟。")
app.command("extract")(extract_command)
app.command("match")(match_command)
app.command("recommend")(recommend_command)
out = Console()
err = render.err

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="XIETONG_DB", help="SQLite file or postgresql:// URL "
                 "(default ./xietong.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class Format(str, Enum):
    auto = "auto"
    ickg = "ickg"
    chainkg = "chainkg"


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def _open(db: str | None, create: bool = False) -> Ecosystem:
    return Ecosystem(db, create=create)


@app.command()
def init(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Create the store (or upgrade its schema) — 初始化数据库。"""
    eco = _open(db, create=True)
    revision = eco.init()
    if as_json:
        _print_json({"db": eco.url, "revision": revision})
    else:
        out.print(f"[green]✓[/] 数据库就绪 {eco.url} (schema {revision})")


@app.command("import")
def import_(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or data-set folders.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="YAML mapping file (see docs/mapping.md).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Data-set format of a folder.")] = Format.auto,
    splits: Annotated[str, typer.Option(help="ICKG splits to load, comma-separated.")] = "train.txt,valid.txt",
    demo: Annotated[bool, typer.Option("--demo", help="Import the bundled demo ecosystem.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Import the valid rows and report the rest.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import files, data sets or the demo — 导入 CSV/XLSX/XLS/JSONL、ICKG、ChainKG 或演示数据。"""
    if not paths and not demo:
        raise typer.BadParameter("请给出要导入的文件或文件夹，或使用 --demo")
    eco = _open(db, create=True)
    eco.init()
    results: list[ImportResult] = []
    if demo:
        results.append(eco.import_demo(dry_run=dry_run))
    for path in paths or []:
        with _progress(path.name, quiet=as_json) as advance:
            kind = fmt.value if fmt is not Format.auto else _detect(path)
            if kind == "ickg":
                result = eco.import_ickg(path, tuple(splits.split(",")), dry_run=dry_run,
                                         progress=advance)
            elif kind == "chainkg":
                result = eco.import_chainkg(path, dry_run=dry_run, progress=advance)
            else:
                result = eco.import_file(path, mapping=mapping, dry_run=dry_run,
                                         skip_invalid=skip_invalid, progress=advance)
        results.append(result)
    if as_json:
        _print_json([r.to_dict() for r in results])
    else:
        for result in results:
            render.import_result(out, result)


def _detect(path: Path) -> str:
    if path.is_dir():
        if (path / "entity2id.txt").exists():
            return "ickg"
        if (path / "company_product.jsonl").exists():
            return "chainkg"
        raise InputError(f"{path}: 文件夹必须是 ICKG 或 ChainKG 数据集")
    return "file"


class _progress:
    """A Rich progress line counting records, on stderr so --json output stays clean."""

    def __init__(self, label: str, quiet: bool) -> None:
        self.label, self.quiet = label, quiet

    def __enter__(self) -> Callable[[int], None] | None:
        if self.quiet or not err.is_terminal:
            return None
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.completed:,} 条记录"), TimeElapsedColumn(),
                            console=err, transient=True)
        self.bar.start()
        task = self.bar.add_task(f"导入 {self.label}", total=None)
        return lambda n: self.bar.advance(task, n)

    def __exit__(self, *_: object) -> None:
        if getattr(self, "bar", None) is not None:
            self.bar.stop()


@app.command()
def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Counts by type, relation and source — 统计。"""
    result = _open(db).stats()
    if as_json:
        _print_json(asdict(result))
    else:
        render.stats(out, result)


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="Name, alias or id.")],
    limit: Annotated[int, typer.Option(help="Relations to list.")] = 30,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """An entity's profile, names, relations with sources, neighbours — 实体档案。"""
    profile = _open(db).profile(name, relation_limit=max(limit, 1) if as_json else 500)
    if as_json:
        _print_json(asdict(profile))
    else:
        render.profile(out, profile, limit)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Chinese or Latin text; typos are tolerated.")],
    limit: Annotated[int, typer.Option(help="How many results.")] = 10,
    entity_type: Annotated[str | None, typer.Option("--type", help="Only this entity type.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find entities by name or alias — 按名称/别名模糊搜索。"""
    hits = _open(db).search(text, limit, entity_type)
    if as_json:
        _print_json([asdict(h) for h in hits])
    else:
        render.hits(out, hits)


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="Output file: .xlsx, .csv or .jsonl.")],
    fmt: Annotated[str | None, typer.Option("--format", help="xlsx, csv or jsonl.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export entities and relations — 导出 (XLSX/CSV/JSONL)。"""
    counts = _open(db).export(path, fmt)
    if as_json:
        _print_json({"path": str(path), **counts})
    else:
        out.print(f"[green]✓[/] 已导出 {counts['entities']:,} 个实体, "
                  f"{counts['relations']:,} 条关系 → {path}")


@app.command()
def merge(
    name: Annotated[str, typer.Argument(help="The entity to merge (name or id).")],
    into: Annotated[str, typer.Argument(help="The entity it is the same as.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Merge two entities that are the same organisation — 合并实体。"""
    merge_id = _open(db).merge(name, into)
    if as_json:
        _print_json({"merge_id": merge_id})
    else:
        out.print(f"[green]✓[/] 已合并（合并记录 #{merge_id}）；撤销：xietong unmerge {name}")


@app.command()
def unmerge(
    member: Annotated[str, typer.Argument(help="The merged member (id, or a name only it has).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Undo a merge; the pair is remembered as different — 撤销合并。"""
    undone = _open(db).unmerge(member)
    if as_json:
        _print_json({"undone_merges": undone})
    else:
        out.print(f"[green]✓[/] 已拆分; 撤销了 {len(undone)} 次合并，今后导入不会再合并这对实体")


@app.command()
def review(
    accept: Annotated[list[int] | None, typer.Option("--accept", help="Review ids: the same organisation.")] = None,
    reject: Annotated[list[int] | None, typer.Option("--reject", help="Review ids: different organisations.")] = None,
    limit: Annotated[int, typer.Option(help="How many open pairs to list.")] = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the review queue, or decide pairs — 人工审核队列。"""
    from rich.markup import escape

    eco = _open(db)
    decided = [eco.decide(review_id, True) for review_id in accept or []]
    decided += [eco.decide(review_id, False) for review_id in reject or []]
    if accept or reject:
        if as_json:
            _print_json([{k: row[k] for k in ("id", "entity", "candidate", "same")}
                         for row in decided])
            return
        for row in decided:
            verdict = _("同一机构，已合并") if row["same"] else _("不同机构，不再提示")
            out.print(_("[green]✓[/] #{id} {entity} ↔ {candidate}：{verdict}").format(
                id=row["id"], entity=escape(row["entity"]), candidate=escape(row["candidate"]),
                verdict=verdict))
        return
    pending = eco.reviews(limit=limit)
    if as_json:
        _print_json(pending)
    else:
        render.reviews(out, pending, eco.review_count())


@app.command()
def sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List imported sources — 数据来源。"""
    rows = _open(db).sources()
    if as_json:
        _print_json(rows)
    else:
        render.sources(out, rows)


@app.command()
def retract(
    source: Annotated[str, typer.Argument(help="Source name, path or id (see 'sources').")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remove a source and exactly the facts it alone supports — 撤回来源。"""
    ids = _open(db).retract(source)
    if as_json:
        _print_json({"retracted": ids})
    else:
        out.print(f"[green]✓[/] 已撤回来源 {source}")


_USER_ERRORS = (StoreError, InputError, RecordError, NotFound, Ambiguous, LookupError,
                ValueError, FileNotFoundError)


def main() -> None:
    try:
        app(standalone_mode=False)
    except ImportRejected as exc:
        for issue in exc.report.issues:
            err.print(issue.render(), markup=False, highlight=False)
        err.print(f"错误: {len(exc.report.errors)} 处错误，未导入任何数据",
                  markup=False, highlight=False)
        raise SystemExit(1) from None
    except _USER_ERRORS as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        if isinstance(exc, FileNotFoundError) and exc.filename:  # the OS says it in English
            message = f"{exc.filename}: 文件或文件夹不存在"
        err.print(f"错误: {message}", markup=False, highlight=False)
        raise SystemExit(1) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        raise SystemExit(1) from None
    except typer.TyperException as exc:  # usage errors: show them the usual way, exit 2
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            err.print(f"错误: {exc}", markup=False, highlight=False)
        raise SystemExit(getattr(exc, "exit_code", 2)) from None
