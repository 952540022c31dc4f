"""Split the compiled graph into named graphs: one per source, one of accepted facts, ontology and description.

A source's graph holds what that source says: the source node itself, every node with ``gk:accordingTo`` that
source (claims, statements, date specifications), and the evidence spans in its text with their selectors. The
facts graph holds everything else (entities, the plain accepted triples, participations, disagreements). Each
subject goes to one graph, so the union of the graphs is exactly the plain export.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from gsomia_kg.compiled import Summary
from gsomia_kg.iris import slugify
from gsomia_kg.namespaces import GK, OA

ACCORDING_TO, SOURCE_CLASS = GK + "accordingTo", GK + "Source"
HAS_SOURCE, HAS_SELECTOR, EVIDENCE_SPAN = OA + "hasSource", OA + "hasSelector", GK + "EvidenceSpan"


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


# the predicates whose (subject, object) pairs decide which graph a subject belongs to (``Summary.pairs``)
OWNER_PREDICATES = (f"<{ACCORDING_TO}>", f"<{HAS_SOURCE}>", f"<{HAS_SELECTOR}>")


def owners(summary: Summary, base: str) -> dict[str, tuple[str, ...]]:
    """Subject spelling -> the IRIs of the source graphs it belongs to (subjects of the facts graph are left out).

    ``summary`` must keep the pairs of ``OWNER_PREDICATES`` (``CompiledGraph.from_triples(..., pairs_of=...)``).
    """
    according, has_source, has_selector = OWNER_PREDICATES
    pairs = summary.pairs[according]
    owner = dict(pairs)  # subject -> its source; most subjects have one, so sets are made only for the others
    several: dict[str, set[str]] = {}
    if len(owner) != len(pairs):
        for s, o in pairs:
            if owner[s] != o:
                several.setdefault(s, {owner[s]}).add(o)

    def add(s: str, o: str) -> None:
        if s in several:
            several[s].add(o)
        elif s not in owner:
            owner[s] = o
        elif owner[s] != o:
            several[s] = {owner[s], o}

    for s in summary.instances.get(f"<{SOURCE_CLASS}>", ()):
        add(s, s)
    spans = set(summary.instances.get(f"<{EVIDENCE_SPAN}>", ()))
    for s, o in summary.pairs[has_source]:
        if s in spans:
            add(s, o)
    for span, selector in summary.pairs[has_selector]:
        if span in spans:
            for o in several.get(span, ()) or ((owner[span],) if span in owner else ()):
                add(selector, o)
    names = {o: (source_graph(base, o[1:-1]),) for o in set(owner.values())}
    found = {s: names[o] for s, o in owner.items()}
    for s, sources in several.items():
        found[s] = tuple(source_graph(base, o[1:-1]) for o in sorted(sources))
    return found


def sizes(summary: Summary, base: str) -> dict[str, int]:
    """Graph IRI -> its number of triples, as ``partition`` would make them, without touching the lines."""
    graphs = owners(summary, base)
    out: dict[str, int] = defaultdict(int)
    facts = 0
    for subject, n in summary.subjects.items():
        names = graphs.get(subject)
        if names is None:
            facts += n
        else:
            for name in names:
                out[name] += n
    if facts:
        out[facts_graph(base)] = facts
    return dict(sorted(out.items()))


def partition(lines: list[str], base: str, summary: Summary | None = None) -> dict[str, list[str]]:
    """Map each graph IRI to its N-Triples lines (sorted, as ``lines`` are), graphs in IRI order.

    ``summary``: the lines' ``Summary`` with the pairs of ``OWNER_PREDICATES`` (made from the lines if not given).
    """
    if summary is None:
        summary = Summary.of_lines(lines, OWNER_PREDICATES)
    graphs = owners(summary, base)
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
