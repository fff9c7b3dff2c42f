"""Which of the graph's organisation names extraction looks for in text, and how far a
match is trusted.

Bulk data sets hold common words as organisation names: ICKG25 types 统一, 通用, 国企,
巨人 and 纳米 as enterprises (its types are machine-made), ChainKG gives 新松 the stock
short name 机器人 and 新产业生物 the short name 新产业. Matched as they stand, such names
make every 机器人 in a text a company. So a name is

- left out when it cannot be one (digits, a sector, a kind of body: 投资机构, 商业银行);
- trusted when it says it is an organisation (a 字号 before a form: 中船集团, 上海外高桥造船
  有限公司) or belongs to a confirmed organisation (from curated data — the demo, the
  user's files and documents — or with a registered name) and is no common word;
- otherwise *checked*: a match counts only where the tagger agrees it is a name (LAC's
  ORG, a proper noun, or the CRF's organisation span at exactly that place).

Every match must also start and end where LAC's words do (entities.mentions), so 海光
is not found in 上海光源 nor 美的 in 北美的.
"""

from __future__ import annotations

import re
from functools import lru_cache

from xietong.extract.sectors import sector_or_generic
from xietong.resolve.names import generic_trade, parse_org_name

# jieba's proper-noun tags: person, transliterated, place, organisation, other proper,
# abbreviation (上海交大 is j, and so is 国企)
_PROPER_TAGS = frozenset(("nr", "nrt", "nrfg", "ns", "nt", "nz", "j"))
# A proper noun this frequent in jieba's corpus is an everyday word too (纳米, 长安, 大众)
_COMMON_FREQUENCY = 100
# Registered forms: a name ending so is a legal name, which confirms its organisation
REGISTERED_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
_NO_NAME = re.compile(r"[\d\W_]+")  # digits and punctuation only: 360, 99
_LATIN = re.compile(r"[A-Za-z0-9 .&\-]+")
# a brand's own spelling (DeepSeek, TikTok, IBM) rather than an English word (Edge, Offshore)
_BRAND_SPELLING = re.compile(r"[A-Z]{2,}|.+[a-z][A-Z]|.*\d")

# how a name is matched (entities.KnownNames.found): from curated data, wherever words agree;
# trusted, where words agree and LAC reads no person or place; checked, where LAC or the
# CRF tags exactly that span an organisation
CURATED, TRUSTED, CHECKED = "curated", "trusted", "checked"
# where an organisation comes from (CURATED is shared: curated data)
REGISTERED, BULK = "registered", "bulk"


@lru_cache(maxsize=1)
def _jieba_words() -> dict[str, tuple[int, str]]:
    """jieba's dictionary: word → (frequency, part of speech)."""
    import jieba_next

    words: dict[str, tuple[int, str]] = {}
    with jieba_next.get_dict_file() as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2:
                words[parts[0]] = (int(parts[1]), parts[2] if len(parts) > 2 else "")
    return words


def common_word(name: str) -> bool:
    """Whether jieba knows ``name`` as an everyday word (机器人, 统一, 小米, 长安), not only as
    an organisation's or a rare proper name (中国银行 is jieba's nt; 比亚迪 a rare nr)."""
    entry = _jieba_words().get(name)
    if entry is None:
        return False
    frequency, tag = entry
    return tag != "nt" and (tag not in _PROPER_TAGS or frequency >= _COMMON_FREQUENCY)


def names_itself(name: str) -> bool:
    """A 字号 before an organisation form (中船集团, 浦发银行, 科大讯飞股份有限公司), the 字号
    no everyday or trade word (上市公司, 航运公司, 股份制银行 are kinds of firms)."""
    parsed = parse_org_name(name)
    trade = parsed.trade
    known = _jieba_words().get(trade)  # a rare word is a 字号 still (中船 22, 浦发 8)
    return bool(parsed.form) and len(trade) >= 2 \
        and (known is None or known[0] < _COMMON_FREQUENCY) \
        and not generic_trade(trade) and not trade.startswith(("股份", "上市"))


@lru_cache(maxsize=1 << 17)  # asked for every name at each file's extraction: ~1 s once
def trust(name: str, kind: str, source: str, names_other_things: bool) -> str | None:
    """CURATED, TRUSTED, CHECKED or None (never looked for) for one name of an
    organisation of graph type ``kind``. ``source``: CURATED when the organisation comes
    from curated data (the demo, the user's files), REGISTERED when a bulk data set gives it
    a registered name or an earlier extraction found it, else BULK. ``names_other_things``:
    the graph also has a product, an industry or a chain segment of that name (机器人)."""
    if len(name) < 2 or _NO_NAME.fullmatch(name):
        return None
    if source == CURATED:
        return CURATED
    if source == BULK and sector_or_generic(name, kind) is not None:
        return None
    if _LATIN.fullmatch(name):
        # English words are names in bulk data (Edge, Offshore): only a brand's spelling
        if source == REGISTERED:
            return TRUSTED
        return CHECKED if _BRAND_SPELLING.match(name) else None
    if names_other_things or common_word(name):
        return CHECKED  # 黑芝麻, 向日葵, 太平洋 are stock short names too
    return TRUSTED if source == REGISTERED or names_itself(name) else CHECKED
