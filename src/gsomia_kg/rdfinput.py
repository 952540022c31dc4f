"""Read RDF files given by users (``validate --data``, ``query --data``) safely and strictly.

pyoxigraph parses (strict, with line and column in errors, no network: remote JSON-LD contexts are refused);
RDF/XML with a DOCTYPE is refused before parsing (entity expansion costs minutes of CPU and gigabytes of memory in
the stock parsers); inputs over a size cap are refused. The result is an rdflib ``Graph`` (all named graphs
merged), with literals kept in their lexical form.
"""

from __future__ import annotations

import logging
import re
import stat
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


def _drop_literal_tracebacks(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("Failed to convert Literal lexical form to value")


def quiet_ill_typed_literals() -> None:
    """Stop rdflib logging a traceback for each ill-typed literal (``"2016-13-45"^^xsd:date``) it is given.

    User files may hold such literals; they are kept as written and validation reports them (``sh:datatype``).
    """
    logger = logging.getLogger("rdflib.term")
    if _drop_literal_tracebacks not in logger.filters:
        logger.addFilter(_drop_literal_tracebacks)


def parse_rdf_bytes(data: bytes, path: str, fmt: str) -> list:
    """Parse bytes into pyoxigraph quads, or raise ``GsomiaError`` with path:line:column."""
    import pyoxigraph as ox

    quiet_ill_typed_literals()  # the quads are usually turned into rdflib terms next

    # anywhere in the file: XML allows a prologue of comments of any length before the DOCTYPE
    if fmt == "rdfxml" and (m := re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE)):
        line = data.count(b"\n", 0, m.start()) + 1
        raise GsomiaError(Problem(path, line, m.start() - data.rfind(b"\n", 0, m.start()),
                                  "RDF/XML with a DOCTYPE or ENTITY declaration is refused",
                                  "entity expansion can exhaust memory; remove the DOCTYPE or convert to Turtle"))
    try:
        return list(ox.parse(data, format=getattr(ox.RdfFormat, FORMATS[fmt][0]), base_iri=None))
    except SyntaxError as exc:
        line, col = exc.lineno, exc.offset
        msg = str(exc.msg if hasattr(exc, "msg") else exc)
        msg = re.sub(r"^Parser error at line \d+ (column \d+|between columns \d+ and \d+): ", "", msg)
        hint = f"is the file really {fmt}? If not, give --data-format" if line in (None, 1) else "fix the syntax"
        if "UTF-8" in msg:
            hint = "save the file as UTF-8"
        msg = f"{fmt} syntax error: {msg}"
        if "LoadDocumentCallback" in msg or "remote context" in msg:
            msg, hint = "JSON-LD with a remote @context is refused (no network access)", \
                "inline the context, or use the one shipped with gsomia-kg"
            line, col = _context_position(data)
        raise GsomiaError(Problem(path, line, col, msg, hint)) from None
    except (ValueError, OSError) as exc:
        raise GsomiaError(Problem(path, None, None, f"cannot parse as {fmt}: {exc}")) from None


def _context_position(data: bytes) -> tuple[int | None, int | None]:
    """Line and column of the first ``@import``, else of the first ``@context`` naming a document."""
    m = re.search(rb'"@import"', data) or re.search(rb'"@context"\s*:\s*["\[]', data)
    if m is None:
        return None, None
    return data.count(b"\n", 0, m.start()) + 1, m.start() - data.rfind(b"\n", 0, m.start())


def read_capped(path: Path, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file or a pipe, refusing devices (``/dev/zero``) and anything over ``max_bytes``."""
    try:
        info = path.stat()
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            raise GsomiaError(Problem(str(path), None, None, "not a regular file", "give an RDF file"))
        if info.st_size > max_bytes:
            raise GsomiaError(Problem(str(path), None, None, f"file is {info.st_size:,} bytes, over the limit of "
                                      f"{max_bytes:,}", "query or validate a smaller file, or raise --max-input-size"))
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)  # a pipe has no size: read one byte past the limit at most
    except OSError as exc:
        raise GsomiaError(Problem(str(path), None, None, f"cannot read: {exc.strerror}")) from None
    if len(data) > max_bytes:
        raise GsomiaError(Problem(str(path), None, None, f"input is over the limit of {max_bytes:,} bytes",
                                  "query or validate a smaller file, or raise --max-input-size"))
    return data


def read_quads(path: str | Path, fmt: str | None = None, max_bytes: int | None = None) -> list:
    """Read one RDF file into pyoxigraph quads: format check, size cap (``max_bytes``, default
    ``MAX_INPUT_BYTES``), strict parse; errors name the file."""
    path = Path(path)
    name = format_name(path, fmt)
    return parse_rdf_bytes(read_capped(path, max_bytes or MAX_INPUT_BYTES), str(path), name)


def read_rdf(path: str | Path, fmt: str | None = None, max_bytes: int = MAX_INPUT_BYTES):
    """Read one RDF file into an rdflib ``Graph``; every failure is a ``GsomiaError`` naming the file."""
    import rdflib

    from gsomia_kg.serialize import rdflib_term

    quads = read_quads(path, fmt, max_bytes)
    rdflib.NORMALIZE_LITERALS = False
    graph = rdflib.Graph()
    graph.addN((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object), graph) for q in quads)
    return graph


def read_rdf_files(paths, fmt: str | None = None):
    """Read several RDF files into one rdflib ``Graph``."""
    import rdflib

    merged = rdflib.Graph()
    for p in paths:
        for t in read_rdf(p, fmt):
            merged.add(t)
    return merged
