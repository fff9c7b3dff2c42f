"""Opening a store: where it is, connecting, and bringing its schema up to date."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine.interfaces import DBAPIConnection

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


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # an import's rows are written by a background thread on the importer's connection,
        # never while the importer uses it (store.bulk)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the install
        raise StoreError(
            f"PostgreSQL 需要 psycopg：请运行 pip install 'xietong[postgres]'（缺少 {exc.name}）"
        ) from exc


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
        raise StoreError(f"{where}: schema 版本记录有多行: {', '.join(sorted(versions))}")
    return versions[0] if versions else None


def upgrade(engine: Engine) -> None:
    """Apply every pending Alembic migration in one transaction."""
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
