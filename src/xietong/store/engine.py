"""Opening a store: where it is, connecting, and bringing its schema up to date."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

DB_ENV = "XIETONG_DB"
DEFAULT_DB = "xietong.db"
_MIGRATIONS = Path(__file__).with_name("migrations")


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


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
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
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Apply every pending Alembic migration in one transaction."""
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
