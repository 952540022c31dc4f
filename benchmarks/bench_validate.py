"""How much does `gsomia-kg validate` cost next to pySHACL alone, on the same exported graph and the same shapes?

    python benchmarks/bench_validate.py [--corpus DIR | --synth N] [--runs N] [--pyshacl-timeout SECONDS]

Exports the corpus once (N-Triples), then times cold processes (best of --runs, run back to back):

  validate   gsomia-kg validate --data graph.nt     pySHACL for SHACL Core, pyoxigraph for the SHACL-SPARQL constraints
  pyshacl    pyshacl -s shapes.ttl graph.nt          pySHACL alone, the same shapes (it re-parses each SHACL-SPARQL
                                                     query for every focus node; run once, stopped at the timeout)
  core       pyshacl -s core-only.ttl graph.nt       pySHACL alone, the shapes without their SHACL-SPARQL constraints:
                                                     the Core work both do, a floor nothing built on pySHACL can beat

and prints the ratios validate/pyshacl (the target: at most 1.2) and validate/core (the cost of the meaning checks
and of the report). The machine drifts between sessions: compare ratios measured in one run, not absolute times.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str], runs: int, timeout: float | None = None) -> float | None:
    """Best wall-clock time of ``runs`` runs (exit 0 or 1 both count: 1 means results), None on timeout."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        try:
            proc = subprocess.run(args, capture_output=True, cwd=ROOT, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        elapsed = time.perf_counter() - started
        if proc.returncode not in (0, 1):
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(args)}\n{proc.stderr.decode()[-2000:]}")
        best = min(best, elapsed)
    return best


def prepare(corpus: Path, folder: Path) -> tuple[Path, Path, Path, int]:
    """Export the corpus as N-Triples; write all shapes, and the shapes without SHACL-SPARQL, as single files."""
    import rdflib

    from gsomia_kg.graph import compile_corpus
    from gsomia_kg.serialize import to_ntriples
    from gsomia_kg.validate import SH, load_shapes

    built = compile_corpus(corpus)
    data = folder / "graph.nt"
    data.write_bytes(to_ntriples(built.graph))
    shapes = load_shapes()
    everything = folder / "shapes.ttl"
    everything.write_text(shapes.serialize(format="turtle"), encoding="utf-8")
    core = rdflib.Graph()
    core += shapes
    core.remove((None, rdflib.URIRef(SH + "sparql"), None))
    core_file = folder / "core-only.ttl"
    core_file.write_text(core.serialize(format="turtle"), encoding="utf-8")
    return data, everything, core_file, len(built.graph)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--synth", type=int, default=0, help="validate a synthetic corpus of N articles instead")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pyshacl-timeout", type=float, default=1800.0,
                        help="stop pySHACL with the full shapes after this many seconds")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gsomia-kg-bench-validate-") as tmp:
        folder = Path(tmp)
        corpus = opts.corpus
        if opts.synth:
            corpus = folder / f"synth-{opts.synth}"
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), str(opts.synth), "-o", str(corpus)],
                           check=True, capture_output=True)
        data, shapes, core, triples = prepare(corpus, folder)
        validate = [sys.executable, "-m", "gsomia_kg", "validate", "--data", str(data), "--format", "json",
                    "-o", str(folder / "report.json"), "-q"]
        pyshacl = [sys.executable, "-m", "pyshacl", "-s", str(shapes), "-i", "none", "-f", "turtle", str(data)]
        pyshacl_core = [sys.executable, "-m", "pyshacl", "-s", str(core), "-i", "none", "-f", "turtle", str(data)]
        print(f"corpus: {corpus} ({triples} triples)")
        t_validate = timed(validate, opts.runs)
        t_core = timed(pyshacl_core, opts.runs)
        t_validate = min(t_validate, timed(validate, opts.runs))  # again, after the core run: drift evens out
        t_pyshacl = timed(pyshacl, 1, opts.pyshacl_timeout)
        print(f"  gsomia-kg validate            {t_validate:8.2f} s")
        print(f"  pyshacl, Core shapes only     {t_core:8.2f} s")
        if t_pyshacl is None:
            print(f"  pyshacl, same shapes          > {opts.pyshacl_timeout:.0f} s (stopped)")
            print(f"  ratio validate / pyshacl      < {t_validate / opts.pyshacl_timeout:.3f}   (target <= 1.2)")
        else:
            print(f"  pyshacl, same shapes          {t_pyshacl:8.2f} s")
            print(f"  ratio validate / pyshacl      {t_validate / t_pyshacl:8.3f}   (target <= 1.2)")
        print(f"  ratio validate / Core only    {t_validate / t_core:8.3f}   (the meaning checks and reports)")


if __name__ == "__main__":
    main()
