"""Options shared by several commands, and the mapping from errors to exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import click

from gsomia_kg.errors import GsomiaError

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_PIPE_CLOSED = 141  # what a shell reports for a tool stopped by SIGPIPE (128 + 13)

corpus_option = click.option(
    "--corpus", "corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Corpus folder (holding corpus.yaml). Default: the shipped GSOMIA corpus.")
quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr but errors.")


class ByteSize(click.ParamType):
    """A size in bytes: a number, optionally with K, M or G (1024-based), e.g. ``1G``, ``512M``."""

    name = "SIZE"
    _UNITS: ClassVar[dict[str, int]] = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B").removesuffix("I")
        number, unit = (text[:-1], text[-1]) if text[-1:] in self._UNITS else (text, "")
        try:
            size = int(float(number) * self._UNITS[unit])
        except ValueError:
            self.fail(f"{value!r} is not a size (e.g. 1073741824, 1G, 512M)", param, ctx)
        if size <= 0:
            self.fail(f"{value!r}: the size must be positive", param, ctx)
        return size


max_input_option = click.option(
    "--max-input-size", "max_input", type=ByteSize(), default="1G", show_default=True,
    help="Refuse --data files larger than this (K, M, G are 1024-based): a guard against runaway input. "
         "Raise it for large exports (10,000 articles export to about 1.6 GB of N-Triples).")


def corpus_dir(corpus: Path | None) -> Path:
    from gsomia_kg.resources import default_corpus

    return corpus if corpus is not None else default_corpus()


def report_problems(error: GsomiaError) -> None:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    n = len(error.problems)
    if n > 1:
        click.echo(f"{n} problems found.", err=True)


def handle_errors(func: Callable) -> Callable:
    """Map ``GsomiaError`` to exit 2 with located messages; unexpected errors to exit 3 without a traceback; a
    reader that stops reading stdout (``| head``) to a quiet exit 141, as for Unix tools."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(EXIT_PIPE_CLOSED)
        except GsomiaError as exc:
            report_problems(exc)
            sys.exit(EXIT_BAD_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            ctx = click.get_current_context(silent=True)
            if ctx is not None and (ctx.find_root().obj or {}).get("debug"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback; "
                       "please report it)", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's own flush at exit does not fail on the closed pipe again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (e.g. a test runner's buffer)
        pass
