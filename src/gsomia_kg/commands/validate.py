"""``gsomia-kg validate``: check the built corpus (or RDF files) against the SHACL shapes; reports for people and CI."""

from __future__ import annotations

from pathlib import Path

import click

from gsomia_kg.commands.options import corpus_dir, corpus_option, handle_errors, max_input_option, quiet_option

FORMATS = ("text", "json", "turtle", "github", "junit")


@click.command(epilog="Exit codes: 0 the graph conforms (warnings allowed unless --fail-on warning), 1 violations "
                      "(or warnings with --fail-on warning), 2 bad input or usage: an unreadable file, a syntax "
                      "error (reported as file:line:column), an unknown option.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@corpus_option
@click.option("--data", "data", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Validate these RDF files instead of the corpus (repeatable; all graphs merged). FILES given "
                   "as arguments are the same as --data.")
@click.option("--data-format", default=None,
              help="Format of the --data files: turtle, ntriples, nquads, trig, jsonld, rdfxml. Default: from "
                   "the extension.")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(path_type=Path),
              help="SHACL shapes (Turtle file or folder of .ttl; repeatable). Default: the shipped shapes.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format: text (grouped by shape, with mapping file:line), json (stable), turtle "
                   "(the standard SHACL report), github (workflow annotations), junit (XML).")
@click.option("--fail-on", type=click.Choice(("violation", "warning")), default="violation", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report here (atomically) instead of stdout.")
@click.option("--engine", type=click.Choice(("fast", "pyshacl")), default="fast", show_default=True,
              help="fast: SHACL-SPARQL constraints evaluated once over the whole graph (pyoxigraph); pyshacl: "
                   "everything in pySHACL, per focus node (exact, much slower).")
@max_input_option
@quiet_option
@handle_errors
def validate(files: tuple[Path, ...], corpus: Path | None, data: tuple[Path, ...], data_format: str | None,
             shapes: tuple[Path, ...], fmt: str, fail_on: str, output: Path | None, engine: str, max_input: int,
             quiet: bool) -> None:
    """Validate the knowledge graph against the SHACL shapes.

    Builds the corpus (default: the shipped one) and checks it, reporting for each result the mapping file:line
    that produced its focus node; or checks the RDF files given with --data (e.g. a downloaded export).
    """
    from gsomia_kg.atomic import write_atomic
    from gsomia_kg.reports import render, summary
    from gsomia_kg.validate import validate as run

    data = (*data, *files)
    if data and corpus is not None:
        raise click.UsageError("give either --corpus or --data, not both")
    if data:
        lines, store = read_data(data, data_format, max_input)
        origins, base = None, None
    else:
        from gsomia_kg.graph import compile_corpus

        built = compile_corpus(corpus_dir(corpus))
        lines, store, origins = built.compiled.lines, built.compiled.store(), built.origins
        base = built.meta.base or None
    report = run(None, list(shapes) or None, origins, engine=engine, store=store, lines=lines)
    text = render(report, fmt, base)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text.encode("utf-8"))
    if not quiet and (output is not None or fmt != "text"):
        click.echo(summary(report), err=True)
    code = report.exit_code(fail_on)
    if code:
        raise SystemExit(code)


def read_data(paths, fmt: str | None, max_bytes: int | None = None) -> tuple[list[str], object]:
    """Read RDF files once with pyoxigraph (all graphs merged): their triples as sorted N-Triples lines, as
    written, and a pyoxigraph ``Store`` holding them. ``max_bytes``: the size limit of a file (default 1 GiB)."""
    import pyoxigraph as ox

    from gsomia_kg.compiled import lines_of
    from gsomia_kg.rdfinput import read_quads

    triples = [q.triple for path in paths for q in read_quads(path, fmt, max_bytes)]
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return lines_of(triples), store
