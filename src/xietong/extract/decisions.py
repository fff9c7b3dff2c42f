"""Reviewers' accept/reject decisions on extractions, remembered between runs.

They live in the store (table ``extraction_decisions``), so they travel with the data on
SQLite and PostgreSQL alike. Keys are item ids, which are stable for the same file content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select

from xietong.store.schema import extraction_decisions as table

ACCEPT, REJECT = "accept", "reject"


@dataclass(slots=True)
class Decisions:
    engine: Engine
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    _changed: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, engine: Engine) -> Decisions:
        with engine.connect() as conn:
            rows = conn.execute(select(table)).mappings().all()
        return cls(engine, {row["item_id"]: {"decision": row["decision"], "label": row["label"],
                                             "file": row["file"]} for row in rows})

    def get(self, item_id: str) -> str | None:
        entry = self.entries.get(item_id)
        return entry["decision"] if entry else None

    def rejected(self) -> set[str]:
        return {k for k, v in self.entries.items() if v["decision"] == REJECT}

    def decide(self, item_id: str, decision: str, label: str, file: str) -> None:
        self.entries[item_id] = {"decision": decision, "label": label, "file": file}
        self._changed.add(item_id)

    def save(self) -> None:
        """Write the decisions made since loading, in one transaction."""
        if not self._changed:
            return
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.item_id.in_(self._changed)))
            conn.execute(insert(table), [{"item_id": i, **self.entries[i], "decided_at": now}
                                         for i in sorted(self._changed)])
        self._changed.clear()
