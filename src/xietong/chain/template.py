"""Chain templates: YAML files describing an industry chain's segments and links.

A template is data a user can add (``xietong chain list --templates DIR``). Loading keeps
each YAML node's line so that a malformed file (a cycle, an unknown segment, a missing or
mistyped field) is reported as ``file:line: reason``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

STAGES = ("上游", "中游", "下游")
LAYERS = ("资源", "技术", "服务", "应用")
_SEGMENT_FIELDS = {"key", "name", "aliases", "stage", "layer", "description", "keywords",
                   "industries", "products", "feeds"}
_CHAIN_FIELDS = {"key", "name", "aliases", "description", "segments"}


class TemplateError(ValueError):
    """A malformed template; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Segment:
    key: str
    name: str
    position: str  # a stage (上游/中游/下游) or a layer (资源/技术/服务/应用)
    description: str
    keywords: tuple[str, ...]
    industries: tuple[str, ...]
    products: tuple[str, ...]
    feeds: tuple[str, ...]  # keys of the segments directly downstream
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class ChainTemplate:
    key: str
    name: str
    description: str
    segments: tuple[Segment, ...]
    aliases: tuple[str, ...] = ()
    path: str = ""
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({s.key: i for i, s in enumerate(self.segments)})

    def segment(self, key: str) -> Segment:
        return self.segments[self._index[key]]

    def index(self, key: str) -> int:
        return self._index[key]

    @property
    def links(self) -> list[tuple[int, int]]:
        """(upstream, downstream) segment index pairs."""
        return [(i, self._index[d]) for i, s in enumerate(self.segments) for d in s.feeds]

    def upstream_of(self, index: int) -> list[int]:
        return [u for u, d in self.links if d == index]

    def downstream_of(self, index: int) -> list[int]:
        return [self._index[d] for d in self.segments[index].feeds]

    def topological_order(self) -> list[int]:
        return _topological(len(self.segments), self.links)  # validated acyclic on load


