"""Deterministic serialization: the same graph gives the same bytes in every format.

rdflib's writers follow hash or insertion order, and its Turtle writer orders subjects by reference count, so one
new link reshuffles the file. Instead, triples are converted to pyoxigraph terms, sorted once by their canonical
N-Triples form (subject, predicate, object; quads by graph first). N-Triples, N-Quads and RDF/XML are written by
pyoxigraph, which keeps that order and is 25-50x faster than rdflib (it lists RDF/XML namespace declarations in
hash order, so only the prefixes in use are passed and their declarations are sorted afterwards). Turtle and TriG
have a small writer of their own: pyoxigraph abbreviates ``"007"^^xsd:integer`` to the bare token ``007``, which
rdflib reads back as ``"7"``, so only canonical integers and booleans are abbreviated here.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from itertools import groupby

from gsomia_kg.namespaces import PREFIXES

# format name -> pyoxigraph RdfFormat attribute (JSON-LD has its own writer: gsomia_kg.jsonld)
OX_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "rdfxml": "RDF_XML"}
DATASET_FORMATS = frozenset({"nquads", "trig"})
_XMLNS = re.compile(r'\s(xmlns(?::[\w.-]+)?="[^"]*")')
_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_SHORT_LITERAL = {"http://www.w3.org/2001/XMLSchema#integer": re.compile(r"^-?(0|[1-9][0-9]*)$"),
                  "http://www.w3.org/2001/XMLSchema#boolean": re.compile(r"^(true|false)$")}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _term(t, ox):
    from rdflib import BNode, Literal, URIRef

    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)) if t.datatype else None)
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    raise TypeError(f"unexpected RDF term {t!r}")


def ox_term(t):
    """An rdflib term as a pyoxigraph term (``xsd:string`` and untyped literals become the same term)."""
    import pyoxigraph as ox

    return _term(t, ox)


def rdflib_term(t):
    """A pyoxigraph term as an rdflib term, keeping the literal's lexical form and explicit ``xsd:string``."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    raise TypeError(f"unexpected RDF term {t!r}")


def ox_triples(graph) -> list:
    """The triples of an rdflib graph as pyoxigraph ``Triple`` objects, unsorted (see ``gsomia_kg.canonical``)."""
    from gsomia_kg.canonical import ox_triples as convert

    return convert(graph)


def sort_triples(triples: Iterable) -> list:
    """Triples sorted by their N-Triples form, duplicates removed."""
    return sorted(set(triples), key=str)


def used_prefixes(statements: Iterable, prefixes: dict[str, str] | None = None) -> dict[str, str]:
    """The prefixes whose namespace starts some IRI (or datatype) of ``statements``, in alphabetical order."""
    import pyoxigraph as ox

    iris: set[str] = set()
    for st in statements:
        terms = [st.subject, st.predicate, st.object] + ([st.graph_name] if isinstance(st, ox.Quad) else [])
        for t in terms:
            if isinstance(t, ox.NamedNode):
                iris.add(t.value)
            elif isinstance(t, ox.Literal):
                iris.add(t.datatype.value)
    return prefixes_for(iris, prefixes)


def prefixes_for(iris: Iterable[str], prefixes: dict[str, str] | None = None) -> dict[str, str]:
    """The prefixes whose namespace starts one of ``iris``, in alphabetical order."""
    prefixes = PREFIXES if prefixes is None else prefixes
    ordered = sorted(iris)

    def used(ns: str) -> bool:  # the first IRI not below ns in sort order starts with ns, if any does
        i = bisect.bisect_left(ordered, ns)
        return i < len(ordered) and ordered[i].startswith(ns)

    namespaces = {ns for ns in prefixes.values() if used(ns)}
    return {p: ns for p, ns in sorted(prefixes.items()) if ns in namespaces}


def sort_xmlns(data: bytes) -> bytes:
    """Put pyoxigraph's RDF/XML namespace declarations (written in hash order) in alphabetical order."""
    text = data.decode("utf-8")
    start = text.find("<rdf:RDF")
    end = text.find(">", start)
    if start < 0 or end < 0:
        return data
    tag = text[start:end]
    attrs = sorted(_XMLNS.findall(tag))
    return (text[:start] + _XMLNS.sub("", tag) + "".join(" " + a for a in attrs) + text[end:]).encode("utf-8")


