"""``gsomia-kg load``: send the graph to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol."""

from __future__ import annotations

import re
from pathlib import Path

import click

from gsomia_kg.commands.export import base_option, no_description_option, with_ontology_option
from gsomia_kg.commands.options import corpus_dir, corpus_option, handle_errors, quiet_option
from gsomia_kg.errors import GsomiaError, Problem


@click.command()
@corpus_option
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph) or "
                   "http://localhost:3030/ds/data (Fuseki).")
@click.option("--graph", "graph", metavar="IRI", default=None,
              help="Load everything into this one named graph instead of one graph per source.")
@click.option("--default-graph", is_flag=True, help="Load everything into the store's default graph.")
@click.option("--replace", is_flag=True, help="Replace each target graph (PUT) instead of adding to it (POST).")
@with_ontology_option
@base_option
@no_description_option
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds to wait for each request.")
@quiet_option
@handle_errors
def load(corpus: Path | None, endpoint: str, graph: str | None, default_graph: bool, replace: bool,
         with_ontology: bool, base: str | None, no_description: bool, timeout: float, quiet: bool) -> None:
    """Load the graph into a triple store over HTTP (SPARQL 1.1 Graph Store Protocol).

    By default each named graph of the export is sent on its own (N-Triples, one request per graph): the claims
    and evidence of each source in <base>graph/source/<id>, the accepted facts in <base>graph/facts, the
    description in <base>graph/description and, with --with-ontology, the ontology in <base>graph/ontology.
    --graph IRI or --default-graph send the whole union to one graph. Without --replace the triples are added
    (POST); with it each target graph is replaced (PUT). Exit 0 on success, 2 if the store is down or refuses.
    """
    from gsomia_kg import gsp
    from gsomia_kg.compiled import encode, merge
    from gsomia_kg.export import compile_with_meta, line_parts

    if graph is not None and default_graph:
        raise click.UsageError("give --graph or --default-graph, not both")
    gsp.check_endpoint(endpoint)
    if graph is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", graph):
        raise GsomiaError(Problem("--graph", None, None, f"graph name {graph!r} is not an absolute IRI",
                                  "e.g. --graph https://example.org/gsomia"))
    result, meta = compile_with_meta(corpus_dir(corpus))
    parts = line_parts(result, meta=meta, with_ontology=with_ontology, base=base, description=not no_description)
    if graph is not None or default_graph:
        parts = {graph: merge(*parts.values())}
    send = gsp.put if replace else gsp.post
    for target, triples in parts.items():
        response = send(endpoint, target, encode(triples), timeout=timeout)
        if not quiet:
            where = "default graph" if target is None else f"<{target}>"
            click.echo(f"{'replaced' if replace else 'added'} {len(triples)} triples in {where} "
                       f"(HTTP {response.status})", err=True)
