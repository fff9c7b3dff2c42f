"""Opening a store: the schema revision check that runs at every command's start."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from xietong.api import Ecosystem
from xietong.store.engine import SCHEMA_REVISION, StoreError, current_revision, head_revision


def test_schema_revision_is_alembic_head() -> None:
    # a new migration must move SCHEMA_REVISION too, or stores would not be upgraded
    assert SCHEMA_REVISION == head_revision()


def test_a_store_is_created_then_upgraded_when_opened(db_url: str) -> None:
    with Ecosystem(db_url) as eco:
        assert current_revision(eco.engine) is None
        assert eco.init() == SCHEMA_REVISION
        assert current_revision(eco.engine) == SCHEMA_REVISION
        with eco.engine.begin() as conn:  # as a store written by the previous release
            conn.execute(text("DROP TABLE store_state"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    with Ecosystem(db_url, create=False) as again:
        assert again.stats().entities_by_type == {}  # any read brings the schema up to date
        assert current_revision(again.engine) == SCHEMA_REVISION
        with again.engine.begin() as conn:
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('9999')"))
        with pytest.raises(StoreError, match="schema 版本记录有多行: 0003, 9999"):
            current_revision(again.engine)
