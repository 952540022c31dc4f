"""The compiled graph as sorted, canonical N-Triples lines: what the compiler makes and the exports start from.

Every distinct term is spelled once, by pyoxigraph (which also checks IRIs), when the compiler first uses it; a
triple is three of those spellings and a line ``s p o .\\n``. The lines are sorted once, after compiling. That
order is the order of the N-Triples export, so writing N-Triples is joining lines, and the pyoxigraph store is
loaded from a stream of those bytes; no rdflib ``Graph`` is made unless a caller asks for one (``rdflib_graph``),
since one costs about 2 KB per triple. Sorting the lines as text sorts them by (subject, predicate, object): a term's
spelling is never followed by a character below the space that separates it from the next one.
"""

from __future__ import annotations

import bisect
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gsomia_kg.bulk import no_gc

_CHUNK = 65_536  # lines encoded at a time: one joined str of a whole large graph could take 4 bytes a character
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class LiteralText(str):
    """The N-Triples spelling of a literal (a ``str`` subclass, so a builder can tell it from an IRI string)."""

    __slots__ = ()


class _Table(dict):
    """key -> spelling, made on first use."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        text = self[key] = self.make(key)
        return text


class Terms:
    """Interned N-Triples spellings: ``iris[iri]`` and ``literals[(value, datatype, language)]``."""

    def __init__(self) -> None:
        import pyoxigraph as ox

        def literal(key: tuple[str, str | None, str | None]) -> LiteralText:
            value, datatype, language = key
            if language:
                return LiteralText(ox.Literal(value, language=language))
            return LiteralText(ox.Literal(value, datatype=ox.NamedNode(datatype or _XSD_STRING)))

        self.iris = _Table(lambda iri: str(ox.NamedNode(iri)))
        self.literals = _Table(literal)

    def used_iris(self) -> list[str]:
        """Every IRI spelled so far, literal datatypes included, sorted."""
        return sorted(set(self.iris) | {datatype or _XSD_STRING for _, datatype, language in self.literals
                                        if not language})


def split(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object spellings of an N-Triples line (only an object can hold spaces).

    >>> split('<https://ex.org/a> <https://ex.org/p> "a b" .\\n')
    ('<https://ex.org/a>', '<https://ex.org/p>', '"a b"')
    """
    s, p, o = line[:-3].split(" ", 2)
    return s, p, o


def encode(lines: Iterable[str]) -> bytes:
    """UTF-8 bytes of lines, joined a chunk at a time."""
    return b"".join(encoded(lines))


def encoded(lines: Iterable[str]) -> Iterator[bytes]:
    """UTF-8 bytes of lines, a chunk at a time (to write a large graph without holding it all as bytes)."""
    lines = lines if isinstance(lines, list) else list(lines)
    for i in range(0, len(lines), _CHUNK):
        yield "".join(lines[i:i + _CHUNK]).encode("utf-8")


def lines_of(triples: Iterable) -> list[str]:
    """Sorted, distinct N-Triples lines of pyoxigraph triples (as pyoxigraph spells them)."""
    import pyoxigraph as ox

    data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    return sorted(set(data.decode("utf-8").splitlines(keepends=True)))


def triples_of(lines: list[str]) -> list:
    """pyoxigraph ``Triple`` objects for N-Triples lines, in the same order."""
    import pyoxigraph as ox

    return [q.triple for q in ox.parse(encode(lines), format=ox.RdfFormat.N_TRIPLES)] if lines else []


def merge(*sorted_lists: list[str]) -> list[str]:
    """The sorted union of sorted, distinct lists of lines, without duplicates.

    With one list much larger than the others (the data and a few small graphs) the small ones are placed by
    bisection and the large one is copied in slices; otherwise timsort merges the runs in linear time.
    """
    if len(sorted_lists) == 1:
        return list(sorted_lists[0])
    big = max(sorted_lists, key=len)
    rest = sorted({line for lines in sorted_lists if lines is not big for line in lines})
    if len(rest) * 16 > len(big):
        joined = sorted(line for lines in sorted_lists for line in lines)
        return [line for i, line in enumerate(joined) if i == 0 or line != joined[i - 1]]
    out: list[str] = []
    start = 0
    for line in rest:
        i = bisect.bisect_left(big, line, start)
        out += big[start:i]
        start = i
        if i == len(big) or big[i] != line:
            out.append(line)
    out += big[start:]
    return out


