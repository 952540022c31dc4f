"""The fast path (SHACL-SPARQL over the whole graph with pyoxigraph) gives pySHACL's results, shape by shape."""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace, URIRef

from gsomia_kg.graph import compile_corpus
from gsomia_kg.validate import SHAPES_NS, copy_closure, load_shapes, validate
from support import ROOT
from test_shapes_mutations import MUTATIONS, Mutation

SH = Namespace("http://www.w3.org/ns/shacl#")
PREFIXES_NODE = URIRef("https://w3id.org/gsomia-kg/shapes")
FIXTURE = ROOT / "tests" / "fixtures" / "validate"
# pySHACL parses a constraint's query once per focus node: for the closed vocabulary (every typed node, a long
# query) the comparison runs on the mutated node and a sample of others rather than on the whole fixture.
SAMPLED = {"ClosedVocabularyShape"}


def _only(shapes: Graph, local: str) -> Graph:
    g = Graph()
    copy_closure(shapes, URIRef(SHAPES_NS + local), g)
    copy_closure(shapes, PREFIXES_NODE, g)
    return g


def _sample(g: Graph, focus) -> Graph:
    keep = {focus} | set(sorted({s for s in g.subjects() if isinstance(s, URIRef)}, key=str)[::12])
    small = Graph()
    small.addN((s, p, o, small) for s, p, o in g if s in keep)
    return small


def _results(report) -> list[tuple]:
    return sorted((r.severity, r.shape, r.focus.n3(), r.path, r.value.n3() if r.value is not None else None,
                   r.component, r.messages) for r in report.results)


SPARQL_CASES = [m for m in MUTATIONS if m.shape in {
    "QuoteMatchesTextShape", "SpanSelectorsShape", "QuoteContextShape", "SourceTextShape", "EvidenceSourceShape",
    "ClaimAssertedShape", "StatementWordsShape", "EntityBackedShape", "ChronologyShape", "RecordedChronologyShape",
    "TerminationOnRenewalShape", "BilateralPartiesShape", "BilateralSignatoriesShape", "DisagreementClaimsShape",
    "DateValueShape", "ClosedVocabularyShape", "FunctionalDisagreementShape", "FunctionalSameSourceShape"}]


def test_every_sparql_shape_is_compared():
    shapes = load_shapes()
    sparql = {str(s)[len(SHAPES_NS):] for s in shapes.subjects(SH.sparql, None)}
    assert {m.shape for m in SPARQL_CASES} == sparql


@pytest.mark.parametrize("mutation", SPARQL_CASES, ids=lambda m: m.id)
def test_fast_path_equals_pyshacl(mutation: Mutation):
    built = compile_corpus(FIXTURE)
    g = Graph()
    g += built.graph
    mutation.edit(g)
    if mutation.shape in SAMPLED:
        g = _sample(g, mutation.focus)
    shapes = _only(load_shapes(), mutation.shape)
    fast = _results(validate(g, shapes, engine="fast"))
    exact = _results(validate(g, shapes, engine="pyshacl"))
    assert fast, "the mutation must give the compared shape something to report"
    assert fast == exact


# ---- SHACL Core: the SPARQL translation (core_sparql) against pySHACL ------------------------------------------

def test_shipped_corpus_core_results_equal_pyshacl(core_shapes):
    from support import SHIPPED

    g = compile_corpus(SHIPPED).graph
    fast = validate(g, core_shapes, engine="fast")
    assert fast.engine["translated_shapes"] > 40
    assert _results(fast) == _results(validate(g, core_shapes, engine="pyshacl"))


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.id)
def test_core_translation_equals_pyshacl(mutation: Mutation, built_fixture, core_shapes):
    g = Graph()
    g += built_fixture.graph
    mutation.edit(g)
    fast = validate(g, core_shapes, engine="fast")
    assert not fast.engine["pyshacl_shapes"] or fast.engine["pyshacl"]
    assert _results(fast) == _results(validate(g, core_shapes, engine="pyshacl"))


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.id)
def test_fast_engine_from_a_store_alone(mutation: Mutation, built_fixture, core_shapes):
    """The data only in a pyoxigraph Store: no rdflib data graph, no pySHACL, pySHACL's results for that graph.

    A Store keeps typed literals in canonical form (``xsd:nonNegativeInteger`` becomes ``xsd:integer``), so the
    reference is pySHACL on the graph as the Store holds it.
    """
    from gsomia_kg.validate import _graph_of, _store_of

    g = Graph()
    g += built_fixture.graph
    mutation.edit(g)
    store = _store_of(g)
    from_store = validate(None, core_shapes, store=store, engine="fast")
    assert from_store.engine["pyshacl"] is False and from_store.engine["pyshacl_shapes"] == []
    assert _results(from_store) == _results(validate(_graph_of(store), core_shapes, engine="pyshacl"))


def test_store_canonical_literals_are_left_to_pyshacl_with_the_rdflib_graph(built_fixture, core_shapes):
    from gsomia_kg.validate import _store_of

    g = built_fixture.graph
    with_graph = validate(g, core_shapes, engine="fast")
    assert with_graph.engine["pyshacl_shapes"] == [SHAPES_NS + "TextPositionSelectorShape"]
    assert with_graph.conforms
    store_only = validate(None, core_shapes, store=_store_of(g), engine="fast")
    assert {r.shape for r in store_only.results} == {SHAPES_NS + "TextPositionSelectorShape"}
