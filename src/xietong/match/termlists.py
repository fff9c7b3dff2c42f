"""Per-node term lists (names, profiles), kept as space-joined strings.

Terms never contain whitespace (they are jieba words or character n-grams of ``\\w``
runs), so one string per node holds a list in about a third of the memory of a list of
strings, is what tantivy indexes anyway, and saves to and loads from one UTF-8 file in
tens of milliseconds (a pickle of the lists took 0.6 s on ickg25).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path


class TermLists:
    def __init__(self, joined: list[str]) -> None:
        self._joined = joined

    @classmethod
    def of(cls, lists: Iterable[Sequence[str]]) -> TermLists:
        return cls([" ".join(terms) for terms in lists])

    def __len__(self) -> int:
        return len(self._joined)

    def __getitem__(self, node: int) -> list[str]:
        text = self._joined[node]
        return text.split(" ") if text else []

    def __setitem__(self, node: int, terms: Sequence[str]) -> None:
        self._joined[node] = " ".join(terms)

    def append(self, terms: Sequence[str]) -> None:
        self._joined.append(" ".join(terms))

    def joined(self, node: int) -> str:
        return self._joined[node]

    def save(self, path: Path) -> None:
        """One line per node after a first line with the count (so zero nodes and one
        node without terms differ)."""
        path.write_text("\n".join([str(len(self._joined)), *self._joined]), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> TermLists:
        count, _, body = path.read_text(encoding="utf-8").partition("\n")
        joined = body.split("\n") if int(count) else []
        if len(joined) != int(count):
            raise ValueError(f"{path}: {len(joined)} term lines, expected {count}")
        return cls(joined)