class _LinesReader(io.RawIOBase):
    """A binary stream over lines, encoded a chunk at a time (a parser never holds the whole graph as bytes)."""

    def __init__(self, lines: list[str]):
        super().__init__()
        self.lines, self.next, self.buffer, self.at = lines, 0, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        if self.at == len(self.buffer):  # the reader asks for a few KB at a time: move an offset, never re-slice
            self.buffer, self.at = b"", 0
            while not self.buffer and self.next < len(self.lines):
                self.buffer = "".join(self.lines[self.next:self.next + _CHUNK]).encode("utf-8")
                self.next += _CHUNK
        n = min(len(target), len(self.buffer) - self.at)
        target[:n] = memoryview(self.buffer)[self.at:self.at + n]
        self.at += n
        return n


_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass
class Summary:
    """Counts of a set of distinct triples (N-Triples spellings), gathered as a compiler makes them
    (``SummaryMaker``) so that nobody re-splits a line for them; only counts and a few names are kept.

    ``groups`` counts triples by a key of their subject that the maker's ``group`` computes from the triples of
    some predicates: a named-graph split uses it to size its graphs without the lines.
    """

    subjects: int  # distinct subjects
    objects: int  # distinct objects
    predicates: frozenset[str]
    classes: dict[str, int]  # rdf:type object -> its number of rdf:type triples
    members: dict[str, list[str]]  # for the classes asked for: their subjects, sorted
    groups: dict  # group key (None: no key) -> number of triples
    grouping: str | None = None  # what the keys of ``groups`` are (None: no grouping, all under None)

    @classmethod
    def of(cls, triples: Iterable[tuple[str, str, str]], **options) -> Summary:
        """The summary of distinct ``(s, p, o)`` spellings (options as for ``SummaryMaker``)."""
        maker = SummaryMaker(**options)
        for s, p, o in triples:
            maker.add(s, p, o)
        return maker.summary()

    @classmethod
    def of_lines(cls, lines: Iterable[str], **options) -> Summary:
        """The summary of distinct N-Triples lines (options as for ``SummaryMaker``)."""
        return cls.of((split(line) for line in lines), **options)


class SummaryMaker:
    """Makes a ``Summary`` one distinct triple at a time (a compiler calls ``add`` as it finds new triples).

    ``group(found, members)``, with ``found`` the triples of each ``by_predicate`` predicate (predicate -> list)
    and ``members`` the subjects of each ``members_of`` class, returns subject -> group key; ``grouping`` names
    what the keys are. Everything but the counts is dropped when the summary is made.
    """

    def __init__(self, *, by_predicate: Iterable[str] = (), members_of: Iterable[str] = (), group=None,
                 grouping: str | None = None):
        self.per_subject: dict[str, int] = {}
        self.objects: set[str] = set()
        self.predicates: set[str] = set()
        self.classes: dict[str, int] = {}
        self.members: dict[str, list[str]] = {c: [] for c in members_of}
        self.found: dict[str, list[tuple[str, str, str]]] = {p: [] for p in by_predicate}
        self.group, self.grouping = group, grouping

    def add(self, s: str, p: str, o: str) -> None:
        """Count one triple (each distinct triple once)."""
        per_subject = self.per_subject
        per_subject[s] = per_subject.get(s, 0) + 1
        self.objects.add(o)
        self.predicates.add(p)
        if p == _RDF_TYPE:
            self.classes[o] = self.classes.get(o, 0) + 1
            listed = self.members.get(o)
            if listed is not None:
                listed.append(s)
        bucket = self.found.get(p)
        if bucket is not None:
            bucket.append((s, p, o))

    def summary(self) -> Summary:
        groups: dict = {None: sum(self.per_subject.values())}
        if self.group is not None:
            keys = self.group(self.found, self.members)
            counted: Counter = Counter()
            for subject, n in self.per_subject.items():
                counted[keys.get(subject)] += n
            groups = dict(counted)
        return Summary(len(self.per_subject), len(self.objects), frozenset(self.predicates), dict(self.classes),
                       {c: sorted(subjects) for c, subjects in self.members.items()}, groups,
                       self.grouping if self.group is not None else None)


