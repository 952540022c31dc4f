"""``gsomia-kg export``: formats from extensions, ``--check``, usage errors, and safe writing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from gsomia_kg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny"
OX_FORMAT = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
             ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML}


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("extension", sorted(OX_FORMAT))
def test_format_follows_the_output_extension(tmp_path, extension):
    out = tmp_path / f"kg{extension}"
    run = invoke("export", "--corpus", str(TINY), "-o", str(out))
    assert run.exit_code == 0, run.output
    quads = list(ox.parse(out.read_bytes(), format=OX_FORMAT[extension]))
    assert len(quads) > 300
    named = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert len(named) == (3 if extension in (".nq", ".trig") else 0)  # description, facts, one source
    assert "exported" in run.stderr and str(out) in run.stderr


def test_default_is_turtle_on_stdout_and_explicit_format_wins():
    run = invoke("export", "--corpus", str(TINY), "-q")
    assert run.exit_code == 0 and run.stderr == ""
    assert run.stdout_bytes.startswith(b"@prefix ")
    run = invoke("export", "--corpus", str(TINY), "-q", "--format", "nt")
    assert run.stdout_bytes.startswith(b"<https://example.org/tiny/")


def _copy(tmp_path: Path) -> Path:
    corpus = tmp_path / "tiny"
    shutil.copytree(TINY, corpus)
    return corpus


def test_check_passes_on_a_fresh_export_and_fails_after_one_changed_fact(tmp_path):
    corpus = _copy(tmp_path)
    published = tmp_path / "kg.nq"
    assert invoke("export", "--corpus", str(corpus), "-o", str(published), "-q").exit_code == 0
    before = published.read_bytes()
    run = invoke("export", "--corpus", str(corpus), "--check", str(published))
    assert run.exit_code == 0 and "up to date" in run.stderr
    mapping = corpus / "mappings" / "accord.yaml"
    mapping.write_text(mapping.read_text(encoding="utf-8").replace('value: "12"', 'value: "13"'), encoding="utf-8")
    run = invoke("export", "--corpus", str(corpus), "--check", str(published))
    assert run.exit_code == 1
    assert "differs" in run.stderr and "--- " in run.stderr and "+++ export now" in run.stderr
    assert any(line.startswith("+") and '"13"' in line for line in run.stderr.splitlines())
    assert any(line.startswith("-") and '"12"' in line for line in run.stderr.splitlines())
    assert len(run.stderr.splitlines()) <= 45  # a short diff
    assert published.read_bytes() == before  # --check writes nothing


def test_check_of_a_missing_file_is_bad_input(tmp_path):
    run = invoke("export", "--corpus", str(TINY), "--check", str(tmp_path / "missing.ttl"))
    assert run.exit_code == 2 and "cannot read" in run.stderr


@pytest.mark.parametrize("args, message", [
    (["--frame", "agreement"], "JSON-LD only"),
    (["-f", "ttl", "--context-file", "ctx.jsonld"], "JSON-LD only"),
    (["-o", "a.ttl", "--check", "b.ttl"], "not both"),
    (["-o", "kg.unknown"], "cannot tell the format"),
    (["--base", "https://example.org/no-slash"], "ending in '/'"),
    (["-f", "yaml"], "Invalid value"),
])
def test_usage_errors_exit_2(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)  # relative output paths land here: nothing may be written
    run = CliRunner().invoke(cli, ["export", "--corpus", str(TINY), *args])
    assert run.exit_code == 2
    assert message in run.output + run.stderr
    assert not any(tmp_path.iterdir())


def test_failed_serialization_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    out = tmp_path / "kg.ttl"
    out.write_bytes(b"the published export\n")

    from gsomia_kg import serialize

    real = serialize._turtle_blocks

    def broken(*args, **kwargs):  # the output is written as it is made: crash once some of it is on disk
        for i, block in enumerate(real(*args, **kwargs)):
            yield block
            if i == 3:
                raise RuntimeError("serializer crashed half way")

    monkeypatch.setattr(serialize, "_turtle_blocks", broken)
    monkeypatch.setattr(serialize.turtle_chunks, "__defaults__", (1,))  # a chunk per subject block
    run = CliRunner().invoke(cli, ["export", "--corpus", str(TINY), "-o", str(out)])
    assert run.exit_code == 3 and "serializer crashed" in run.stderr
    assert out.read_bytes() == b"the published export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch):
    out = tmp_path / "kg.trig"
    out.write_bytes(b"the published export\n")

    def no_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("gsomia_kg.atomic.os.replace", no_rename)
    run = CliRunner().invoke(cli, ["export", "--corpus", str(TINY), "-o", str(out)])
    assert run.exit_code == 2 and "No space left" in run.stderr
    assert out.read_bytes() == b"the published export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.trig"]


def test_help_of_export_and_load_imports_no_rdf_library():
    code = ("import sys\nfrom click.testing import CliRunner\nfrom gsomia_kg.cli import cli\n"
            "for c in ('export', 'load'):\n    assert CliRunner().invoke(cli, [c, '--help']).exit_code == 0\n"
            "print(sorted(m for m in ('rdflib', 'pyshacl', 'pyoxigraph', 'pyld') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("command", [["export", "-f", "nt"], ["build"]])
def test_a_reader_that_stops_reading_ends_the_command_quietly(command):
    """``gsomia-kg export | head``: the closed pipe is not an internal error (exit 141, as SIGPIPE, no message)."""
    proc = subprocess.Popen([sys.executable, "-m", "gsomia_kg", *command, "--corpus", str(TINY), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdout.close()  # before the command has compiled anything: its first write meets a closed pipe
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 141, err.decode()
    assert err == b""
