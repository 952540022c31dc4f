"""Progress lines: drawn on a terminal only, never with --quiet, never in piped output."""

from __future__ import annotations

import io

from click.testing import CliRunner

from gsomia_kg import progress
from gsomia_kg.cli import cli
from gsomia_kg.graph import compile_corpus
from support import TINY


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_stage_draws_counts_and_a_final_line():
    term = Terminal()
    with progress.reporting(stream=term, interval=0, delay=0), progress.stage("reading", total=4) as step:
        for _ in range(4):
            step.advance()
    out = term.getvalue()
    assert "reading  1/4   25%" in out
    last = out.rsplit("\r\x1b[2K", 1)[1]
    assert last.startswith("reading  4/4  100%  ") and last.endswith(" s\n")


def test_iterate_reports_every_item_and_yields_them_all():
    term = Terminal()
    with progress.reporting(stream=term, interval=0, delay=0):
        items = list(progress.iterate(["a", "b", "c"], "files"))
    assert items == ["a", "b", "c"]
    assert "files  3/3  100%" in term.getvalue()


def test_nothing_on_a_pipe_or_when_quiet():
    pipe = io.StringIO()  # not a terminal
    with progress.reporting(stream=pipe, interval=0, delay=0), progress.stage("reading", total=2) as step:
        assert not progress.active()
        step.advance(2)
    assert pipe.getvalue() == ""
    term = Terminal()
    with progress.reporting(enabled=False, stream=term, interval=0, delay=0), progress.stage("reading", 2) as step:
        step.advance(2)
    assert term.getvalue() == ""


def test_quick_stages_stay_silent():
    term = Terminal()
    with progress.reporting(stream=term, interval=0, delay=60), progress.stage("quick", total=1) as step:
        step.advance()
    assert term.getvalue() == ""


def test_reporting_is_restored_after_the_block():
    with progress.reporting(stream=Terminal()):
        assert progress.active()
    assert not progress.active()


def test_compile_reports_its_stages_on_a_terminal():
    term = Terminal()
    with progress.reporting(stream=term, interval=0, delay=0):
        compile_corpus(TINY)
    out = term.getvalue()
    for name in ("reading mapping files", "checking evidence, making triples", "sorting triples"):
        assert name in out


def test_build_draws_progress_on_stderr_only(monkeypatch):
    plain = CliRunner().invoke(cli, ["build", "--corpus", str(TINY), "-q"])
    assert plain.exit_code == 0
    assert plain.stderr_bytes == b""  # CliRunner's stderr is not a terminal: no progress
    real = progress.reporting
    monkeypatch.setattr(progress, "wanted", lambda stream=None: True)  # pretend stderr is a terminal
    monkeypatch.setattr(progress, "reporting",
                        lambda enabled=True, stream=None, **_: real(enabled, stream, interval=0, delay=0))
    shown = CliRunner().invoke(cli, ["build", "--corpus", str(TINY)])
    assert shown.exit_code == 0
    assert b"reading mapping files" in shown.stderr_bytes and b"writing Turtle" in shown.stderr_bytes
    assert shown.stdout_bytes == plain.stdout_bytes
    quiet = CliRunner().invoke(cli, ["build", "--corpus", str(TINY), "-q"])
    assert quiet.stderr_bytes == b""
