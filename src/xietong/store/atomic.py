"""Files that appear whole or not at all: written beside the target, synced, then renamed
onto it. A killed or failed export leaves the target as it was (a ``.part`` file at most)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_paths(*targets: Path) -> Iterator[list[Path]]:
    """Temporary paths in each target's folder (so the rename stays on one file system);
    on success each is synced and renamed onto its target, on error removed."""
    temps: list[Path] = []
    try:
        for target in targets:
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                            suffix=".part")
            os.close(handle)
            temps.append(Path(name))
        yield temps
        for temp, target in zip(temps, targets, strict=True):
            _sync(temp, _mode(target))
        for temp, target in zip(temps, targets, strict=True):
            os.replace(temp, target)
        for folder in {target.parent for target in targets}:
            _sync_folder(folder)
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)


def _mode(target: Path) -> int:
    """The target's permissions if it exists, else what a plain open() would give
    (mkstemp makes files readable by their owner only)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync(path: Path, mode: int) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fchmod(fd, mode)
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Makes the rename itself durable; not every system can open a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
