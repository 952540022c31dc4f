"""Validation from a Store plus the N-Triples lines as written: no whole rdflib data graph, pySHACL's results."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef

from gsomia_kg.compiled import lines_of
from gsomia_kg.serialize import ox_triples
from gsomia_kg.validate import SHAPES_NS, Reads, _store_of, exact_subgraph, load_shapes, reads, validate
from test_shapes_mutations import MUTATIONS, Mutation
from test_validate_engines import _results

SH = Namespace("http://www.w3.org/ns/shacl#")
OA = Namespace("http://www.w3.org/ns/oa#")
EX = Namespace("http://example.org/")


def _lines(g: Graph) -> list[str]:
    return lines_of(ox_triples(g))


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.id)
def test_store_and_lines_equal_pyshacl_on_the_graph(mutation: Mutation, built_fixture, core_shapes):
    g = Graph()
    g += built_fixture.graph
    mutation.edit(g)
    lines = _lines(g)
    fast = validate(None, core_shapes, store=_store_of(g), lines=lines)
    assert fast.engine["pyshacl"] is False, fast.engine["fallback_reasons"]
    as_written = exact_subgraph(lines, None)  # RDF 1.1: "x" is "x"^^xsd:string; rdflib tells them apart
    assert _results(fast) == _results(validate(as_written, core_shapes, engine="pyshacl"))


def test_ill_typed_offsets_are_seen_as_written(built_fixture, core_shapes):
    """A Store holds "-3"^^xsd:nonNegativeInteger as "-3"^^xsd:integer; the lines keep what was written."""
    g = Graph()
    g += built_fixture.graph
    selector = sorted(g.subjects(RDF.type, OA.TextPositionSelector))[0]
    g.set((selector, OA.start, Literal("-3", datatype=XSD.nonNegativeInteger)))
    lines = _lines(g)
    fast = validate(None, core_shapes, store=_store_of(g), lines=lines)
    found = [(r.component, r.value) for r in fast.results]
    assert (str(SH.DatatypeConstraintComponent), Literal("-3", datatype=XSD.nonNegativeInteger)) in found
    assert _results(fast) == _results(validate(exact_subgraph(lines, None), core_shapes, engine="pyshacl"))


def test_translated_results_report_values_as_written():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:message "m" ;
            sh:property [ sh:path ex:code ; sh:datatype xsd:string ; sh:message "a string" ] .
    """, format="turtle")
    data = Graph()
    data.add((EX.a, RDF.type, EX.C))
    data.add((EX.a, EX.code, Literal("007", datatype=XSD.integer, normalize=False)))
    fast = validate(None, shapes, store=_store_of(data), lines=_lines(data))
    assert fast.engine["pyshacl"] is False
    assert [str(r.value) for r in fast.results] == ["007"]
    assert _results(fast) == _results(validate(data, shapes, engine="pyshacl"))


def test_left_over_shapes_get_only_the_triples_they_read(built_fixture):
    """A shape without sh:message goes to pySHACL (it writes its own messages), on a subgraph of the lines."""
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix oa: <http://www.w3.org/ns/oa#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix ex: <http://example.org/> .
        ex:Offsets a sh:NodeShape ; sh:targetClass oa:TextPositionSelector ;
            sh:property [ sh:path oa:start ; sh:datatype xsd:nonNegativeInteger ; sh:maxInclusive 40 ] .
    """, format="turtle")
    g = built_fixture.graph
    lines = _lines(g)
    fast = validate(None, shapes, store=_store_of(g), lines=lines)
    assert fast.engine["pyshacl_shapes"] == [str(EX.Offsets)]
    assert fast.engine["pyshacl_data"] == "the triples its shapes read"
    assert fast.results, "the fixture has offsets above 40"
    assert _results(fast) == _results(validate(exact_subgraph(lines, None), shapes, engine="pyshacl"))


def test_reads_names_the_paths_and_classes_of_the_left_over_shapes():
    shapes = load_shapes()
    what = reads(shapes, [URIRef(SHAPES_NS + "TextPositionSelectorShape")])
    assert {str(OA.start), str(OA.end), str(RDFS.subClassOf)} <= what.predicates
    assert str(RDF.type) not in what.predicates
    assert str(OA.TextPositionSelector) in what.classes
    assert str(OA.exact) not in what.predicates


@pytest.mark.parametrize("extra", [
    "sh:closed true",
    'sh:sparql [ sh:select "SELECT $this WHERE { }" ]',
    "ex:maxWords 3",
])
def test_shapes_that_may_read_anything_get_every_triple(extra):
    shapes = Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:MaxWords a sh:ConstraintComponent ; sh:parameter [ sh:path ex:maxWords ] .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; {extra} .
    """, format="turtle")
    assert reads(shapes, [EX.S]) is None


def test_exact_subgraph_keeps_the_types_a_class_check_can_use():
    g = Graph()
    g.add((EX.Sub, RDFS.subClassOf, EX.C))
    g.add((EX.a, RDF.type, EX.Sub))
    g.add((EX.b, RDF.type, EX.Other))
    g.add((EX.a, EX.p, Literal("1", datatype=XSD.nonNegativeInteger)))
    g.add((EX.a, EX.q, BNode()))
    sub = exact_subgraph(_lines(g), Reads(frozenset({str(EX.p), str(RDFS.subClassOf)}), frozenset({str(EX.C)})))
    assert set(sub) == {(EX.Sub, RDFS.subClassOf, EX.C), (EX.a, RDF.type, EX.Sub),
                        (EX.a, EX.p, Literal("1", datatype=XSD.nonNegativeInteger))}
    assert set(exact_subgraph(_lines(g), None)) == set(g)
