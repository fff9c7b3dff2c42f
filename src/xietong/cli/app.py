"""The ``xietong`` command line: a thin skin over :mod:`xietong.api`.

Every command takes ``--db`` (or $XIETONG_DB) and ``--json``; errors are one line on
stderr with exit code 1 (a name several entities share: a table of them). An unexpected
exception is one line too, naming the command, with the traceback in a report file
(xietong.cli.crash). Help and messages are Chinese, English through the gettext catalogue.
"""

from __future__ import annotations

import json
import os
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
from xietong.cli import crash, render
from xietong.cli.chain import chain_app
from xietong.cli.extract import extract_command
from xietong.cli.match import match_command, recommend_command
from xietong.cli.render import safe, visible
from xietong.i18n import _
from xietong.ingest.errors import InputError
from xietong.model.imports import RecordError
from xietong.store.engine import StoreError


def _typer_words() -> None:
    """Typer's own words in its help panels in the user's language too (its rich_utils
    module reads these module constants when it renders)."""
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = _("参数")
    rich_utils.OPTIONS_PANEL_TITLE = _("选项")
    rich_utils.COMMANDS_PANEL_TITLE = _("命令")
    rich_utils.ERRORS_PANEL_TITLE = _("错误")
    rich_utils.DEFAULT_STRING = _("[默认: {}]")
    rich_utils.ENVVAR_STRING = _("[环境变量: {}]")
    rich_utils.REQUIRED_LONG_STRING = _("[必填]")
    rich_utils.ABORTED_TEXT = _("已中断")


_typer_words()
app = typer.Typer(
    name="xietong",
    help=_("协同 xietong — 创新生态知识图谱: 导入、实体消歧、查询。"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(chain_app, name="chain",
              help=_("产业链图谱: 覆盖、缺链、链主、风险、断链模拟。"))
app.command("extract")(extract_command)
app.command("match")(match_command)
app.command("recommend")(recommend_command)
out = Console()
err = render.err

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="XIETONG_DB",
                 help=_("SQLite 文件或 postgresql:// 地址（默认 ./xietong.db）。")),
]
JsonOption = Annotated[bool, typer.Option("--json", help=_("输出 JSON，供脚本使用。"))]
TypeOption = Annotated[str | None, typer.Option(
    "--type", help=_("实体类型（如 园区、企业，或 park、enterprise）：同名实体中选这一类。"))]


class Format(str, Enum):
    auto = "auto"
    ickg = "ickg"
    chainkg = "chainkg"


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def _open(db: str | None, create: bool = False) -> Ecosystem:
    return Ecosystem(db, create=create)


@app.command(help=_("初始化数据库（或升级其 schema）。"))
def init(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Create the store (or upgrade its schema)."""
    eco = _open(db, create=True)
    revision = eco.init()
    if as_json:
        _print_json({"db": eco.url, "revision": revision})
    else:
        out.print("[green]✓[/] " + _("数据库就绪 {url} (schema {revision})").format(
            url=safe(eco.url), revision=revision))


@app.command("import", help=_("导入 CSV/XLSX/XLS/JSONL 文件、ICKG 或 ChainKG 数据集，或演示数据。"))
def import_(
    paths: Annotated[list[Path] | None, typer.Argument(help=_("文件或数据集文件夹。"))] = None,
    mapping: Annotated[Path | None, typer.Option(help=_("YAML 映射文件（见 docs/mapping.md）。"))] = None,
    fmt: Annotated[Format, typer.Option("--format", help=_("文件夹的数据集格式。"))] = Format.auto,
    splits: Annotated[str, typer.Option(help=_("要导入的 ICKG 划分，逗号分隔。"))] = "train.txt,valid.txt",
    demo: Annotated[bool, typer.Option("--demo", help=_("导入内置的演示生态数据。"))] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("只显示将要发生的变化，不写入。"))] = False,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help=_("导入有效的行，报告其余的行。"))] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import files, data sets or the demo.

    Each file or data set is imported in its own transaction, in the order given: if one
    fails or the command is killed, the ones before it stay imported and it leaves no trace.
    """
    if not paths and not demo:
        raise typer.BadParameter(_("请给出要导入的文件或文件夹，或使用 --demo"))
    eco = _open(db, create=True)
    eco.init()
    results: list[ImportResult] = []

    def done(result: ImportResult) -> None:
        results.append(result)
        if not as_json:  # at once: what is committed is shown before the next source starts
            render.import_result(out, result, earlier=len(results) - 1)

    if demo:
        done(eco.import_demo(dry_run=dry_run))
    for path in paths or []:
        try:
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
        except BaseException:
            if results and not dry_run:
                render.notice(_("每个来源各自一个事务：此前的 {n} 个来源已导入并保留；"
                                "{path} 未写入任何数据").format(n=len(results), path=path))
            raise
        done(result)
    if as_json:
        _print_json([r.to_dict() for r in results])


def _detect(path: Path) -> str:
    if path.is_dir():
        if (path / "entity2id.txt").exists():
            return "ickg"
        if (path / "company_product.jsonl").exists():
            return "chainkg"
        raise InputError(_("{path}: 文件夹必须是 ICKG 或 ChainKG 数据集").format(path=path))
    return "file"


class _progress:
    """A Rich progress line counting records, on stderr so --json output stays clean."""

    def __init__(self, label: str, quiet: bool) -> None:
        self.label, self.quiet = label, quiet

    def __enter__(self) -> Callable[[int], None] | None:
        if self.quiet or not err.is_terminal:
            return None
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            TextColumn(_("{task.completed:,} 条记录")), TimeElapsedColumn(),
                            console=err, transient=True)
        self.bar.start()
        task = self.bar.add_task(_("导入 {label}").format(label=safe(self.label)), total=None)
        return lambda n: self.bar.advance(task, n)

    def __exit__(self, *_: object) -> None:
        if getattr(self, "bar", None) is not None:
            self.bar.stop()


