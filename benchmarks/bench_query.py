"""How fast is `gsomia-kg query`? Cold processes (best of N), then each named query in-process on both engines.

    python benchmarks/bench_query.py [--corpus DIR] [--runs N]

Prints wall-clock seconds and ratios to `python -c "import click"` measured in the same run (the machine drifts
between sessions: compare ratios, not absolute times across days). Uses a temporary cache folder: "cached" rows
reuse the compiled graph, "--no-cache" rows recompile the corpus.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADHOC = "SELECT ?person ?label WHERE { ?person a gk:Person ; skos:prefLabel ?label } ORDER BY ?label"


def best_of(args: list[str], runs: int, env: dict) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, env=env, cwd=ROOT)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"failed: {' '.join(args)}\n{proc.stderr.decode()}")
        best = min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    cache = tempfile.mkdtemp(prefix="gsomia-kg-bench-")
    env = {**os.environ, "GSOMIA_KG_CACHE_DIR": cache}
    cli = [sys.executable, "-m", "gsomia_kg"]
    corpus = ["--corpus", str(opts.corpus)]
    try:
        subprocess.run([*cli, "query", "-n", "timeline", *corpus], capture_output=True, env=env, check=True)  # warm
        cases = [
            ('python -c "import click"', [sys.executable, "-c", "import click"]),
            ("gsomia-kg --help", [*cli, "--help"]),
            ("gsomia-kg query --help", [*cli, "query", "--help"]),
            ("query -n timeline (oxigraph, cached)", [*cli, "query", "-n", "timeline", *corpus]),
            ("query -n timeline (rdflib, cached)", [*cli, "query", "-n", "timeline", "--engine", "rdflib", *corpus]),
            ("query -n timeline (oxigraph, --no-cache)", [*cli, "query", "-n", "timeline", "--no-cache", *corpus]),
            ("ad-hoc SELECT (oxigraph, cached)", [*cli, "query", ADHOC, *corpus]),
            ("ad-hoc SELECT (rdflib, cached)", [*cli, "query", ADHOC, "--engine", "rdflib", *corpus]),
            ("query -n timeline --timeout 0 (no worker)", [*cli, "query", "-n", "timeline", "--timeout", "0", *corpus]),
        ]
        print(f"cold processes, best of {opts.runs} (corpus: {opts.corpus})")
        click_time = None
        for label, args in cases:
            t = best_of(args, opts.runs, env)
            click_time = click_time or t
            print(f"  {label:45s} {t:6.3f} s  {t / click_time:5.1f}x import click")
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    sys.path.insert(0, str(ROOT / "src"))
    from gsomia_kg.query import load_graph, named_queries, run_query

    print("\nin-process, graph loaded once: seconds per named query (parse + evaluate), best of 3")
    graphs = {}
    for engine in ("oxigraph", "rdflib"):
        started = time.perf_counter()
        graphs[engine] = load_graph(corpus=opts.corpus, engine=engine, use_cache=False)
        print(f"  load + compile for {engine}: {time.perf_counter() - started:.3f} s")
    print(f"  {'query':16s} {'rows':>5s} {'oxigraph':>9s} {'rdflib':>9s} {'ratio':>7s}")
    for name in named_queries():
        times = {}
        for engine, g in graphs.items():
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                result = run_query(name=name, graph=g)
                best = min(best, time.perf_counter() - started)
            times[engine] = best
        print(f"  {name:16s} {len(result.rows):5d} {times['oxigraph']:9.3f} {times['rdflib']:9.3f} "
              f"{times['rdflib'] / times['oxigraph']:6.0f}x")


if __name__ == "__main__":
    main()
