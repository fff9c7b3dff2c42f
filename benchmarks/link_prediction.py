"""Link prediction on ICKG: xietong's ranker against knowledge-graph embeddings and heuristics.

    python benchmarks/link_prediction.py --data ../shared/data/ickg25 [--split FILE] [--json]

For every quadruple of the split (default valid.txt) every entity is ranked as the tail of
(head, relation, ?) and as the head of (?, relation, tail); filtered ranks (other true
answers from train, valid and the split removed), ties counted half. Reported: MRR and
Hits@1/3/10 overall, per relation, for the business relations (合作 供给 投资 上游于 并购
合资 竞争) together, and for seen vs unseen entities (unseen: an entity of the quadruple
is in no training relation).

Everyone trains on train.txt only. xietong tunes nothing on the split it is evaluated
on except what docs/decisions/matching.md records (settings chosen on valid). The peers
run in the same process: PyKEEN TransE, RotatE and ComplEx trained on CPU for a fixed,
modest budget (--epochs; their epochs and time are reported), evaluated with the same
vectorised filtered ranking over their full score matrices; and two heuristics:
relation-specific popularity, and common neighbours (ties broken by that popularity).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import SHARED_DATA, machine, write_section
from xietong_eval.ickg_graph import Quads, ickg_snapshot, read_split
from xietong_eval.link_baselines import common_neighbours_scorer, popularity_scorer
from xietong_eval.link_prediction import BUSINESS as BUSINESS_KEYS
from xietong_eval.link_prediction import (
    RankRecord,
    Scorer,
    known_answers,
    rank_split,
    report,
    xietong_scorer,
)

from xietong.match.index import MatchIndex
from xietong.match.ranker import Ranker, RankerConfig
from xietong.model.registry import REGISTRY

PEERS = ("TransE", "RotatE", "ComplEx")


# -- PyKEEN peers -------------------------------------------------------------------------
def train_peer(name: str, train: Quads, n_entities: int, n_relations: int, epochs: int,
               dim: int, seed: int) -> tuple[Scorer, dict[str, float]]:
    import torch
    from pykeen.models import ComplEx, RotatE, TransE
    from pykeen.training import SLCWATrainingLoop
    from pykeen.triples import TriplesFactory

    torch.set_num_threads(1)  # 2 threads on a shared 2-core box was slower
    torch.manual_seed(seed)
    triples = torch.as_tensor(np.column_stack([train.head, train.relation, train.tail]),
                              dtype=torch.long)
    factory = TriplesFactory(mapped_triples=triples,
                             entity_to_id={str(i): i for i in range(n_entities)},
                             relation_to_id={str(i): i for i in range(n_relations)})
    model_class = {"TransE": TransE, "RotatE": RotatE, "ComplEx": ComplEx}[name]
    options: dict[str, object] = {
        "TransE": {"scoring_fct_norm": 2},
        # PyKEEN's ComplEx defaults (unit-normal init, L2 regulariser) collapse here: the
        # initial scores are so large that the loss only shrinks every embedding to zero
        # (train-set MRR stays at chance, 0.0001). Small (Xavier) init without the
        # regulariser learns (docs/decisions/matching.md).
        "ComplEx": {"entity_initializer": "xavier_normal_",
                    "relation_initializer": "xavier_normal_", "regularizer": None},
    }.get(name, {})
    model = model_class(triples_factory=factory, embedding_dim=dim, random_seed=seed, **options)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loop = SLCWATrainingLoop(model=model, triples_factory=factory, optimizer=optimizer,
                             negative_sampler_kwargs={"num_negs_per_pos": 16})
    started = time.perf_counter()
    losses = loop.train(triples_factory=factory, num_epochs=epochs, batch_size=1024,
                        use_tqdm=False)
    seconds = time.perf_counter() - started
    model.eval()
    return embedding_scorer(name, model), {
        "epochs": epochs, "train_seconds": round(seconds, 1), "dim": dim,
        "final_loss": round(float(losses[-1]), 4) if losses else None}


def embedding_scorer(name: str, model: object) -> Scorer:
    """All-entity scores from the trained embeddings with matrix products (PyKEEN's own
    score_t broadcasts batch x entities x dim and is ~100x slower here). Same functions:
    TransE -||h+r-t||_2, RotatE -||h*r-t||_2 (|r|=1), ComplEx Re<h, r, conj(t)>."""
    import torch

    with torch.no_grad():
        ent = model.entity_representations[0](indices=None).detach()  # type: ignore[attr-defined]
        rel = model.relation_representations[0](indices=None).detach()  # type: ignore[attr-defined]
    if name == "RotatE":
        rel = rel / rel.abs().clamp_min(1e-9)  # PyKEEN constrains RotatE relations to |r| = 1

    def as_real(z: torch.Tensor) -> torch.Tensor:
        return torch.cat([z.real, z.imag], dim=-1) if z.is_complex() else z

    ent_real = as_real(ent).numpy()
    ent_sq = (ent_real ** 2).sum(axis=1)

    def score(nodes: np.ndarray, relation: int, direction: str) -> np.ndarray:
        q, r = ent[torch.as_tensor(nodes)], rel[relation]
        if name == "ComplEx":
            w = q * r if direction == "tail" else r * q.conj()  # then Re<w, conj(x)>
            w = w if direction == "tail" else w.conj()
            return as_real(w).numpy() @ ent_real.T
        if name == "TransE":
            x = q + r if direction == "tail" else q - r  # h+r ≈ t ; t-r ≈ h
        else:
            x = q * r if direction == "tail" else q * r.conj()
        x = as_real(x).numpy()
        # -||x - e|| over all e via ||x||² - 2x·e + ||e||²
        d2 = (x ** 2).sum(axis=1)[:, None] - 2.0 * (x @ ent_real.T) + ent_sq[None, :]
        return -np.sqrt(np.maximum(d2, 0.0))
    return score


# -- the run ------------------------------------------------------------------------------
def evaluate(label: str, scorer: Scorer, split: Quads, known: dict, seen: np.ndarray,
             relations: list[str], log: Callable[[str], None]) -> dict[str, object]:
    started = time.perf_counter()
    records: list[RankRecord] = rank_split(scorer, split, known, seen)
    result = report(records, relations)
    result["eval_seconds"] = round(time.perf_counter() - started, 1)
    log(f"{label}: MRR {result['overall']['mrr']:.4f}, "  # type: ignore[index]
        f"business {result['business']['mrr']:.4f} ({result['eval_seconds']} s)")  # type: ignore[index]
    return result


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "ickg25")
    parser.add_argument("--split", default="valid.txt",
                        help="a file of head<TAB>relation<TAB>tail<TAB>time ids (default valid.txt)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help="PyKEEN models to train, comma-separated ('' for none)")
    parser.add_argument("--epochs", type=int, default=40, help="training epochs of each peer")
    parser.add_argument("--dim", type=int, default=64, help="embedding size of the peers")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--compare-rankers", action="store_true",
                        help="only compare learners on the same features (business relations)")
    args = parser.parse_args(argv)
    log = (lambda m: print(m, file=sys.stderr)) if args.json else print

    snap, train = ickg_snapshot(args.data)
    relations = snap.relations
    split = read_split(args.data, args.split, relations)
    valid = read_split(args.data, "valid.txt", relations)
    known = known_answers(train, valid, split)
    seen = np.zeros(snap.node_count, dtype=bool)
    seen[train.head] = seen[train.tail] = True

    if args.compare_rankers:
        return compare_rankers(snap, train, split, known, seen, log)
    started = time.perf_counter()
    ranker = Ranker.fit(snap, RankerConfig())
    fit_seconds = time.perf_counter() - started
    index = MatchIndex.build(snap)
    build_seconds = time.perf_counter() - started - fit_seconds
    log(f"xietong ranker trained in {fit_seconds:.0f} s, index built in {build_seconds:.1f} s")

    systems: dict[str, dict[str, object]] = {}
    systems["xietong"] = evaluate("xietong", xietong_scorer(index, ranker), split, known, seen,
                                  relations, log)
    systems["xietong"]["train_seconds"] = round(fit_seconds + build_seconds, 1)
    systems["popularity"] = evaluate("popularity", popularity_scorer(index.graph), split, known,
                                     seen, relations, log)
    systems["common_neighbours"] = evaluate("common neighbours",
                                            common_neighbours_scorer(index.graph), split, known,
                                            seen, relations, log)
    for name in [p for p in args.peers.split(",") if p]:
        scorer, info = train_peer(name, train, snap.node_count, len(relations), args.epochs,
                                  args.dim, seed=0)
        log(f"{name}: {info['epochs']} epochs in {info['train_seconds']} s")
        systems[name] = {**evaluate(name, scorer, split, known, seen, relations, log), **info}

    peers = {k: v for k, v in systems.items() if k != "xietong"}
    ratios = {}
    for part in ("overall", "business"):
        best = max(peers, key=lambda k: peers[k][part]["mrr"])  # type: ignore[index]
        ours = systems["xietong"][part]["mrr"]  # type: ignore[index]
        theirs = peers[best][part]["mrr"]  # type: ignore[index]
        ratios[part] = {"best_peer": best, "ratio": round(ours / theirs, 3) if theirs else None}
    result = {"data": str(args.data), "split": str(args.split), "quadruples": len(split.head),
              "machine": machine(), "systems": systems, "xietong_vs_best_peer": ratios}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(json.dumps(ratios, ensure_ascii=False))
    if not args.no_write:
        write_section("link_prediction", _markdown(result))
    return result


class _Pointwise:
    """An sklearn classifier behind the Ranker interface (scores = P(answer))."""

    def __init__(self, model: object) -> None:
        self.model = model

    def predict(self, x: np.ndarray, num_threads: int = 1) -> np.ndarray:
        return self.model.predict_proba(x)[:, 1]  # type: ignore[attr-defined]


def compare_rankers(snap, train, split, known, seen, log) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The learner choice of docs/decisions/matching.md, measured on the same features."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from xietong.match.ranker import training_set

    config = RankerConfig()
    x, y, groups, columns = training_set(snap, config, {})
    index = MatchIndex.build(snap)
    business = np.isin(np.array(snap.relations)[split.relation], BUSINESS_KEYS)
    part = Quads(split.head[business], split.relation[business], split.tail[business],
                 split.line[business])
    learners = {
        "lightgbm lambdarank": lambda: Ranker.fit_arrays(x, y, groups, columns, config),
        "sklearn HistGradientBoosting (pointwise)": lambda: Ranker(_Pointwise(
            HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05).fit(x, y)), columns),
        "sklearn logistic regression": lambda: Ranker(_Pointwise(make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=500)).fit(x, y)), columns),
    }
    results = {}
    for name, fit in learners.items():
        started = time.perf_counter()
        ranker = fit()
        seconds = time.perf_counter() - started
        summary = report(rank_split(xietong_scorer(index, ranker), part, known, seen),
                         snap.relations)["overall"]
        results[name] = {**summary, "fit_seconds": round(seconds, 1)}
        log(f"{name}: business MRR {summary['mrr']:.4f} (fit {seconds:.0f} s)")
    print(json.dumps(results, ensure_ascii=False))
    return results


def _markdown(result: dict) -> str:
    systems = result["systems"]

    def label(key: str) -> str:
        return REGISTRY.relation_types[key].label

    lines = [
        "## Link prediction on ICKG (benchmarks/link_prediction.py)",
        "",
        f"{result['data']} split `{result['split']}` ({result['quadruples']:,} quadruples, "
        "both directions, filtered ranks). Machine: " + result["machine"],
        "",
        "| system | MRR | Hits@1 | Hits@3 | Hits@10 | business MRR | business H@10 | "
        "seen MRR | unseen MRR | training |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in systems.items():
        train = (f"{s['epochs']} epochs, {s['train_seconds']} s" if "epochs" in s else
                 f"{s.get('train_seconds', 0)} s" if "train_seconds" in s else "none")
        lines.append(
            f"| {name} | {s['overall']['mrr']:.4f} | {s['overall']['hits@1']:.3f} | "
            f"{s['overall']['hits@3']:.3f} | {s['overall']['hits@10']:.3f} | "
            f"**{s['business']['mrr']:.4f}** | {s['business']['hits@10']:.3f} | "
            f"{s['seen']['mrr']:.4f} | {s['unseen']['mrr']:.4f} | {train} |")
    ratios = result["xietong_vs_best_peer"]
    lines += ["", "xietong MRR ÷ best peer: " + "; ".join(
        f"{part} {r['ratio']}× ({r['best_peer']})" for part, r in ratios.items()), ""]
    lines += ["Per relation (MRR):", "",
              "| relation | count | " + " | ".join(systems) + " |",
              "|---|---|" + "---|" * len(systems)]
    for key, stats in systems["xietong"]["per_relation"].items():
        lines.append(f"| {label(key)} {key} | {stats['count']} | " + " | ".join(
            f"{s['per_relation'][key]['mrr']:.4f}" for s in systems.values()) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
