"""Merge precision on real imports: the frozen, hand-labelled real-merge set.

    python benchmarks/real_merges.py [--db STORE] [--no-write]
    python benchmarks/real_merges.py --draw round2 --db STORE   # a new sample, for labelling

Builds a store as a user would (import ickg25, chainkg, then a 20,000-name company-names
slice; xietong_eval.real_merges) with the code checked out, unless ``--db`` names one, and
reads what it decided about every labelled pair of tests/resolve/real_merges/: merged,
sent to review, or left apart. Reports, per sample:

- precision of the automatic merges among the labelled pairs the store merges now (each pair
  weighted by its stratum's size over the pairs drawn from it, as drawn);
- of the pairs labelled *same*: the share merged, sent to review and left apart.

Round 1 was drawn from the store built by the resolver before this work (8179e38) and
labelled blind before any change; round 2 from the store after the changes, excluding round 1's
pairs, labelled blind the same way. Writes the section real_merges of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import SHARED_DATA, machine, write_section  # noqa: E402
from xietong_eval.real_merges import (  # noqa: E402
    Pair,
    StoreReader,
    current_band,
    draw,
    draw_new,
    estimate,
    read_labels,
    read_pairs,
    store_for,
    strata,
    stratum,
    write_pairs,
)

SET = Path(__file__).resolve().parents[1] / "tests" / "resolve" / "real_merges"
ROUNDS = ("round1", "round2")


def weights_of(meta: dict[str, object]) -> dict[str, float]:
    """stratum -> its size over the pairs drawn from it."""
    sizes, drawn, new = meta["strata"], meta["drawn"], meta["new"]
    assert isinstance(sizes, dict) and isinstance(drawn, dict) and isinstance(new, dict)
    # a pair left new stands for every entity left alone, over the entities asked about
    return {k: new["alone"] / new["asked"] if k.startswith("new/") else sizes[k] / drawn[k]
            for k in drawn if drawn[k]}


def evaluate(reader: StoreReader, name: str) -> dict[str, object] | None:
    pairs_file, labels_file = SET / f"{name}_pairs.jsonl", SET / f"{name}_labels.jsonl"
    if not pairs_file.exists() or not labels_file.exists():
        return None
    pairs = read_pairs(pairs_file)
    labels = read_labels(labels_file)
    meta = json.loads((SET / f"{name}_meta.json").read_text(encoding="utf-8"))
    bands = {p.pair_id: current_band(reader, p.a_id, p.b_id) for p in pairs}
    merged = {i for i, band in bands.items() if band == "merge"}
    est = estimate(pairs, labels, merged, weights_of(meta))
    same = Counter(bands[p.pair_id] for p in pairs if labels.get(p.pair_id) == "same")
    drawn_as = Counter((p.kind, labels.get(p.pair_id, "?")) for p in pairs)
    wrong = [p for p in pairs if p.pair_id in merged and labels.get(p.pair_id) == "different"]
    return {"name": name, "pairs": len(pairs), "estimate": est, "same": same,
            "drawn_as": drawn_as, "wrong": wrong}


def report(results: list[dict[str, object]], db_note: str, seconds: float) -> str:
    lines = [
        "## Merges on real imports (`benchmarks/real_merges.py`)", "",
        f"Machine: {machine()}. Store: {db_note} ({seconds:.0f} s).", "",
        "| sample | pairs | as drawn: merges (same / different / unsure) | merged now | "
        "same | different | unsure | **precision** (unsure left out) | unsure counted wrong | "
        "true duplicates merged / review / apart |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        est = r["estimate"]
        drawn = r["drawn_as"]
        same = r["same"]
        assert isinstance(drawn, Counter) and isinstance(same, Counter)
        total_same = sum(same.values()) or 1
        lines.append(
            f"| {r['name']} | {r['pairs']} | {drawn['merge', 'same']} / "
            f"{drawn['merge', 'different']} / {drawn['merge', 'unsure']} | "
            f"{est.pairs} | {est.same} | {est.different} | {est.unsure} | "  # type: ignore[attr-defined]
            f"**{est.weighted:.3f}** | {est.weighted_low:.3f} | "  # type: ignore[attr-defined]
            f"{same['merge'] / total_same:.2f} / {same['review'] / total_same:.2f} / "
            f"{(same['new'] + same['absent']) / total_same:.2f} |")
    for r in results:
        wrong = r["wrong"]
        assert isinstance(wrong, list)
        if wrong:
            lines += ["", f"Merged now and labelled different ({r['name']}): " + "; ".join(
                f"{p.a['name']} → {p.b['name']}" for p in wrong[:40])]
    return "\n".join(lines) + "\n"


def draw_round(reader: StoreReader, name: str, seed: int) -> None:
    """A new blind sample from this store, without any earlier round's pairs."""
    earlier: list[Pair] = []
    for old in ROUNDS:
        if (SET / f"{old}_pairs.jsonl").exists():
            earlier += read_pairs(SET / f"{old}_pairs.jsonl")
    seen = [(p.a_id, p.b_id) for p in earlier]
    pairs = draw(reader, merges=400, reviews=200, seed=seed, exclude=seen, prefix=f"{name}-")
    new, counts = draw_new(reader, 100, seed=seed, prefix=f"{name}-n")
    meta = {"seed": seed, "strata": strata(reader),
            "drawn": dict(Counter(stratum(p) for p in pairs + new)), "new": counts}
    write_pairs(pairs + new, SET / f"{name}_pairs.jsonl")
    (SET / f"{name}_meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    print(f"{len(pairs)} + {len(new)} pairs written to {SET / f'{name}_pairs.jsonl'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a store already built; default: build one")
    parser.add_argument("--draw", choices=ROUNDS, help="draw this round's sample instead")
    parser.add_argument("--seed", type=int, default=20261209)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    db, note = store_for(args.db, SHARED_DATA)
    seconds = time.perf_counter() - started
    reader = StoreReader(db)
    if args.draw:
        draw_round(reader, args.draw, args.seed)
        return
    results = [r for name in ROUNDS if (r := evaluate(reader, name)) is not None]
    text = report(results, note, seconds)
    print(text)
    if not args.no_write:
        write_section("real_merges", text)


if __name__ == "__main__":
    main()
