"""The project's error type: every problem carries a location and, where possible, a fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input file."""

    path: str
    line: int | None
    column: int | None
    message: str
    hint: str = ""

    def location(self) -> str:
        """``path:line:column`` with the parts that are known."""
        loc = self.path
        if self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class GsomiaError(Exception):
    """Bad input or usage: one or more located problems. The CLI maps it to exit code 2."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("<input>", None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))
