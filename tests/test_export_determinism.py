"""Deterministic bytes: golden exports of the tiny corpus, identical across hash seeds, stable under small edits.

Regenerate the golden files after an intended change with
``GSOMIA_UPDATE_GOLDEN=1 python -m pytest tests/test_export_determinism.py`` and review the diff.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gsomia_kg.export import FORMATS, compile_with_meta, export

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny"
PAIR = ROOT / "tests" / "fixtures" / "export" / "pair"
QUERIES = ROOT / "tests" / "fixtures" / "export" / "queries"
GOLDEN = ROOT / "tests" / "golden"
# golden file name -> (format, frame)
GOLDENS = {f"tiny{f.extension}": (f.name, None) for f in FORMATS.values()} | {"tiny.agreement.jsonld": ("jsonld",
                                                                                                       "agreement")}

_WRITE_ALL = """
import sys
from pathlib import Path
from gsomia_kg.export import FORMATS, compile_with_meta, export
corpus, queries, out = (Path(a) for a in sys.argv[1:4])
result, meta = compile_with_meta(corpus)
for f in FORMATS.values():
    data = export(result, f.name, meta=meta, with_ontology=True, queries_dir=queries)
    (out / ("all" + f.extension)).write_bytes(data)
(out / "framed.jsonld").write_bytes(export(result, "jsonld", meta=meta, frame="agreement", queries_dir=queries))
(out / "rebased.ttl").write_bytes(export(result, "turtle", meta=meta, base="https://x.example/kg/",
                                         queries_dir=queries))
"""


def _golden_diff(name: str, expected: bytes, actual: bytes) -> str:
    diff = difflib.unified_diff(expected.decode("utf-8").splitlines(True), actual.decode("utf-8").splitlines(True),
                                f"tests/golden/{name}", "export now", n=2)
    return "".join(diff)[:6000]


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_tiny_export_matches_golden_file(name):
    fmt, frame = GOLDENS[name]
    result, meta = compile_with_meta(TINY)
    actual = export(result, fmt, meta=meta, frame=frame, queries_dir=QUERIES)
    path = GOLDEN / name
    if os.environ.get("GSOMIA_UPDATE_GOLDEN"):
        path.write_bytes(actual)
    expected = path.read_bytes()
    if actual != expected:
        raise AssertionError(f"export differs from the golden file (regenerate with GSOMIA_UPDATE_GOLDEN=1 if "
                             f"intended):\n{_golden_diff(name, expected, actual)}")


def _export_in_subprocess(seed: str, out: Path) -> dict[str, bytes]:
    out.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run([sys.executable, "-c", _WRITE_ALL, str(PAIR), str(QUERIES), str(out)], env=env,
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_every_format_is_byte_identical_across_hash_seeds(tmp_path):
    first = _export_in_subprocess("1", tmp_path / "seed1")
    second = _export_in_subprocess("2024", tmp_path / "seed2024")
    assert sorted(first) == sorted(["framed.jsonld", "rebased.ttl"] + [f"all{f.extension}" for f in FORMATS.values()])
    for name in first:
        assert first[name] == second[name], f"{name} differs between hash seeds"


@pytest.mark.parametrize("fmt", ["trig", "jsonld"])
def test_cli_export_is_byte_identical_across_hash_seeds(fmt):
    runs = [subprocess.run([sys.executable, "-m", "gsomia_kg", "export", "--corpus", str(PAIR), "-f", fmt, "-q"],
                           env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, timeout=300)
            for seed in ("3", "777")]
    assert runs[0].returncode == 0, runs[0].stderr.decode()
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout


def _add_fact(corpus: Path) -> None:
    mapping = corpus / "mappings" / "editorial.yaml"
    text = mapping.read_text(encoding="utf-8")
    fact = '  - {subject: harbour-pact, property: party, value: ostland, evidence: ["Valdoria and Ostland signed"]}\n'
    mapping.write_text(text.replace("\ndisagreements:", fact + "\ndisagreements:"), encoding="utf-8")


def _data_export(corpus: Path, fmt: str) -> bytes:
    result, meta = compile_with_meta(corpus)
    return export(result, fmt, meta=meta, description=False)


def test_one_new_fact_changes_only_nearby_lines(tmp_path):
    corpus = tmp_path / "pair"
    shutil.copytree(PAIR, corpus)
    formats = ("ntriples", "turtle", "trig")
    before = {f: _data_export(corpus, f) for f in formats}
    _add_fact(corpus)
    after = {f: _data_export(corpus, f) for f in formats}
    old, new = before["ntriples"].decode().splitlines(), after["ntriples"].decode().splitlines()
    added = [line for line in new if line not in set(old)]
    assert [line for line in new if line in set(old)] == old  # every old line kept, in the same order
    assert 3 <= len(added) <= 12  # the claim node and the plain triple; the evidence span already existed
    for fmt in ("turtle", "trig"):
        a, b = before[fmt].decode().splitlines(True), after[fmt].decode().splitlines(True)
        diff = [d for d in difflib.unified_diff(a, b, n=0) if not d.startswith(("---", "+++", "@@"))]
        removed = [d for d in diff if d.startswith("-")]
        assert len(removed) <= 1, f"{fmt}: lines changed instead of added:\n{''.join(removed)}"
        assert len(diff) - len(removed) <= len(added) + 4
