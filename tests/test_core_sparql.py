"""SHACL Core translated to SPARQL (``gsomia_kg.core_sparql``): each constraint component on small hand-made data,
compared with pySHACL; what cannot be translated is left to pySHACL; a Store alone is enough when nothing is."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from gsomia_kg.validate import _store_of, validate

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
DATA = PREFIXES + """
ex:Sub rdfs:subClassOf ex:Thing . ex:SubSub rdfs:subClassOf ex:Sub .
ex:a a ex:Thing ; ex:p 1, 2 ; ex:q "x" ; ex:name "Alpha"@en ; ex:start 1 ; ex:end 5 ; ex:knows ex:b ;
    ex:date "2020-01-01"^^xsd:date ; ex:later "2019-01-01"^^xsd:date ; ex:same ex:b .
ex:b a ex:SubSub ; ex:p "no"^^xsd:integer ; ex:q "y"@fr ; ex:name "Beta"@en-GB, "B"@de ; ex:start 7 ; ex:end 3 ;
    ex:knows ex:a, ex:c ; ex:same ex:c ; ex:n 2.5 .
ex:c a ex:Other ; ex:p 3.0 ; ex:q ex:iri ; ex:start "2"; ex:end 9 ; ex:knows [ ex:p 1 ] ; ex:n "7" ; ex:n 8 .
ex:d ex:p 10 ; ex:rel ex:a .
"""
CASES = {
    "class": "sh:targetNode ex:a, ex:b, ex:c ; sh:class ex:Thing",
    "datatype": "sh:property [ sh:path ex:p ; sh:datatype xsd:integer ; sh:message 'm' ]",
    "datatype-string": "sh:property [ sh:path ex:q ; sh:datatype xsd:string ; sh:message 'm' ]",
    "datatype-lang": "sh:property [ sh:path ex:q ; sh:datatype rdf:langString ; sh:message 'm' ]",
    "nodeKind": "sh:property [ sh:path ex:q ; sh:nodeKind sh:IRI ; sh:message 'm' ]",
    "in": "sh:property [ sh:path ex:p ; sh:in ( 1 2 10 ) ; sh:message 'm' ]",
    "hasValue": "sh:property [ sh:path ex:p ; sh:hasValue 1 ; sh:message 'm' ]",
    "pattern": "sh:property [ sh:path ex:knows ; sh:pattern '/[ab]$' ; sh:message 'm' ]",
    "pattern-flags": "sh:property [ sh:path ex:q ; sh:pattern '^X' ; sh:flags 'i' ; sh:message 'm' ]",
    "ranges": "sh:property [ sh:path ex:p ; sh:minInclusive 1 ; sh:maxExclusive 3 ; sh:message 'm' ]",
    "ranges-mixed": "sh:property [ sh:path ex:n ; sh:minExclusive 3 ; sh:maxInclusive 8 ; sh:message 'm' ]",
    "length": "sh:property [ sh:path ex:q ; sh:minLength 2 ; sh:maxLength 20 ; sh:message 'm' ]",
    "languageIn": "sh:property [ sh:path ex:name ; sh:languageIn ( 'en' ) ; sh:message 'm' ]",
    "equals": "sh:property [ sh:path ex:knows ; sh:equals ex:same ; sh:message 'm' ]",
    "disjoint": "sh:property [ sh:path ex:knows ; sh:disjoint ex:same ; sh:message 'm' ]",
    "lessThan": "sh:property [ sh:path ex:start ; sh:lessThan ex:end ; sh:message 'm' ]",
    "lessThanOrEquals": "sh:property [ sh:path ex:date ; sh:lessThanOrEquals ex:later ; sh:message 'm' ]",
    "counts": "sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:maxCount 1 ; sh:message 'm' ]",
    "inverse": "sh:property [ sh:path [ sh:inversePath ex:knows ] ; sh:minCount 2 ; sh:message 'm' ]",
    "alternative": "sh:property [ sh:path [ sh:alternativePath ( ex:start ex:end ) ] ; sh:maxCount 1 ; "
                   "sh:message 'm' ]",
    "sequence": "sh:property [ sh:path ( ex:knows ex:p ) ; sh:datatype xsd:integer ; sh:message 'm' ]",
    "node": "sh:property [ sh:path ex:knows ; sh:node [ sh:class ex:Sub ] ; sh:message 'm' ]",
    "or": "sh:or ( [ sh:class ex:Sub ] [ sh:path ex:q ; sh:nodeKind sh:IRI ] )",
    "and": "sh:and ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:datatype xsd:string ] )",
    "xone": "sh:xone ( [ sh:path ex:p ; sh:datatype xsd:integer ] [ sh:path ex:q ; sh:minCount 1 ] )",
    "not": "sh:not [ sh:path ex:name ; sh:minCount 2 ]",
    "qualified": "sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ; "
                 "sh:qualifiedMinCount 2 ; sh:qualifiedMaxCount 1 ; sh:message 'm' ]",
    "severity": "sh:severity sh:Warning ; sh:property [ sh:path ex:p ; sh:minCount 3 ; sh:severity sh:Info ; "
                "sh:message 'm'@en, 'n' ]",
    "deactivated": "sh:property [ sh:path ex:p ; sh:minCount 3 ; sh:deactivated true ; sh:message 'm' ]",
    "subjectsOf": "sh:targetClass ex:Unused ; sh:targetSubjectsOf ex:rel ; sh:property [ sh:path ex:p ; "
                  "sh:maxCount 0 ; sh:message 'm' ]",
    "objectsOf": "sh:targetObjectsOf ex:knows ; sh:nodeKind sh:IRI",
    "node-hasValue": "sh:targetNode ex:a ; sh:targetObjectsOf ex:knows ; sh:hasValue ex:a",
}


def _shapes(body: str, target: str = "sh:targetClass ex:Thing") -> Graph:
    if "sh:target" in body:
        target = ""
    text = PREFIXES + f"ex:S a sh:NodeShape ; {target + ' ;' if target else ''} {body} ; sh:message 'shape' .\n"
    return Graph().parse(data=text, format="turtle")


def _rows(report) -> list[tuple]:
    return sorted((r.severity, r.shape, r.focus.n3(), r.path, r.value.n3() if r.value is not None else None,
                   r.component, r.messages) for r in report.results)


@pytest.fixture(scope="module")
def data() -> Graph:
    return Graph().parse(data=DATA, format="turtle")


@pytest.mark.parametrize("case", sorted(CASES))
def test_component_equals_pyshacl(case, data):
    shapes = _shapes(CASES[case])
    fast = validate(data, shapes, engine="fast")
    assert fast.engine["pyshacl"] is False, fast.engine.get("fallback_reasons")
    exact = validate(data, shapes, engine="pyshacl")
    assert _rows(fast) == _rows(exact)
    if case not in ("deactivated",):
        assert exact.results, "the case must report something"


def test_implicit_class_target_equals_pyshacl(data):
    text = PREFIXES + "ex:Thing a sh:NodeShape, rdfs:Class ; sh:property [ sh:path ex:q ; sh:minLength 5 ; " \
                      "sh:message 'm' ] .\n"
    shapes = Graph().parse(data=text, format="turtle")
    fast = validate(data, shapes, engine="fast")
    assert fast.engine["pyshacl"] is False
    assert _rows(fast) == _rows(validate(data, shapes, engine="pyshacl"))
    assert {r.focus.n3() for r in fast.results} == {"<http://example.org/a>", "<http://example.org/b>"}


@pytest.mark.parametrize("body, reason", [
    ("sh:closed true ; sh:ignoredProperties ( rdf:type )", "not translated"),
    ("sh:property [ sh:path ex:p ; sh:minCount 5 ]", "sh:message"),  # pySHACL's own messages
    ("sh:property [ sh:path ex:p ; sh:uniqueLang true ; sh:message 'm' ]", "uniqueLang"),
    ("sh:property [ sh:path ex:start ; sh:datatype xsd:nonNegativeInteger ; sh:message 'm' ]", "datatype"),
])
def test_unsupported_features_fall_back_to_pyshacl(body, reason, data):
    shapes = _shapes(body)
    fast = validate(data, shapes, engine="fast")
    assert fast.engine["pyshacl"] is True
    assert fast.engine["pyshacl_shapes"] == ["http://example.org/S"]
    assert reason in fast.engine["fallback_reasons"]["http://example.org/S"]
    assert _rows(fast) == _rows(validate(data, shapes, engine="pyshacl"))


def test_recursive_shapes_fall_back(data):
    text = PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message 'm' ; " \
                      "sh:property [ sh:path ex:knows ; sh:node ex:S ; sh:message 'm' ] .\n"
    shapes = Graph().parse(data=text, format="turtle")
    fast = validate(data, shapes, engine="fast")
    assert "recursive" in fast.engine["fallback_reasons"]["http://example.org/S"]
    assert _rows(fast) == _rows(validate(data, shapes, engine="pyshacl"))


def test_a_store_alone_is_enough(data):
    """No rdflib data graph at all: the Store is loaded from N-Triples, pySHACL is not called."""
    store = ox.Store()
    store.load(data.serialize(format="nt").encode(), ox.RdfFormat.N_TRIPLES)
    shapes = _shapes(CASES["counts"] + " ; " + CASES["equals"] + " ; " + CASES["lessThan"])
    fast = validate(None, shapes, store=store)
    assert fast.engine == {**fast.engine, "engine": "fast", "pyshacl": False, "pyshacl_shapes": []}
    assert _rows(fast) == _rows(validate(data, shapes, engine="pyshacl"))
    assert len(list(fast.graph.objects(None, fast.graph.namespace_manager.expand_curie("sh:result")))) == \
        len(fast.results)


def test_store_and_graph_agree(data):
    shapes = _shapes(CASES["datatype"])
    assert _rows(validate(data, shapes, store=_store_of(data))) == _rows(validate(data, shapes))
