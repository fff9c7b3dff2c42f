"""Problems found in input files, each tied to a file, row and column.

Two kinds: an ``InputError`` means the file cannot be read at all (it stops the
import); an ``Issue`` is one bad cell or row, collected in a ``ValidationReport`` so
the analyst sees every problem in one pass instead of fixing them one run at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

_MAX_VALUE_CHARS = 40  # long cells (descriptions) are cut so each issue stays one line


class InputError(Exception):
    """A file that cannot be read at all; the message is one line naming file and place."""


@dataclass(frozen=True, slots=True)
class Issue:
    file: str
    row: int | None  # the row/line number the user sees in their editor
    column: str | None
    value: str | None
    reason: str
    severity: Severity = "error"

    def render(self, tagged: bool = True) -> str:
        """One line: file:row: 列 …: 值 … — reason; a warning's reason tagged 警告 unless the
        caller shows the tag its own way (the CLI's coloured one)."""
        place = f"{self.file}:{self.row}" if self.row is not None else self.file
        parts = [place]
        if self.column is not None:
            parts.append(f"列 {self.column}")
        if self.value is not None:
            parts.append(f"值 {_shorten(self.value)!r}")
        prefix = ": ".join(parts)
        tag = "警告: " if tagged and self.severity == "warning" else ""
        return f"{prefix} — {tag}{self.reason}"


def _shorten(value: str) -> str:
    value = value.replace("\n", "⏎")
    if len(value) <= _MAX_VALUE_CHARS:
        return value
    return value[: _MAX_VALUE_CHARS - 1] + "…"


@dataclass(slots=True)
class ValidationReport:
    issues: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        self.issues.append(issue)

    def error(self, file: str, row: int | None, column: str | None, value: str | None,
              reason: str) -> None:
        self.issues.append(Issue(file, row, column, value, reason, "error"))

    def warning(self, file: str, row: int | None, column: str | None, value: str | None,
                reason: str) -> None:
        self.issues.append(Issue(file, row, column, value, reason, "warning"))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    def render_text(self) -> str:
        return "\n".join(i.render() for i in self.issues)


class MappingError(InputError):
    """A mapping file that is itself invalid; carries every problem found in it."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.render_text())
        self.report = report
