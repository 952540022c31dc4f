"""Packaging: the wheel ships the package data, and the CLI starts without heavy imports."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from support import ROOT


@pytest.mark.slow
def test_wheel_contains_package_data(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path),
                           str(ROOT)], capture_output=True, timeout=600)
    if proc.returncode != 0:  # no hatchling in this environment: build in isolation (needs the package index)
        proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(ROOT)],
                              capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    (wheel,) = tmp_path.glob("gsomia_kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"gsomia_kg/cli.py", "gsomia_kg/graph.py", "gsomia_kg/data/ontology/gsomia.ttl",
                "gsomia_kg/data/corpus/corpus.yaml", "gsomia_kg/data/corpus/entities.yaml"}
    expected |= {f"gsomia_kg/data/corpus/documents/{p.name}" for p in (ROOT / "corpus" / "documents").iterdir()}
    expected |= {f"gsomia_kg/data/corpus/mappings/{p.name}" for p in (ROOT / "corpus" / "mappings").iterdir()}
    expected |= {f"gsomia_kg/data/shapes/{p.name}" for p in (ROOT / "shapes").glob("*.ttl")}
    expected |= {f"gsomia_kg/queries/{p.name}" for p in (ROOT / "src" / "gsomia_kg" / "queries").glob("*.rq")}
    assert expected <= names, sorted(expected - names)
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_finds_its_data(tmp_path):
    """Build and install the wheel into a fresh venv, then build the shipped corpus from the installed copy."""
    dist = tmp_path / "dist"
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
                           str(ROOT)], capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    # Install the wheel alone into a folder that shadows the editable install; dependencies come from this env.
    target = tmp_path / "site"
    (wheel,) = dist.glob("*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", "import gsomia_kg.resources as r; print(r.default_corpus())"],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert out.stdout.strip() == str(target / "gsomia_kg" / "data" / "corpus"), out.stdout + out.stderr
    run = subprocess.run([sys.executable, "-m", "gsomia_kg", "build", "-q"], capture_output=True, cwd=tmp_path,
                         env=env, timeout=300)
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    assert run.stdout.startswith(b"@prefix")


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["build", "--help"]])
def test_help_and_version_do_not_import_rdflib_or_pyshacl(args):
    code = ("import sys; from gsomia_kg.cli import main\n"
            f"sys.argv = ['gsomia-kg', *{args!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl', 'pyoxigraph', 'pyld'))\n"
            "print('HEAVY', heavy)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in proc.stdout, proc.stdout + proc.stderr


def test_version_matches_package():
    from gsomia_kg import __version__

    proc = subprocess.run([sys.executable, "-m", "gsomia_kg", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == f"gsomia-kg, version {__version__}"
