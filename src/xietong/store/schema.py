"""The tables of the ecosystem graph, one SQLAlchemy definition for SQLite and PostgreSQL.

Design (see docs/decisions.md):
- Entity and fact ids are deterministic 63-bit hashes of their identity, so a bulk import
  needs no round trip to learn ids and re-importing the same data is a no-op.
- Facts never point at "the" merged entity: they keep the id of the entity their source
  named, and ``entities.canonical_id`` says which cluster it belongs to. Merging and
  unmerging only rewrite ``canonical_id``; no fact is touched, so every merge can be undone.
- A fact's provenance lives in ``evidence`` (one row per source and location); a fact with
  no evidence left is deleted, which is how retracting a source removes exactly what it
  alone supported. Names are provenance too: ``aliases`` carry their source.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import sqlite

# 63-bit ids; on SQLite the column must be spelled INTEGER to be the rowid itself (a BIGINT
# primary key would get a second, redundant index).
Id = BigInteger().with_variant(sqlite.INTEGER(), "sqlite")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),  # file, dataset, document, manual
    Column("name", Text, nullable=False),  # what users see: file name, data set, seed file
    Column("uri", Text, nullable=False),  # absolute path or data-set locator
    Column("sha256", String(64), nullable=False),
    Column("parent_id", Integer, ForeignKey("sources.id", ondelete="CASCADE")),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("retracted_at", DateTime(timezone=True)),
    Column("meta", JSON),
    UniqueConstraint("kind", "uri", "sha256", "parent_id"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("type", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("canonical_id", Id, nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

aliases = Table(
    "aliases",
    metadata,
    Column("entity_id", Id, ForeignKey("entities.id", ondelete="CASCADE"),
           nullable=False),
    Column("alias", Text, nullable=False),
    Column("norm", Text, nullable=False, index=True),  # normalised form used for lookups
    Column("kind", String(16), nullable=False),  # name, alias, short, english
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("entity_id", "alias", "source_id"),
)

facts = Table(
    "facts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=False),
    Column("subject_id", Id, ForeignKey("entities.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("predicate", String(40), nullable=False),
    # a relation has object_id; an attribute value has value (JSON text) and maybe a unit
    Column("object_id", Id, ForeignKey("entities.id", ondelete="CASCADE"), index=True),
    Column("value", Text),
    Column("unit", String(32)),
    Column("valid_from", String(10)),
    Column("weight", Float),
    # No index on type or predicate: they only serve aggregates that read every row anyway,
    # and each index costs every bulk import a b-tree insert per row.
)

evidence = Table(
    "evidence",
    metadata,
    Column("fact_id", Id, ForeignKey("facts.id", ondelete="CASCADE"), nullable=False,
           primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False,
           primary_key=True, index=True),
    Column("locator", Text, nullable=False, primary_key=True),
    Column("quote", Text),
    Column("confidence", Float, nullable=False),
    Column("observed", String(10)),
    sqlite_with_rowid=False,  # the primary key is the table: one b-tree to write, not two
)

merges = Table(
    "merges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_id", Id, ForeignKey("entities.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("into_id", Id, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    Column("rule", String(40), nullable=False),
    Column("score", Float, nullable=False),
    Column("features", JSON),
    Column("decided_by", String(16), nullable=False),  # auto, reviewer, user
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("undone_at", DateTime(timezone=True)),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_id", Id, ForeignKey("entities.id", ondelete="CASCADE"),
           nullable=False),
    Column("candidate_id", Id, ForeignKey("entities.id", ondelete="CASCADE"),
           nullable=False),
    Column("score", Float, nullable=False),
    Column("rule", String(40), nullable=False),
    Column("features", JSON),
    Column("status", String(16), nullable=False, index=True),  # open, same, different
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True)),
    UniqueConstraint("entity_id", "candidate_id"),
)

decisions = Table(
    "decisions",
    metadata,
    # A person's verdict on a pair, remembered so later imports respect it. No foreign keys:
    # ids are deterministic, so a verdict outlives a retraction and applies again when the
    # same names come back.
    Column("a_id", Id, primary_key=True),
    Column("b_id", Id, primary_key=True),
    Column("same", Boolean, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)

extraction_decisions = Table(
    "extraction_decisions",
    metadata,
    # A reviewer's accept/reject of one extracted item (xietong extract --review). Item ids
    # are stable for the same file content, so later runs on the file respect the verdict.
    Column("item_id", String(64), primary_key=True),
    Column("decision", String(8), nullable=False),  # accept, reject
    Column("label", Text, nullable=False),
    Column("file", Text, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)

store_state = Table(
    "store_state",
    metadata,
    # One row: an id drawn when the store was created and a revision that every writing
    # transaction (import, merge, unmerge, retraction) bumps, so caches of derived data can
    # tell "unchanged since" without reading the graph (xietong.store.state).
    Column("id", Integer, primary_key=True),
    Column("store_id", String(32), nullable=False),
    Column("revision", BigInteger, nullable=False),
    CheckConstraint("id = 1", name="ck_store_state_single_row"),
)
