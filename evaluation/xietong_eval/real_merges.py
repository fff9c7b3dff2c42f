"""The real-merge evaluation set: the resolver's decisions on real imports, read by hand.

A store is built as a user builds one: ``import ickg25``, ``import chainkg``, then a slice of
company-names (20,000 short names drawn with a fixed seed, written to a CSV with one column
企业名称). Its automatic merges and its open review pairs are then sampled, stratified by the
resolver's rule and by the data set the merged record came from, and every sampled pair is
described by what a reader needs to judge it: both records' names, aliases, sources and a
few facts (stock code, industry, main products, partners). Labels are given on a shuffled
copy that hides the decision, the rule and the score (``blind_sheet``).

The frozen set lives in tests/resolve/real_merges/ (see its README.md); this module draws,
describes and scores it and is used by benchmarks/real_merges.py and the tests.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

SLICE_SEED = 20261208
SLICE_SIZE = 20_000
# predicates shown to the reader, in this order, at most this many values each
SHOWN = {
    "stock_code": 1, "exchange": 1, "listing_date": 1, "in_industry": 2,
    "belongs_to_industry": 3, "operates_in": 3, "main_product": 4, "controls": 3,
    "cooperates": 3, "supplies": 3, "invests": 2, "acquires": 2, "competes": 2,
    "holds_patent": 1,
}


@dataclass(frozen=True, slots=True)
class Pair:
    """One decision of the resolver: ``a`` was merged into (or reviewed against) ``b``."""

    pair_id: str
    kind: str  # merge | review
    rule: str
    score: float
    stage: str  # the import that made the decision: ickg25, chainkg, company-names
    a_id: int
    b_id: int
    a: dict[str, object]
    b: dict[str, object]


def company_names_slice(data: Path, out: Path, size: int = SLICE_SIZE,
                        seed: int = SLICE_SEED) -> Path:
    """``size`` distinct short names of company-names, drawn with ``seed``, as a CSV."""
    lines = (data / "company-names" / "company_short_names.txt").read_text(
        encoding="utf-8-sig").splitlines()[2:]
    names = sorted({line.strip() for line in lines if line.strip()})
    picked = sorted(random.Random(seed).sample(names, size))
    out.write_text("企业名称\n" + "".join(name + "\n" for name in picked), encoding="utf-8")
    return out


def build_store(data: Path, work: Path, xietong: str = "xietong") -> Path:
    """A SQLite store built by the CLI from the three real imports, in order."""
    db = work / "real.db"
    db.unlink(missing_ok=True)
    env_db = {"XIETONG_DB": str(db)}
    csv = company_names_slice(data, work / "company-names-slice.csv")
    for args in (["init"], ["import", str(data / "ickg25")], ["import", str(data / "chainkg")],
                 ["import", str(csv)]):
        subprocess.run([xietong, *args], check=True, capture_output=True,
                       env={**_environ(), **env_db})
    return db


def _environ() -> dict[str, str]:
    import os
    return dict(os.environ)


def _stage_of_source(name: str) -> str:
    if name.startswith("ickg"):
        return "ickg25"
    if name.startswith("chainkg"):
        return "chainkg"
    return "company-names"


class StoreReader:
    """Reads decisions and describes entities from a store file (SQLite)."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    def decisions(self) -> list[tuple[str, str, float, int, int]]:
        """(kind, rule, score, a, b) of every live automatic merge and open review."""
        rows = [("merge", r, s, a, b) for r, s, a, b in self.conn.execute(
            "SELECT rule, score, entity_id, into_id FROM merges "
            "WHERE decided_by = 'auto' AND undone_at IS NULL ORDER BY id")]
        rows += [("review", r, s, a, b) for r, s, a, b in self.conn.execute(
            "SELECT rule, score, entity_id, candidate_id FROM reviews "
            "WHERE status = 'open' ORDER BY id")]
        return rows

    def stage(self, entity_id: int) -> str:
        row = self.conn.execute(
            "SELECT s.name FROM aliases a JOIN sources s ON s.id = a.source_id "
            "WHERE a.entity_id = ? ORDER BY s.id LIMIT 1", (entity_id,)).fetchone()
        return _stage_of_source(row[0]) if row else "unknown"

    def describe(self, entity_id: int) -> dict[str, object]:
        name, etype = self.conn.execute(
            "SELECT name, type FROM entities WHERE id = ?", (entity_id,)).fetchone()
        aliases = sorted({a for (a,) in self.conn.execute(
            "SELECT alias FROM aliases WHERE entity_id = ?", (entity_id,))} - {name})
        sources = sorted({_stage_of_source(s) for (s,) in self.conn.execute(
            "SELECT DISTINCT s.name FROM aliases a JOIN sources s ON s.id = a.source_id "
            "WHERE a.entity_id = ?", (entity_id,))})
        facts: dict[str, list[str]] = defaultdict(list)
        rows = self.conn.execute(
            "SELECT f.predicate, f.value, o.name, f.weight FROM facts f "
            "LEFT JOIN entities o ON o.id = f.object_id WHERE f.subject_id = ? "
            "ORDER BY f.predicate, COALESCE(f.weight, 0) DESC, f.id", (entity_id,))
        counts: Counter[str] = Counter()
        for predicate, value, obj, _weight in rows:
            counts[predicate] += 1
            if predicate in SHOWN and len(facts[predicate]) < SHOWN[predicate]:
                facts[predicate].append(obj if obj is not None else json.loads(value))
        return {"name": name, "type": etype, "aliases": aliases, "sources": sources,
                "facts": dict(facts), "fact_counts": dict(counts)}


