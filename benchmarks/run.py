"""The benchmark suite: every stage of gsomia-kg on synthetic corpora of growing size, next to its peers.

    python benchmarks/run.py                       # sizes 10,100,1000 (about 15 minutes on 2 cores)
    python benchmarks/run.py --sizes 10000 --merge # add the 10,000-article corpus to the last results (hours)

For each size N it generates (once, cached) a corpus of N synthetic articles (``benchmarks/synth.py``) and runs,
each in a separate process, recording wall time, CPU time and the process's own peak memory (``wait4`` rusage):

  compile            stages.py compile: load + evidence check + sorted lines; then N-Triples and Turtle (in-process)
  build, validate,   the commands as users run them (``gsomia-kg build``, ``validate``, ``export -f FMT``): each
  export FMT         process compiles the corpus itself
  pipeline           end to end in one process: compile, validate, export N-Triples and Turtle
  validate (lib)     gsomia_kg.validate on the exported graph, next to raw pySHACL on the same graph:
  pyshacl-core/full  core-only shapes (the floor), and all shapes with SHACL-SPARQL per focus node
  oxigraph, rdflib   the peers: parse and serialize the same graph
  query ENGINE       every named query on the exported graph, per engine

It prints a table per size (triples, seconds, triples/s, peak MB), the growth exponent of every row between
successive sizes (log(t2/t1) / log(N2/N1): 1.0 is linear), the ratios to the peers, and the targets of issue 6;
and writes everything as JSON (``--json``, default ``$GSOMIA_BENCH_CACHE/results.json``). Peers known to be slow
or superlinear are capped by size (``--slow-peers-max``, ``--pyshacl-full-max``); a stage that passes
``--timeout`` or ``--mem-limit`` is stopped and recorded as such. The machine is shared and drifts: CPU seconds are
more stable than wall seconds, and ratios measured in one run are what to compare.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

FORMATS = ("ntriples", "turtle", "nquads", "trig", "jsonld", "rdfxml")
TARGETS_MAX_SECONDS, TARGETS_MAX_MB = 600.0, 8192.0


# ---- running one child -------------------------------------------------------------------------------------------
def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants (Linux /proc), in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 2**20


def run_child(args: list[str], env: dict, timeout: float, mem_limit_mb: float, log: Path) -> dict:
    """Run ``args``; return wall, cpu, peak_mb (the child's own maxrss), returncode, stdout and why it stopped."""
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=ROOT, start_new_session=True)
    ended: dict = {}

    def reap() -> None:
        _, status, usage = os.wait4(proc.pid, 0)
        ended.update(time=time.perf_counter(), status=status, usage=usage)

    waiter = threading.Thread(target=reap, daemon=True)
    waiter.start()
    stopped = None
    while waiter.is_alive():
        waiter.join(0.5)
        if not waiter.is_alive():
            break
        if time.perf_counter() - started > timeout:
            stopped = f"timeout after {timeout:g} s"
        elif mem_limit_mb and _tree_rss_mb(proc.pid) > mem_limit_mb:
            stopped = f"stopped above {mem_limit_mb:g} MB"
        if stopped:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the session this child leads: only what we started
            except ProcessLookupError:
                pass
            waiter.join()
    proc.returncode = os.waitstatus_to_exitcode(ended["status"])
    usage = ended["usage"]
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    record = {"wall": round(ended["time"] - started, 3), "cpu": round(usage.ru_utime + usage.ru_stime, 3),
              "peak_mb": round(usage.ru_maxrss / 1024, 1), "returncode": proc.returncode}
    if stopped:
        record["stopped"] = stopped
    last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    if last.startswith("{"):
        try:
            record["report"] = json.loads(last)
        except json.JSONDecodeError:
            pass
    if proc.returncode not in (0, 1) and not stopped:
        record["error"] = err_path.read_text(encoding="utf-8", errors="replace")[-1500:]
    return record


def best_of(args: list[str], runs: int, env: dict) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, env=env, cwd=ROOT, check=True)
        best = min(best, time.perf_counter() - started)
    return round(best, 4)


def command_available(gk: list[str], name: str, env: dict) -> bool:
    return subprocess.run([*gk, name, "--help"], capture_output=True, env=env, cwd=ROOT).returncode == 0


