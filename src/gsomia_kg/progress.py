"""Progress of long work on stderr: shown only on a terminal, never with ``--quiet`` or in piped output.

Library code reports progress without knowing who listens::

    with progress.stage("reading mapping files", total=len(paths)) as step:
        for path in paths:
            ...
            step.advance()

and costs next to nothing unless a command has switched reporting on::

    with progress.reporting(enabled=not quiet):
        result = compile_corpus(path)

A stage redraws one status line (``reading mapping files  4,210/10,000  42%  3.1 s``) at most every
``interval`` seconds, and ends it with the stage's total time. Nothing is drawn for stages that finish quickly.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from typing import TextIO, TypeVar

T = TypeVar("T")

_reporter: _Reporter | None = None


class _Reporter:
    def __init__(self, stream: TextIO, interval: float, delay: float):
        self.stream, self.interval, self.delay = stream, interval, delay


class Stage:
    """One piece of long work; ``advance()`` as it goes. A no-op unless reporting is on."""

    def __init__(self, name: str, total: int | None, reporter: _Reporter | None):
        self.name, self.total, self.done = name, total, 0
        self.reporter = reporter
        self.started = time.monotonic()
        self.next_draw = self.started + (reporter.delay if reporter else 0.0)
        self.drawn = False

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.reporter is not None and time.monotonic() >= self.next_draw:
            self._draw()

    def _draw(self, final: bool = False) -> None:
        r = self.reporter
        assert r is not None
        now = time.monotonic()
        if self.total is None:
            count = f"  {self.done:,}" if self.done else ""
        else:
            count = f"  {self.done:,}/{self.total:,}" + (f"  {100 * self.done // self.total:3d}%" if self.total else "")
        line = f"{self.name}{count}  {now - self.started:.1f} s"
        try:
            r.stream.write("\r\x1b[2K" + line + ("\n" if final else ""))
            r.stream.flush()
        except (OSError, ValueError):  # a closed terminal must not break the work
            pass
        self.drawn = True
        self.next_draw = now + r.interval

    def close(self) -> None:
        """End the stage: its final line if it was drawn or took longer than the reporter's delay."""
        r = self.reporter
        if r is not None and (self.drawn or time.monotonic() - self.started >= r.delay):
            self._draw(final=True)


class _Silent(Stage):
    def __init__(self) -> None:
        super().__init__("", None, None)

    def advance(self, n: int = 1) -> None:
        pass


def wanted(stream: TextIO | None = None) -> bool:
    """Whether ``stream`` (default stderr) is an interactive terminal that progress lines can be drawn on."""
    stream = stream if stream is not None else sys.stderr
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def reporting(enabled: bool = True, stream: TextIO | None = None, *, interval: float = 0.25,
              delay: float = 0.5, force: bool = False) -> Iterator[None]:
    """Show the progress of the stages run inside the block on ``stream`` (default stderr).

    Off when ``enabled`` is false (``--quiet``) or the stream is not a terminal, unless ``force`` (for tests).
    A stage draws its first line only after ``delay`` seconds, so quick commands print nothing extra.
    """
    global _reporter
    stream = stream if stream is not None else sys.stderr
    previous = _reporter
    _reporter = _Reporter(stream, interval, delay) if enabled and (force or wanted(stream)) else None
    try:
        yield
    finally:
        _reporter = previous


@contextlib.contextmanager
def stage(name: str, total: int | None = None) -> Iterator[Stage]:
    """A stage of long work reported while reporting is on (see ``reporting``)."""
    current = Stage(name, total, _reporter) if _reporter is not None else _SILENT
    try:
        yield current
    finally:
        if current is not _SILENT:
            current.close()


def iterate(items: Sequence[T], name: str) -> Iterator[T]:
    """``items`` one by one, reported as a stage: ``for path in progress.iterate(paths, "reading files")``."""
    with stage(name, len(items)) as step:
        for item in items:
            yield item
            step.advance()


def active() -> bool:
    """Whether progress is being shown (lets callers skip work done only for the display)."""
    return _reporter is not None


_SILENT = _Silent()
