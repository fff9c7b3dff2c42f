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
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
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
                       env={**os.environ, **env_db})
    return db


def store_for(db: Path | None, data: Path) -> tuple[Path, str]:
    """The store a benchmark reads: ``db`` if given, else one built now in a temporary
    folder with this interpreter's ``xietong``; and a note saying which."""
    if db is not None:
        return db, f"{db.name}, given"
    work = Path(tempfile.mkdtemp(prefix="real-merges-"))
    built = build_store(data, work, xietong=str(Path(sys.executable).with_name("xietong")))
    return built, "built from ickg25, chainkg and the company-names slice"


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


ORG_TYPES = ("enterprise", "government", "institute", "investor", "park", "university")


def draw_new(reader: StoreReader, count: int, seed: int, floor: float = 0.05,
             prefix: str = "") -> tuple[list[Pair], dict[str, int]]:
    """Records the import left new, each with the resolver's closest other entity: the pairs
    where a true duplicate would have been missed. The resolver is loaded with every
    organisation (clusters as one entity, all their names) and asked about a seeded sample
    of the entities no merge or review touches, excluding their own; pairs scoring at least
    ``floor`` are kept. Returns the pairs and the counts behind them (entities asked, with a
    candidate at or above the floor) so the miss rate can be scaled to the whole store."""
    from xietong.resolve.matcher import Resolver

    conn = reader.conn
    marks = ",".join("?" * len(ORG_TYPES))
    canonical = dict(conn.execute(
        f"SELECT id, canonical_id FROM entities WHERE type IN ({marks})", ORG_TYPES))
    names: dict[int, list[str]] = defaultdict(list)
    for entity_id, name in conn.execute(
            f"SELECT e.id, a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id "
            f"WHERE e.type IN ({marks}) ORDER BY e.id, a.kind DESC, a.alias", ORG_TYPES):
        cluster = canonical[entity_id]
        if name not in names[cluster]:
            names[cluster].append(name)
    touched = {a for row in reader.decisions() for a in row[3:5]}
    resolver = Resolver()
    for cluster, cluster_names in names.items():
        resolver.add(cluster, cluster_names)
    alone = _alone(canonical, touched)
    rng = random.Random(seed)
    rng.shuffle(alone)
    found: list[tuple[float, int, int]] = []
    asked = 0
    for entity_id in alone:
        if len(found) >= count:
            break
        asked += 1
        match = resolver.resolve(names[entity_id], exclude=entity_id)
        if match.entity_id is not None and match.score >= floor:
            found.append((match.score, entity_id, match.entity_id))
    pairs = [Pair(f"{prefix}{i:04d}", "new", "new", round(score, 4), reader.stage(a), a, b,
                  reader.describe(a), reader.describe(b))
             for i, (score, a, b) in enumerate(found, start=1)]
    return pairs, {"asked": asked, "with_candidate": len(found), "alone": len(alone)}


def _alone(canonical: dict[int, int], touched: set[int]) -> list[int]:
    """Entities that are their own one-member cluster and no decision touched."""
    size = Counter(canonical.values())
    return sorted(e for e, c in canonical.items()
                  if e == c and size[c] == 1 and e not in touched)


def strata(reader: StoreReader) -> dict[str, int]:
    """How many decisions each (kind, rule, stage) stratum holds, keyed "kind/rule/stage"."""
    return dict(sorted(Counter(f"{kind}/{rule}/{reader.stage(a)}"
                               for kind, rule, _s, a, _b in reader.decisions()).items()))


def stratum(p: Pair) -> str:
    return f"{p.kind}/{p.rule}/{p.stage}"


def current_band(reader: StoreReader, a: int, b: int) -> str:
    """What a store says now about two entities: merge (one cluster), review (an open pair)
    or new."""
    ca = reader.conn.execute("SELECT canonical_id FROM entities WHERE id = ?", (a,)).fetchone()
    cb = reader.conn.execute("SELECT canonical_id FROM entities WHERE id = ?", (b,)).fetchone()
    if ca is None or cb is None:
        return "absent"
    if ca[0] == cb[0]:
        return "merge"
    row = reader.conn.execute(
        "SELECT 1 FROM reviews WHERE status = 'open' AND ((entity_id = ? AND candidate_id = ?)"
        " OR (entity_id = ? AND candidate_id = ?))", (a, b, b, a)).fetchone()
    return "review" if row else "new"


@dataclass(frozen=True, slots=True)
class Estimate:
    """Merge precision over a labelled sample, each pair weighted by the size of the stratum
    it was drawn from over the pairs drawn from it (a Horvitz-Thompson ratio)."""

    pairs: int  # labelled pairs the resolver merges now
    same: int
    different: int
    unsure: int
    weighted: float  # unsure pairs left out
    weighted_low: float  # unsure pairs counted wrong


def estimate(pairs: Sequence[Pair], labels: dict[str, str], merged: set[str],
             weights: dict[str, float]) -> Estimate:
    """``merged``: ids of the pairs the resolver merges now; ``weights``: stratum -> weight."""
    c: Counter[str] = Counter()
    w: dict[str, float] = defaultdict(float)
    for p in pairs:
        if p.pair_id in merged and p.pair_id in labels:
            label = labels[p.pair_id]
            c[label] += 1
            w[label] += weights.get(stratum(p), 1.0)
    decided = w["same"] + w["different"]
    total = decided + w["unsure"]
    return Estimate(sum(c.values()), c["same"], c["different"], c["unsure"],
                    w["same"] / decided if decided else float("nan"),
                    w["same"] / total if total else float("nan"))
