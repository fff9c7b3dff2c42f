"""What the built-in data-set importers share: locating files, hashing them, reading lines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from xietong.ingest.errors import InputError


def require_files(directory: Path, names: Sequence[str]) -> list[Path]:
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory")
    paths = [directory / name for name in names]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise InputError(f"{directory}: missing {', '.join(missing)}")
    return paths


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
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path.name}:{number}: not UTF-8 (byte {exc.start} of the line)"
                ) from None
            if line.strip():
                yield number, line


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in read_lines(path):
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path.name}:{number}: column {exc.colno}: {exc.msg}") from None
        if not isinstance(value, dict):
            raise InputError(f"{path.name}:{number}: expected a JSON object")
        yield number, value


def split_fields(path: Path, number: int, line: str, count: int, sep: str = "\t") -> list[str]:
    fields = line.split(sep)
    if len(fields) != count:
        raise InputError(
            f"{path.name}:{number}: expected {count} fields separated by {sep!r}, "
            f"found {len(fields)}"
        )
    return fields
