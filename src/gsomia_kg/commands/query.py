"""``gsomia-kg query`` and ``gsomia-kg queries``: SPARQL on the corpus, ad hoc or from the named-query library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gsomia_kg.commands.options import (
    EXIT_OK,
    EXIT_VIOLATIONS,
    corpus_dir,
    corpus_option,
    handle_errors,
    max_input_option,
)
from gsomia_kg.errors import GsomiaError, Problem
from gsomia_kg.results import GRAPH_FORMATS, SELECT_FORMATS

ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld", "text": "table"}
DEFAULT_TIMEOUT = 60.0


def _param(ctx: click.Context, option: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", ctx, option)
        out[name.strip()] = value
    return out


@click.command()
@click.argument("text", required=False, metavar="[QUERY]")
@click.option("-f", "--file", "file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="Read the query from a file ('-' for stdin).")
@click.option("-n", "--name", "name", metavar="NAME", help="Run a named query (list them with `gsomia-kg queries`).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", callback=_param,
              help="A parameter, bound as an RDF term (an entity id like han-min-koo, a date, a string). Repeatable.")
@corpus_option
@click.option("--data", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Query this RDF file (.ttl .nt .nq .trig .jsonld .rdf) instead of the corpus.")
@click.option("--data-format", default=None, metavar="FORMAT",
              help="Format of --data when the extension does not say: turtle, ntriples, nquads, trig, jsonld, rdfxml.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="SPARQL engine.")
@click.option("--format", "fmt", metavar="FORMAT", default=None,
              help="SELECT/ASK: table, csv, tsv, json, xml (default: table on a terminal, csv otherwise). "
                   "CONSTRUCT/DESCRIBE: turtle (default), ntriples, jsonld.")
@click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SECONDS", help="Stop the query after this many seconds (0: no limit).")
@click.option("--no-cache", is_flag=True, help="Recompile the corpus instead of reusing the cached graph.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the results here (atomically) instead of stdout.")
@max_input_option
@handle_errors
def query(text: str | None, file: Path | None, name: str | None, params: dict[str, str], corpus: Path | None,
          data: Path | None, data_format: str | None, engine: str, fmt: str | None, timeout: float, no_cache: bool,
          output: Path | None, max_input: int) -> None:
    """Run a read-only SPARQL query on the knowledge graph.

    Give the query inline (gsomia-kg query 'SELECT ...'), from a file (-f q.rq, -f - for stdin) or by name
    (-n timeline). The project's prefixes (gk, rdf, rdfs, owl, xsd, skos, prov, schema, dcterms, oa, time, ...)
    are pre-declared. Updates, SERVICE and FROM are refused before anything runs. ASK prints true or false and
    exits 0 or 1. Exit 2 on a bad query or parameter (with line and column), 3 on an internal error.
    """
    from gsomia_kg.query import get_named_query, load_graph, run_query
    from gsomia_kg.results import write
    from gsomia_kg.sparql_guard import scan

    given = [x for x in (text, file, name) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of: a QUERY argument, -f FILE, -n NAME")
    source = "<query>"
    if file is not None:
        text, source = _read_query_file(file)
    elif name is not None:
        named = get_named_query(name)
        text, source = named.text, f"queries/{named.name}.rq"
    info = scan(text, source)
    fmt = _choose_format(fmt, info.form, output)
    graph = load_graph(corpus=corpus_dir(corpus) if data is None else None, data=data, data_format=data_format,
                       engine=engine, use_cache=not no_cache, max_bytes=max_input)
    result = run_query(text if name is None else None, name=name, params=params, graph=graph, timeout=timeout,
                       source=source)
    payload = write(result, fmt, graph.prefixes)
    if output is None:
        stream = click.get_binary_stream("stdout")
        stream.write(payload)
        stream.flush()
    else:
        from gsomia_kg.atomic import write_atomic

        write_atomic(output, payload)
    if result.form == "ASK":
        sys.exit(EXIT_OK if result.boolean else EXIT_VIOLATIONS)


def _read_query_file(file: Path) -> tuple[str, str]:
    if str(file) == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        return file.read_text(encoding="utf-8"), str(file)
    except OSError as exc:
        raise GsomiaError(Problem(str(file), None, None, f"cannot read the query: {exc.strerror}")) from None
    except UnicodeDecodeError:
        raise GsomiaError(Problem(str(file), None, None, "the query file is not UTF-8")) from None


def _choose_format(fmt: str | None, form: str, output: Path | None) -> str:
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    if fmt is None:
        if graph_form:
            return "turtle"
        if form == "ASK":
            return "table"  # a bare true / false
        return "table" if output is None and sys.stdout.isatty() else "csv"
    fmt = ALIASES.get(fmt.lower(), fmt.lower())
    allowed = GRAPH_FORMATS if graph_form else SELECT_FORMATS
    if fmt not in allowed:
        raise GsomiaError(Problem("--format", None, None, f"{fmt!r} does not fit a {form} query",
                                  f"choose one of: {', '.join(allowed)}"))
    return fmt


@click.command()
@click.argument("name", required=False)
@handle_errors
def queries(name: str | None) -> None:
    """List the named queries, or print one (its header says what it answers and which parameters it takes).

    Run one with: gsomia-kg query -n NAME [--param KEY=VALUE ...]
    """
    from gsomia_kg.query import get_named_query, named_queries

    if name is not None:
        click.echo(get_named_query(name).text, nl=False)
        return
    library = named_queries()
    width = max((len(n) for n in library), default=0)
    for q in library.values():
        params = ", ".join(f"{p.name}={p.default}" if p.default else p.name for p in q.parameters)
        click.echo(f"{q.name.ljust(width)}  {q.title}" + (f"  [{params}]" if params else ""))