class _TurtleTerms:
    """Turtle spellings of N-Triples terms: prefixed names where the local part is safe, else ``<IRI>``."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.spelled: dict[str, str] = {}  # IRIs repeat (predicates, types, subjects): spell each once

    def iri(self, value: str) -> str:
        found = self.spelled.get(value)
        if found is None:
            found = self.spelled[value] = self._iri(value)
        return found

    def _iri(self, value: str) -> str:
        for prefix, ns in self.prefixes:
            if value.startswith(ns) and _PN_LOCAL.match(value[len(ns):]):
                return f"{prefix}:{value[len(ns):]}"
        return f"<{value}>"  # pyoxigraph has already checked the IRI: nothing to escape

    def term(self, text: str) -> str:
        """The Turtle for an N-Triples term (N-Triples escapes are valid Turtle)."""
        first = text[0]
        if first == "<":
            return self.iri(text[1:-1])
        if first != '"' or text[-1] != ">":
            return text  # a plain or language-tagged literal, or a blank node
        quoted, _, datatype = text.rpartition("^^")  # an IRI cannot hold "^", so this is the datatype's "^^"
        datatype = datatype[1:-1]
        short = _SHORT_LITERAL.get(datatype)
        if short is not None and short.match(quoted[1:-1]):
            return quoted[1:-1]
        return f"{quoted}^^{self.iri(datatype)}"


_RDF_TYPE_TEXT = f"<{_RDF_TYPE}>"


def _subject_of(line: str) -> str:
    return line[:line.index(" ")]


def _turtle_blocks(lines: list[str], terms: _TurtleTerms, indent: str) -> Iterator[str]:
    """Subject blocks for sorted N-Triples lines: ``a`` first, then predicates by IRI, one object per line."""
    from gsomia_kg.compiled import split

    for subject, group in groupby(lines, key=_subject_of):
        by_predicate: dict[str, list] = {}
        for line in group:
            _, p, o = split(line)
            by_predicate.setdefault(p, []).append(o)  # objects arrive sorted: the lines are
        order = sorted(by_predicate, key=lambda p: (p != _RDF_TYPE_TEXT, p[1:-1]))
        out = []
        for i, predicate in enumerate(order):
            name = "a" if predicate == _RDF_TYPE_TEXT else terms.term(predicate)
            objects = [terms.term(o) for o in by_predicate[predicate]]
            head = f"{indent}{terms.term(subject)} " if i == 0 else f"{indent}\t"
            end = " ." if i == len(order) - 1 else " ;"
            out.append(f"{head}{name} {objects[0]}" + "".join(f" ,\n{indent}\t\t{o}" for o in objects[1:]) + end)
        yield "\n".join(out) + "\n"


def turtle(lines: list[str], prefixes: dict[str, str]) -> bytes:
    """Turtle for sorted, distinct N-Triples lines, declaring ``prefixes`` (those in use: see ``prefixes_for``)."""
    return b"".join(turtle_chunks(lines, prefixes))


def turtle_chunks(lines: list[str], prefixes: dict[str, str], blocks_per_chunk: int = 20_000) -> Iterator[bytes]:
    """``turtle`` as UTF-8 chunks, a few thousand subject blocks each (a large graph is never held as one text)."""
    from gsomia_kg.bulk import no_gc

    terms = _TurtleTerms(prefixes)
    yield "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode("utf-8")
    with no_gc():
        chunk: list[str] = []
        for block in _turtle_blocks(lines, terms, ""):
            chunk.append("\n" + block)
            if len(chunk) == blocks_per_chunk:
                yield "".join(chunk).encode("utf-8")
                chunk = []
        if chunk:
            yield "".join(chunk).encode("utf-8")


def dataset_prefixes(graphs: dict[str, list[str]], prefixes: dict[str, str] | None = None) -> dict[str, str]:
    """The prefixes a TriG of these named graphs (graph IRI -> N-Triples lines) uses, graph names included."""
    return prefixes_for(line_iris(line for lines in graphs.values() for line in lines) | set(graphs), prefixes)


def trig(graphs: dict[str, list[str]], prefixes: dict[str, str]) -> bytes:
    """TriG for named graphs (graph IRI -> sorted, distinct N-Triples lines), graphs in N-Quads order."""
    terms = _TurtleTerms(prefixes)
    out = [f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()]
    for graph in sorted(graphs, key=lambda g: f"<{g}>"):
        blocks = list(_turtle_blocks(graphs[graph], terms, "\t"))
        out.append(f"\n{terms.iri(graph)} {{\n" + "\n".join(blocks) + "}\n")
    return "".join(out).encode("utf-8")


def nquads(graphs: dict[str, list[str]]) -> bytes:
    """N-Quads for named graphs (graph IRI -> sorted, distinct N-Triples lines), sorted by graph then triple."""
    from gsomia_kg.compiled import encode

    out: list[bytes] = []
    for graph in sorted(graphs, key=lambda g: f"<{g}>"):
        name = f" <{graph}> .\n"
        out.append(encode([line[:-3] + name for line in graphs[graph]]))
    return b"".join(out)


def line_iris(lines: Iterable[str]) -> set[str]:
    """The IRIs of N-Triples lines, datatypes included."""
    from gsomia_kg.compiled import split

    iris: set[str] = set()
    for line in lines:
        for text in split(line):
            if text[0] == "<":
                iris.add(text[1:-1])
            elif text[-1] == ">":
                iris.add(text[text.rindex("^^") + 3:-1])
    return iris


def write(statements: Iterable, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialize pyoxigraph triples (or quads, for N-Quads/TriG) in ``fmt``, sorted, with stable declarations."""
    import pyoxigraph as ox

    from gsomia_kg.compiled import lines_of

    if fmt not in OX_FORMATS:
        raise ValueError(f"unsupported format {fmt!r}")
    if fmt in DATASET_FORMATS:
        by_graph: dict[str, list] = {}
        for q in statements:
            by_graph.setdefault(q.graph_name.value, []).append(q.triple)
        graphs = {g: lines_of(ts) for g, ts in by_graph.items()}
        if fmt == "nquads":
            return nquads(graphs)
        return trig(graphs, dataset_prefixes(graphs, prefixes))
    items = sort_triples(statements)
    if fmt == "ntriples":
        return ox.serialize(items, format=ox.RdfFormat.N_TRIPLES)
    used = used_prefixes(items, prefixes)
    if fmt == "turtle":
        return turtle(lines_of(items), used)
    return sort_xmlns(ox.serialize(items, format=ox.RdfFormat.RDF_XML, prefixes=used))