def draw(reader: StoreReader, merges: int, reviews: int, seed: int,
         exclude: Iterable[tuple[int, int]] = (), prefix: str = "") -> list[Pair]:
    """A stratified sample: per (kind, rule, stage) stratum, every pair when the stratum is
    small, otherwise a share proportional to its size (largest remainders), seeded."""
    rng = random.Random(seed)
    skip = {tuple(sorted(p)) for p in exclude}
    pool: dict[tuple[str, str, str], list[tuple[str, str, float, int, int]]] = defaultdict(list)
    for row in reader.decisions():
        if tuple(sorted((row[3], row[4]))) in skip:
            continue
        pool[(row[0], row[1], reader.stage(row[3]))].append(row)
    picked: list[tuple[str, str, float, int, int]] = []
    for kind, total in (("merge", merges), ("review", reviews)):
        strata = {k: v for k, v in sorted(pool.items()) if k[0] == kind}
        quota = _allocate({k: len(v) for k, v in strata.items()}, total, floor=8)
        for key, rows in strata.items():
            picked += rng.sample(rows, quota[key])
    rng.shuffle(picked)
    return [Pair(f"{prefix}{i:04d}", kind, rule, round(score, 4), reader.stage(a), a, b,
                 reader.describe(a), reader.describe(b))
            for i, (kind, rule, score, a, b) in enumerate(picked, start=1)]


def _allocate(sizes: dict[tuple[str, str, str], int], total: int,
              floor: int) -> dict[tuple[str, str, str], int]:
    """Small strata whole (up to ``floor``), the rest proportionally by largest remainder."""
    quota = {k: min(n, floor) for k, n in sizes.items()}
    left = max(0, min(total, sum(sizes.values())) - sum(quota.values()))
    spare = {k: n - quota[k] for k, n in sizes.items() if n > quota[k]}
    if left and spare:
        whole = sum(spare.values())
        shares = {k: left * n / whole for k, n in spare.items()}
        for k, share in shares.items():
            quota[k] += int(share)
        rest = left - sum(int(s) for s in shares.values())
        for k in sorted(shares, key=lambda k: shares[k] - int(shares[k]), reverse=True)[:rest]:
            quota[k] += 1
    return quota


def write_pairs(pairs: Sequence[Pair], path: Path) -> None:
    path.write_text("".join(json.dumps(asdict(p), ensure_ascii=False) + "\n" for p in pairs),
                    encoding="utf-8")


def read_pairs(path: Path) -> list[Pair]:
    return [Pair(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _side(d: dict[str, object]) -> str:
    facts = d["facts"]
    assert isinstance(facts, dict)
    parts = [f"{k}: {'、'.join(str(v) for v in vs)}" for k, vs in facts.items()]
    aliases = d["aliases"]
    assert isinstance(aliases, list)
    head = f"{d['name']}  [{d['type']}; from {', '.join(d['sources'])}]"  # type: ignore[arg-type]
    if aliases:
        head += f"  aliases: {'、'.join(aliases)}"
    return head + ("\n      " + "; ".join(parts) if parts else "")


def blind_sheet(pairs: Sequence[Pair]) -> str:
    """The pairs as a reader sees them: no decision, rule or score."""
    out = []
    for p in sorted(pairs, key=lambda p: p.pair_id):
        out.append(f"## {p.pair_id}\n  A: {_side(p.a)}\n  B: {_side(p.b)}\n")
    return "\n".join(out)


def read_labels(path: Path) -> dict[str, str]:
    """pair id -> same | different | unsure."""
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels[row["pair_id"]] = row["label"]
    return labels


@dataclass(frozen=True, slots=True)
class Precision:
    judged: int
    same: int
    different: int
    unsure: int

    @property
    def low(self) -> float:
        """Precision counting every unsure pair as wrong."""
        return self.same / self.judged if self.judged else float("nan")

    @property
    def high(self) -> float:
        """Precision counting every unsure pair as right."""
        return (self.same + self.unsure) / self.judged if self.judged else float("nan")

    @property
    def point(self) -> float:
        """Precision over the pairs a reader could decide."""
        decided = self.same + self.different
        return self.same / decided if decided else float("nan")


def precision(labels: Iterable[str]) -> Precision:
    c = Counter(labels)
    return Precision(sum(c.values()), c["same"], c["different"], c["unsure"])
