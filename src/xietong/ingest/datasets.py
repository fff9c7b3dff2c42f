"""What the built-in data-set importers share: locating files, hashing them, reading lines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from xietong.ingest.errors import InputError
from xietong.ingest.readers import json_problem, json_type_name


def require_files(directory: Path, names: Sequence[str]) -> list[Path]:
    if not directory.is_dir():
        raise InputError(f"{directory}: 不是文件夹")
    paths = [directory / name for name in names]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise InputError(f"{directory}: 缺少文件 {'、'.join(missing)}")
    return paths


def size_of(paths: Sequence[Path]) -> int:
    """The files' total size in bytes."""
    return sum(path.stat().st_size for path in paths)


def sha256_of(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-empty line, decoded as UTF-8 with a clear error."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            line = _decoded(path, number, raw)
            if line.strip():
                yield number, line


def _decoded(path: Path, number: int, raw: bytes) -> str:
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path.name}:{number}: 不是 UTF-8 编码（该行偏移 {exc.start} 处的字节无效）"
        ) from None


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-empty line. orjson parses the bytes as they are
    (4× faster than decoding and json.loads: 0.19 against 0.81 s on ChainKG); a line it
    refuses is read again the slow way, which names the problem in the message users know
    and accepts what json accepts (NaN, huge integers)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError:
                line = _decoded(path, number, raw)
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path.name}:{number}: 第 {exc.colno} 个字符处 JSON 格式错误："
                                     f"{json_problem(exc)}") from None
            if not isinstance(value, dict):
                raise InputError(f"{path.name}:{number}: 应为 JSON 对象，而不是"
                                 f"{json_type_name(value)}")
            yield number, value


def split_fields(path: Path, number: int, line: str, count: int, sep: str = "\t") -> list[str]:
    fields = line.split(sep)
    if len(fields) != count:
        raise InputError(
            f"{path.name}:{number}: 应有 {count} 个以 {sep!r} 分隔的字段，实际有 {len(fields)} 个"
        )
    return fields