# ---- one size ----------------------------------------------------------------------------------------------------
def run_size(n: int, opts, env: dict, gk: list[str]) -> dict:
    corpus = synth.cached(n, opts.seed)
    work = Path(tempfile.mkdtemp(prefix=f"work-{n}-", dir=opts.cache))
    env = {**env, "GSOMIA_KG_CACHE_DIR": str(work / "kg-cache")}
    stages_py = [sys.executable, str(HERE / "stages.py")]
    where = ["--corpus", str(corpus), "--work", str(work)]
    results: dict[str, dict] = {}
    wanted = set(opts.stages.split(",")) if opts.stages else None

    def run(name: str, args: list[str], timeout: float | None = None) -> dict | None:
        if wanted is not None and name.split(" ")[0] not in wanted:
            return None
        print(f"  [{n}] {name} ...", end="", flush=True, file=sys.stderr)
        rec = run_child(args, env, timeout or opts.timeout, opts.mem_limit, work / name.replace(" ", "_"))
        results[name] = rec
        status = rec.get("stopped") or (f"exit {rec['returncode']}" if rec["returncode"] not in (0, 1) else "")
        print(f" {rec['wall']:.1f} s, {rec['peak_mb']:.0f} MB {status}", file=sys.stderr)
        return rec

    compiled = run("compile", [*stages_py, "compile", *where])
    if compiled and compiled.get("report"):
        info = compiled["report"]["info"]
        results["compile"]["triples"] = info.get("triples")
    if command_available(gk, "build", env):
        run("build", [*gk, "build", "--corpus", str(corpus), "-q", "-o", str(work / "build.ttl")])
    if command_available(gk, "validate", env):
        run("validate", [*gk, "validate", "--corpus", str(corpus), "-q", "--format", "json", "-o",
                         str(work / "report.json")])
    if command_available(gk, "export", env):
        for fmt in FORMATS:
            run(f"export {fmt}", [*gk, "export", "--corpus", str(corpus), "-q", "-f", fmt, "-o",
                                  str(work / f"export.{fmt}")])
    run("pipeline", [*stages_py, "pipeline", *where])
    have_graph = (work / "graph.nt").is_file()
    if have_graph:
        run("validate-lib", [*stages_py, "validate", *where])
        if n <= opts.pyshacl_core_max:
            run("pyshacl-core", [*stages_py, "pyshacl-core", *where])
        if n <= opts.pyshacl_full_max:
            run("pyshacl-full", [*stages_py, "pyshacl-full", *where], opts.pyshacl_full_timeout)
        run("oxigraph", [*stages_py, "oxigraph", *where])
        if n <= opts.slow_peers_max:
            run("rdflib", [*stages_py, "rdflib", *where])
        for engine in ("oxigraph", "rdflib"):
            if engine == "rdflib" and n > opts.slow_peers_max:
                continue
            run(f"query-{engine}", [*stages_py, "query", *where, "--engine", engine,
                                    "--query-timeout", str(opts.query_timeout)])
    triples = results.get("compile", {}).get("triples")
    for rec in results.values():
        rec.setdefault("triples", triples)
    if not opts.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return {"articles": n, "corpus": str(corpus), "triples": triples, "stages": results}


# ---- analysis ----------------------------------------------------------------------------------------------------
def rows(size: dict) -> dict[str, dict]:
    """Every timed thing of one size: processes (``stage``) and the steps they report (``stage / step``)."""
    out: dict[str, dict] = {}
    for name, rec in size["stages"].items():
        out[name] = {k: rec.get(k) for k in ("wall", "cpu", "peak_mb", "triples", "stopped")}
        for step, srec in ((rec.get("report") or {}).get("steps") or {}).items():
            out[f"{name} / {step}"] = {"wall": srec.get("wall"), "cpu": srec.get("cpu"), "peak_mb": srec.get("peak_mb"),
                                       "triples": srec.get("triples", size["triples"]), "error": srec.get("error")}
    return out


