"""The benchmark suite runs end to end at N = 10 (a smoke test: no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

from support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import synth


def _tree(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generator_is_deterministic_and_seeded(tmp_path):
    a, b, c = (synth.generate(6, tmp_path / name, seed) for name, seed in (("a", 1), ("b", 1), ("c", 2)))
    assert _tree(a) == _tree(b)
    assert _tree(a) != _tree(c)
    assert sum(1 for name in _tree(a) if name.startswith("mappings/")) == 6


def test_generated_corpus_compiles_and_validates_cleanly(tmp_path):
    from gsomia_kg.graph import compile_corpus
    from gsomia_kg.validate import validate

    corpus = synth.generate(10, tmp_path / "synth", seed=3)
    built = compile_corpus(corpus)
    counts = built.counts
    assert counts["sources"] == 10
    assert counts["statements"] == 60
    assert 25 <= counts["evidence spans"] / counts["sources"] <= 40
    disagreements = [s for s, _, _ in built.graph.triples((None, None, None))
                     if "/disagreement/" in str(s)]
    assert disagreements, "the generator records cross-source disagreements"
    report = validate(built.graph, origins=built.origins)
    assert [r for r in report.results if r.severity == "violation"] == []


def test_benchmark_runs_at_ten_articles(tmp_path):
    results = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "10", "--cache", str(tmp_path),
         "--json", str(results), "--pyshacl-full-max", "0", "--slow-peers-max", "10", "--timeout", "600"],
        capture_output=True, text=True, cwd=ROOT, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(results.read_text())
    (size,) = data["sizes"]
    assert size["articles"] == 10 and size["triples"] > 5000
    stages = size["stages"]
    expected = {"compile", "build", "validate", "pipeline", "validate-lib", "pyshacl-core", "oxigraph", "rdflib",
                "query-oxigraph", "query-rdflib", *(f"export {f}" for f in ("ntriples", "turtle", "nquads", "trig",
                                                                           "jsonld", "rdfxml"))}
    assert expected <= stages.keys()
    for name, rec in stages.items():
        assert rec["returncode"] == 0, (name, rec.get("error"))
        assert "stopped" not in rec and rec["peak_mb"] > 0, name
    steps = stages["query-oxigraph"]["report"]["steps"]
    assert not [k for k, v in steps.items() if "error" in v], steps
    assert stages["compile"]["report"]["steps"]["serialize N-Triples"]["triples"] == size["triples"]
    assert "gsomia-kg --help" in data["startup"]
    assert "targets (issue 6):" in proc.stdout and "ratios (same graph, same run):" in proc.stdout
