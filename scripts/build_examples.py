"""Build the README's sample spreadsheets in examples/ (the 快速上手 tour imports them).

Three files of the kinds a park operator has at hand, each overlapping the demo ecosystem and
the ICKG25 / ChainKG data sets the way real files do:

- 企业名录.xlsx + 企业名录.yaml: a district's directory of AI firms with its own column names,
  read through a mapping file. Full legal names whose short names are the demo's (阶跃星辰,
  智元机器人…) merge into the demo's firms; listed firms merge into ChainKG's.
- 企查查导出.xlsx: a registry export (title row, '-' for no value, capital with its currency),
  recognised without a mapping. Firms also in the directory carry the same credit code.
- 园区企业台账.xls: a park's ledger of resident firms in legacy Excel, written with short names
  as park staff write them, and two legal names mistyped (they go to the review queue).

The firms are real Shanghai and Yangtze-delta AI and robotics firms named in public reports
(and a few invented ones, marked below); credit codes, capital, dates, headcounts, revenue,
legal representatives and contacts are invented for the example. Credit codes have a valid
check digit (GB 32100-2015) and are derived from the name, so every build writes the same
cells.

Usage: .venv/bin/python scripts/build_examples.py   (needs openpyxl and xlwt: the test extra)
"""

from __future__ import annotations

import hashlib
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import openpyxl  # noqa: E402
import xlwt  # noqa: E402

from xietong.model.credit_code import ALPHABET, credit_code_check_digit  # noqa: E402

OUT = ROOT / "examples"
FIXED_TIME = datetime(2025, 11, 30, 9, 0, 0)

# District → GB/T 2260 code (the code's 3rd–8th characters are the registering authority's).
DISTRICT_CODES = {
    "徐汇区": "310104", "静安区": "310106", "虹口区": "310109", "闵行区": "310112",
    "宝山区": "310113", "嘉定区": "310114", "浦东新区": "310115", "松江区": "310117",
    "吴中区": "320506", "江宁区": "320115", "玉环市": "331083", "宝安区": "440306",
    "武进区": "320412", "北仑区": "330206",
}