def exponents(sizes: list[dict]) -> dict[str, dict[str, float]]:
    """Growth exponent of every row between successive sizes, on wall and CPU seconds."""
    out: dict[str, dict[str, float]] = {}
    for a, b in itertools.pairwise(sizes):
        ra, rb = rows(a), rows(b)
        key = f"{a['articles']}->{b['articles']}"
        for name in ra.keys() & rb.keys():
            for measure in ("wall", "cpu"):
                ta, tb = ra[name].get(measure), rb[name].get(measure)
                if ta and tb and ta > 0 and tb > 0 and not ra[name].get("stopped") and not rb[name].get("stopped"):
                    out.setdefault(name, {})[f"{key} {measure}"] = round(
                        math.log(tb / ta) / math.log(b["articles"] / a["articles"]), 3)
    return out


def _step(size: dict, stage: str, step: str, measure: str = "wall") -> float | None:
    rec = size["stages"].get(stage) or {}
    value = ((rec.get("report") or {}).get("steps") or {}).get(step, {}).get(measure)
    return value if value else None


def ratios(size: dict) -> dict[str, float | None]:
    """The comparisons issue 6 asks for, on one size (wall seconds, same graph, same run)."""

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 3) if a and b else None

    ours_nt = _step(size, "pipeline", "export ntriples")  # the export as users get it: named graphs, description
    compiled_nt = _step(size, "compile", "serialize N-Triples")
    ours_ttl = _step(size, "compile", "serialize Turtle")
    validate = _step(size, "validate-lib", "validate")
    queries = {engine: [v["wall"] for k, v in ((size["stages"].get(f"query-{engine}") or {}).get("report") or {})
                        .get("steps", {}).items() if k.startswith("query ") and "error" not in v]
               for engine in ("oxigraph", "rdflib")}
    return {
        "validate / pyshacl core-only (target <= 1.5)":
            ratio(validate, _step(size, "pyshacl-core", "pyshacl.validate")),
        "validate / pyshacl all shapes": ratio(validate, _step(size, "pyshacl-full", "pyshacl.validate")),
        "N-Triples: our throughput / pyoxigraph serialize (target >= 0.5)":
            ratio(_step(size, "oxigraph", "serialize N-Triples"), ours_nt),
        "N-Triples of the compiled graph alone / pyoxigraph serialize":
            ratio(_step(size, "oxigraph", "serialize N-Triples"), compiled_nt),
        "N-Triples: our throughput / pyoxigraph Store dump":
            ratio(_step(size, "oxigraph", "dump Store N-Triples"), ours_nt),
        "Turtle: our throughput / pyoxigraph serialize": ratio(_step(size, "oxigraph", "serialize Turtle"), ours_ttl),
        "rdflib / pyoxigraph: parse N-Triples":
            ratio(_step(size, "rdflib", "parse N-Triples"), _step(size, "oxigraph", "parse N-Triples")),
        "rdflib / pyoxigraph: parse Turtle":
            ratio(_step(size, "rdflib", "parse Turtle"), _step(size, "oxigraph", "parse Turtle")),
        "rdflib / pyoxigraph: serialize N-Triples":
            ratio(_step(size, "rdflib", "serialize N-Triples"), _step(size, "oxigraph", "serialize N-Triples")),
        "rdflib / pyoxigraph: serialize Turtle":
            ratio(_step(size, "rdflib", "serialize Turtle"), _step(size, "oxigraph", "serialize Turtle")),
        "rdflib Turtle / our Turtle": ratio(_step(size, "rdflib", "serialize Turtle"), ours_ttl),
        "slowest named query, oxigraph (s, target <= 1)": max(queries["oxigraph"]) if queries["oxigraph"] else None,
        "slowest named query, rdflib (s)": max(queries["rdflib"]) if queries["rdflib"] else None,
    }


