"""Split the compiled graph into named graphs: one per source, one of accepted facts, ontology and description.

A source's graph holds what that source says: the source node itself, every node with ``gk:accordingTo`` that
source (claims, statements, date specifications), and the evidence spans in its text with their selectors. The
facts graph holds everything else (entities, the plain accepted triples, participations, disagreements). Each
subject goes to one graph, so the union of the graphs is exactly the plain export.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

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


def partition(lines: list[str], base: str) -> dict[str, list[str]]:
    """Map each graph IRI to its N-Triples lines (sorted, as ``lines`` are), graphs in IRI order."""
    according, typed, has_source, has_selector = f"<{ACCORDING_TO}>", f"<{RDF_TYPE}>", f"<{HAS_SOURCE}>", \
        f"<{HAS_SELECTOR}>"
    source_class, span_class = f"<{SOURCE_CLASS}>", f"<{EVIDENCE_SPAN}>"
    owners: dict[str, set[str]] = defaultdict(set)  # subject -> source spellings whose graph it belongs to
    spans: set[str] = set()
    sources_of: dict[str, set[str]] = defaultdict(set)  # oa:hasSource
    selectors: list[tuple[str, str]] = []
    wanted = {according, typed, has_source, has_selector}
    for line in lines:
        s, p, o = line[:-3].split(" ", 2)  # inlined compiled.split: this loop runs once per triple
        if p not in wanted:
            continue
        if p == according:
            owners[s].add(o)
        elif p == typed:
            if o == source_class:
                owners[s].add(s)
            elif o == span_class:
                spans.add(s)
        elif p == has_source:
            sources_of[s].add(o)
        else:
            selectors.append((s, o))
    for span in spans:
        owners[span] |= sources_of.get(span, set())
    for span, selector in selectors:
        if span in spans:
            owners[selector] |= owners[span]
    graphs = {s: [source_graph(base, o[1:-1]) for o in sorted(sources)] for s, sources in owners.items() if sources}
    facts = facts_graph(base)
    parts: dict[str, list[str]] = defaultdict(list)
    for subject, group in groupby(lines, key=_subject):
        names = graphs.get(subject)
        if names is None:
            parts[facts].extend(group)
        elif len(names) == 1:
            parts[names[0]].extend(group)
        else:
            group = list(group)
            for name in names:
                parts[name].extend(group)
    return dict(sorted(parts.items()))


def _subject(line: str) -> str:
    return line[:line.index(" ")]


def quads(parts: dict[str, list]) -> list:
    """Triples per graph IRI (pyoxigraph ``Triple`` objects) as pyoxigraph ``Quad`` objects."""
    import pyoxigraph as ox

    out = []
    for graph, triples in parts.items():
        name = ox.NamedNode(graph)
        out.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    return out
