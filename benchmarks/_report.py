"""Writing a benchmark's results into its own section of docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# evaluation-only helpers (xietong_eval) live beside the shipped package, not inside it
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "evaluation"))

_HEAD = "# Benchmarks\n\nEach section is rewritten by the benchmark named in it.\n"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; {dt.date.today().isoformat()}")


def write_section(name: str, markdown: str) -> None:
    """Replace (or append) the section between this benchmark's markers."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else _HEAD
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text}\n{block}\n"
    DOC.write_text(text, encoding="utf-8")
