"""The shapes graph itself: valid SHACL (meta-SHACL), written for curators, in step with the ontology."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import BNode, Graph, Namespace, URIRef

from gsomia_kg import shapegen
from gsomia_kg.graph import compile_corpus
from gsomia_kg.resources import data_path, ontology_file
from gsomia_kg.validate import SHAPES_NS, _split, load_shapes
from support import ROOT, SHIPPED, TINY

SH = Namespace("http://www.w3.org/ns/shacl#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
GK = "https://w3id.org/gsomia-kg/ns#"
FIXTURE = ROOT / "tests" / "fixtures" / "validate"
VALUE_CONSTRAINTS = (SH.datatype, SH["class"], SH.nodeKind, SH.node, SH["in"], SH.hasValue, SH.equals)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def _node_shapes(shapes: Graph) -> list[URIRef]:
    return sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))


def test_shapes_pass_meta_shacl(shapes):
    conforms, _graph, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True, inference="none",
                                              advanced=False, js=False)
    assert conforms, text


def test_meta_shacl_catches_a_broken_shape(shapes):
    broken = Graph()
    broken += shapes
    broken.add((URIRef(SHAPES_NS + "SourceShape"), SH.minCount, BNode()))  # a count must be an integer
    with pytest.raises(Exception, match=r"(?i)shacl"):
        pyshacl.validate(Graph(), shacl_graph=broken, meta_shacl=True, inference="none")


def test_shipped_shapes_are_the_files_in_shapes_folder():
    assert sorted(p.name for p in data_path("shapes").glob("*.ttl")) == ["core.ttl", "meaning.ttl", "vocabulary.ttl"]
    assert not (data_path("shapes") / ".keep").exists()


def test_every_shape_has_a_name_and_a_message_for_curators(shapes):
    for shape in _node_shapes(shapes):
        assert shapes.value(shape, SH.name) is not None, shape
        assert shapes.value(shape, SH.message) is not None, shape
    for prop in shapes.objects(None, SH.property):
        assert shapes.value(prop, SH.name) is not None, prop
        assert shapes.value(prop, SH.message) is not None, (prop, shapes.value(prop, SH.path))


def test_every_class_of_the_ontology_has_a_node_shape(shapes):
    onto = Graph().parse(ontology_file())
    classes = {c for c in onto.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))
               if str(c).startswith(GK)}
    targeted = set(shapes.objects(None, SH.targetClass))
    own = {c for c in classes if (URIRef(SHAPES_NS + str(c)[len(GK):] + "Shape"), SH.targetClass, c) in shapes}
    assert classes - targeted == set()
    assert classes - own - {URIRef(GK + "Agent")} == set()  # gk:Agent: gks:AgentShape
    assert (URIRef(SHAPES_NS + "AgentShape"), SH.targetClass, URIRef(GK + "Agent")) in shapes


def test_vocabulary_shapes_are_generated_from_the_ontology():
    shipped = (data_path("shapes") / "vocabulary.ttl").read_text(encoding="utf-8")
    assert shipped == shapegen.generate(), "run: python -m gsomia_kg.shapegen > shapes/vocabulary.ttl"


def test_closed_lists_follow_the_ontology(tmp_path):
    onto = ontology_file().read_text(encoding="utf-8")
    extended = onto + (
        "\ngk:Postponement a gk:EventType, skos:Concept, owl:NamedIndividual ;\n"
        '    rdfs:label "postponement"@en ; skos:notation "postponement" .\n')
    path = tmp_path / "onto.ttl"
    path.write_text(extended, encoding="utf-8")
    text = shapegen.generate(path)
    assert "gk:Postponement" in text.split("gks:EventTypeShape", 1)[1].split(" .\n", 1)[0]
    assert "|Postponement|" in text  # and the closed vocabulary knows the new term


def test_every_property_in_the_data_is_constrained(shapes):
    """Every property the compiler writes has a property shape (or is checked from the value side)."""
    constrained = set()
    for prop in shapes.objects(None, SH.property):
        path = shapes.value(prop, SH.path)
        if isinstance(path, URIRef) and any(shapes.value(prop, c) is not None
                                            for c in (*VALUE_CONSTRAINTS, SH.minCount, SH.maxCount)):
            constrained.add(path)
    constrained |= set(shapes.objects(None, SH.targetObjectsOf))  # class or closed list of the values
    used = set()
    for corpus in (TINY, FIXTURE, SHIPPED):
        used |= {p for p in compile_corpus(corpus).graph.predicates() if str(p).startswith(GK)}
    assert used - constrained == set()


def test_datatypes_of_shapes_match_the_ontology_ranges(shapes):
    onto = Graph().parse(ontology_file())
    rdfs_range = URIRef("http://www.w3.org/2000/01/rdf-schema#range")
    for prop in shapes.objects(None, SH.property):
        path, datatype = shapes.value(prop, SH.path), shapes.value(prop, SH.datatype)
        if isinstance(path, URIRef) and str(path).startswith(GK) and datatype is not None:
            assert onto.value(path, rdfs_range) == datatype, path


def test_shipped_sparql_constraints_all_take_the_fast_path(shapes):
    _core, checks = _split(shapes)
    sparql_shapes = {s for s in shapes.subjects(SH.sparql, None)}
    assert {c.shape for c in checks} == sparql_shapes
    assert len(sparql_shapes) == 18


def test_sparql_constraints_declare_their_prefixes(shapes):
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.prefixes) == URIRef("https://w3id.org/gsomia-kg/shapes")
