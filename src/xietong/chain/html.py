"""The offline HTML report: one file, inline CSS and SVG drawn here, no JavaScript library.

Why hand-drawn SVG rather than ECharts: the diagram is a small layered DAG (≤ ~15 boxes)
and two bar charts; SVG from Python keeps the file ~30–100 KB instead of ~1 MB of inlined
ECharts, needs no build-time npm step or vendored third-party code, and renders the same
in any browser, printed or offline. A few lines of inline JS only measure the drawn
diagram (for the headless-browser test) — the report works with JS disabled.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from xietong.chain.report import supply_rate_text

COLOURS = {"red": "#d93025", "yellow": "#f2a900", "blue": "#1a73e8", None: "#34a853"}
BOX_W, BOX_H, GAP_X, GAP_Y = 150, 58, 70, 22


def _e(value: object) -> str:
    return html.escape(str(value))


def _layers(report: dict[str, Any]) -> list[list[int]]:
    """Column per longest-path depth from the chain's sources (upstream on the left)."""
    keys = [s["key"] for s in report["segments"]]
    index = {k: i for i, k in enumerate(keys)}
    depth = [0] * len(keys)
    for _ in keys:  # relax: the template is acyclic, so |segments| passes suffice
        for link in report["links"]:
            u, d = index[link["from"]], index[link["to"]]
            depth[d] = max(depth[d], depth[u] + 1)
    columns: list[list[int]] = [[] for _ in range(max(depth) + 1)]
    for i, d in enumerate(depth):
        columns[d].append(i)
    return columns


