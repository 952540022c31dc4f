"""The fast serialization paths (``gsomia_kg.canonical``) give exactly the bytes of the plain pyoxigraph path."""

from __future__ import annotations

import gc

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef

from gsomia_kg import canonical
from gsomia_kg.bulk import no_gc
from gsomia_kg.namespaces import PREFIXES
from gsomia_kg.serialize import ox_term, prefixes_for, to_ntriples, to_turtle, write

XSD = "http://www.w3.org/2001/XMLSchema#"


def reference_triples(graph) -> list:
    """The obvious way: convert every term, sort by N-Triples text, drop duplicates."""
    return sorted({ox.Triple(ox_term(s), ox_term(p), ox_term(o)) for s, p, o in graph}, key=str)


def reference_ntriples(graph) -> bytes:
    return ox.serialize(reference_triples(graph), format=ox.RdfFormat.N_TRIPLES)


def tricky_graph(store: str = "default") -> rdflib.Graph:
    g = rdflib.Graph(store=store)
    s, s2, p, q = (URIRef("http://ex.org/a"), URIRef("http://ex.org/a-b"), URIRef("http://ex.org/p"),
                   URIRef("http://ex.org/p#x"))
    for o in (Literal("x"), Literal("x", datatype=URIRef(XSD + "string")),  # twins: one N-Triples line
              Literal("x", lang="en"), Literal("x", lang="en-gb"), Literal("007", datatype=URIRef(XSD + "integer")),
              Literal('quote " and \\ backslash\nnew line\ttab \u00a0 “curly” é 日本'), Literal(""),
              URIRef("http://ex.org/a"), BNode("b1"), BNode("b12")):
        g.add((s, p, o))
        g.add((s2, q, o))
    g.add((BNode("b1"), p, Literal("blank subject")))
    g.add((BNode("b12"), p, Literal("another")))
    return g


@pytest.mark.parametrize("store", ["default", "SimpleMemory"])  # the index walk, and the plain iteration
def test_tricky_graph_same_bytes(store):
    g = tricky_graph(store)
    data = to_ntriples(g)
    assert data == reference_ntriples(g)
    assert data.count(b'<http://ex.org/a> <http://ex.org/p> "x" .\n') == 1  # the twins were merged
    assert canonical.sorted_ox_triples(g)[0] == reference_triples(g)


def test_dataset_graphs_use_their_own_triples():
    ds = rdflib.Dataset()
    one = ds.graph(URIRef("http://ex.org/g1"))
    other = ds.graph(URIRef("http://ex.org/g2"))
    one.add((URIRef("http://ex.org/s"), URIRef("http://ex.org/p"), Literal("in g1")))
    other.add((URIRef("http://ex.org/s"), URIRef("http://ex.org/p"), Literal("in g2")))
    assert b"in g2" not in to_ntriples(one)
    assert to_ntriples(one) == reference_ntriples(one)


def test_compiled_corpora_same_bytes(tiny_build, shipped_build):
    for built in (tiny_build, shipped_build):
        g = built.graph
        assert to_ntriples(g) == reference_ntriples(g)
        items = reference_triples(g)
        for base in (None, "https://example.org/base/"):
            prefixes = {**PREFIXES, **({"": base} if base else {})}
            assert to_turtle(g, base) == write(items, "turtle", prefixes)


def test_ox_triples_are_the_graph():
    g = tricky_graph()
    assert set(canonical.ox_triples(g)) == set(reference_triples(g))


def test_prefixes_for_finds_only_used_namespaces():
    prefixes = {"ex": "http://ex.org/", "exa": "http://ex.org/a/", "other": "http://other.org/"}
    assert prefixes_for(["http://ex.org/a/1"], prefixes) == {"ex": "http://ex.org/", "exa": "http://ex.org/a/"}
    assert prefixes_for(["http://ex.org/b"], prefixes) == {"ex": "http://ex.org/"}
    assert prefixes_for([], prefixes) == {}


def test_no_gc_restores_the_collector():
    assert gc.isenabled()
    with no_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with no_gc():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
    with pytest.raises(ValueError), no_gc():
        raise ValueError
    assert gc.isenabled()


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_iri = st.sampled_from(["http://ex.org/a", "http://ex.org/a-b", "http://ex.org/a/b", "http://ex.org/a#b",
                        "http://ex.org/é", "urn:x:1", "http://ex.org/a.b"]).map(URIRef)
_literal = st.one_of(
    _text.map(Literal),
    _text.map(lambda t: Literal(t, datatype=URIRef(XSD + "string"))),
    st.tuples(_text, st.sampled_from(["en", "en-GB", "ko"])).map(lambda a: Literal(a[0], lang=a[1])),
    st.integers(-1000, 1000).map(lambda i: Literal(str(i), datatype=URIRef(XSD + "integer"))),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(_iri, st.sampled_from([BNode("x"), BNode("x1")])), _iri,
                          st.one_of(_iri, _literal)), max_size=25))
def test_random_graphs_same_bytes(triples):
    g = rdflib.Graph()
    for t in triples:
        g.add(t)
    assert to_ntriples(g) == reference_ntriples(g)
    assert canonical.sorted_ox_triples(g)[0] == reference_triples(g)
