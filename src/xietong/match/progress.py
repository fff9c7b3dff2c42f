"""Stages of a slow matcher build, reported as they happen (the CLI draws them).

Building the matcher for a large store takes tens of seconds to minutes, so the user is
told each stage as it starts — what it is, how many items it works through — and how far
it has got, from which the CLI derives its time estimate. The match package knows nothing
of terminals: it calls a :class:`Stages`; the default one says nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol


class Stages(Protocol):
    def stage(self, label: str, total: int | None = None, unit: str = ""
              ) -> AbstractContextManager[Callable[[int], None]]:
        """A context for one stage of ``total`` units (None: unknown); the callable it
        yields is given how many units were just done."""
        ...


class _Quiet:
    @contextmanager
    def stage(self, label: str, total: int | None = None, unit: str = ""
              ) -> Iterator[Callable[[int], None]]:
        yield lambda _done: None


QUIET: Stages = _Quiet()