def diagram(report: dict[str, Any]) -> str:
    segments = report["segments"]
    columns = _layers(report)
    rows = max(len(c) for c in columns)
    width = len(columns) * (BOX_W + GAP_X) + 20
    height = rows * (BOX_H + GAP_Y) + 40
    pos: dict[str, tuple[float, float]] = {}
    for c, column in enumerate(columns):
        offset = (rows - len(column)) * (BOX_H + GAP_Y) / 2
        for r, i in enumerate(column):
            pos[segments[i]["key"]] = (10 + c * (BOX_W + GAP_X), 30 + offset + r * (BOX_H + GAP_Y))
    parts = [f'<svg id="chain-diagram" class="chart" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="产业链图">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
             'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>']
    for link in report["links"]:
        x1, y1 = pos[link["from"]]
        x2, y2 = pos[link["to"]]
        parts.append(f'<path d="M{x1 + BOX_W},{y1 + BOX_H / 2} C{x1 + BOX_W + GAP_X / 2},'
                     f'{y1 + BOX_H / 2} {x2 - GAP_X / 2},{y2 + BOX_H / 2} {x2},{y2 + BOX_H / 2}" '
                     'fill="none" stroke="#aaa" stroke-width="1.5" marker-end="url(#arrow)"/>')
    for seg in segments:
        x, y = pos[seg["key"]]
        colour = COLOURS[seg["risk"]]
        fill = "#fff" if seg["local_enterprises"] == 0 else colour + "22"
        dash = ' stroke-dasharray="6 4"' if seg["local_enterprises"] == 0 else ""
        parts.append(
            f'<g class="segment" data-risk="{_e(seg["risk"] or "none")}"><title>{_e(seg["name"])}: '
            f'{_e("；".join(seg["risk_reasons"]) or "正常")}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{x + BOX_W / 2}" y="{y + 24}" text-anchor="middle" class="seg-name">'
            f'{_e(seg["name"])}</text>'
            f'<text x="{x + BOX_W / 2}" y="{y + 44}" text-anchor="middle" class="seg-meta">'
            f'本地 {seg["local_enterprises"]} / 全部 {seg["national_enterprises"]} · '
            f'{_e(seg["risk_label"])}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(report: dict[str, Any]) -> str:
    segments = report["segments"]
    label_w, bar_w, row_h = 140, 420, 26
    top = max([s["national_enterprises"] for s in segments] + [1])
    height = len(segments) * row_h + 30
    parts = [f'<svg id="segment-bars" class="chart" xmlns="http://www.w3.org/2000/svg" '
             f'width="{label_w + bar_w + 80}" height="{height}" role="img" aria-label="各环节企业数">']
    for k, seg in enumerate(segments):
        y = 10 + k * row_h
        total = bar_w * seg["national_enterprises"] / top
        local = bar_w * seg["local_enterprises"] / top
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" class="seg-meta">{_e(seg["name"])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{total:.1f}" height="18" fill="#dadce0"/>'
            f'<rect x="{label_w}" y="{y}" width="{local:.1f}" height="18" fill="{COLOURS[seg["risk"]]}"/>'
            f'<text x="{label_w + total + 6:.1f}" y="{y + 14}" class="seg-meta">'
            f'{seg["local_enterprises"]} / {seg["national_enterprises"]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[object]]) -> str:
    if not rows:
        return '<p class="empty">无</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#202124}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #eee}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:8px;padding:8px 14px}
.card b{display:block;font-size:20px}.seg-name{font-size:14px;font-weight:bold}.seg-meta{font-size:11px;fill:#444}
table{border-collapse:collapse;font-size:12px;margin:6px 0}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
.risk-red{color:#d93025}.risk-yellow{color:#b07b00}.risk-blue{color:#1a73e8}.empty{color:#888}
"""

_MEASURE = """
<script>
// Records the drawn diagram's size so a headless-browser test can check it rendered.
window.addEventListener("load", function () {
  var box = document.getElementById("chain-diagram").getBBox();
  document.body.setAttribute("data-diagram-width", Math.round(box.width));
  document.body.setAttribute("data-segments", document.querySelectorAll("#chain-diagram g.segment").length);
});
</script>
"""


def render_html(report: dict[str, Any]) -> str:
    s, chain, scope = report["summary"], report["chain"], report["scope"]
    rate = supply_rate_text(s)
    cards = [("链上企业", f"{s['enterprises_on_chain']:,}"), ("本地企业", f"{s['local_enterprises']:,}"),
             ("环节覆盖", f"{s['segments_covered']}/{s['segments']}"), ("本地配套率", rate),
             ("红/黄/蓝", "{red}/{yellow}/{blue}".format(**s["risk_counts"]))]
    seg_rows = [[x["name"], x["position"], x["local_enterprises"], x["national_enterprises"],
                 "" if x["hhi"] is None else f"{x['hhi']:.0f}",
                 supply_rate_text(x) if x["supply_links"] else "",
                 x["risk_label"], "；".join(x["risk_reasons"]),
                 "、".join(m["name"] for m in x["members"][:5])] for x in report["segments"]]
    shortlists = "".join(
        f"<h3>{_e(x['name'])}（{'缺失' if x['status'] == 'missing' else '薄弱'}）</h3>"
        + _table(["候选企业", "得分", "理由"],
                 [[c["name"], c["score"], "；".join(c["reasons"])] for c in x["shortlist"]])
        for x in report["segments"] if x.get("shortlist") is not None)
    members = "".join(
        f"<h3>{_e(x['name'])}</h3>" + _table(
            ["企业", "置信度", "依据"],
            [[m["name"], m["confidence"], "；".join(e["text"] for e in m["evidence"])]
             for m in x["members"]]) for x in report["segments"] if x["members"])
    legend = "".join(f'<span style="background:{COLOURS[g]}"></span>{label}'
                     for g, label in (("red", "红"), ("yellow", "黄"), ("blue", "蓝"), (None, "正常")))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{_e(chain['name'])} · {_e(scope['name'])} — 产业链报告</title><style>{_CSS}</style></head>
<body><h1>{_e(chain['name'])} 产业链报告 · {_e(scope['name'])}</h1>
<p>{_e(chain['description'])}</p>
<div class="cards">{''.join(f'<div class="card">{_e(k)}<b>{_e(v)}</b></div>' for k, v in cards)}</div>
<h2>产业链图（按风险着色，虚线框为本地缺失环节）</h2><p class="legend">{legend}</p>
{diagram(report)}
<h2>各环节企业数（本地 / 全部）</h2>{bar_chart(report)}
<h2>环节指标</h2>{_table(["环节", "位置", "本地", "全部", "HHI", "本地配套率", "风险", "原因", "代表企业"], seg_rows)}
<h2>补链/强链招引清单</h2><p>排序: {_e(report['shortlist_ranker'])}</p>{shortlists or '<p class="empty">无缺失或薄弱环节</p>'}
<h2>链主候选</h2>{_table(["企业", "得分", "说明"], [[x["name"], x["score"], x["explanation"]] for x in report["leaders"]])}
<h2>单一来源依赖</h2>{_table(["企业", "唯一供应商", "环节", "供应商在本地"], [[d["customer"], d["supplier"], d["segment"], "是" if d["supplier_local"] else "否"] for d in report["single_source"]])}
<h2>企业风险</h2>{_table(["企业", "环节", "等级", "原因"], [[e["name"], e["segment"], e["risk_label"], "；".join(e["reasons"])] for e in report["enterprise_risks"]])}
<h2>环节成员与落位依据</h2>{members}
<p class="empty">风险规则: {_e(report['rules'])} · 由 xietong 生成</p>
{_MEASURE}</body></html>
"""


def write_html(report: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    file = Path(path)
    file.write_text(render_html(report), encoding="utf-8")
    return file