def credit_code(name: str, district: str) -> str:
    """A valid-looking code: 91 (enterprise), the district, MA… from the name, check digit."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    body = "91" + DISTRICT_CODES[district] + "MA1" + "".join(
        ALPHABET[b % len(ALPHABET)] for b in digest[:6])
    return body + credit_code_check_digit(body)


# --- 企业名录: a district directory, read with 企业名录.yaml --------------------------------

DIRECTORY_HEADER = ["序号", "单位全称", "企业简称", "信用代码", "注册资本（万元）", "成立时间",
                    "入驻载体", "所在区", "行业领域", "主营产品", "联系人", "统计日期"]

# (full name, short names, district, park, industry, main products, capital 万元, founded,
#  contact)
DIRECTORY = [
    # the demo's firms under their legal names: they merge through the short name
    ("上海阶跃星辰智能科技有限公司", "阶跃星辰", "徐汇区", "模速空间", "大模型", "跃问",
     10000, "2023-04-06", "周敏"),
    ("上海稀宇科技有限公司", "稀宇科技、MiniMax", "徐汇区", "模速空间", "大模型", "海螺AI",
     12000, "2021-12-10", "陈思远"),
    ("上海无问芯穹智能科技有限公司", "无问芯穹", "徐汇区", "模速空间", "大模型",
     "Infini-AI异构云平台", 5000, "2023-05-18", "王若琳"),
    ("上海秘塔网络科技有限公司", "秘塔科技", "徐汇区", "模速空间", "大模型", "秘塔AI搜索",
     1500, "2018-04-02", "刘子航"),
    ("上海智元新创技术有限公司", "智元机器人", "浦东新区", "张江机器人谷", "人形机器人",
     "智元灵犀X2、远征A2", 15000, "2023-02-21", "赵一鸣"),
    ("上海傅利叶智能科技有限公司", "傅利叶", "浦东新区", "张江机器人谷", "人形机器人",
     "傅利叶GR-1", 8000, "2015-07-09", "孙佳怡"),
    ("上海卓益得机器人有限公司", "卓益得", "浦东新区", "张江机器人谷", "人形机器人",
     "轻量化人形机器人", 2000, "2022-08-15", "黄志强"),
    ("上海开普勒探索机器人有限公司", "开普勒机器人", "松江区", "", "人形机器人",
     "先行者K2", 3000, "2023-06-28", "吴晓东"),
    ("上海它石智能科技有限公司", "它石智能", "浦东新区", "张江机器人谷", "具身智能",
     "具身智能人形机器人", 2000, "2024-03-12", "郑雨桐"),
    ("上海库帕思科技有限公司", "库帕思", "浦东新区", "滴水湖AI创新港", "大模型",
     "大模型语料数据服务", 5000, "2024-01-16", "冯晓雪"),
    ("上海七牛信息技术有限公司", "七牛云", "浦东新区", "", "人工智能", "音视频云服务",
     6000, "2011-05-20", "何嘉伟"),
    ("上海合合信息科技有限公司", "合合信息", "静安区", "上海市北高新技术服务业园区",
     "人工智能", "CS全能扫描王", 7500, "2006-08-08", "许文静"),
    ("上海极豆科技有限公司", "极豆科技", "静安区", "上海市北高新技术服务业园区", "智能汽车",
     "智能座舱系统", 1000, "2016-09-21", "马俊杰"),
    # in ChainKG or ICKG under these or shorter names
    ("上海壁仞科技股份有限公司", "壁仞科技", "徐汇区", "模速空间", "集成电路", "通用GPU芯片",
     30000, "2019-09-09", "林浩然"),
    ("上海燧原科技股份有限公司", "燧原科技", "徐汇区", "", "集成电路", "AI训练芯片",
     25000, "2018-03-19", "罗晨曦"),
    ("上海非夕机器人科技有限公司", "非夕科技", "徐汇区", "", "人形机器人", "自适应机器人",
     4000, "2016-11-23", "宋雅婷"),
    ("节卡机器人股份有限公司", "节卡股份", "闵行区", "", "人形机器人", "协作机器人",
     6500, "2014-03-05", "唐宇航"),
    ("上海新时达电气股份有限公司", "新时达", "嘉定区", "", "人形机器人", "伺服驱动器、工业机器人",
     66000, "1995-05-10", "韩立新"),
    ("上海微创医疗机器人（集团）股份有限公司", "微创机器人", "浦东新区", "", "生物医药",
     "手术机器人", 95000, "2014-11-14", "曹静怡"),
    ("达闼机器人股份有限公司", "达闼机器人", "浦东新区", "", "具身智能", "云端机器人",
     20000, "2015-04-28", "彭博文"),
    ("澜起科技股份有限公司", "澜起科技", "徐汇区", "", "集成电路", "内存接口芯片",
     114000, "2004-05-27", "邓思琪"),
    ("芯原微电子（上海）股份有限公司", "芯原股份", "浦东新区", "张江人工智能岛", "芯片设计",
     "芯片设计服务", 50000, "2001-08-21", "蒋文博"),
    ("上海依图网络科技有限公司", "依图科技", "徐汇区", "", "人工智能", "智能视觉",
     3000, "2013-09-12", "田梦洁"),
    ("科大讯飞（上海）科技有限公司", "讯飞上海", "徐汇区", "", "人工智能", "智能语音",
     10000, "2016-06-30", "潘浩宇"),
    ("上海鸣志电器股份有限公司", "鸣志电器", "闵行区", "", "人形机器人", "空心杯电机",
     42000, "1998-05-25", "袁嘉琪"),
    # invented firms, new to every data set
    ("上海衡越精密传动有限公司", "衡越传动", "宝山区", "", "人形机器人", "谐波减速器",
     3000, "2021-10-18", "钱立群"),
    ("上海灵枢具身智能科技有限公司", "灵枢智能", "浦东新区", "张江机器人谷", "具身智能",
     "具身智能训练场", 1200, "2024-06-03", "施雨晨"),
    ("上海数衍语料科技有限公司", "数衍语料", "徐汇区", "模速空间", "大模型", "行业语料库",
     800, "2024-02-26", "严嘉欣"),
    ("上海启衡灵巧手科技有限公司", "启衡灵巧手", "闵行区", "大零号湾", "人形机器人",
     "灵巧手", 1500, "2023-11-07", "金泽宇"),
    ("上海云岚算力科技有限公司", "云岚算力", "松江区", "", "人工智能", "智算中心运营",
     20000, "2022-12-01", "董书瑶"),
]


def directory_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for i, (name, short, district, park, industry, products, capital, founded, contact) in \
            enumerate(DIRECTORY, 1):
        rows.append([i, name, short, credit_code(name, district), capital, founded, park,
                     district, industry, products, contact, "2025-11"])
    return rows


DIRECTORY_YAML = """\
# 企业名录.xlsx → xietong: a district directory with its own column names (docs/mapping.md).
# Keys are English; column names are exactly as in the header. 序号 is left out.
sheet: 企业名单
entities:
  type: enterprise
  name: 单位全称
  aliases: [企业简称]              # 、 separates several short names
  attributes:
    信用代码: credit_code           # a valid check digit is required
    注册资本（万元）: registered_capital
    成立时间: founded
  relations:
    入驻载体: {relation: located_in_park, object_type: park}
    所在区: located_in_region       # read through the national division codes
    行业领域: {relation: operates_in, object_type: industry}
    主营产品: {relation: main_product, object_type: product}
    联系人: {relation: works_for, reverse: true, object_type: person}   # the person works here