class CompiledGraph:
    """Sorted, distinct N-Triples lines, the IRIs they use, the prefixes to show them with and their summary."""

    def __init__(self, lines: list[str], iris: list[str], prefixes: dict[str, str], summary: Summary | None = None):
        self.lines = lines
        self.iris = iris  # every IRI the terms use, datatypes included, sorted: what a writer picks prefixes from
        self.prefixes = prefixes
        self._summary = summary

    @classmethod
    def from_lines(cls, lines: Iterable[str], terms: Terms, prefixes: dict[str, str],
                   summary: Summary | None = None) -> CompiledGraph:
        """Distinct N-Triples lines (e.g. a set), the terms they were spelled with, and their summary."""
        with no_gc():
            ordered = sorted(lines)
        return cls(ordered, terms.used_iris(), prefixes, summary)

    @property
    def summary(self) -> Summary:
        if self._summary is None:
            self._summary = Summary.of_lines(self.lines)
        return self._summary

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines)

    def ntriples(self) -> bytes:
        """The graph as sorted N-Triples."""
        return encode(self.lines)

    def store(self, path: str | None = None):
        """A new pyoxigraph ``Store`` holding the triples in its default graph: in memory, or on disk at ``path``
        (an empty folder; about a third of the memory for large graphs). Blank nodes keep their labels."""
        import pyoxigraph as ox

        store = ox.Store(path) if path is not None else ox.Store()
        if self.lines:  # not Store.bulk_load, which renames blank nodes: the store and the lines name them alike
            store.bulk_extend(ox.parse(_LinesReader(self.lines), format=ox.RdfFormat.N_TRIPLES))
        return store

    def rdflib_graph(self):
        """The triples as an rdflib ``Graph`` with ``prefixes`` bound; literals keep their lexical forms."""
        return rdflib_graph_of(self.lines, self.prefixes)


def lines_by_predicate(lines: Iterable[str], predicates: Iterable[str]) -> dict[str, list[str]]:
    """Predicate spelling (``<iri>``) -> the lines with that predicate, for the predicates asked for (one pass)."""
    out: dict[str, list[str]] = {p: [] for p in predicates}
    for line in lines:
        bucket = out.get(line.split(" ", 2)[1])
        if bucket is not None:
            bucket.append(line)
    return out


def rdflib_graph_of(lines: list[str], prefixes: dict[str, str] | None = None):
    """N-Triples lines as an rdflib ``Graph``, read by pyoxigraph; literals keep their lexical forms."""
    import pyoxigraph as ox
    import rdflib

    from gsomia_kg.serialize import rdflib_term

    rdflib.NORMALIZE_LITERALS = False  # "007"^^xsd:integer stays "007"
    made: dict = {}  # each distinct term converted once

    def term(t):
        found = made.get(t)
        if found is None:
            found = made[t] = rdflib_term(t)
        return found

    graph = rdflib.Graph()
    for prefix, ns in (prefixes or {}).items():
        graph.bind(prefix, ns, override=True, replace=True)
    with no_gc():
        for i in range(0, len(lines), 100_000):
            data = encode(lines[i:i + 100_000])
            graph.store.addN([(term(q.subject), term(q.predicate), term(q.object), graph)
                              for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)])
    return graph  # the store's addN, not Graph.addN, which re-checks every term: ours are valid
