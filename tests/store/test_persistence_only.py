"""The store is plain persistence: the import's decisions live in resolve/ (issue 26)."""

from __future__ import annotations

import ast
from pathlib import Path

import xietong.store

UPPER_LAYERS = ("xietong.resolve", "xietong.ingest", "xietong.match", "xietong.chain",
                "xietong.policy", "xietong.extract", "xietong.api", "xietong.cli")
# pure text functions the store's name search shares with the resolver (no decisions)
SHARED_TEXT = "xietong.resolve.names"


def test_store_imports_no_upper_layer() -> None:
    offending = []
    for path in sorted(Path(xietong.store.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            offending += [f"{path.name}: {n}" for n in names
                          if n.startswith(UPPER_LAYERS) and n != SHARED_TEXT]
    assert offending == []
