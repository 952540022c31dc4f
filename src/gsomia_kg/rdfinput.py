"""Read RDF files given by users (``validate --data``, ``query --data``) safely and strictly.

pyoxigraph parses (strict, with line and column in errors, no network: remote JSON-LD contexts are refused);
RDF/XML with a DOCTYPE is refused before parsing (entity expansion costs minutes of CPU and gigabytes of memory in
the stock parsers); inputs over a size cap are refused. The result is an rdflib ``Graph`` (all named graphs
merged), with literals kept in their lexical form.
"""

from __future__ import annotations

import re
from pathlib import Path

from gsomia_kg.errors import GsomiaError, Problem

MAX_INPUT_BYTES = 1024 * 1024 * 1024

# format name -> (pyoxigraph RdfFormat attribute, extensions)
FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("TURTLE", (".ttl", ".turtle")),
    "ntriples": ("N_TRIPLES", (".nt",)),
    "nquads": ("N_QUADS", (".nq",)),
    "trig": ("TRIG", (".trig",)),
    "rdfxml": ("RDF_XML", (".rdf", ".xml", ".owl")),
    "jsonld": ("JSON_LD", (".jsonld", ".json")),
}
ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads", "n-quads": "nquads",
           "xml": "rdfxml", "rdf/xml": "rdfxml", "json-ld": "jsonld"}


def format_name(path: Path, given: str | None) -> str:
    """The canonical format name from ``--data-format`` or the file extension."""
    if given:
        name = ALIASES.get(given.lower(), given.lower())
        if name not in FORMATS:
            raise GsomiaError(Problem(str(path), None, None, f"unknown RDF format {given!r}",
                                      f"use one of {', '.join(FORMATS)}"))
        return name
    suffix = path.suffix.lower()
    for name, (_, exts) in FORMATS.items():
        if suffix in exts:
            return name
    raise GsomiaError(Problem(str(path), None, None, f"cannot tell the RDF format from the extension {suffix!r}",
                              f"give --data-format ({', '.join(FORMATS)})"))


def parse_rdf_bytes(data: bytes, path: str, fmt: str) -> list:
    """Parse bytes into pyoxigraph quads, or raise ``GsomiaError`` with path:line:column."""
    import pyoxigraph as ox

    if fmt == "rdfxml" and re.search(rb"<!(DOCTYPE|ENTITY)", data[:1_000_000], re.IGNORECASE):
        raise GsomiaError(Problem(path, None, None, "RDF/XML with a DOCTYPE or ENTITY declaration is refused",
                                  "entity expansion can exhaust memory; remove the DOCTYPE or convert to Turtle"))
    try:
        return list(ox.parse(data, format=getattr(ox.RdfFormat, FORMATS[fmt][0]), base_iri=None))
    except SyntaxError as exc:
        line, col = exc.lineno, exc.offset
        msg = str(exc.msg if hasattr(exc, "msg") else exc)
        msg = re.sub(r"^Parser error at line \d+ column \d+: ", "", msg)
        hint = f"is the file really {fmt}? (use --data-format)" if line in (None, 1) else "fix the syntax"
        if "LoadDocumentCallback" in msg or "remote context" in msg:
            msg, hint = "JSON-LD with a remote @context is refused (no network access)", \
                "inline the context, or use the one shipped with gsomia-kg"
        raise GsomiaError(Problem(path, line, col, f"{fmt} syntax error: {msg}", hint)) from None
    except (ValueError, OSError) as exc:
        raise GsomiaError(Problem(path, None, None, f"cannot parse as {fmt}: {exc}")) from None


def read_rdf(path: str | Path, fmt: str | None = None, max_bytes: int = MAX_INPUT_BYTES):
    """Read one RDF file into an rdflib ``Graph``; every failure is a ``GsomiaError`` naming the file."""
    import rdflib

    from gsomia_kg.serialize import rdflib_term

    path = Path(path)
    name = format_name(path, fmt)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise GsomiaError(Problem(str(path), None, None, f"file is {size:,} bytes, over the limit of {max_bytes:,}"))
        data = path.read_bytes()
    except OSError as exc:
        raise GsomiaError(Problem(str(path), None, None, f"cannot read: {exc.strerror}")) from None
    rdflib.NORMALIZE_LITERALS = False
    graph = rdflib.Graph()
    graph.addN((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object), graph)
               for q in parse_rdf_bytes(data, str(path), name))
    return graph


def read_rdf_files(paths, fmt: str | None = None):
    """Read several RDF files into one rdflib ``Graph``."""
    import rdflib

    merged = rdflib.Graph()
    for p in paths:
        for t in read_rdf(p, fmt):
            merged.add(t)
    return merged
