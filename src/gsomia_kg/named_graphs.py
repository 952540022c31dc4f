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
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


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


# the predicates and classes that decide which graph a subject belongs to
OWNER_PREDICATES = (f"<{ACCORDING_TO}>", f"<{HAS_SOURCE}>", f"<{HAS_SELECTOR}>")
OWNER_CLASSES = (f"<{SOURCE_CLASS}>", f"<{EVIDENCE_SPAN}>")
GROUPING = "source graphs"


def summary_options() -> dict:
    """``Summary``/``SummaryMaker`` options that count triples per set of source graphs (see ``sizes``)."""
    return {"by_predicate": OWNER_PREDICATES, "members_of": OWNER_CLASSES, "group": owner_keys,
            "grouping": GROUPING}


def owner_keys(found: dict[str, list[tuple[str, str, str]]],
               members: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Subject spelling -> the sorted spellings of the sources whose graphs it belongs to (facts: left out).

    ``found``: the triples of each of ``OWNER_PREDICATES``; ``members``: the subjects of each of ``OWNER_CLASSES``.
    """
    according, has_source, has_selector = OWNER_PREDICATES
    pairs = [(s, o) for s, _, o in found[according]]
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

    source_class, span_class = OWNER_CLASSES
    for s in members[source_class]:
        add(s, s)
    spans = set(members[span_class])
    for s, _, o in found[has_source]:
        if s in spans:
            add(s, o)
    for span, _, selector in found[has_selector]:
        if span in spans:
            for o in several.get(span, ()) or ((owner[span],) if span in owner else ()):
                add(selector, o)
    keys = {s: (o,) for s, o in owner.items()}
    for s, sources in several.items():
        keys[s] = tuple(sorted(sources))
    return keys


def sizes(summary: Summary, base: str) -> dict[str, int]:
    """Graph IRI -> its number of triples, as ``partition`` makes them, from a summary made with
    ``summary_options()`` (no line is read)."""
    if summary.grouping != GROUPING:
        raise ValueError("the summary does not count triples per source graph: make it with summary_options()")
    out: dict[str, int] = defaultdict(int)
    for key, n in summary.groups.items():
        for name in _graphs(key, base):
            out[name] += n
    return dict(sorted(out.items()))


def _graphs(key: tuple[str, ...] | None, base: str) -> list[str]:
    return [facts_graph(base)] if key is None else [source_graph(base, o[1:-1]) for o in key]


def partition(lines: list[str], base: str) -> dict[str, list[str]]:
    """Map each graph IRI to its N-Triples lines (sorted, as ``lines`` are), graphs in IRI order."""
    found: dict[str, list] = {p: [] for p in OWNER_PREDICATES}
    members: dict[str, list[str]] = {c: [] for c in OWNER_CLASSES}
    for line in lines:
        s, p, o = line[:-3].split(" ", 2)  # inlined compiled.split: this loop runs once per triple
        bucket = found.get(p)
        if bucket is not None:
            bucket.append((s, p, o))
        elif p == _TYPE and o in members:
            members[o].append(s)
    keys = owner_keys(found, members)
    del found, members
    named: dict = {}  # key -> graph IRIs, made once per distinct key
    parts: dict[str, list[str]] = defaultdict(list)
    for subject, group in groupby(lines, key=_subject):
        key = keys.get(subject)
        names = named.get(key)
        if names is None:
            names = named[key] = _graphs(key, base)
        if len(names) == 1:
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
