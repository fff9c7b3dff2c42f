"""Crash reports: an unexpected exception becomes one line for the user and a file with the
full traceback for whoever fixes it.

The report goes to $XIETONG_ERROR_DIR, else $XDG_STATE_HOME/xietong/errors (by default
~/.local/state/xietong/errors), else the system temp directory when those cannot be written.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

# the modules only a crash needs are imported by it: every command starts a new process
ERROR_DIR_ENV = "XIETONG_ERROR_DIR"
# a PostgreSQL URL's password has no place in a report someone may attach to an issue
_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")


def report_dirs() -> list[Path]:
    """Where reports go, in order of preference."""
    import tempfile

    dirs: list[Path] = []
    if os.environ.get(ERROR_DIR_ENV):
        dirs.append(Path(os.environ[ERROR_DIR_ENV]).expanduser())
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    dirs.append(Path(state).expanduser() / "xietong" / "errors")
    dirs.append(Path(tempfile.gettempdir()) / "xietong-errors")
    return dirs


def command_name(argv: list[str]) -> str:
    """The subcommand as typed (``show``, ``chain simulate``): the leading words that are
    not options."""
    words: list[str] = []
    for arg in argv[1:]:
        if arg.startswith("-") or len(words) == 2:
            break
        words.append(arg)
        if arg != "chain":  # the one command group
            break
    return " ".join(words) or "xietong"


def summary(exc: BaseException, width: int = 160) -> str:
    """The exception as one short line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = f"{type(exc).__name__}: {text}"
    return text if len(text) <= width else text[: width - 1] + "…"


def write_report(exc: BaseException, argv: list[str]) -> Path | None:
    """Write the traceback and what ran; the file's path, or None when no place took it."""
    import platform
    import traceback
    from datetime import datetime, timezone

    from xietong import __version__

    now = datetime.now(timezone.utc)
    command = _PASSWORD.sub(r"\1***@", " ".join(argv))
    body = "".join([
        f"time: {now.isoformat(timespec='seconds')}\n",
        f"xietong: {__version__}\n",
        f"python: {sys.version.split()[0]} on {platform.platform()}\n",
        f"command: {command}\n\n",
        *traceback.format_exception(exc),
    ])
    name = f"xietong-{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    for folder in report_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(body, encoding="utf-8")
            return path
        except OSError:
            continue
    return None