@app.command(help=_("统计：按实体类型、关系类型和来源计数。"))
def stats(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Counts by type, relation and source."""
    result = _open(db).stats()
    if as_json:
        _print_json(asdict(result))
    else:
        render.stats(out, result)


@app.command(help=_("实体档案：名称、属性、关系及其出处、邻居。"))
def show(
    name: Annotated[str, typer.Argument(help=_("名称、别名或 id。"))],
    limit: Annotated[int, typer.Option(min=1, max=100_000, help=_("列出的关系条数。"))] = 30,
    entity_type: TypeOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """An entity's profile, names, relations with sources, neighbours."""
    profile = _open(db).profile(name, relation_limit=limit if as_json else max(limit, 500),
                                entity_type=entity_type)
    if as_json:
        _print_json(asdict(profile))
    else:
        render.profile(out, profile, limit)


@app.command(help=_("按名称或别名模糊搜索实体（容错别字与同音字）。"))
def search(
    text: Annotated[str, typer.Argument(help=_("中文或拉丁字母文本；可容错别字。"))],
    limit: Annotated[int, typer.Option(min=1, max=1000, help=_("结果条数。"))] = 10,
    entity_type: Annotated[str | None, typer.Option(
        "--type", help=_("只搜索这一实体类型（如 园区、企业）。"))] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find entities by name or alias."""
    hits = _open(db).search(text, limit, entity_type)
    if as_json:
        _print_json([asdict(h) for h in hits])
    else:
        render.hits(out, hits)


@app.command(help=_("导出实体与关系（XLSX/CSV/JSONL）。"))
def export(
    path: Annotated[Path, typer.Argument(help=_("输出文件：.xlsx、.csv 或 .jsonl。"))],
    fmt: Annotated[str | None, typer.Option("--format", help=_("xlsx、csv 或 jsonl。"))] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export entities and relations."""
    summary = _open(db).export(path, fmt)
    if as_json:
        _print_json({"path": str(path), **summary})
        return
    out.print("[green]✓[/] " + _("已导出 {entities:,} 个实体、{relations:,} 条关系、"
                                 "{attributes:,} 条属性值").format(**summary))
    for file in summary["files"]:
        out.print("  → " + safe(file), highlight=False)
    if summary["cleaned"]:
        out.print(_("  {count:,} 个单元格含控制字符（Excel 不接受），已删去这些字符；"
                    ".jsonl 导出保留原值").format(count=summary["cleaned"]))
    if summary["neutralised"]:
        out.print(_("  {count:,} 个单元格以 = + - @ 等字符开头，已作为文本写出（CSV 中前加 '），"
                    "打开时不会当作公式执行").format(count=summary["neutralised"]))
    if summary["truncated"]:
        out.print(_("  {count:,} 个单元格超过 Excel 单元格上限 32,767 字，已截断；"
                    ".jsonl 导出保留全文").format(count=summary["truncated"]))


@app.command(help=_("合并两个其实是同一机构的实体。"))
def merge(
    name: Annotated[str, typer.Argument(help=_("要合并的实体（名称或 id）。"))],
    into: Annotated[str, typer.Argument(help=_("与之相同的实体（名称或 id）。"))],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Merge two entities that are the same organisation."""
    merge_id = _open(db).merge(name, into)
    if as_json:
        _print_json({"merge_id": merge_id})
    else:
        out.print("[green]✓[/] " + _("已合并（合并记录 #{merge_id}）；撤销：xietong unmerge {name}")
                  .format(merge_id=merge_id, name=safe(name)))


@app.command(help=_("撤销合并；今后导入会记住这对实体不同。"))
def unmerge(
    member: Annotated[str, typer.Argument(help=_("被合并的成员（id，或只有它才有的名称）。"))],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Undo a merge; the pair is remembered as different."""
    undone = _open(db).unmerge(member)
    if as_json:
        _print_json({"undone_merges": undone})
    else:
        out.print("[green]✓[/] " + _("已拆分; 撤销了 {count} 次合并，今后导入不会再合并这对实体")
                  .format(count=len(undone)))


@app.command(help=_("人工审核队列：列出待审核的实体对，或作出决定。"))
def review(
    accept: Annotated[list[int] | None, typer.Option("--accept", help=_("审核 ID：是同一机构。"))] = None,
    reject: Annotated[list[int] | None, typer.Option("--reject", help=_("审核 ID：是不同机构。"))] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help=_("列出的待审核对数。"))] = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the review queue, or decide pairs."""
    from rich.markup import escape

    eco = _open(db)
    if accept or reject:
        decided = []
        # each decision is its own transaction: say each one as it is made, so a later bad
        # id does not hide what was already done
        for review_id, same in [(i, True) for i in accept or []] + [(i, False) for i in reject or []]:
            row = eco.decide(review_id, same)
            decided.append({k: row[k] for k in ("id", "entity", "candidate", "same")})
            if not as_json:
                verdict = _("同一机构，已合并") if same else _("不同机构，不再提示")
                out.print(_("[green]✓[/] #{id} {entity} ↔ {candidate}：{verdict}").format(
                    id=review_id, entity=escape(row["entity"]),
                    candidate=escape(row["candidate"]), verdict=verdict))
        if as_json:
            _print_json(decided)
        return
    pending = eco.reviews(limit=limit)
    if as_json:
        _print_json(pending)
    else:
        render.reviews(out, pending, eco.review_count())


@app.command(help=_("列出已导入的数据来源。"))
def sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List imported sources."""
    rows = _open(db).sources()
    if as_json:
        _print_json(rows)
    else:
        render.sources(out, rows)


@app.command(help=_("撤回来源：删除该来源及只由它支持的事实。"))
def retract(
    source: Annotated[str, typer.Argument(help=_("来源名称、路径或 id（见 sources 命令）。"))],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remove a source and exactly the facts it alone supports."""
    ids = _open(db).retract(source)
    if as_json:
        _print_json({"retracted": ids})
    else:
        out.print("[green]✓[/] " + _("已撤回来源 {source}").format(source=safe(source)))


_USER_ERRORS = (StoreError, InputError, RecordError, NotFound, LookupError, ValueError,
                FileNotFoundError)


def _fail(message: str) -> None:
    err.print(visible(message), markup=False, highlight=False)


def main() -> None:
    try:
        app(standalone_mode=False)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except ImportRejected as exc:
        for issue in exc.report.issues:
            _fail(issue.render())
        _fail(_("错误: {count} 处错误，未导入任何数据").format(count=len(exc.report.errors)))
        raise SystemExit(1) from None
    except Ambiguous as exc:
        render.candidates(err, exc)
        raise SystemExit(1) from None
    except _USER_ERRORS as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        if isinstance(exc, FileNotFoundError) and exc.filename:  # the OS says it in English
            message = _("{path}: 文件或文件夹不存在").format(path=exc.filename)
        _fail(_("错误: {message}").format(message=message))
        raise SystemExit(1) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:  # Ctrl-C
        _fail(_("已中断"))
        raise SystemExit(130) from None
    except typer.TyperException as exc:  # usage errors: show them the usual way, exit 2
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            _fail(_("错误: {message}").format(message=exc))
        raise SystemExit(getattr(exc, "exit_code", 2)) from None
    except BrokenPipeError:  # the reader went away (xietong … | head): stop quietly
        _stdout_gone()
    except Exception as exc:  # a bug or an environment fault: one line, the rest on file
        _unexpected(exc)


def _stdout_gone() -> None:
    """Point stdout at /dev/null so the interpreter's final flush raises nothing
    (the recipe in Python's signal module documentation)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    raise SystemExit(1) from None


def _unexpected(exc: Exception) -> None:
    command = crash.command_name(sys.argv)
    path = crash.write_report(exc, sys.argv)
    if path is None:
        _fail(_("错误: 命令 {command} 意外失败（{summary}）；无法写入错误报告").format(
            command=command, summary=crash.summary(exc)))
    else:
        _fail(_("错误: 命令 {command} 意外失败（{summary}）；详细报告已写入 {path}").format(
            command=command, summary=crash.summary(exc), path=path))
    raise SystemExit(1) from None