def targets(sizes: list[dict], startup: dict) -> list[tuple[str, str, bool | None]]:
    """Issue 6's targets, checked on the largest size measured (and the exponents on the last two sizes)."""
    big = sizes[-1]
    out: list[tuple[str, str, bool | None]] = []
    pipe = big["stages"].get("pipeline") or {}
    total = _step(big, "pipeline", "total")
    out.append((f"end to end (compile+validate+export nt+ttl) <= {TARGETS_MAX_SECONDS:g} s at {big['articles']}",
                f"{total} s" if total else "not measured", total is not None and total <= TARGETS_MAX_SECONDS))
    peak = pipe.get("peak_mb")
    out.append((f"end to end peak memory <= {TARGETS_MAX_MB:g} MB at {big['articles']}",
                f"{peak} MB" if peak else "not measured", peak is not None and peak <= TARGETS_MAX_MB))
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        key = f"{a['articles']}->{b['articles']} cpu"
        exps = {name: e[key] for name, e in exponents([a, b]).items() if key in e}
        main = {name: e for name, e in exps.items()
                if " / " not in name or name.startswith(("compile /", "pipeline /"))}
        worst = max(main.items(), key=lambda kv: kv[1]) if main else None
        out.append((f"every stage exponent <= 1.15 ({key})", f"worst: {worst[0]} {worst[1]}" if worst else "n/a",
                    worst is not None and worst[1] <= 1.15))
    r = ratios(big)
    for label, limit, lower_is_better in (("validate / pyshacl core-only (target <= 1.5)", 1.5, True),
                                          ("N-Triples: our throughput / pyoxigraph serialize (target >= 0.5)", 0.5,
                                           False),
                                          ("slowest named query, oxigraph (s, target <= 1)", 1.0, True)):
        v = r.get(label)
        ok = None if v is None else (v <= limit if lower_is_better else v >= limit)
        out.append((label, str(v), ok))
    helps = [startup.get(k) for k in ("gsomia-kg --help", "gsomia-kg --version")]
    click = startup.get('python -c "import click"')
    if click and all(helps):
        out.append(("--help/--version: no rdflib/pyshacl import (tested); time vs import click",
                    f"{max(helps) / click:.1f}x", max(helps) / click < 3))
    return out


# ---- printing ----------------------------------------------------------------------------------------------------
def _fmt(v, spec: str) -> str:
    return format(v, spec) if isinstance(v, (int, float)) else "-"


def print_tables(data: dict, markdown: bool) -> None:
    sizes = data["sizes"]
    bar = "|" if markdown else " "
    exps = exponents(sizes)
    for size in sizes:
        print(f"\n## {size['articles']:,} articles, {size['triples'] or 0:,} triples\n")
        head = ["stage", "triples", "wall s", "cpu s", "triples/s", "peak MB"]
        if len(sizes) > 1:
            head.append("exponent (cpu)")
        if markdown:
            print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        else:
            print(f"{head[0]:52s} {head[1]:>10s} {head[2]:>9s} {head[3]:>9s} {head[4]:>11s} {head[5]:>9s}  exp")
        prev = sizes[sizes.index(size) - 1] if sizes.index(size) > 0 else None
        for name, r in rows(size).items():
            tps = r["triples"] / r["wall"] if r.get("triples") and r.get("wall") else None
            e = exps.get(name, {}).get(f"{prev['articles']}->{size['articles']} cpu") if prev else None
            note = r.get("stopped") or (r.get("error") and "error") or ""
            cells = [name, _fmt(r.get("triples"), ","), _fmt(r.get("wall"), ".2f"), _fmt(r.get("cpu"), ".2f"),
                     _fmt(tps, ",.0f"), _fmt(r.get("peak_mb"), ",.0f")]
            if len(sizes) > 1:
                cells.append((_fmt(e, ".2f") if e is not None else "") + (f" {note}" if note else ""))
            if markdown:
                print("| " + " | ".join(cells) + " |")
            else:
                print(f"{cells[0]:52s} {cells[1]:>10s} {cells[2]:>9s} {cells[3]:>9s} {cells[4]:>11s} {cells[5]:>9s}"
                      f"  {cells[6] if len(cells) > 6 else note}")
        print("\nratios (same graph, same run):")
        for label, v in ratios(size).items():
            if v is not None:
                print(f"  {'- ' if markdown else ''}{label}: {v}")
    if data.get("startup"):
        print("\nstart-up (best of 5, wall s):")
        for label, v in data["startup"].items():
            print(f"  {'- ' if markdown else ''}{label}: {v}")
    print("\ntargets (issue 6):")
    for label, value, ok in targets(sizes, data.get("startup", {})):
        mark = {True: "met", False: "NOT met", None: "n/a"}[ok]
        print(f"  {'- ' if markdown else ''}{label}: {value} -> {mark}")
    del bar