date: 统计日期
confidence: 0.9
"""


# --- 企查查导出: a registry export, recognised without a mapping ----------------------------

EXPORT_HEADER = ["企业名称", "登记状态", "法定代表人", "注册资本", "实缴资本", "成立日期",
                 "统一社会信用代码", "所属省份", "所属城市", "所属区县", "企业类型", "参保人数",
                 "曾用名", "英文名", "所属行业", "经营范围", "企业地址"]

# (name, province, city, district, capital, paid-in, founded, kind, insured, former name,
#  English name, industry, scope, address, legal representative, status)
EXPORT = [
    # also in 企业名录 (same credit code) and the demo
    ("上海智元新创技术有限公司", "上海市", "上海市", "浦东新区", "15000万元人民币", "-",
     "2023-02-21", "有限责任公司(自然人投资或控股)", "1650", "-", "AgiBot",
     "计算机、通信和其他电子设备制造业",
     "人形机器人、智能机器人的研发、制造与销售；人工智能应用软件开发", "上海市浦东新区（示例地址）",
     "邵建国", "存续"),
    ("上海傅利叶智能科技有限公司", "上海市", "上海市", "浦东新区", "8000万元人民币",
     "6000万元人民币", "2015-07-09", "有限责任公司(自然人投资或控股)", "580", "-",
     "Fourier Intelligence", "专用设备制造业",
     "康复机器人、人形机器人、伺服驱动与关节模组的研发与销售", "上海市浦东新区（示例地址）",
     "顾明轩", "存续"),
    ("上海非夕机器人科技有限公司", "上海市", "上海市", "徐汇区", "4000万元人民币", "-",
     "2016-11-23", "有限责任公司(外商投资、非独资)", "420", "-", "Flexiv",
     "通用设备制造业", "自适应机器人、力控关节的研发、生产与销售", "上海市徐汇区（示例地址）",
     "吕思成", "存续"),
    ("节卡机器人股份有限公司", "上海市", "上海市", "闵行区", "6500万元人民币", "-",
     "2014-03-05", "股份有限公司(非上市、自然人投资或控股)", "710", "上海节卡机器人科技有限公司",
     "JAKA Robotics",
     "通用设备制造业", "协作机器人、智能装备的研发、制造与技术服务", "上海市闵行区（示例地址）",
     "魏宏杰", "存续"),
    ("上海鸣志电器股份有限公司", "上海市", "上海市", "闵行区", "4.2亿元人民币", "-",
     "1998-05-25", "股份有限公司(上市)", "2300", "-", "MOONS' Industries",
     "电气机械和器材制造业", "空心杯电机、步进电机、伺服系统及运动控制产品的研发与生产",
     "上海市闵行区（示例地址）", "常德兴", "存续"),
    ("上海衡越精密传动有限公司", "上海市", "上海市", "宝山区", "3000万元人民币", "1200万元人民币",
     "2021-10-18", "有限责任公司(自然人投资或控股)", "86", "-", "-", "通用设备制造业",
     "谐波减速器、行星减速器、精密传动装置的研发、生产与销售", "上海市宝山区（示例地址）",
     "钱立群", "存续"),
    ("上海启衡灵巧手科技有限公司", "上海市", "上海市", "闵行区", "1500万元人民币", "-",
     "2023-11-07", "有限责任公司(自然人投资或控股)", "45", "-", "-", "专用设备制造业",
     "灵巧手、触觉传感器、微型伺服电机的研发与销售", "上海市闵行区（示例地址）", "金泽宇", "存续"),
    # listed suppliers of the humanoid-robot chain, in ChainKG under short names
    ("苏州绿的谐波传动科技股份有限公司", "江苏省", "苏州市", "吴中区", "1.69亿元人民币", "-",
     "2011-01-24", "股份有限公司(上市)", "780", "苏州绿的谐波传动科技有限公司",
     "Leaderdrive", "通用设备制造业", "谐波减速器、机电一体化执行器的研发、生产与销售",
     "江苏省苏州市吴中区（示例地址）", "邹志刚", "存续"),
    ("浙江双环传动机械股份有限公司", "浙江省", "台州市", "玉环市", "8.5亿元人民币", "-",
     "2005-08-25", "股份有限公司(上市)", "6200", "-", "Zhejiang Shuanghuan Driveline",
     "通用设备制造业", "齿轮、精密减速器、传动部件的研发与制造", "浙江省玉环市（示例地址）",
     "葛文彬", "存续"),
    ("南京埃斯顿自动化股份有限公司", "江苏省", "南京市", "江宁区", "8.7亿元人民币", "-",
     "2002-02-26", "股份有限公司(上市)", "3100", "-", "ESTUN Automation", "通用设备制造业",
     "工业机器人、伺服系统、运动控制器的研发与制造", "江苏省南京市江宁区（示例地址）",
     "岳家豪", "存续"),
    ("深圳市兆威机电股份有限公司", "广东省", "深圳市", "宝安区", "2.4亿元人民币", "-",
     "2001-11-28", "股份有限公司(上市)", "2700", "-", "Zhaowei Machinery & Electronics",
     "通用设备制造业", "微型传动系统、精密齿轮箱、灵巧手驱动模组的研发与制造",
     "广东省深圳市宝安区（示例地址）", "丁文涛", "存续"),
    ("江苏雷利电机股份有限公司", "江苏省", "常州市", "武进区", "4.3亿元人民币", "-",
     "1995-07-17", "股份有限公司(上市)", "3900", "-", "Jiangsu Leili Motor",
     "电气机械和器材制造业", "微特电机、空心杯电机、直线执行器的研发与制造",
     "江苏省常州市武进区（示例地址）", "苏建业", "存续"),
    ("宁波中大力德智能传动股份有限公司", "浙江省", "宁波市", "北仑区", "1.5亿元人民币", "-",
     "2006-08-31", "股份有限公司(上市)", "1400", "-", "Ningbo ZhongDa Leader",
     "通用设备制造业", "精密减速器、减速电机、行星减速器的研发与制造",
     "浙江省宁波市北仑区（示例地址）", "邵宇航", "存续"),
    # Shanghai AI firms: in ICKG or ChainKG, or new
    ("上海壁仞科技股份有限公司", "上海市", "上海市", "徐汇区", "3亿元人民币", "-", "2019-09-09",
     "股份有限公司(非上市、自然人投资或控股)", "960", "-", "Biren Technology",
     "软件和信息技术服务业", "集成电路设计；通用GPU芯片及计算系统的研发与销售",
     "上海市徐汇区（示例地址）", "林浩然", "存续"),
    ("上海燧原科技股份有限公司", "上海市", "上海市", "徐汇区", "2.5亿元人民币", "-", "2018-03-19",
     "股份有限公司(非上市、自然人投资或控股)", "880", "上海燧原科技有限公司", "Enflame",
     "软件和信息技术服务业", "人工智能训练与推理芯片、加速卡的研发与销售",
     "上海市徐汇区（示例地址）", "罗晨曦", "存续"),
    ("上海稀宇科技有限公司", "上海市", "上海市", "徐汇区", "1.2亿元人民币", "-", "2021-12-10",
     "有限责任公司(自然人投资或控股)", "430", "-", "MiniMax", "软件和信息技术服务业",
     "人工智能基础软件开发；大模型技术研发与应用", "上海市徐汇区（示例地址）", "陈思远", "存续"),
    ("上海阶跃星辰智能科技有限公司", "上海市", "上海市", "徐汇区", "1亿元人民币", "-",
     "2023-04-06", "有限责任公司(自然人投资或控股)", "390", "-", "StepFun",
     "软件和信息技术服务业", "通用大模型、多模态模型的研发与应用", "上海市徐汇区（示例地址）",
     "周敏", "存续"),
    ("上海数衍语料科技有限公司", "上海市", "上海市", "徐汇区", "800万元人民币", "-", "2024-02-26",
     "有限责任公司(自然人投资或控股)", "-", "-", "-", "科技推广和应用服务业",
     "语料数据采集、标注与行业语料库建设", "上海市徐汇区（示例地址）", "严嘉欣", "存续"),
    ("上海云岚算力科技有限公司", "上海市", "上海市", "松江区", "2亿元人民币", "5000万元人民币",
     "2022-12-01", "有限责任公司(国有控股)", "120", "-", "-", "互联网和相关服务",
     "智算中心建设与运营、算力租赁服务", "上海市松江区（示例地址）", "董书瑶", "存续"),
    ("上海灵枢具身智能科技有限公司", "上海市", "上海市", "浦东新区", "1200万元人民币", "-",
     "2024-06-03", "有限责任公司(自然人投资或控股)", "38", "-", "-", "科技推广和应用服务业",
     "具身智能数据采集、机器人训练场运营", "上海市浦东新区（示例地址）", "施雨晨", "存续"),
    ("上海宝山智造机器人有限公司", "上海市", "上海市", "宝山区", "500万美元", "-", "2019-04-16",
     "有限责任公司(外国法人独资)", "150", "-", "-", "通用设备制造业",
     "工业机器人系统集成、机器人关节模组装配", "上海市宝山区（示例地址）", "谢文斌", "在业"),
    ("上海微创医疗机器人（集团）股份有限公司", "上海市", "上海市", "浦东新区", "9.5亿元人民币",
     "-", "2014-11-14", "股份有限公司(港澳台投资、上市)", "1100", "-", "MicroPort MedBot",
     "专用设备制造业", "手术机器人的研发、生产与销售", "上海市浦东新区（示例地址）", "曹静怡",
     "存续"),
]


def export_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for (name, province, city, district, capital, paid, founded, kind, insured, former,
            english, industry, scope, address, legal, status) in EXPORT:
        rows.append([name, status, legal, capital, paid, founded, credit_code(name, district),
                     province, city, district, kind, insured, former, english, industry, scope,
                     address])
    return rows


# --- 园区企业台账: a park's ledger in legacy Excel, short names as staff write them ---------

LEDGER_HEADER = ["企业名称", "简称", "所在园区", "所在区", "所属行业", "主营产品",
                 "员工人数", "营业收入（万元）", "成立日期", "统计日期"]

# (name, short name, park, district, industry, product, headcount, revenue 万元, founded)
LEDGER = [
    # the demo's firms, under the names the demo knows
    ("傅利叶", "傅利叶智能", "张江机器人谷", "浦东新区", "人形机器人", "傅利叶GR-1", 580, 36000,
     "2015-07-09"),
    ("卓益得", "", "张江机器人谷", "浦东新区", "人形机器人", "轻量化人形机器人", 120, 3000,
     "2022-08-15"),
    ("它石智能", "", "张江机器人谷", "浦东新区", "具身智能", "具身智能人形机器人", 90, 1500,
     "2024-03-12"),
    ("上海智元新创技术有限公司", "智元机器人", "张江机器人谷", "浦东新区", "人形机器人",
     "智元精灵G1", 1650, 120000, "2023-02-21"),
    ("上海灵枢具身智能科技有限公司", "灵枢智能", "张江机器人谷", "浦东新区", "具身智能",
     "具身智能训练场", 38, 600, "2024-06-03"),
    # 模速空间's residents
    ("阶跃星辰", "", "模速空间", "徐汇区", "大模型", "跃问", 390, "", "2023-04-06"),
    ("稀宇科技", "MiniMax", "模速空间", "徐汇区", "大模型", "海螺AI", 430, "", "2021-12-10"),
    # legal names mistyped, as ledgers have them: these go to the review queue
    ("上海无问芯穹科技有限公司", "", "模速空间", "徐汇区", "大模型", "Infini-AI异构云平台", 260,
     8000, "2023-05-18"),
    ("上海秘塔科技有限公司", "", "模速空间", "徐汇区", "大模型", "秘塔AI搜索", 150, 6000,
     "2018-04-02"),
    ("上海数衍语料科技有限公司", "数衍语料", "模速空间", "徐汇区", "大模型", "行业语料库", 24,
     300, "2024-02-26"),
    ("壁仞科技", "", "模速空间", "徐汇区", "集成电路", "通用GPU芯片", 960, "", "2019-09-09"),
    # invented residents, new to every data set
    ("上海问渠智能科技有限公司", "问渠智能", "模速空间", "徐汇区", "大模型", "法律大模型", 35,
     400, "2023-09-14"),
    ("上海星澜多模态科技有限公司", "星澜多模态", "模速空间", "徐汇区", "大模型", "多模态生成平台",
     52, 700, "2023-07-03"),
    ("上海观复医疗智能科技有限公司", "观复医疗", "模速空间", "徐汇区", "生物医药",
     "医学影像大模型", 40, 650, "2022-10-20"),
    ("上海知行具身科技有限公司", "知行具身", "张江机器人谷", "浦东新区", "具身智能",
     "机器人操作系统", 60, 1100, "2023-03-30"),
    ("上海微擎关节科技有限公司", "微擎关节", "张江机器人谷", "浦东新区", "人形机器人",
     "一体化关节模组", 70, 2400, "2022-05-19"),
    ("上海慧眼视觉科技有限公司", "慧眼视觉", "张江机器人谷", "浦东新区", "人形机器人",
     "三维视觉传感器", 55, 1800, "2020-12-08"),
    ("上海灵动触觉传感科技有限公司", "灵动触觉", "张江机器人谷", "浦东新区", "人形机器人",
     "触觉传感器", 48, 1300, "2022-09-09"),
    ("上海锐驰伺服科技有限公司", "锐驰伺服", "张江机器人谷", "浦东新区", "人形机器人",
     "伺服驱动器", 80, 3100, "2019-06-25"),
    ("上海深链数据科技有限公司", "深链数据", "模速空间", "徐汇区", "大数据", "数据标注平台",
     110, 2600, "2020-04-13"),
]


def ledger_rows() -> list[list[object]]:
    return [[*row, "2025-10"] for row in LEDGER]


def write_xlsx(path: Path, sheet: str, title: str, header: list[str],
               rows: list[list[object]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.properties.creator = "xietong examples"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.save(path)
    _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """Rewrite the workbook's zip with fixed entry times, so a rebuild is byte-identical."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    # openpyxl stamps the save time as "modified"
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [(name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
                if name == "docProps/core.xml" else data) for name, data in entries]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            dst.writestr(zipfile.ZipInfo(name, FIXED_TIME.timetuple()[:6]), data,
                         compress_type=zipfile.ZIP_DEFLATED)


def write_xls(path: Path, sheet: str, header: list[str], rows: list[list[object]]) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for c, value in enumerate(header):
        ws.write(0, c, value)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.save(str(path))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write_xlsx(OUT / "企业名录.xlsx", "企业名单", "2025年上海人工智能重点企业名录（示例数据）",
               DIRECTORY_HEADER, directory_rows())
    (OUT / "企业名录.yaml").write_text(DIRECTORY_YAML, encoding="utf-8")
    write_xlsx(OUT / "企查查导出.xlsx", "企业列表", "企查查 - 企业数据导出（2025-11-30，示例数据）",
               EXPORT_HEADER, export_rows())
    write_xls(OUT / "园区企业台账.xls", "入驻企业", LEDGER_HEADER, ledger_rows())
    for path in sorted(OUT.iterdir()):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
