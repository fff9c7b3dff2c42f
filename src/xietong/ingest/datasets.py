"""What the built-in data-set importers share: locating files, hashing them, reading lines."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from xietong.ingest.errors import InputError
from xietong.ingest.readers import json_object, utf8_line


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
    """A data set's identity: its files' names and contents."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        _hash_content(digest, path)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """One file's identity: its content only (the same content under another name is the
    same source)."""
    digest = hashlib.sha256()
    _hash_content(digest, path)
    return digest.hexdigest()


def _hash_content(digest: hashlib._Hash, path: Path) -> None:
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)


def _raw_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each line, less the UTF-8 byte-order mark that Windows
    Notepad writes before the first."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            yield number, raw.removeprefix(codecs.BOM_UTF8) if number == 1 else raw


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-empty line, decoded as UTF-8 with a clear error."""
    for number, raw in _raw_lines(path):
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            utf8_line(path.name, number, raw)  # raises, naming the line and byte
            raise
        if line.strip():
            yield number, line


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-empty line (see ``readers.json_object``)."""
    where = path.name
    for number, raw in _raw_lines(path):
        value = json_object(where, number, raw)
        if value is not None:
            yield number, value


def split_fields(path: Path, number: int, line: str, count: int, sep: str = "\t") -> list[str]:
    fields = line.split(sep)
    if len(fields) != count:
        raise InputError(
            f"{path.name}:{number}: 应有 {count} 个以 {sep!r} 分隔的字段，实际有 {len(fields)} 个"
        )
    return fields
