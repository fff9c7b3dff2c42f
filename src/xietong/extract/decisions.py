"""Reviewers' accept/reject decisions on extractions, remembered between runs.

Kept in a JSON file beside a SQLite store (``park.db`` → ``park.db.extract-decisions.json``)
or, for PostgreSQL, in the working directory: a table would need a schema migration that
store/schema.py also declares (see docs/decisions/extraction.md). Keys are item ids,
which are stable for the same file content.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ACCEPT, REJECT = "accept", "reject"


def default_path(store_url: str) -> Path:
    if store_url.startswith("sqlite:///"):
        return Path(store_url.removeprefix("sqlite:///") + ".extract-decisions.json")
    return Path("xietong-extract-decisions.json")


@dataclass(slots=True)
class Decisions:
    path: Path
    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Decisions:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not a decisions file ({exc.msg} at line {exc.lineno})") \
                from None
        return cls(path, dict(data.get("decisions", {})))

    def get(self, item_id: str) -> str | None:
        entry = self.entries.get(item_id)
        return entry["decision"] if entry else None

    def rejected(self) -> set[str]:
        return {k for k, v in self.entries.items() if v["decision"] == REJECT}

    def decide(self, item_id: str, decision: str, label: str, file: str) -> None:
        self.entries[item_id] = {"decision": decision, "label": label, "file": file,
                                 "decided_at": datetime.now(UTC).isoformat(timespec="seconds")}

    def save(self) -> None:
        """Write atomically: a crash leaves the old file or the new one, never half."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"decisions": self.entries}, ensure_ascii=False, indent=1),
                       encoding="utf-8")
        os.replace(tmp, self.path)
