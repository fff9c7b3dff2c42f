"""The store's product names, to read which products a demand's words name.

A span resolves to the products named exactly by it, to their variants (the same name
without a bracket or a dash suffix: 金针菇 ↔ 金针菇‐自产 ↔ 金针菇(外购)), and when it is
no product name itself, to the longest product names it contains (机器人关节用伺服电机 →
伺服电机; 谐波减速器和RV减速机 → 谐波减速器, RV减速机). Names come from the store, so this
works on any store with products, not only ChainKG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xietong.store.snapshot import GraphSnapshot

PRODUCT_TYPES = frozenset({"product"})
MAX_NAME = 24  # longer product names are sentences, never looked up inside a span
# A variant's suffix: "‐自产", "-外购", "（含税）", "(出口)"
_VARIANT = re.compile(r"\s*(?:[-‐‑–—－_].*|[（(][^）)]*[）)]?)$")


def base_name(name: str) -> str:
    """A product name without its variant suffix (金针菇‐自产 -> 金针菇)."""
    base = _VARIANT.sub("", name.strip())
    return base if len(base) >= 1 else name.strip()


_AND = re.compile(r"[和与及、/／]|以及|或者?")
MODIFIER = 0.3  # the weight of a name inside a span that is not its head, when none is


@dataclass(slots=True)
class Resolved:
    named: list[int]  # products the span names (or the longest names inside it), best first
    how: str  # "exact", "variant", "inside" or "none"
    # per named product: the share of the span its name covers, × MODIFIER when it is not
    # the span's head (a Chinese noun phrase ends with its head: 机器人 in 机器人减速器 is
    # not; a modifier is named only when no name ends the span)
    cover: list[float] = field(default_factory=list)


class ProductNames:
    """Product nodes by name and by base name; rebuilt when the graph gains nodes."""

    def __init__(self, snap: GraphSnapshot) -> None:
        self.size = snap.node_count
        self.by_base: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        for node, (name, kind) in enumerate(zip(snap.names, snap.types)):
            if kind in PRODUCT_TYPES:
                self.add(node, name)

    def add(self, node: int, name: str) -> None:
        self.by_name.setdefault(name.strip(), []).append(node)
        self.by_base.setdefault(base_name(name), []).append(node)

    def variants(self, name: str) -> list[int]:
        """Every product sharing ``name``'s base name (itself included)."""
        return list(self.by_base.get(base_name(name), []))

    def resolve(self, span: str | None, inside: bool = True) -> Resolved:
        """The products ``span`` names; with ``inside``, the names inside it when it names
        none itself."""
        if not span:
            return Resolved([], "none")
        span = span.strip()
        if span in self.by_name:
            exact = self.by_name[span]
            named = exact + [n for n in self.variants(span) if n not in exact]
            return Resolved(named, "exact", [1.0] * len(named))
        if base_name(span) in self.by_base:
            named = self.variants(span)
            return Resolved(named, "variant", [1.0] * len(named))
        if not inside:
            return Resolved([], "none")
        nodes: list[int] = []
        cover: list[float] = []
        for part in (p.strip() for p in _AND.split(span)):
            for node, share in self._inside(part, len(span)):
                if node not in nodes:
                    nodes.append(node)
                    cover.append(share)
        order = sorted(range(len(nodes)), key=lambda i: -cover[i])
        return Resolved([nodes[i] for i in order], "inside" if nodes else "none",
                        [cover[i] for i in order])

    def _inside(self, part: str, size: int) -> list[tuple[int, float]]:
        """The longest product names inside ``part``, each with its cover."""
        if part in self.by_base:
            return [(n, len(part) / size) for n in self.by_base[part]]
        found: list[tuple[int, int, str]] = []  # (start, end, name) of names inside
        for start in range(len(part)):
            for end in range(min(len(part), start + MAX_NAME), start + 1, -1):
                piece = part[start:end]
                if piece in self.by_base:
                    found.append((start, end, piece))
                    break  # the longest name starting here
        kept = [f for f in found
                if not any(o != f and o[0] <= f[0] and f[1] <= o[1] for o in found)]
        # the head when there is one: 人形机器人谐波减速器 seeks 减速器, not 机器人
        kept = [f for f in kept if f[1] == len(part)] or kept
        out = []
        for _start, end, piece in kept:
            share = (end - _start) / size * (1.0 if end == len(part) else MODIFIER)
            out += [(n, share) for n in self.by_base[piece]]
        return out