def machine() -> dict:
    import importlib.metadata as md

    versions = {}
    for dist in ("rdflib", "pyshacl", "pyoxigraph", "PyYAML", "click", "gsomia-kg"):
        try:
            versions[dist] = md.version(dist)
        except md.PackageNotFoundError:
            versions[dist] = None
    mem = None
    try:
        with open("/proc/meminfo") as fh:
            mem = round(int(fh.readline().split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "memory_gib": mem, "versions": versions, "loadavg_at_start": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--sizes", default="10,100,1000", help="article counts, comma-separated (default: 10,100,1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=None, help="where corpora and work files go")
    ap.add_argument("--json", type=Path, default=None, help="results file (default: CACHE/results.json)")
    ap.add_argument("--merge", action="store_true",
                    help="keep the other sizes already in the results file (and, with --stages, the other stages)")
    ap.add_argument("--stages", default=None, help="only these stages (comma-separated names, e.g. compile,oxigraph)")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds before a stage is stopped")
    ap.add_argument("--mem-limit", type=float, default=16384.0, help="MB of RSS before a stage is stopped (0: none)")
    ap.add_argument("--query-timeout", type=float, default=120.0)
    ap.add_argument("--slow-peers-max", type=int, default=1000,
                    help="largest size for the rdflib peers and the rdflib query engine")
    ap.add_argument("--pyshacl-core-max", type=int, default=1000,
                    help="largest size for pySHACL with the Core shapes (its rdflib graph takes ~2 KB a triple)")
    ap.add_argument("--pyshacl-full-max", type=int, default=10,
                    help="largest size for pySHACL with the SHACL-SPARQL shapes (it grows superlinearly)")
    ap.add_argument("--pyshacl-full-timeout", type=float, default=300.0,
                    help="seconds before pySHACL with the SHACL-SPARQL shapes is stopped")
    ap.add_argument("--keep", action="store_true", help="keep the work folders (exports, logs)")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--report-only", action="store_true", help="print the tables of the results file, run nothing")
    opts = ap.parse_args(argv)
    default_cache = Path(tempfile.gettempdir()) / "gsomia-kg-bench"
    opts.cache = opts.cache or Path(os.environ.get("GSOMIA_BENCH_CACHE", default_cache))
    opts.cache.mkdir(parents=True, exist_ok=True)
    os.environ["GSOMIA_BENCH_CACHE"] = str(opts.cache)
    opts.json = opts.json or opts.cache / "results.json"
    if opts.report_only:
        print_tables(json.loads(opts.json.read_text()), opts.markdown)
        return 0
    sizes = sorted({int(s) for s in opts.sizes.split(",") if s.strip()})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    gk = [sys.executable, "-m", "gsomia_kg"]
    data = json.loads(opts.json.read_text()) if opts.merge and opts.json.is_file() else {"sizes": []}
    data["machine"] = machine()
    if opts.stages is None or "startup" in opts.stages.split(","):
        data["startup"] = {
            'python -c "import click"': best_of([sys.executable, "-c", "import click"], 5, env),
            "gsomia-kg --help": best_of([*gk, "--help"], 5, env),
            "gsomia-kg --version": best_of([*gk, "--version"], 5, env),
            'python -c "import rdflib"': best_of([sys.executable, "-c", "import rdflib"], 3, env),
            'python -c "import pyshacl"': best_of([sys.executable, "-c", "import pyshacl"], 3, env),
        }
    measured = {s["articles"]: s for s in data["sizes"]}
    for n in sizes:
        print(f"size {n}: corpus {synth.cached(n, opts.seed)}", file=sys.stderr)
        new = run_size(n, opts, env, gk)
        if opts.merge and opts.stages and n in measured:  # re-measured stages replace theirs, the others stay
            new["stages"] = {**measured[n]["stages"], **new["stages"]}
            new["triples"] = new["triples"] or measured[n].get("triples")
        measured[n] = new
        data["sizes"] = [measured[k] for k in sorted(measured)]
        data["exponents"] = exponents(data["sizes"])
        opts.json.write_text(json.dumps(data, indent=1), encoding="utf-8")  # after every size: nothing is lost
    print_tables(data, opts.markdown)
    print(f"\nresults: {opts.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
