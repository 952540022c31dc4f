"""Exports in every format round-trip through rdflib and pyoxigraph; named graphs, rebasing, dataset description."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from gsomia_kg.export import FORMATS, build_parts, compile_with_meta, export, render
from gsomia_kg.namespaces import GK, PREFIXES, RDF, XSD
from gsomia_kg.serialize import ox_term, ox_triples

ROOT = Path(__file__).resolve().parents[1]
PAIR = ROOT / "tests" / "fixtures" / "export" / "pair"
QUERIES = ROOT / "tests" / "fixtures" / "export" / "queries"
TINY = ROOT / "tests" / "fixtures" / "tiny"
OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
             "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld",
                 "rdfxml": "xml"}
BASE = "https://example.org/pair/"
VOID, DCTERMS, SH = PREFIXES["void"], PREFIXES["dcterms"], PREFIXES["sh"]


@pytest.fixture(scope="module")
def pair():
    return compile_with_meta(PAIR)


def canon(statements) -> set[str]:
    """Statements as canonical N-Triples/N-Quads strings; with no blank nodes, equal sets = isomorphic graphs."""
    out = set()
    for st in statements:
        assert not any(isinstance(t, ox.BlankNode) for t in (st.subject, st.object)), "unexpected blank node"
        out.add(str(st))
    return out


def parse_ox(data: bytes, fmt: str) -> list:
    return list(ox.parse(data, format=OX_FORMAT[fmt]))


def parse_rdflib(data: bytes, fmt: str) -> list:
    """Parse with rdflib (lexical forms kept), back to pyoxigraph triples or quads for comparison."""
    rdflib.NORMALIZE_LITERALS = False
    if FORMATS[fmt].datasets:
        ds = rdflib.Dataset()
        ds.parse(data=data, format=RDFLIB_FORMAT[fmt])
        return [ox.Quad(ox_term(s), ox_term(p), ox_term(o), ox.NamedNode(str(g)))
                for s, p, o, g in ds.quads((None, None, None, None))]
    g = rdflib.Graph()
    g.parse(data=data, format=RDFLIB_FORMAT[fmt])
    return ox_triples(g)


def triples_of(statements) -> set[str]:
    return canon(ox.Triple(s.subject, s.predicate, s.object) for s in statements)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("corpus", [TINY, PAIR], ids=["tiny", "pair"])
def test_plain_export_round_trips_to_the_built_graph(fmt, corpus):
    result, meta = compile_with_meta(corpus)
    data = export(result, fmt, meta=meta, description=False)
    built = canon(ox_triples(result.graph))
    assert triples_of(parse_ox(data, fmt)) == built
    assert triples_of(parse_rdflib(data, fmt)) == built


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_full_export_round_trips_with_ontology_and_description(fmt, pair):
    result, meta = pair
    parts = build_parts(result, meta=meta, with_ontology=True, queries_dir=QUERIES)
    data = render(parts, fmt, meta.base)
    if FORMATS[fmt].datasets:
        expected = canon(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                         for g, ts in parts.items() for t in ts)
        assert canon(parse_ox(data, fmt)) == expected
        assert canon(parse_rdflib(data, fmt)) == expected
    else:
        expected = canon(t for ts in parts.values() for t in ts)
        assert triples_of(parse_ox(data, fmt)) == expected
        assert triples_of(parse_rdflib(data, fmt)) == expected
    ontology = canon(ox.parse(path=str(ROOT / "ontology" / "gsomia.ttl")))
    assert ontology <= triples_of(parse_ox(data, fmt))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_literals_keep_their_lexical_form(fmt, pair):
    result, meta = pair
    data = export(result, fmt, meta=meta, description=False)
    parsed = triples_of(parse_rdflib(data, fmt)) | triples_of(parse_ox(data, fmt))
    integer = f'"007"^^<{XSD}integer>'
    stamp = f'"2031-03-03T10:00:00Z"^^<{XSD}dateTimeStamp>'
    assert any(line.endswith(integer) for line in parsed)
    assert any(line.endswith(stamp) for line in parsed)
    assert not any('"7"^^' in line and "007" in line for line in parsed)
    assert b"+00:00" not in data


def _parts(pair, **options):
    result, meta = pair
    return build_parts(result, meta=meta, queries_dir=QUERIES, **options)


def test_one_named_graph_per_source_and_one_of_facts(pair):
    parts = _parts(pair, with_ontology=True)
    assert list(parts) == [BASE + "graph/description", BASE + "graph/facts", BASE + "graph/ontology",
                           BASE + "graph/source/harbour-editorial", BASE + "graph/source/harbour-report"]
    for source in ("harbour-editorial", "harbour-report"):
        graph = parts[f"{BASE}graph/source/{source}"]
        according = {t.object.value for t in graph if t.predicate.value == GK + "accordingTo"}
        assert according == {f"{BASE}source/{source}"}
        subjects = {t.subject.value for t in graph}
        assert f"{BASE}source/{source}" in subjects
        assert any(s.startswith(f"{BASE}claim/{source}/") for s in subjects)
        assert any(s.startswith(f"{BASE}evidence/{source}/") and s.endswith("/quote") for s in subjects)
        assert any(s.startswith(f"{BASE}date/{source}/") for s in subjects)
        assert all(not s.startswith(f"{BASE}claim/") or s.startswith(f"{BASE}claim/{source}/") for s in subjects)
    facts = parts[BASE + "graph/facts"]
    assert not any(t.predicate.value == GK + "accordingTo" for t in facts)
    assert ox.Triple(ox.NamedNode(BASE + "agreement/harbour-pact"), ox.NamedNode(GK + "party"),
                     ox.NamedNode(BASE + "state/valdoria")) in facts
    assert any(t.subject.value == BASE + "disagreement/article-count" for t in facts)


def test_union_of_named_graphs_is_the_plain_export(pair):
    result, meta = pair
    nquads = export(result, "nquads", meta=meta, with_ontology=True, queries_dir=QUERIES)
    ntriples = export(result, "ntriples", meta=meta, with_ontology=True, queries_dir=QUERIES)
    assert triples_of(parse_ox(nquads, "nquads")) == canon(parse_ox(ntriples, "ntriples"))
    data_graphs = {g: ts for g, ts in _parts(pair).items() if g != BASE + "graph/description"}
    assert canon(t for ts in data_graphs.values() for t in ts) == canon(ox_triples(result.graph))


def test_a_store_answers_according_to_which_source_with_graph(pair):
    result, meta = pair
    store = ox.Store()
    store.load(export(result, "trig", meta=meta), format=ox.RdfFormat.TRIG)
    rows = store.query(f"""
        PREFIX gk: <{GK}> PREFIX rdf: <{RDF}>
        SELECT ?g ?c WHERE {{ GRAPH ?g {{ ?c rdf:subject <{BASE}agreement/harbour-pact> ;
                                           rdf:predicate gk:numberOfArticles }} }} ORDER BY ?g""")
    assert [(r["g"].value, r["c"].value) for r in rows] == [
        (BASE + "graph/source/harbour-editorial", BASE + "claim/harbour-editorial/harbour-pact/numberOfArticles/7"),
        (BASE + "graph/source/harbour-report", BASE + "claim/harbour-report/harbour-pact/numberOfArticles/007")]


def test_rebase_moves_every_data_iri_and_nothing_else(pair):
    result, meta = pair
    new = "https://data.example.com/kg/"
    parts = build_parts(result, meta=meta, base=new, with_ontology=True, queries_dir=QUERIES)
    triples = [t for ts in parts.values() for t in ts]
    iris = {x.value for t in triples for x in (t.subject, t.predicate, t.object) if isinstance(x, ox.NamedNode)}
    assert not any(i.startswith(BASE) for i in iris)
    assert f"{new}agreement/harbour-pact" in iris
    assert set(parts) >= {f"{new}graph/facts", f"{new}graph/source/harbour-report", f"{new}graph/ontology"}
    original = build_parts(result, meta=meta, with_ontology=True, queries_dir=QUERIES)
    assert [len(ts) for ts in parts.values()] == [len(ts) for ts in original.values()]
    assert ox.Literal(new) in {t.object for t in parts[f"{new}graph/description"]}
    data = export(result, "turtle", meta=meta, base=new)
    assert BASE.encode() not in data and new.encode() in data


def test_bad_base_is_refused(pair):
    from gsomia_kg.errors import GsomiaError

    result, meta = pair
    with pytest.raises(GsomiaError, match="must be an http"):
        build_parts(result, meta=meta, base="urn:x:")


def _description(pair, **options) -> tuple[ox.Store, dict]:
    parts = _parts(pair, **options)
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in parts[BASE + "graph/description"])
    return store, parts


def _value(store: ox.Store, subject: str, predicate: str) -> list[str]:
    return sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate),
                                                                  None, None))


def test_description_gives_metadata_counts_classes_sources_and_graphs(pair):
    store, parts = _description(pair, with_ontology=True)
    d = BASE + "dataset/pair"
    assert _value(store, d, RDF + "type") == [VOID + "Dataset", PREFIXES["dcat"] + "Dataset"]
    assert _value(store, d, DCTERMS + "title") == ["Harbour pact pair"]
    assert _value(store, d, DCTERMS + "license") == ["https://creativecommons.org/licenses/by/4.0/"]
    assert _value(store, d, PREFIXES["dcat"] + "version") == ["2.0.0"]
    described = {t for g, ts in parts.items() if g != BASE + "graph/description" for t in ts}
    assert _value(store, d, VOID + "triples") == [str(len(described))]
    assert _value(store, d, DCTERMS + "source") == [BASE + "source/harbour-editorial", BASE + "source/harbour-report"]
    subsets = _value(store, d, VOID + "subset")
    assert subsets == sorted(g for g in parts if g != BASE + "graph/description")
    for graph in subsets:
        assert _value(store, graph, VOID + "triples") == [str(len(parts[graph]))]
    claims = sum(1 for t in described if t.predicate.value == RDF + "type" and t.object.value == GK + "Claim")
    assert _value(store, d + "/class/gk-Claim", VOID + "entities") == [str(claims)]
    assert _value(store, d + "/class/gk-Claim", VOID + "class") == [GK + "Claim"]


def test_description_has_no_clock_values(pair):
    store, _ = _description(pair)
    datatypes = {q.object.datatype.value for q in store if isinstance(q.object, ox.Literal)}
    assert not datatypes & {XSD + "dateTime", XSD + "date", XSD + "dateTimeStamp"}
    assert _description(pair)[1] == _description(pair)[1]


def test_description_lists_the_example_queries_and_they_run(pair):
    store, parts = _description(pair)
    d = BASE + "dataset/pair"
    queries = _value(store, d, PREFIXES["rdfs"] + "seeAlso")
    assert queries == [d + "/query/parties", d + "/query/sources"]
    select = d + "/query/sources"
    assert SH + "SPARQLSelectExecutable" in _value(store, select, RDF + "type")
    assert _value(store, select, PREFIXES["rdfs"] + "label") == ["Sources"]
    assert _value(store, select, PREFIXES["rdfs"] + "comment") == ["Every source of the corpus with its genre."]
    assert _value(store, select, SH + "select") == [(QUERIES / "sources.rq").read_text(encoding="utf-8")]
    assert SH + "SPARQLConstructExecutable" in _value(store, d + "/query/parties", RDF + "type")
    data = ox.Store()
    data.extend(ox.Quad(t.subject, t.predicate, t.object) for ts in parts.values() for t in ts)
    rows = list(data.query(_value(store, select, SH + "select")[0]))
    assert [r["source"].value for r in rows] == [BASE + "source/harbour-editorial", BASE + "source/harbour-report"]
    declared = {q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(SH + "prefix"), None, None)}
    assert "gk" in declared


def test_no_queries_folder_means_no_query_nodes(pair, tmp_path):
    result, meta = pair
    for folder, expected in ((None, 0), (tmp_path / "missing", 0), (QUERIES, 1)):
        parts = build_parts(result, meta=meta, queries_dir=folder)
        selects = [t for t in parts[BASE + "graph/description"] if t.predicate.value == SH + "select"]
        assert len(selects) == expected


def test_query_header_parsing():
    from gsomia_kg.dataset import parse_header, query_form

    assert parse_header("# title: A\n# description: B\n#  C\n# param: x = 1\nSELECT * {}") == ("A", "B C")
    assert parse_header("# Parties\n# of each agreement\nASK {}") == ("Parties", "of each agreement")
    assert parse_header("SELECT * {}") == ("", "")
    assert query_form("PREFIX s: <http://schema.org/>\n# SELECT in a comment\nASK { ?s ?p ?o }") == "ask"
    assert query_form("prefix a: <http://x/construct#> describe <http://x/a>") == "describe"


def test_shipped_corpus_round_trips_in_every_format():
    result, meta = compile_with_meta(ROOT / "corpus")
    parts = build_parts(result, meta=meta, with_ontology=True)
    quads = canon(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, ts in parts.items() for t in ts)
    union = canon(t for ts in parts.values() for t in ts)
    assert len(parts) >= 5 + 3  # the five articles, facts, ontology, description
    for fmt in FORMATS:
        data = render(parts, fmt, meta.base)
        got = parse_ox(data, fmt)
        assert (canon(got) == quads) if FORMATS[fmt].datasets else (triples_of(got) == union), fmt
    turtle = render(parts, "turtle", meta.base)
    assert triples_of(parse_rdflib(turtle, "turtle")) == union


def test_term_conversions_keep_lexical_forms_both_ways():
    from gsomia_kg.serialize import rdflib_term

    rdflib.NORMALIZE_LITERALS = False
    for term in (ox.Literal("007", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("Seoul", language="en"),
                 ox.Literal("2016-11-23T10:00:00Z", datatype=ox.NamedNode(XSD + "dateTimeStamp")),
                 ox.Literal("plain"), ox.NamedNode(BASE + "state/x")):
        back = rdflib_term(term)
        assert ox_term(back) == term
    assert rdflib_term(ox.Literal("plain")) == rdflib.Literal("plain", datatype=rdflib.XSD.string)
    assert str(rdflib_term(ox.Literal("007", datatype=ox.NamedNode(XSD + "integer")))) == "007"
