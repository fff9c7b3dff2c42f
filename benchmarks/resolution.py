"""Entity-resolution benchmark: merge-band precision/recall on real names, and resolve() speed.

Run: python benchmarks/resolution.py [--half tune|test] [--out FILE]
(the test-half report is written into docs/benchmarks.md)
     python benchmarks/resolution.py --train   # refit src/xietong/resolve/weights.py

The labelled set (see build_cases) is split by a fixed seed into a tuning half and a test
half; thresholds and weights were chosen on the tuning half, figures are reported on the
test half. Speed is measured with ~330,000 entities against a brute-force baseline in the
same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import platform
import random
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from xietong.resolve import matcher
from xietong.resolve.matcher import NEW, Match, Resolver
from xietong.resolve.names import compact, normalize, parse_org_name
from xietong.resolve.regions import regions_conflict
from xietong.resolve.scorer import PairModel, fit_logistic, model_from_dict

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SEED = 20250901
SAMPLE = 1500  # per negative family, before the split
SPEED_ENTITIES = 150_000
WEIGHTS_MODULE = Path(__file__).resolve().parents[1] / "src" / "xietong" / "resolve" / "weights.py"


@dataclass(frozen=True, slots=True)
class Case:
    family: str
    names: tuple[str, ...]
    expected: int | None  # entity id that must be merged, None: must not merge


def _read_lines(path: Path, skip: int = 0) -> list[str]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()[skip:]
    return [line.strip() for line in lines if line.strip()]


_LISTING_MARKS = re.compile(r"^(?:退市|S?\*?ST|PT|S)|(?:B股|A|B|退)$")


def build_cases(rng: random.Random) -> tuple[dict[int, str], list[Case], dict[str, int]]:
    """Entities (id -> full name) to load, the labelled queries, and how many chainkg rows
    each label-noise rule excluded from the positives."""
    rows = [json.loads(line) for line in _read_lines(DATA / "chainkg" / "company.jsonl")]
    fulls_of_short: dict[str, set[str]] = {}
    fulls_of_code: dict[str, set[str]] = {}
    for row in rows:
        fulls_of_short.setdefault(row["name"], set()).add(row["fullname"])
        fulls_of_code.setdefault(row["code"], set()).add(row["fullname"])
    entities: dict[int, str] = {}
    id_of_full: dict[str, int] = {}
    for row in rows:
        if row["fullname"] not in id_of_full:
            id_of_full[row["fullname"]] = len(entities)
            entities[len(entities)] = row["fullname"]
    cases: list[Case] = []
    # positives: a listed company's short name must find its full name. Rows that are data
    # errors, not hard cases, are excluded by rule (each counted in `excluded`):
    def noise(short: str, full: str, code: str) -> str | None:
        if len(fulls_of_code[code]) > 1:  # ten full names under 688078 龙软科技
            return "stock code shared by several full names"
        if len(fulls_of_short[short]) > 1:
            return "short name listed under several full names"
        if short in id_of_full and short != full:
            return "short name is another company's full name (交通银行)"
        if not set(_LISTING_MARKS.sub("", short)) & set(full):
            # the short name of another company (映翰通 → 老百姓大药房), or a renamed shell
            return "short name shares no character with the full name"
        return None

    excluded: Counter[str] = Counter()
    seen_short: set[str] = set()
    for row in rows:
        short, full = row["name"], row["fullname"]
        reason = noise(short, full, row["code"])
        if reason is not None:
            excluded[reason] += 1
            continue
        if short in seen_short:
            continue
        seen_short.add(short)
        cases.append(Case("positive: short -> full name", (short,), id_of_full[full]))

    listed_trades: dict[str, int] = {}
    for full, eid in id_of_full.items():
        listed_trades.setdefault(parse_org_name(full).trade, eid)
    known = {compact(n) for n in fulls_of_short} | {compact(f) for f in id_of_full}

    # negatives 1: unlisted short names sharing a listed company's 字号 (恒大电器 vs 恒大高新)
    # A name whose characters all appear, in order, in that company's full name cannot be
    # labelled without a registry (利群集团 / 利群商业集团股份有限公司), so it is left out.
    # Only names demonstrably another company are kept: a region prefix that conflicts with
    # the listed company's, or an industry word absent from its full name (恒大电器 vs
    # 恒大高新技术股份有限公司); the rest may be informal names of the listed company itself.
    shared = [n for n in _read_lines(DATA / "company-names" / "company_short_names.txt", skip=2)
              if compact(n) not in known and parse_org_name(n).trade != compact(n)
              and parse_org_name(n).trade in listed_trades
              and not _is_subsequence(compact(n), compact(entities[listed_trades[
                  parse_org_name(n).trade]]))
              and _demonstrably_other(n, entities[listed_trades[parse_org_name(n).trade]])]
    cases += [Case("negative: unlisted short name, same 字号", (n,), None)
              for n in rng.sample(shared, min(SAMPLE, len(shared)))]

    ickg = [line.split("\t")[0] for line in _read_lines(DATA / "ickg25" / "entity2id.txt")]
    rng.shuffle(ickg)
    # ickg names are used once each: loaded (anchor, parent) or queried, never both
    orgs = [n for n in ickg if parse_org_name(n).form and compact(n) not in known]
    used: set[str] = set()
    # negatives 2: same 字号, different city (load one, query the other)
    by_trade: dict[str, list[str]] = {}
    for name in orgs:
        p = parse_org_name(name)
        if p.region is not None and len(p.trade) >= 2 and not p.branch:
            by_trade.setdefault(p.trade, []).append(name)
    pairs = []
    for names in by_trade.values():
        for a in names:
            for b in names:
                pa, pb = parse_org_name(a), parse_org_name(b)
                if a < b and regions_conflict(pa.region, pb.region):  # type: ignore[arg-type]
                    pairs.append((a, b))
    taken = 0
    for a, b in sorted(pairs, key=lambda _: rng.random()):
        if taken == SAMPLE or {compact(a), compact(b)} & used:
            continue
        used |= {compact(a), compact(b)}
        entities[len(entities)] = a
        cases.append(Case("negative: same 字号, other city", (b,), None))
        taken += 1
    # negatives 3: subsidiary or branch vs parent; the parent is the name without them
    subs = [n for n in orgs if (parse_org_name(n).branch or parse_org_name(n).region_infix)
            and compact(n) not in used]
    for name in rng.sample(subs, min(SAMPLE, len(subs))):
        p = parse_org_name(name)
        parent = p.normalized[: len(p.normalized) - len(p.branch)] if p.branch else \
            (p.stem + (p.form or "")).replace("(", "").replace(")", "")
        if compact(parent) != p.normalized and compact(parent) not in used | known:
            used |= {compact(parent), p.normalized}
            entities[len(entities)] = parent
            cases.append(Case("negative: subsidiary/branch vs parent", (name,), None))
    # ickg legal names checked against chainkg: positive only when the full name is listed
    legal = [n for n in ickg if any(w in (parse_org_name(n).form or "") for w in ("公司", "合伙"))
             and compact(n) not in used]
    full_by_compact = {compact(f): eid for f, eid in id_of_full.items()}
    for name in rng.sample(legal, min(SAMPLE, len(legal))):
        expected = full_by_compact.get(compact(name))
        cases.append(Case("ickg legal name vs chainkg" + (" (listed)" if expected is not None
                          else ""), (name,), expected))
    # an unlisted short name is only a sure negative if it is demonstrably another company
    # than every loaded organisation with its 字号, listed or not (翔宇实业 may well be the
    # loaded 翔宇实业有限公司, 烽火科技 the listed 烽火通信科技股份有限公司)
    by_trade: dict[str, list[str]] = {}
    for full in entities.values():
        by_trade.setdefault(parse_org_name(full).trade, []).append(full)
    cases = [c for c in cases if not c.family.startswith("negative: unlisted") or all(
        not _is_subsequence(compact(c.names[0]), compact(full))
        and _demonstrably_other(c.names[0], full)
        for full in by_trade.get(parse_org_name(c.names[0]).trade, []))]
    return entities, cases, dict(excluded)


def _demonstrably_other(short: str, full: str) -> bool:
    s, f = parse_org_name(short), parse_org_name(full)
    if s.region is not None and f.region is not None and regions_conflict(s.region, f.region):
        return True
    return bool(s.industry) and not any(word in f.normalized for word in s.industry)


def _is_subsequence(short: str, full: str) -> bool:
    chars = iter(full)
    return all(ch in chars for ch in short)


def evaluate(resolver: Resolver, cases: list[Case]) -> dict[str, Counter[str]]:
    """Per family: merged right/wrong, review, new."""
    tally: dict[str, Counter[str]] = {}
    for case in cases:
        match = resolver.resolve(case.names)
        c = tally.setdefault(case.family, Counter())
        c["n"] += 1
        if match.band == "merge":
            c["merge_ok" if match.entity_id == case.expected else "merge_wrong"] += 1
        else:
            c[match.band] += 1
    return tally


def _speed(rng: random.Random) -> str:
    """add() and resolve() per call with ~150K entities, against rapidfuzz brute force."""
    names = [line.split("\t")[0] for line in _read_lines(DATA / "ickg25" / "entity2id.txt")]
    names += [json.loads(line)["fullname"]
              for line in _read_lines(DATA / "chainkg" / "company.jsonl")]
    short_names = _read_lines(DATA / "company-names" / "company_short_names.txt", skip=2)
    names += rng.sample(short_names, SPEED_ENTITIES - len(names))
    resolver = Resolver()
    # CPU time (time.process_time): the machine is shared and wall-clock time is noisy
    t0 = time.process_time()
    for i, name in enumerate(names):
        resolver.add(i, [name])
    add = (time.process_time() - t0) / len(names)
    queries = [json.loads(line)["name"] for line in
               _read_lines(DATA / "chainkg" / "company.jsonl")]
    shorts, loaded = rng.sample(queries, 2000), rng.sample(names, 2000)
    per_family = []
    for family in (shorts, loaded):
        t0 = time.process_time()
        for q in family:
            resolver.resolve([q])
        per_family.append((time.process_time() - t0) / len(family))
    queries = shorts + loaded
    per_call = sum(per_family) / 2
    choices = [compact(n) for n in names]
    brute_queries = queries[:40]
    t0 = time.process_time()
    for q in brute_queries:
        process.extractOne(compact(q), choices, scorer=fuzz.WRatio)
    brute = (time.process_time() - t0) / len(brute_queries)
    return (
        f"- entities in the resolver: {len(resolver):,} (ickg25 + chainkg + company-names)\n"
        f"- `add()`, CPU time: {add * 1e6:.1f} µs per call on average (each a name never seen "
        "before, so parsing included; an import resolves each record, and so parses its name, "
        "before adding it: see the replay below)\n"
        f"- `resolve()`, CPU time: {per_call * 1e3:.3f} ms per call on average over "
        f"{len(queries):,} queries: {per_family[0] * 1e3:.3f} ms for 2,000 listed short names, "
        f"{per_family[1] * 1e3:.3f} ms for 2,000 names already loaded (found by exact name "
        "before blocking)\n"
        f"- baseline, rapidfuzz `process.extractOne` (WRatio) over all names: "
        f"{brute * 1e3:.1f} ms per query → blocking is {brute / per_call:.0f}× faster\n"
    )


def ickg_org_names() -> list[str]:
    """The ickg25 entities the importer types as organisations, in import order."""
    from xietong.ingest.ickg import ickg_records
    from xietong.model.records import EntityRecord
    from xietong.model.registry import REGISTRY

    return [r.name for r in ickg_records(DATA / "ickg25") if isinstance(r, EntityRecord)
            and REGISTRY.entity_types[r.type].organisation]


def _cold() -> None:
    """Forget every parsed name (an import parses each of its names once) and free what an
    earlier pass left, so that passes are timed alike."""
    matcher._prepare.cache_clear()
    parse_org_name.cache_clear()
    gc.collect()


def import_replay(samples: Path | None) -> str:
    """Resolve each ickg25 organisation name against those before it, as an import does
    (an exact normalised name is found before the resolver is asked), then add it."""
    names = ickg_org_names()
    _cold()
    resolver = Resolver()
    seen: dict[str, int] = {}
    bands: Counter[str] = Counter()
    rules: dict[str, Counter[str]] = {"merge": Counter(), "review": Counter()}
    pairs: dict[str, list[tuple[str, str, str, float]]] = {"merge": [], "review": []}
    t_resolve = t_add = 0.0
    asked_names: list[tuple[int, str]] = []
    decisive: list[Match] = []  # the answers an import acts on
    for i, name in enumerate(names):
        key = normalize(name)
        if not key or key in seen:
            bands["exact"] += 1
            continue
        t0 = time.process_time()
        match = resolver.resolve([name])
        t1 = time.process_time()
        resolver.add(i, [name])
        t_add += time.process_time() - t1
        t_resolve += t1 - t0
        seen[key] = i
        asked_names.append((i, name))
        decisive.append(match if match.band != "new" else NEW)
        bands[match.band] += 1
        if match.band in rules and match.entity_id is not None:
            rules[match.band][match.rule] += 1
            pairs[match.band].append((name, names[match.entity_id], match.rule, match.score))
    if samples is not None:
        rng = random.Random(SEED)
        sample = {band: rng.sample(found, min(50, len(found))) for band, found in pairs.items()}
        samples.write_text(json.dumps(sample, ensure_ascii=False, indent=1), encoding="utf-8")
    asked = bands["merge"] + bands["review"] + bands["new"]
    # the same sequence as an import asks it: new answers bare, their candidates unscored;
    del resolver
    _cold()
    brief, t_brief = Resolver(), 0.0
    for (i, name), expected in zip(asked_names, decisive, strict=True):
        t0 = time.process_time()
        match = brief.resolve([name], explain_new=False)
        brief.add(i, [name])
        t_brief += time.process_time() - t0
        if match != expected:
            raise AssertionError(f"explain_new=False changed the answer for {name!r}")

    def counts(c: Counter[str]) -> str:
        return ", ".join(f"{rule} {n:,}" for rule, n in c.most_common())

    return (
        f"- {len(names):,} organisation names, {bands['exact']:,} found by exact name, "
        f"{asked:,} resolved\n"
        f"- merged: {bands['merge']:,} ({bands['merge'] / asked:.1%}; {counts(rules['merge'])})\n"
        f"- review: {bands['review']:,} ({bands['review'] / asked:.1%}; "
        f"{counts(rules['review'])})\n"
        f"- new: {bands['new']:,}\n"
        f"- CPU time in the resolver: {t_resolve + t_add:.2f} s (`resolve()` "
        f"{t_resolve / asked * 1e3:.3f} ms, `add()` {t_add / asked * 1e6:.1f} µs per call)\n"
        f"- as an import asks (`resolve(explain_new=False)`: the same merges and reviews, "
        f"checked; a new answer without its closest candidate): {t_brief:.2f} s\n"
    )


FIT_L2 = 1.0  # ridge penalty on the weights (not the bias), in log-likelihood units
TOP_CANDIDATES = 4  # candidates (by the hand pre-score) the model judges per query
TARGET_PRECISION = 0.985  # merge threshold: the lowest reaching this on the tuning half
REVIEW_SHARE = 0.05  # review threshold: the lowest keeping reviews under this share


def _measure(resolver: Resolver, cases: list[Case]) -> tuple[float, float, float]:
    total: Counter[str] = Counter()
    for c in evaluate(resolver, cases).values():
        total.update(c)
    positives = sum(1 for c in cases if c.expected is not None)
    merges = total["merge_ok"] + total["merge_wrong"]
    return (total["merge_ok"] / merges if merges else 1.0, total["merge_ok"] / positives,
            total["review"] / len(cases))


def train(entities: dict[int, str], tune: list[Case]) -> str:
    """Fit the pair model on the tuning half: each query's judged candidates are examples,
    the expected entity positive, every other candidate (and all of a negative query's)
    negative. Thresholds are chosen on the same half; writes xietong/resolve/weights.py."""
    resolver = Resolver()
    for eid, name in entities.items():
        resolver.add(eid, [name])
    model = resolver._model = model_from_dict({**resolver._model.__dict__,
                                                "top_candidates": TOP_CANDIDATES})
    rows: list[dict[str, float]] = []
    labels: list[float] = []
    for case in tune:
        for eid, features in resolver.candidate_features(case.names):
            rows.append(features)
            labels.append(float(eid == case.expected))
    names = sorted({k for r in rows for k in r})
    x = np.array([[1.0] + [r.get(k, 0.0) for k in names] for r in rows])
    y = np.array(labels)
    w = fit_logistic(x, y, FIT_L2)
    weights = {k: round(float(v), 4) for k, v in zip(names, w[1:], strict=True)}
    model = PairModel(weights, round(float(w[0]), 4), 0.5, 0.5, TOP_CANDIDATES)
    resolver._model = model
    grid = [round(t, 3) for t in np.arange(0.30, 0.995, 0.01)]
    chosen_merge = grid[-1]
    for t in grid:  # lowest merge threshold reaching the precision target
        resolver.merge_threshold = resolver.review_threshold = t
        precision, recall, _ = _measure(resolver, tune)
        if precision >= TARGET_PRECISION:
            chosen_merge = t
            break
    resolver.merge_threshold = chosen_merge
    chosen_review = chosen_merge
    for t in [g for g in grid if g < chosen_merge][::4]:
        resolver.review_threshold = t
        if _measure(resolver, tune)[2] <= REVIEW_SHARE:
            chosen_review = t
            break
    resolver.review_threshold = chosen_review
    precision, recall, review = _measure(resolver, tune)
    model = PairModel(weights, model.bias, chosen_merge, chosen_review, TOP_CANDIDATES)
    header = ("Learned pair-classifier weights: generated by `python benchmarks/resolution.py "
              "--train`, do not edit.\n\nLogistic regression (L2 "
              f"{FIT_L2}) on {len(rows):,} candidate pairs ({int(y.sum()):,} true) of the "
              f"tuning half ({len(tune):,} queries, seed {SEED}); thresholds chosen there.\n")
    WEIGHTS_MODULE.write_text(model.to_module(header, tuning_precision=round(precision, 4),
                                              tuning_recall=round(recall, 4),
                                              tuning_review_share=round(review, 4)),
                              encoding="utf-8")
    return (f"trained on {len(rows):,} pairs ({int(y.sum()):,} true), {len(names)} features; "
            f"merge ≥ {chosen_merge}, review ≥ {chosen_review}; tuning half: precision "
            f"{precision:.3f}, recall {recall:.3f}, review {review:.1%}\n"
            + "\n".join(f"  {k:24} {v:+.3f}" for k, v in sorted(weights.items(),
                                                               key=lambda kv: kv[1])))


def _row(family: str, c: Counter[str]) -> str:
    return (f"| {family} | {c['n']:,} | {c['merge_ok']:,} | {c['merge_wrong']:,} | "
            f"{c['review']:,} | {c['new']:,} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--half", choices=("tune", "test"), default="test")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument("--no-speed", action="store_true", help="skip speed and import replay")
    parser.add_argument("--samples", type=Path, help="write 50 ickg merges and reviews here")
    parser.add_argument("--train", action="store_true",
                        help="refit the pair model on the tuning half and write weights.py")
    args = parser.parse_args()
    rng = random.Random(SEED)
    t0 = time.perf_counter()
    entities, cases, excluded = build_cases(rng)
    rng.shuffle(cases)
    if args.train:
        print(train(entities, cases[: len(cases) // 2]))
        return
    half = cases[: len(cases) // 2] if args.half == "tune" else cases[len(cases) // 2:]
    resolver = Resolver()
    for eid, name in entities.items():
        resolver.add(eid, [name])
    tally = evaluate(resolver, half)
    total: Counter[str] = Counter()
    for c in tally.values():
        total.update(c)
    positives = sum(c["n"] for fam, c in tally.items() if fam.startswith("positive")
                    or fam.endswith("(listed)"))
    merges = total["merge_ok"] + total["merge_wrong"]
    precision = total["merge_ok"] / merges if merges else 0.0
    recall = total["merge_ok"] / positives if positives else 0.0
    review_share = total["review"] / total["n"]
    noise = "; ".join(f"{reason}: {n}" for reason, n in sorted(excluded.items()))
    lines = [
        "## Entity resolution (`benchmarks/resolution.py`)",
        "",
        f"Date: {dt.date.today().isoformat()}. Machine: `{' '.join(platform.uname())}`, "
        f"nproc {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}.",
        "",
        "### Accuracy on the labelled set",
        "",
        f"Labelled set: {len(cases):,} queries against a resolver holding {len(entities):,} "
        f"organisations, split with seed {SEED} into a tuning half and a test half; "
        f"figures below are the **{args.half}** half ({len(half):,} queries).",
        "",
        "- positives: chainkg `company.jsonl` short name → its full name (the resolver holds "
        "full names only, no alias links). Rows that are data errors, not hard cases, are "
        f"excluded by rule, {sum(excluded.values())} rows in all ({noise});",
        "- negatives: company-names short names that are not listed companies but share a "
        "listed 字号, kept only when demonstrably another company (a region prefix that "
        "conflicts with the listed company's, or an industry word absent from its full name); "
        "ickg25 legal names with the same 字号 in another city (one of each pair "
        "loaded); ickg25 branches/subsidiaries (分公司, X(上海)有限公司) with their parent "
        "(the same name without branch or infix) loaded; a sample of ickg25 legal names, "
        "positive only when the name is a listed company's full name.",
        "",
        "| family | queries | merged right | merged wrong | review | new |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(_row(fam, c) for fam, c in sorted(tally.items())),
        "",
        f"**Merge band: precision {precision:.3f}, recall {recall:.3f}** "
        f"({total['merge_ok']:,} right of {merges:,} merges, {positives:,} positives); "
        f"{review_share:.1%} of all queries went to review. Thresholds: merge "
        f"{resolver.merge_threshold}, review {resolver.review_threshold}.",
        "",
    ]
    if not args.no_speed:
        lines += ["### Speed", "", _speed(random.Random(SEED)),
                  "### Import replay: ickg25 organisation names", "",
                  import_replay(args.samples)]
    lines.append(f"Whole benchmark: {time.perf_counter() - t0:.0f} s.")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.half == "test":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _report import write_section

        write_section("resolution", text)


if __name__ == "__main__":
    sys.exit(main())
