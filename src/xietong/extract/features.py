"""Character features for the organisation/person tagger (a linear-chain CRF).

Characters and their neighbours carry most of the signal; LAC's word tags add word
boundaries and its own PER/LOC/ORG guesses; suffix lists mark where organisation names
end (公司, 委员会, 大学 …); a name dictionary marks known names.
"""

from __future__ import annotations

from xietong.extract.lac import Word, char_tags
from xietong.extract.lexicon import TITLES, Lexicon
from xietong.model.org_types import (
    COMPANY_SUFFIXES,
    GOVERNMENT_SUFFIXES,
    INSTITUTE_SUFFIXES,
    INVESTOR_SUFFIXES,
    ORGANIZATION_SUFFIXES,
    PARK_SUFFIXES,
)

_SUFFIX_KINDS: dict[str, tuple[str, ...]] = {
    "co": COMPANY_SUFFIXES, "gov": GOVERNMENT_SUFFIXES, "ins": INSTITUTE_SUFFIXES,
    "inv": INVESTOR_SUFFIXES, "park": PARK_SUFFIXES, "org": ORGANIZATION_SUFFIXES,
    "title": TITLES,
}
_SUFFIXES: dict[str, list[str]] = {}
for _kind, _words in _SUFFIX_KINDS.items():
    for _word in _words:
        _SUFFIXES.setdefault(_word, []).append(_kind)
_MAX_SUFFIX = max(len(w) for w in _SUFFIXES)


def _shape(char: str) -> str:
    if char.isdigit():
        return "d"
    if char.isascii() and char.isalpha():
        return "a"
    if "\u4e00" <= char <= "\u9fff":
        return "h"
    return "p"


def _suffix_marks(text: str) -> list[list[str]]:
    """For each character, the suffix kinds that end there (``end``) or cover it (``in``)."""
    marks: list[list[str]] = [[] for _ in text]
    for end in range(1, len(text) + 1):
        for length in range(1, min(_MAX_SUFFIX, end) + 1):
            kinds = _SUFFIXES.get(text[end - length:end])
            if kinds:
                for kind in kinds:
                    marks[end - 1].append(f"sfx_end={kind}")
                    for i in range(end - length, end - 1):
                        marks[i].append(f"sfx_in={kind}")
    return marks


def _dictionary_marks(text: str, lexicon: Lexicon | None) -> list[str]:
    marks = [""] * len(text)
    if lexicon is None:
        return marks
    for start, end in lexicon.matches(text):
        size = "2" if end - start == 2 else "3"
        marks[start] = f"dic=B{size}"
        for i in range(start + 1, end):
            marks[i] = f"dic=I{size}"
    return marks


def sentence_features(text: str, words: list[Word], lexicon: Lexicon | None = None
                      ) -> list[list[str]]:
    """One feature list per character of ``text``."""
    n = len(text)
    lac = char_tags(words, n)
    suffixes = _suffix_marks(text)
    dictionary = _dictionary_marks(text, lexicon)
    padded = "^^" + text + "$$"
    feats: list[list[str]] = []
    for i in range(n):
        p = i + 2
        c, l1, l2, r1, r2 = padded[p], padded[p - 1], padded[p - 2], padded[p + 1], padded[p + 2]
        row = [
            "b", f"c={c}", f"l1={l1}", f"r1={r1}", f"l2={l2}", f"r2={r2}",
            f"l1c={l1}{c}", f"cr1={c}{r1}", f"l2l1={l2}{l1}", f"r1r2={r1}{r2}",
            f"l1r1={l1}{r1}", f"s={_shape(c)}{_shape(l1)}{_shape(r1)}",
            f"lac={lac[i]}", f"lacl={lac[i - 1] if i else '^'}",
            f"lacr={lac[i + 1] if i + 1 < n else '$'}", f"laccur={lac[i]}|{c}",
        ]
        row.extend(suffixes[i])
        if dictionary[i]:
            row.append(dictionary[i])
        feats.append(row)
    return feats
