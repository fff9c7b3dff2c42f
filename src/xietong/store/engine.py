"""Opening a store: where it is, connecting, and bringing its schema up to date."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text

from xietong.i18n import N_, _

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine.interfaces import DBAPIConnection, ExceptionContext

DB_ENV = "XIETONG_DB"
DEFAULT_DB = "xietong.db"
_MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration's revision. A store already at it is opened without Alembic, whose
# import alone took 0.15 s of every command's start; tests/store/test_engine.py checks that
# this is Alembic's head.
SCHEMA_REVISION = "0003"


class StoreError(Exception):
    """A store that cannot be opened or used; the message is one line for the user."""


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """``--db`` wins, then $XIETONG_DB, then ./xietong.db. Paths become SQLite URLs."""
    target = str(db) if db is not None else os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" in target:
        if target.startswith(("postgresql://", "postgres://")):
            # psycopg 3 is our PostgreSQL driver; plain postgresql:// would ask for psycopg2
            target = "postgresql+psycopg://" + target.split("://", 1)[1]
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


SQLITE_PRAGMAS = (
    "foreign_keys=ON",
    "journal_mode=WAL",  # readers don't block the importer
    "synchronous=NORMAL",  # with WAL still atomic and durable up to the last checkpoint
    "busy_timeout=30000",
    "cache_size=-131072",  # 128 MiB: bulk imports update large indexes
    "temp_store=MEMORY",
)


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


# SQLite's messages for a store that cannot be used, each as the user should read it
# (matched on the start of the driver's English message).
_SQLITE_FAULTS = (
    ("file is not a database", N_("不是 SQLite 数据库文件，无法打开；请检查 --db 或 $XIETONG_DB")),
    ("database disk image is malformed",
     N_("数据库文件已损坏（可能被截断）；请从备份恢复，或新建数据库后重新导入")),
    ("database is locked",
     N_("数据库被另一个进程锁定，等待 30 秒后仍未释放；请等正在进行的导入或其他写操作结束后重试")),
    ("database or disk is full", N_("磁盘已满，无法写入数据库")),
    ("attempt to write a readonly database", N_("数据库文件只读，无法写入；请检查文件权限")),
    ("unable to open database file", N_("无法打开数据库文件；请检查目录是否存在以及权限")),
    ("disk i/o error", N_("读写数据库文件时发生磁盘 I/O 错误")),
)


def _explain(url: str, original: BaseException) -> StoreError | None:
    """The user's one-line StoreError for a driver error that means the store itself cannot
    be used (not a database, corrupt, locked, unreachable); None for other errors, which
    are bugs or input problems and stay as they are."""
    message = str(original).strip()
    where = _where(url)
    if url.startswith("sqlite"):
        lowered = message.lower()
        for start, explanation in _SQLITE_FAULTS:
            if lowered.startswith(start):
                return StoreError(_("{where}: {explanation}（{message}）").format(
                    where=where, explanation=_(explanation), message=message))
        return None
    if type(original).__name__ == "OperationalError" and "connect" in message.lower():
        first = message.splitlines()[0] if message else type(original).__name__
        return StoreError(_("{where}: 无法连接 PostgreSQL 数据库（{message}）").format(
            where=where, message=first))
    return None


def _where(url: str) -> str:
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _translate_errors(engine: Engine, url: str) -> None:
    """Store faults reach callers as StoreError naming the store, wherever they happen
    (opening, reading, writing), instead of a driver traceback."""

    @event.listens_for(engine, "handle_error")
    def handle(context: ExceptionContext) -> StoreError | None:
        return _explain(url, context.original_exception)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # an import's rows are written by a background thread on the importer's connection,
        # never while the importer uses it (store.bulk)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        _translate_errors(engine, url)
        return engine
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the install
        raise StoreError(_(
            "PostgreSQL 需要 psycopg：请运行 pip install 'xietong[postgres]'（缺少 {name}）"
        ).format(name=exc.name)) from exc
    _translate_errors(engine, url)
    return engine


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    """The newest migration's revision, as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision, from Alembic's version table; None before any."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(versions) > 1:  # our history is linear: one row, or a store not ours
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(_("{where}: schema 版本记录有多行: {versions}").format(
            where=where, versions=", ".join(sorted(versions))))
    return versions[0] if versions else None


def upgrade(engine: Engine) -> None:
    """Apply every pending Alembic migration in one transaction."""
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
