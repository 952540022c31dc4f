"""The in-process parts of the benchmark, one per child process: ``python benchmarks/stages.py STAGE ...``.

Each stage times its steps with ``time.perf_counter`` (wall) and ``time.process_time`` (CPU), records the peak
resident memory after each step, and prints one JSON object as the last line of stdout. ``benchmarks/run.py``
starts them (and the ``gsomia-kg`` commands) in separate processes and records each process's own peak memory.

  compile        load the mapping files, check the evidence, make the sorted N-Triples lines; then N-Triples and
                 Turtle of the compiled graph (``compiled.ntriples()``, ``serialize.to_turtle``), written to
                 WORK/graph.nt and WORK/graph.ttl
  pipeline       end to end in one process: compile, validate (a Store and the lines), export N-Triples and
                 Turtle to files as ``gsomia-kg export -o`` does (``export.export_data``, written as made)
  validate       ``gsomia_kg.validate.validate`` on WORK/graph.nt as ``validate --data`` reads it (all shipped shapes)
  pyshacl-core   raw ``pyshacl.validate`` on the same graph, the shipped shapes without their SHACL-SPARQL constraints
  pyshacl-full   raw ``pyshacl.validate`` on the same graph, all shipped shapes (SHACL-SPARQL per focus node)
  oxigraph       pyoxigraph on the same graph: parse, load a Store, serialize N-Triples and Turtle, dump
  rdflib         rdflib on the same graph: parse N-Triples and Turtle, serialize N-Triples and Turtle
  query          load WORK/graph.nt for one engine, then run every named query once (after one warm-up query)
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

STEPS: dict[str, dict] = {}
INFO: dict[str, object] = {}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


@contextmanager
def step(name: str, triples: int | None = None):
    """Time the block; record wall and CPU seconds, the peak memory so far and the triples handled."""
    wall, cpu = time.perf_counter(), time.process_time()
    record: dict = {}
    STEPS[name] = record
    yield record
    record.update(wall=round(time.perf_counter() - wall, 4), cpu=round(time.process_time() - cpu, 4),
                  peak_mb=round(peak_mb(), 1))
    if triples is not None:
        record.setdefault("triples", triples)


def _read_graph(path: Path):
    """The exported graph as the validate command reads it: N-Triples lines and a pyoxigraph Store."""
    from gsomia_kg.commands.validate import read_data

    return read_data((path,), "ntriples", max_bytes=path.stat().st_size)  # the CLI caps --data at 1 GiB


def compile_stage(corpus: Path, work: Path) -> None:
    from gsomia_kg.graph import build_graph
    from gsomia_kg.loader import load_corpus
    from gsomia_kg.serialize import to_turtle

    with step("load mapping files") as r:
        corpus_model = load_corpus(corpus)
        r["files"] = len(corpus_model.files)
    with step("check evidence, build graph") as r:
        result = build_graph(corpus_model)
        r["triples"] = n = len(result.compiled)
    INFO.update(triples=n, counts=result.counts)
    STEPS["compile"] = {"wall": sum(STEPS[k]["wall"] for k in ("load mapping files", "check evidence, build graph")),
                        "cpu": sum(STEPS[k]["cpu"] for k in ("load mapping files", "check evidence, build graph")),
                        "peak_mb": STEPS["check evidence, build graph"]["peak_mb"], "triples": n}
    with step("serialize N-Triples", n):
        nt = result.compiled.ntriples()
    (work / "graph.nt").write_bytes(nt)
    INFO["ntriples_bytes"] = len(nt)
    del nt
    with step("serialize Turtle", n):
        ttl = to_turtle(result.compiled)  # what `gsomia-kg build` writes
    (work / "graph.ttl").write_bytes(ttl)
    INFO["turtle_bytes"] = len(ttl)


def pipeline_stage(corpus: Path, work: Path) -> None:
    from gsomia_kg.export import compile_with_meta, export_data
    from gsomia_kg.validate import validate

    with step("compile") as r:
        result, meta = compile_with_meta(corpus)
        r["triples"] = n = len(result.compiled)
    INFO["triples"] = n
    with step("validate", n) as r:
        report = validate(None, origins=result.origins, store=result.compiled.store(), lines=result.compiled.lines)
        r["results"] = len(report.results)
    for fmt in ("ntriples", "turtle"):
        with step(f"export {fmt}", n) as r:  # as `gsomia-kg export -o` does: written as it is made
            path = work / f"pipeline.{fmt}"
            with path.open("wb") as fh:
                for chunk in export_data(result, fmt, meta=meta).chunks:
                    fh.write(chunk)
            r["bytes"] = path.stat().st_size
        path.unlink()
    STEPS["total"] = {"wall": round(sum(s["wall"] for s in STEPS.values()), 4),
                      "cpu": round(sum(s["cpu"] for s in STEPS.values()), 4), "peak_mb": round(peak_mb(), 1),
                      "triples": n}


def validate_stage(work: Path) -> None:
    from gsomia_kg.validate import validate

    with step("read graph"):
        lines, store = _read_graph(work / "graph.nt")
    n = len(lines)
    INFO["triples"] = n
    with step("validate", n) as r:
        report = validate(None, store=store, lines=lines)
        r["results"] = len(report.results)
        r["violations"] = sum(1 for x in report.results if x.severity == "violation")


def _shapes(core_only: bool):
    import rdflib

    from gsomia_kg.validate import SH, load_shapes

    shapes = rdflib.Graph()
    shapes += load_shapes()
    if core_only:
        shapes.remove((None, rdflib.URIRef(SH + "sparql"), None))
    return shapes


def pyshacl_stage(work: Path, core_only: bool) -> None:
    import pyshacl

    shapes = _shapes(core_only)
    with step("read graph"):
        graph, _ = _read_graph(work / "graph.nt")
    n = len(graph)
    INFO["triples"] = n
    with step("pyshacl.validate", n) as r:
        conforms, _, _ = pyshacl.validate(
            graph, shacl_graph=shapes, inference="none", advanced=False, js=False, do_owl_imports=False,
            meta_shacl=False, abort_on_first=False, allow_infos=False, allow_warnings=False)
        r["conforms"] = bool(conforms)


def oxigraph_stage(work: Path) -> None:
    import pyoxigraph as ox

    nt = (work / "graph.nt").read_bytes()
    with step("parse N-Triples") as r:
        triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
        r["triples"] = n = len(triples)
    INFO["triples"] = n
    ttl = (work / "graph.ttl").read_bytes()
    with step("parse Turtle", n):
        sum(1 for _ in ox.parse(ttl, format=ox.RdfFormat.TURTLE))
    with step("serialize N-Triples", n):
        ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    with step("serialize Turtle", n):
        ox.serialize(triples, format=ox.RdfFormat.TURTLE)
    store = ox.Store()
    with step("load Store (N-Triples)", n):
        store.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES)
    with step("dump Store N-Triples", n):
        store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def rdflib_stage(work: Path) -> None:
    import rdflib

    rdflib.NORMALIZE_LITERALS = False
    with step("parse N-Triples") as r:
        graph = rdflib.Graph().parse(work / "graph.nt", format="nt")
        r["triples"] = n = len(graph)
    INFO["triples"] = n
    with step("serialize N-Triples", n):
        graph.serialize(format="nt", encoding="utf-8")
    with step("serialize Turtle", n):
        graph.serialize(format="turtle", encoding="utf-8")
    del graph
    with step("parse Turtle", n):
        rdflib.Graph().parse(work / "graph.ttl", format="turtle")


def query_params(corpus: Path) -> dict[str, dict[str, str]]:
    """Parameters that exist in a synthetic corpus for the named queries that take an entity."""
    register = (corpus / "entities.yaml").read_text(encoding="utf-8") if (corpus / "entities.yaml").is_file() else ""
    agreement = re.search(r"\{id: ([a-z0-9-]+), kind: agreement\b", register)
    if not agreement:
        return {}
    ident = agreement.group(1)
    return {"agreement": {"agreement": ident}, "entity": {"entity": ident}, "evidence": {"entity": ident}}


def query_stage(work: Path, corpus: Path, engine: str, timeout: float) -> None:
    from gsomia_kg.errors import GsomiaError
    from gsomia_kg.query import load_graph, named_queries, run_query

    with step(f"load graph ({engine})"):
        data = work / "graph.nt"
        graph = load_graph(data=data, engine=engine, max_bytes=data.stat().st_size)  # over the CLI's 1 GiB limit
    params = query_params(corpus)
    with step("warm-up query"):
        run_query("ASK { ?s ?p ?o }", graph=graph)
    for name in named_queries():
        with step(f"query {name}") as r:
            try:
                result = run_query(name=name, params=params.get(name), graph=graph, timeout=timeout or None)
                r["rows"] = len(getattr(result, "rows", []) or [])
            except GsomiaError as exc:
                r["error"] = str(exc)[:200]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stage", choices=["compile", "pipeline", "validate", "pyshacl-core", "pyshacl-full", "oxigraph",
                                      "rdflib", "query"])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--engine", default="oxigraph")
    ap.add_argument("--query-timeout", type=float, default=120.0)
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    run = {
        "compile": lambda: compile_stage(args.corpus, args.work),
        "pipeline": lambda: pipeline_stage(args.corpus, args.work),
        "validate": lambda: validate_stage(args.work),
        "pyshacl-core": lambda: pyshacl_stage(args.work, core_only=True),
        "pyshacl-full": lambda: pyshacl_stage(args.work, core_only=False),
        "oxigraph": lambda: oxigraph_stage(args.work),
        "rdflib": lambda: rdflib_stage(args.work),
        "query": lambda: query_stage(args.work, args.corpus, args.engine, args.query_timeout),
    }[args.stage]
    run()
    sys.stdout.write("\n" + json.dumps({"stage": args.stage, "info": INFO, "steps": STEPS}) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
