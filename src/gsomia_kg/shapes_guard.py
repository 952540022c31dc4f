"""Refuse SHACL shapes whose SPARQL could reach the network or change data, before any SHACL engine runs them.

pySHACL refuses a constraint that contains ``SERVICE`` as written, but rdflib applies ``\\u`` escapes when it parses
the query, so ``SERVIC\\u0045`` gets through and rdflib sends the request (measured: an HTTP POST to the named
URL). Every SHACL-SPARQL text is therefore scanned with ``sparql_guard.scan`` (which reads both forms), and SHACL
rules that update (``sh:update``) are refused outright.
"""

from __future__ import annotations

from gsomia_kg.errors import GsomiaError, Problem
from gsomia_kg.namespaces import PREFIXES

SH = PREFIXES["sh"]
QUERY_PROPERTIES = ("select", "ask", "construct")


def check_shapes_sparql(shapes) -> int:
    """Raise ``GsomiaError`` listing every unsafe SHACL-SPARQL text in the rdflib graph ``shapes``.

    Returns the number of SPARQL texts checked.
    """
    from rdflib import URIRef

    from gsomia_kg.sparql_guard import scan

    problems: list[Problem] = []
    checked = 0
    for prop in QUERY_PROPERTIES:
        for node, text in sorted(shapes.subject_objects(URIRef(SH + prop)), key=lambda t: (str(t[0]), str(t[1]))):
            checked += 1
            try:
                scan(str(text), f"{_name(shapes, node)} sh:{prop}")
            except GsomiaError as exc:
                problems.extend(exc.problems)
    for node in sorted(set(shapes.subjects(URIRef(SH + "update"), None)), key=str):
        problems.append(Problem(f"{_name(shapes, node)} sh:update", None, None,
                                "SHACL rules that update data are refused", "validation is read-only"))
    if problems:
        raise GsomiaError(problems)
    return checked


def _name(shapes, node) -> str:
    """The shape that owns a SPARQL constraint (``shape sh:sparql node``), else the node itself."""
    from rdflib import BNode, URIRef

    owner = next(iter(shapes.subjects(URIRef(SH + "sparql"), node)), None)
    named = owner if owner is not None and not isinstance(owner, BNode) else node
    return f"<{named}>" if not isinstance(named, BNode) else "a SHACL-SPARQL constraint"
