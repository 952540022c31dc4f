"""Split the compiled graph into named graphs: one per source, one of accepted facts, ontology and description.

A source's graph holds what that source says: the source node itself, every node with ``gk:accordingTo`` that
source (claims, statements, date specifications), and the evidence spans in its text with their selectors. The
facts graph holds everything else (entities, the plain accepted triples, participations, disagreements). Each
subject goes to one graph, so the union of the graphs is exactly the plain export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from gsomia_kg.iris import slugify
from gsomia_kg.namespaces import GK, OA, RDF

ACCORDING_TO, SOURCE_CLASS = GK + "accordingTo", GK + "Source"
HAS_SOURCE, HAS_SELECTOR, EVIDENCE_SPAN = OA + "hasSource", OA + "hasSelector", GK + "EvidenceSpan"
RDF_TYPE = RDF + "type"


def facts_graph(base: str) -> str:
    return f"{base}graph/facts"


def ontology_graph(base: str) -> str:
    return f"{base}graph/ontology"


def description_graph(base: str) -> str:
    return f"{base}graph/description"


def source_graph(base: str, source_iri: str) -> str:
    """``<base>graph/source/<id>`` for the source ``<base>source/<id>``.

    >>> source_graph("https://ex.org/", "https://ex.org/source/daily-report")
    'https://ex.org/graph/source/daily-report'
    """
    prefix = f"{base}source/"
    ident = source_iri[len(prefix):]
    if not source_iri.startswith(prefix) or not ident or "/" in ident:
        ident = slugify(source_iri)
    return f"{base}graph/source/{ident}"


def _objects(triples: Iterable, predicate: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for t in triples:
        if t.predicate.value == predicate:
            found[t.subject.value].add(t.object.value)
    return found


def partition(triples: list, base: str) -> dict[str, list]:
    """Map each graph IRI to its triples (pyoxigraph ``Triple`` objects), graphs and triples in stable order."""
    owners: dict[str, set[str]] = defaultdict(set)  # subject -> source IRIs whose graph it belongs to
    for subject, sources in _objects(triples, ACCORDING_TO).items():
        owners[subject] |= sources
    types = _objects(triples, RDF_TYPE)
    for subject, classes in types.items():
        if SOURCE_CLASS in classes:
            owners[subject].add(subject)
    has_source = _objects(triples, HAS_SOURCE)
    spans = {s for s, classes in types.items() if EVIDENCE_SPAN in classes}
    for span in spans:
        owners[span] |= has_source.get(span, set())
    for span, selectors in _objects(triples, HAS_SELECTOR).items():
        if span in spans:
            for selector in selectors:
                owners[selector] |= owners[span]
    parts: dict[str, list] = defaultdict(list)
    facts = facts_graph(base)
    for t in triples:
        sources = owners.get(t.subject.value)
        if not sources:
            parts[facts].append(t)
        for source in sorted(sources or ()):
            parts[source_graph(base, source)].append(t)
    return {g: sorted(ts, key=str) for g, ts in sorted(parts.items())}


def quads(parts: dict[str, list]) -> list:
    """Triples per graph IRI as pyoxigraph ``Quad`` objects."""
    import pyoxigraph as ox

    out = []
    for graph, triples in parts.items():
        name = ox.NamedNode(graph)
        out.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    return out
