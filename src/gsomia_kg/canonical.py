"""Fast conversion of an rdflib graph to pyoxigraph terms and to sorted, canonical N-Triples.

rdflib hashes its terms in Python, so a cache keyed by term costs more than the conversion it saves. Here each
distinct term *object* is converted once (keyed by ``id()``, the object kept alive while the cache lives), the
graph is walked subject by subject from rdflib's in-memory index when it is safe to do so, and N-Triples are
sorted per subject: subjects by their N-Triples text, then each subject's lines. That is the order of sorting every
line (the space after a subject sorts before any character that could continue a subject's text), at a fraction
of the cost. The bytes are those ``pyoxigraph`` writes for the sorted triples (checked by the tests).
"""

from __future__ import annotations

from collections.abc import Iterator

from gsomia_kg.bulk import no_gc


def _groups(graph) -> Iterator[tuple[object, dict]]:
    """``(subject, {predicate: objects})`` for every subject of ``graph``."""
    from rdflib import Graph
    from rdflib.plugins.stores.memory import Memory

    store = graph.store
    index = getattr(store, "_Memory__spo", None)
    # the store-wide index is the graph's own only for a plain Graph that holds every triple of its store
    if type(graph) is Graph and type(store) is Memory and isinstance(index, dict) and len(graph) == len(store):
        yield from index.items()
        return
    grouped: dict = {}
    for s, p, o in graph:
        grouped.setdefault(s, {}).setdefault(p, []).append(o)
    yield from grouped.items()


class TermCache:
    """pyoxigraph terms (and their N-Triples text) for rdflib terms, each distinct object converted once."""

    def __init__(self) -> None:
        import pyoxigraph

        self.ox = pyoxigraph
        self.terms: dict[int, object] = {}
        self.texts: dict[int, str] = {}
        self.keep: list = []  # the converted objects stay alive, so their ids are never reused

    def term(self, t):
        found = self.terms.get(id(t))
        if found is None:
            found = self.terms[id(t)] = self._convert(t)
            self.keep.append(t)
        return found

    def text(self, t) -> str:
        found = self.texts.get(id(t))
        if found is None:
            found = self.texts[id(t)] = str(self.term(t))
        return found

    def _convert(self, t):
        from gsomia_kg.serialize import _term

        return _term(t, self.ox)


def ox_triples(graph) -> list:
    """The triples of an rdflib graph as pyoxigraph ``Triple`` objects (in no particular order)."""
    cache = TermCache()
    term, get, triple = cache.term, cache.terms.get, cache.ox.Triple
    out: list = []
    with no_gc():
        for s, po in _groups(graph):
            ts = term(s)
            for p, objects in po.items():
                tp = term(p)
                out += [triple(ts, tp, get(id(o)) or term(o)) for o in objects]
    return out


def _subjects(graph, cache: TermCache) -> list[tuple[str, object, dict]]:
    """``(N-Triples text, subject, {predicate: objects})`` for every subject, sorted by text."""
    text, get = cache.text, cache.texts.get
    return sorted(((get(id(s)) or text(s), s, po) for s, po in _groups(graph)), key=lambda row: row[0])


def _lines(po: dict, cache: TermCache) -> list[tuple[tuple[str, str], tuple]]:
    """One subject's ``((predicate text, object text), (predicate, object))``, sorted, without duplicates.

    Sorting (predicate text, object text) pairs gives the order of the lines: an IRI's text ends with the only
    ``>`` it holds, so one predicate's text is never a proper prefix of another's.
    """
    text, get = cache.text, cache.texts.get
    rows: dict = {}
    for p, objects in po.items():
        pt = get(id(p)) or text(p)
        for o in objects:
            rows[(pt, get(id(o)) or text(o))] = (p, o)
    return sorted(rows.items())


def ntriples(graph) -> bytes:
    """The graph as N-Triples sorted by line (subject, predicate, object), without duplicate lines."""
    cache = TermCache()
    out: list[bytes] = []
    with no_gc():
        for st, _, po in _subjects(graph, cache):
            start = st + " "
            out.append("".join([f"{start}{pt} {ot} .\n" for (pt, ot), _ in _lines(po, cache)]).encode("utf-8"))
        return b"".join(out)


def sorted_ox_triples(graph) -> tuple[list, set[str]]:
    """The graph's triples as pyoxigraph ``Triple`` objects sorted by their N-Triples text (duplicates removed),
    and the IRIs they use (datatypes included): what a writer needs to choose its prefixes."""
    cache = TermCache()
    terms, triple = cache.terms, cache.ox.Triple
    out: list = []
    with no_gc():
        for _, s, po in _subjects(graph, cache):
            ts = terms[id(s)]
            out += [triple(ts, terms[id(p)], terms[id(o)]) for _, (p, o) in _lines(po, cache)]
        iris = set()
        for t in terms.values():
            value = getattr(t, "datatype", t).value if not isinstance(t, cache.ox.BlankNode) else None
            if value is not None:
                iris.add(value)
    return out, iris
