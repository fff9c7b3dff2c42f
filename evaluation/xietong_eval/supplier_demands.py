"""The supplier-demand evaluation set: natural-language buyer demands with their suppliers.

    python -m xietong_eval.supplier_demands [--data ../shared/data/chainkg] [--out tests/match/data]

Written from the data, not from what the system returns (docs in tests/match/data/README.md):

* **generated**: for each ChainKG product M that is some product P's 上游材料 and whose
  part (``product_split(M)``, the split the supplier ranker uses) is valid or test, one
  demand "P's maker seeks M" in one of :data:`PHRASINGS` (seeded), sometimes with a
  quantity, region, qualification or deadline phrase. Relevant: the companies whose
  主营产品 is M or one of M's 产品小类; materials with more than 20 of them are generic
  and left out, as the supplier ranker's labels leave them out.
* **hand**: :data:`HAND` demands in the seeds' kind of language (robot parts, compute,
  data, materials), each with a rule fixed before any tuning: relevant are the companies
  with a 主营产品 whose name contains one of the rule's words.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from xietong.match.demand_ranker import product_split
from xietong.match.profiles import name_terms
from xietong.match.textindex import TextIndex
from xietong.match.tokens import content_words, words
from xietong.store.snapshot import GraphSnapshot

PEERS = ("bm25_name_products", "bm25_neighbourhood", "bm25_names")

MAX_RELEVANT = 20
SEED = 0
PHRASINGS = (
    "我们生产{poster}，需要采购{material}，请推荐供应商",
    "为{poster}生产企业寻找{material}供应商",
    "求购{material}，用于{poster}生产",
    "寻找{material}供应商，用于生产{poster}",
    "本公司主营{poster}，现需{material}，求推荐厂家",
    "{poster}厂家长期采购{material}",
    "我司是{poster}制造商，想找{material}的供货商",
    "急需{material}，做{poster}用的，有没有靠谱的供应商",
    "采购需求：{material}（用于{poster}）",
    "做{poster}的企业，寻求{material}稳定供应",
    "{poster}项目招标采购{material}，欢迎供应商报名",
    "请帮忙对接{material}生产企业，我们是{poster}加工企业",
)
EXTRAS = {
    "quantity": ("，月需{n}吨", "，采购量约{n}件", "，首批{n}套"),
    "region": ("，长三角优先", "，上海本地优先", "，江苏省内企业优先"),
    "qualification": ("，需具备ISO9001认证", "，要求有生产许可证", "，须为高新技术企业"),
    "deadline": ("，6月30日前交货", "，30天内到货", "，年底前完成采购"),
}
EXTRA_SHARE = 0.35  # of generated demands get one extra phrase

# (demand, rule words): relevant = companies with a 主营产品 containing one of the words
HAND: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("人形机器人整机企业寻找精密减速器供应商，用于关节模组", ("减速器", "减速机")),
    ("我们做协作机器人，需要谐波减速器和RV减速机，月需500台", ("减速器", "减速机")),
    ("寻找机器人关节用伺服电机供应商，长三角优先", ("伺服电机",)),
    ("具身智能初创公司采购伺服驱动器，小批量试产", ("伺服驱动",)),
    ("为工业机器人产线寻找伺服系统供应商", ("伺服",)),
    ("需要六维力传感器、扭矩传感器供应商，用于机器人手腕", ("传感器",)),
    ("征集智能传感器供应商，应用于人形机器人感知系统", ("传感器",)),
    ("寻找工业机器人本体厂商，用于汽车焊装线改造", ("工业机器人",)),
    ("我们是系统集成商，求购工业机器人整机，年底前交付", ("工业机器人",)),
    ("寻找机器视觉检测设备供应商，用于3C产品质检", ("机器视觉",)),
    ("灵巧手研发团队需要微型电机供应商", ("微电机", "微特电机", "微型电机")),
    ("为机器人关节模组寻找精密轴承供应商", ("轴承",)),
    ("采购数控机床，用于减速器齿轮加工", ("数控机床",)),
    ("寻找钕铁硼永磁材料供应商，用于伺服电机", ("钕铁硼", "永磁")),
    ("大模型企业寻求算力服务，需要GPU服务器集群", ("服务器",)),
    ("我们训练行业大模型，需要采购AI服务器，上海本地优先", ("服务器",)),
    ("寻找IDC数据中心服务商，提供算力托管", ("IDC", "数据中心")),
    ("需要云计算资源，寻找云服务供应商支撑模型推理", ("云计算", "云服务")),
    ("智算中心建设项目采购数据中心设备", ("数据中心",)),
    ("寻找液冷数据中心解决方案提供商", ("数据中心", "液冷")),
    ("采购高速光模块，用于智算中心网络", ("光模块",)),
    ("智算中心需要网络交换机供应商", ("交换机",)),
    ("寻找数据存储设备供应商，用于训练数据湖", ("存储",)),
    ("寻找AI芯片供应商，用于边缘推理终端", ("芯片",)),
    ("采购存储芯片，需具备车规级认证", ("存储芯片",)),
    ("寻找大数据服务商，为大模型提供行业语料", ("大数据",)),
    ("需要数据服务企业提供语料清洗和数据标注", ("数据服务", "大数据")),
    ("政务大模型项目寻求大数据平台供应商", ("大数据",)),
    ("寻找人工智能算法与平台供应商，用于智慧园区", ("人工智能",)),
    ("为具身智能训练场采购摄像头模组", ("摄像头",)),
    ("寻找碳纤维供应商，用于机器人轻量化结构件", ("碳纤维",)),
    ("我们生产无人机机身，需要碳纤维复合材料，月需5吨", ("碳纤维",)),
    ("寻找锂电池正极材料供应商，三元材料优先", ("正极材料",)),
    ("电池企业求购磷酸铁锂正极材料，年需2000吨", ("正极材料", "磷酸铁锂")),
    ("采购锂电池负极材料，要求石墨类", ("负极材料",)),
    ("寻找锂电池电解液供应商，长三角优先", ("电解液",)),
    ("我们生产动力电池，需要隔膜供应商", ("隔膜",)),
    ("储能项目采购锂电池，30天内到货", ("锂电池", "锂离子电池")),
    ("人形机器人需要电池管理系统供应商", ("电池管理",)),
    ("寻找碳化硅材料供应商，用于功率器件", ("碳化硅",)),
    ("半导体产线采购光刻胶，需通过客户验证", ("光刻胶",)),
    ("晶圆厂寻找电子特气供应商", ("电子特气", "特种气体")),
    ("采购半导体晶圆，用于MEMS传感器", ("晶圆",)),
    ("寻找PCB电路板供应商，用于机器人控制器", ("PCB", "印制电路板")),
    ("采购连接器和线缆组件，用于机器人本体布线", ("连接器",)),
    ("寻找控制器供应商，为服务机器人配套", ("控制器",)),
    ("新能源汽车企业寻找驱动电机供应商", ("驱动电机",)),
    ("采购稀土永磁材料，需具备ISO9001认证", ("稀土永磁", "永磁")),
    ("寻找石墨烯材料供应商，用于散热膜", ("石墨烯",)),
    ("采购工业气体，用于芯片制造", ("工业气体", "特种气体")),
    ("寻找显示面板供应商，用于服务机器人交互屏", ("显示面板", "液晶面板")),
    ("为智能网联汽车寻找激光与毫米波雷达供应商", ("雷达",)),
    ("需要智能网联系统供应商，服务自动驾驶测试", ("智能网联",)),
    ("寻找动力电池供应商，用于电动物流车", ("动力电池",)),
    ("采购氢燃料电池系统，用于重卡示范", ("燃料电池",)),
)


def _edges(snap: GraphSnapshot, relation: str) -> list[tuple[int, int, float]]:
    code = snap.relation_code(relation)
    mask = snap.edge_relation == code
    return list(zip(snap.edge_source[mask].tolist(), snap.edge_target[mask].tolist(),
                    snap.edge_weight[mask].tolist()))


def _company(snap: GraphSnapshot, node: int) -> dict[str, str]:
    attrs = snap.attributes[node] if snap.attributes else {}
    return {"name": snap.names[node], "code": str(attrs.get("stock_code", ""))}


def generated(snap: GraphSnapshot, split: str, limit: int | None = None,
              seed: int = SEED) -> list[dict]:
    """One demand per material of ``split`` with 1–20 relevant companies."""
    makers: dict[int, set[int]] = defaultdict(set)
    for company, product, _w in _edges(snap, "main_product"):
        makers[product].add(company)
    subs: dict[int, set[int]] = defaultdict(set)
    for broad, narrow, _w in _edges(snap, "sub_product"):
        subs[broad].add(narrow)
    users: dict[int, list[int]] = defaultdict(list)
    for product, material, _w in _edges(snap, "upstream_material"):
        users[material].append(product)
    rng = np.random.default_rng(seed)
    out = []
    for material in sorted(users, key=lambda m: snap.names[m]):
        name = snap.names[material]
        if product_split(name) != split:
            continue
        relevant = set(makers[material]).union(*(makers[s] for s in subs[material]))
        if not 1 <= len(relevant) <= MAX_RELEVANT:
            continue
        posters = sorted({p for p in users[material] if snap.names[p] != name},
                         key=lambda p: snap.names[p])
        if not posters:
            continue
        poster = posters[int(rng.integers(len(posters)))]
        phrasing = int(rng.integers(len(PHRASINGS)))
        text = PHRASINGS[phrasing].format(poster=snap.names[poster], material=name)
        extra = None
        if rng.random() < EXTRA_SHARE:
            extra = list(EXTRAS)[int(rng.integers(len(EXTRAS)))]
            options = EXTRAS[extra]
            text += options[int(rng.integers(len(options)))].format(
                n=int(rng.choice([5, 20, 100, 500])))
        out.append({
            "text": text, "sought": name, "poster": snap.names[poster],
            "relevant": sorted((_company(snap, c) for c in relevant), key=lambda c: c["name"]),
            "poster_makers": sorted(snap.names[c] for c in makers[poster]),
            "phrasing": f"g{phrasing:02d}", "extra": extra, "drawn": f"generated:{split}",
        })
    if limit is not None and len(out) > limit:
        keep = sorted(rng.choice(len(out), limit, replace=False).tolist())
        out = [out[i] for i in keep]
    return out


def hand(snap: GraphSnapshot) -> list[dict]:
    """The hand-written demands with their relevant companies by rule."""
    mains = _edges(snap, "main_product")
    out = []
    for i, (text, rule) in enumerate(HAND):
        relevant = {c for c, p, _w in mains if any(w in snap.names[p] for w in rule)}
        out.append({
            "text": text, "sought": "、".join(rule), "poster": None,
            "relevant": sorted((_company(snap, c) for c in relevant), key=lambda c: c["name"]),
            "poster_makers": [], "phrasing": f"h{i:02d}", "extra": None,
            "drawn": "hand: 主营产品 name contains " + " or ".join(rule),
        })
    return [d for d in out if d["relevant"]]


def write(snap: GraphSnapshot, out: Path) -> dict[str, int]:
    sets = {"valid": generated(snap, "valid"), "test": generated(snap, "test", limit=300),
            "hand": hand(snap)}
    out.mkdir(parents=True, exist_ok=True)
    with (out / "supplier_demands.jsonl").open("w", encoding="utf-8") as handle:
        for part, demands in sets.items():
            for n, demand in enumerate(demands):
                row = {"id": f"{part}-{n:03d}", "set": part, **demand}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {part: len(d) for part, d in sets.items()}


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# -- peers: BM25 over jieba words in tantivy, nothing tuned --------------------------
def peer_index(snap: GraphSnapshot) -> TextIndex:
    """Companies as two BM25 documents: "name" holds name + main products, "profile"
    the same plus those products' 上游材料 and 产品小类 (the product neighbourhood)."""
    rel = {k: snap.relation_code(k) for k in ("main_product", "upstream_material",
                                              "sub_product") if k in snap.relations}
    out: dict[int, list[int]] = defaultdict(list)
    near: dict[int, list[int]] = defaultdict(list)
    for s, t, r in zip(snap.edge_source.tolist(), snap.edge_target.tolist(),
                       snap.edge_relation.tolist()):
        if r == rel.get("main_product"):
            out[s].append(t)
        elif r in (rel.get("upstream_material"), rel.get("sub_product")):
            near[s].append(t)
    docs = []
    for node, kind in enumerate(snap.types):
        if kind != "enterprise":
            continue
        own = list(words(snap.names[node]))
        for alias in snap.aliases[node]:
            own += words(alias)
        products = [w for p in out[node] for w in words(snap.names[p])]
        around = [w for p in out[node] for q in near[p][:40] for w in words(snap.names[q])]
        docs.append((node, " ".join(own + products), " ".join(own + products + around),
                     "enterprise"))
    index = TextIndex()
    index.add_many(docs)
    return index


def peers(index: TextIndex, names: TextIndex, text: str) -> dict[str, list[int]]:
    terms = content_words(text)
    return {
        "bm25_name_products": index.search(terms, "name", 10)[0].tolist(),
        "bm25_neighbourhood": index.search(terms, "profile", 10)[0].tolist(),
        "bm25_names": names.search(name_terms([text]) + terms, "name", 10,
                                   types=("enterprise",))[0].tolist(),
    }


def capped_recall(ranked: list[int], gold: set[int], k: int = 10) -> float:
    return len(gold & set(ranked[:k])) / min(len(gold), k)


def main() -> None:
    from xietong.ingest.chainkg import chainkg_records
    from xietong_eval.records_graph import snapshot_from_records

    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=root.parent / "shared" / "data" / "chainkg")
    parser.add_argument("--out", type=Path, default=root / "tests" / "match" / "data")
    args = parser.parse_args()
    print(write(snapshot_from_records(chainkg_records(args.data)), args.out))


if __name__ == "__main__":
    main()