def to_ntriples(graph) -> bytes:
    """Sorted N-Triples: the bytes ``write(ox_triples(graph), "ntriples")`` gives, 4-5x faster."""
    from gsomia_kg.canonical import ntriples

    return ntriples(graph)


def to_turtle(graph, base: str | None = None) -> bytes:
    """Sorted, prefixed Turtle of an rdflib graph or a ``CompiledGraph``; ``base`` declares the empty prefix.

    The bytes of ``write(ox_triples(graph), "turtle", prefixes)``; a compiled graph is written from its lines.
    """
    return b"".join(to_turtle_chunks(graph, base))


def to_turtle_chunks(graph, base: str | None = None) -> Iterator[bytes]:
    """``to_turtle`` as byte chunks (made a chunk at a time for a ``CompiledGraph``)."""
    from gsomia_kg.canonical import sorted_ox_triples
    from gsomia_kg.compiled import CompiledGraph, lines_of

    prefixes = dict(PREFIXES)
    if base:
        prefixes[""] = base
    if isinstance(graph, CompiledGraph):
        yield from turtle_chunks(graph.lines, prefixes_for(graph.iris, prefixes))
        return
    items, iris = sorted_ox_triples(graph)
    yield turtle(lines_of(items), prefixes_for(iris, prefixes))
