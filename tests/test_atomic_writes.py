"""Nothing lost: a write that fails half way (a crash, an interrupt, a full disk) leaves the previous file intact
and no temp file behind, for ``write_atomic`` and for every command that writes with -o."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gsomia_kg.atomic import write_atomic
from gsomia_kg.cli import cli
from gsomia_kg.errors import GsomiaError
from support import ROOT, TINY

PREVIOUS = b"@prefix previous: <https://example.org/previous#> .\n" * 1000  # 52 KB: bigger than the size limit used
QUERY = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"

# every command that writes a file with -o; the extension picks the format
WRITERS = {
    "build": ["build", "--corpus", str(TINY), "-o"],
    "export": ["export", "--corpus", str(TINY), "-f", "nt", "-o"],
    "query": ["query", QUERY, "--corpus", str(TINY), "--no-cache", "--format", "csv", "-o"],
}


def _previous(folder: Path, name: str = "out.dat") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / name
    out.write_bytes(PREVIOUS)
    os.chmod(out, 0o640)
    return out


def _intact(out: Path) -> None:
    assert out.read_bytes() == PREVIOUS
    assert [p.name for p in out.parent.iterdir()] == [out.name], "a temp file was left behind"


# ---- the writer itself ------------------------------------------------------------------------------------------

def test_write_replaces_and_keeps_permissions(tmp_path):
    out = _previous(tmp_path)
    write_atomic(out, b"new")
    assert out.read_bytes() == b"new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.ttl"
    write_atomic(fresh, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "interrupt"])
def test_failure_during_write_keeps_the_previous_file(tmp_path, monkeypatch, failure):
    out = _previous(tmp_path)
    written = []

    def fail_after_writing(fd):
        written.append(os.fstat(fd).st_size)  # the temp file really holds the new bytes when we fail
        raise failure

    monkeypatch.setattr(os, "fsync", fail_after_writing)
    with pytest.raises(GsomiaError if isinstance(failure, OSError) else KeyboardInterrupt) as info:
        write_atomic(out, b"new contents")
    assert written == [len(b"new contents")]
    if isinstance(failure, OSError):
        assert str(info.value) == (f"{out}: cannot write: No space left on device "
                                   "(the previous file, if any, is unchanged)")
    _intact(out)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(GsomiaError, match=r"cannot write: No such file or directory \(check that the folder exists"):
        write_atomic(tmp_path / "no" / "such" / "out.ttl", b"x")
    assert list(tmp_path.iterdir()) == []


def test_a_symlink_is_followed_not_replaced(tmp_path):
    target = _previous(tmp_path / "real", "v1.ttl")
    link = tmp_path / "latest.ttl"
    link.symlink_to(target)
    write_atomic(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["v1.ttl"]


# ---- every command that writes with -o --------------------------------------------------------------------------

def _invoke(args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_writers_replace_the_previous_file(tmp_path, command, monkeypatch):
    monkeypatch.setenv("GSOMIA_KG_CACHE_DIR", str(tmp_path / "cache"))
    out = _previous(tmp_path / "out")
    run = _invoke([*WRITERS[command], str(out)])
    assert run.exit_code == 0, run.output
    assert out.read_bytes() != PREVIOUS and len(out.read_bytes()) > 100
    assert [p.name for p in out.parent.iterdir()] == [out.name]


SERIALIZERS = {"build": "gsomia_kg.serialize.turtle_chunks", "export": "gsomia_kg.compiled.encoded",
               "query": "gsomia_kg.results.write"}


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_crash_in_serialization_leaves_the_previous_file(tmp_path, command, monkeypatch):
    monkeypatch.setenv("GSOMIA_KG_CACHE_DIR", str(tmp_path / "cache"))
    out = _previous(tmp_path / "out")

    def crash(*args, **kwargs):
        raise RuntimeError("serializer crashed half way")

    monkeypatch.setattr(SERIALIZERS[command], crash)
    run = CliRunner().invoke(cli, [*WRITERS[command], str(out)])
    assert run.exit_code == 3, run.output
    assert "internal error: RuntimeError: serializer crashed half way" in run.stderr
    _intact(out)


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_disk_full_during_write_leaves_the_previous_file(tmp_path, command, monkeypatch):
    monkeypatch.setenv("GSOMIA_KG_CACHE_DIR", str(tmp_path / "cache"))
    out = _previous(tmp_path / "out")

    def no_space(fd):  # called once the temp file holds every byte: the last moment before the rename
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    run = CliRunner().invoke(cli, [*WRITERS[command], str(out)])
    assert run.exit_code == 2, run.output
    assert f"error: {out}: cannot write: No space left on device (the previous file, if any, is unchanged)" \
        in run.stderr
    _intact(out)


_LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit fails with EFBIG instead of killing us
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from gsomia_kg.cli import main
sys.argv = ["gsomia-kg", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize("command", ["build", "export"])
def test_real_file_size_limit_leaves_the_previous_file(tmp_path, command):
    """A real failing write(2): RLIMIT_FSIZE below the output size, in a subprocess."""
    out = _previous(tmp_path / "out")
    env = {**os.environ, "GSOMIA_KG_CACHE_DIR": str(tmp_path / "cache"), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, "-c", _LIMITED, "4096", *WRITERS[command], str(out)],
                          capture_output=True, cwd=ROOT, env=env, timeout=300)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert f"error: {out}: cannot write: File too large (the previous file, if any, is unchanged)" in err
    assert "Traceback" not in err
    _intact(out)
    # the same command without the limit succeeds, so the limit (not something else) made it fail
    ok = subprocess.run([sys.executable, "-c", _LIMITED, str(10**9), *WRITERS[command], str(out)],
                        capture_output=True, cwd=ROOT, env=env, timeout=300)
    assert ok.returncode == 0, ok.stderr.decode()
    assert len(out.read_bytes()) > 4096 and [p.name for p in out.parent.iterdir()] == [out.name]