# -- loading -------------------------------------------------------------------------------
class _Reader:
    """Typed access to a YAML node tree that reports errors with file and line."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: Node | None, reason: str) -> TemplateError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return TemplateError(f"{self.path}{line}: {reason}")

    def mapping(self, node: Node, what: str, allowed: set[str]) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what}：必须是 YAML 映射（key: value）")
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key not in allowed:
                raise self.fail(key_node, f"{what}：未知字段 {key!r}；"
                                          f"可用字段：{', '.join(sorted(allowed))}")
            if key in out:
                raise self.fail(key_node, f"{what}：字段 {key!r} 重复出现")
            out[key] = (key_node, value_node)
        return out

    def text(self, fields: dict[str, tuple[Node, Node]], key: str, what: str, parent: Node,
             required: bool = True) -> str:
        if key not in fields:
            if required:
                raise self.fail(parent, f"{what}：缺少必填字段 {key!r}")
            return ""
        _, node = fields[key]
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            raise self.fail(node, f"{what}：字段 {key!r} 必须是非空文本")
        return str(node.value).strip()

    def texts(self, fields: dict[str, tuple[Node, Node]], key: str, what: str) -> tuple[str, ...]:
        if key not in fields:
            return ()
        _, node = fields[key]
        if isinstance(node, ScalarNode) and node.value in ("", "~", "null"):
            return ()
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what}：字段 {key!r} 必须是列表")
        out: list[str] = []
        for item in node.value:
            if not isinstance(item, ScalarNode) or not str(item.value).strip():
                raise self.fail(item, f"{what}：{key!r} 的每一项都必须是非空文本")
            if str(item.value).strip() not in out:
                out.append(str(item.value).strip())
        return tuple(out)


def parse_template(text: str, path: str = "<template>") -> ChainTemplate:
    reader = _Reader(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise TemplateError(f"{path}{line}: 不是有效的 YAML：{getattr(exc, 'problem', exc)}") from None
    if root is None:
        raise TemplateError(f"{path}: 模板为空")
    fields = reader.mapping(root, "产业链", _CHAIN_FIELDS)
    key = reader.text(fields, "key", "产业链", root)
    name = reader.text(fields, "name", "产业链", root)
    if "segments" not in fields:
        raise reader.fail(root, "产业链：缺少必填字段 'segments'")
    seg_node = fields["segments"][1]
    if not isinstance(seg_node, SequenceNode) or not seg_node.value:
        raise reader.fail(seg_node, "产业链：字段 'segments' 必须是非空列表")

    segments: list[Segment] = []
    lines: dict[str, Node] = {}
    feed_nodes: list[tuple[str, Node]] = []
    for node in seg_node.value:
        what = "环节"
        f = reader.mapping(node, what, _SEGMENT_FIELDS)
        seg_key = reader.text(f, "key", what, node)
        what = f"环节 {seg_key!r}"
        if seg_key in lines:
            raise reader.fail(node, f"环节 key {seg_key!r} 重复使用"
                                    f"（首次出现在第 {lines[seg_key].start_mark.line + 1} 行）")
        lines[seg_key] = node
        stage = reader.text(f, "stage", what, node, required=False)
        layer = reader.text(f, "layer", what, node, required=False)
        if not stage and not layer:
            raise reader.fail(node, f"{what}：需要 'stage'（{'/'.join(STAGES)}）"
                                    f"或 'layer'（{'/'.join(LAYERS)}）")
        if stage and stage not in STAGES:
            raise reader.fail(f["stage"][1], f"{what}：stage {stage!r} 无效；"
                                             f"可选：{'/'.join(STAGES)}")
        if layer and layer not in LAYERS:
            raise reader.fail(f["layer"][1], f"{what}：layer {layer!r} 无效；"
                                             f"可选：{'/'.join(LAYERS)}")
        keywords = reader.texts(f, "keywords", what)
        industries = reader.texts(f, "industries", what)
        products = reader.texts(f, "products", what)
        if not (keywords or industries or products):
            raise reader.fail(node, f"{what}：没有 keywords、industries 或 products，"
                                    "无法把任何实体落位到该环节")
        feeds = reader.texts(f, "feeds", what)
        if "feeds" in f:
            feed_nodes.extend((seg_key, item) for item in f["feeds"][1].value
                              if isinstance(f["feeds"][1], SequenceNode))
        segments.append(Segment(
            key=seg_key, name=reader.text(f, "name", what, node), position=stage or layer,
            description=reader.text(f, "description", what, node, required=False),
            keywords=keywords, industries=industries, products=products, feeds=feeds,
            aliases=reader.texts(f, "aliases", what),
        ))

    for seg_key, item in feed_nodes:
        target = str(item.value).strip()
        if target not in lines:
            raise reader.fail(item, f"环节 {seg_key!r}：feeds 指向未知环节 {target!r}；"
                                    f"现有环节：{', '.join(lines)}")
        if target == seg_key:
            raise reader.fail(item, f"环节 {seg_key!r}：feeds 指向自身")
    template = ChainTemplate(key=key, name=name, segments=tuple(segments),
                             description=reader.text(fields, "description", "产业链", root,
                                                     required=False),
                             aliases=reader.texts(fields, "aliases", "产业链"), path=path)
    cycle = _find_cycle(len(segments), template.links)
    if cycle:
        names = " → ".join(segments[i].key for i in cycle)
        raise reader.fail(lines[segments[cycle[0]].key], f"环节之间的上下游关系成环：{names}")
    return template


def _topological(n: int, links: Iterable[tuple[int, int]]) -> list[int]:
    indegree = [0] * n
    out: list[list[int]] = [[] for _ in range(n)]
    for u, d in links:
        out[u].append(d)
        indegree[d] += 1
    ready = [i for i in range(n) if indegree[i] == 0]
    order: list[int] = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for d in out[node]:
            indegree[d] -= 1
            if indegree[d] == 0:
                ready.append(d)
    return order


def _find_cycle(n: int, links: list[tuple[int, int]]) -> list[int]:
    """One cycle as a closed list of node indexes (first == last), or []."""
    out: list[list[int]] = [[] for _ in range(n)]
    for u, d in links:
        out[u].append(d)
    state = [0] * n  # 0 new, 1 on the stack, 2 done
    stack: list[int] = []

    def visit(node: int) -> list[int]:
        state[node] = 1
        stack.append(node)
        for nxt in out[node]:
            if state[nxt] == 1:
                return stack[stack.index(nxt):] + [nxt]
            if state[nxt] == 0 and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for start in range(n):
        if state[start] == 0 and (found := visit(start)):
            return found
    return []


def load_template(path: str | os.PathLike[str]) -> ChainTemplate:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{file}: 不是 UTF-8 文本（{exc.reason}）") from None
    return parse_template(text, str(file))


def builtin_templates() -> list[ChainTemplate]:
    return list(_builtin_templates())


@lru_cache(maxsize=1)
def _builtin_templates() -> tuple[ChainTemplate, ...]:
    """Parsed once per process: templates are frozen, and YAML parsing with line numbers
    costs ~0.2 s."""
    folder = resources.files("xietong.chain").joinpath("templates")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            out.append(parse_template(entry.read_text(encoding="utf-8"),
                                      f"xietong:chain/templates/{entry.name}"))
    return tuple(out)


class TemplateSet:
    """The shipped templates plus any user template files or folders; keys must be unique."""

    def __init__(self, extra: Iterable[str | os.PathLike[str]] = ()) -> None:
        templates = builtin_templates()
        for item in extra:
            path = Path(item)
            files = sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
            if not path.exists():
                raise TemplateError(f"{path}: 模板文件或文件夹不存在")
            templates.extend(load_template(f) for f in files)
        self.templates: dict[str, ChainTemplate] = {}
        for t in templates:
            if t.key in self.templates:
                raise TemplateError(f"{t.path}: 产业链 key {t.key!r} 已在 "
                                    f"{self.templates[t.key].path} 中定义")
            self.templates[t.key] = t

    def __iter__(self) -> Iterator[ChainTemplate]:
        return iter(self.templates.values())

    def get(self, name: str) -> ChainTemplate:
        """A chain by key, name or alias; an unknown one lists the valid chains."""
        wanted = name.strip()
        for t in self.templates.values():
            if wanted in (t.key, t.name, *t.aliases):
                return t
        valid = ", ".join(f"{t.key} ({t.name})" for t in self.templates.values())
        raise LookupError(f"未知产业链 {name!r}；可选：{valid}")


def as_dict(template: ChainTemplate) -> dict[str, Any]:
    return {
        "key": template.key, "name": template.name, "aliases": list(template.aliases),
        "description": template.description,
        "segments": [{
            "key": s.key, "name": s.name, "position": s.position, "aliases": list(s.aliases),
            "description": s.description, "keywords": list(s.keywords),
            "industries": list(s.industries), "products": list(s.products),
            "feeds": list(s.feeds),
        } for s in template.segments],
    }
