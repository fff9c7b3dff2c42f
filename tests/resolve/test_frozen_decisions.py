"""The resolver's decisions on real names, frozen: speed work must not change them.

``frozen_decisions.json`` was written by this module (``python
tests/resolve/test_frozen_decisions.py``) from the round-4 resolver, before the speed work
(docs/decisions/resolution.md, "Speed"). It holds, for 300 real queries, the full Match
(band, entity, rule, score, features): 150 from an import-style replay of the first ickg25
names (each resolved against those before it, then added) and 150 chainkg short names
resolved against the chainkg full names; plus the band counts of the whole replay.
Regenerate it only when a decision is meant to change.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

from xietong.resolve import Resolver, normalize

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
FROZEN = Path(__file__).with_name("frozen_decisions.json")
REPLAY_NAMES = 4000
SAMPLE = 150
SEED = 20250901


def _match_row(query: str, match: object) -> dict:
    return {"query": query, "band": match.band, "entity_id": match.entity_id,
            "rule": match.rule, "score": match.score, "features": match.features}


def _replay() -> tuple[list[dict], dict[str, int]]:
    """Resolve the first ickg25 entity names as an import does: exact names are skipped,
    each other name is resolved against those before it and then added."""
    lines = (DATA / "ickg25" / "entity2id.txt").read_text(encoding="utf-8-sig").splitlines()
    names = [line.split("\t")[0].strip() for line in lines[:REPLAY_NAMES]]
    resolver = Resolver()
    seen: set[str] = set()
    rows: list[dict] = []
    for i, name in enumerate(names):
        key = normalize(name)
        if not key or key in seen:
            continue
        seen.add(key)
        rows.append(_match_row(name, resolver.resolve([name])))
        resolver.add(i, [name])
    return rows, dict(Counter(r["band"] + ":" + r["rule"] for r in rows))


def _chainkg() -> list[dict]:
    rows = [json.loads(line) for line in
            (DATA / "chainkg" / "company.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    resolver = Resolver()
    for i, row in enumerate(rows):
        resolver.add(i, [row["fullname"]])
    sample = random.Random(SEED).sample(rows, SAMPLE)
    return [_match_row(row["name"], resolver.resolve([row["name"]])) for row in sample]


def _sample_replay(rows: list[dict]) -> list[dict]:
    """Every merge and review first (they are the decisions that matter), then news."""
    rng = random.Random(SEED)
    decided = [r for r in rows if r["band"] != "new"]
    new = [r for r in rows if r["band"] == "new"]
    picked = rng.sample(decided, min(len(decided), SAMPLE * 2 // 3))
    return picked + rng.sample(new, SAMPLE - len(picked))


def _current() -> dict:
    rows, counts = _replay()
    return {"replay_counts": counts, "replay": _sample_replay(rows), "chainkg": _chainkg()}


def test_decisions_are_frozen() -> None:
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))
    rows, counts = _replay()
    assert counts == frozen["replay_counts"]
    by_query = {r["query"]: r for r in rows}
    for expected in frozen["replay"]:
        assert by_query[expected["query"]] == expected
    assert _chainkg() == frozen["chainkg"]


if __name__ == "__main__":
    FROZEN.write_text(json.dumps(_current(), ensure_ascii=False, indent=0) + "\n",
                      encoding="utf-8")
    sys.stdout.write(f"wrote {FROZEN}\n")
