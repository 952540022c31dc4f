"""Result writers: standard SPARQL result formats (checked by re-reading them with pyoxigraph), the human table, and
graph results in Turtle, N-Triples and JSON-LD."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from gsomia_kg.namespaces import PREFIXES, XSD
from gsomia_kg.results import RDF_LANGSTRING, XSD_STRING, QueryResult, Term, display, to_table, write

GK = PREFIXES["gk"]
BASE = "https://example.org/b/"
ROWS = [
    (Term("iri", GK + "Signing"), Term("literal", 'He said "no"\tand\nleft', XSD_STRING), None),
    (Term("iri", BASE + "person/han-min-koo"), Term("literal", "Han Min-koo", RDF_LANGSTRING, "en"),
     Term("literal", "21", XSD + "integer")),
    (Term("bnode", "b0"), Term("literal", "2016-11-23", XSD + "date"), Term("literal", "a < b & c", XSD_STRING)),
]
SELECT = QueryResult("SELECT", ["s", "text", "n"], ROWS)


def _ox(t: Term | None):
    if t is None:
        return None
    if t.kind == "iri":
        return ox.NamedNode(t.value)
    if t.kind == "bnode":
        return ox.BlankNode(t.value)
    if t.language:
        return ox.Literal(t.value, language=t.language)
    return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype))


@pytest.mark.parametrize("fmt, ox_format", [("json", "JSON"), ("xml", "XML"), ("tsv", "TSV")])
def test_standard_formats_read_back_to_the_same_terms(fmt, ox_format):
    data = write(SELECT, fmt)
    parsed = ox.parse_query_results(data, format=getattr(ox.QueryResultsFormat, ox_format))
    assert [v.value for v in parsed.variables] == SELECT.variables
    got = [tuple(sol[v] for v in SELECT.variables) for sol in parsed]
    want = [tuple(_ox(t) for t in row) for row in ROWS]
    # blank node labels are not preserved by readers: compare their position only
    assert [tuple(None if isinstance(t, ox.BlankNode) else t for t in r) for r in got] == \
           [tuple(None if isinstance(t, ox.BlankNode) else t for t in r) for r in want]
    assert isinstance(got[2][0], ox.BlankNode)


def test_csv_is_plain_values_with_crlf():
    assert write(SELECT, "csv").decode() == (
        "s,text,n\r\n"
        f'{GK}Signing,"He said ""no""\tand\nleft",\r\n'
        f"{BASE}person/han-min-koo,Han Min-koo,21\r\n"
        "_:b0,2016-11-23,a < b & c\r\n")


def test_tsv_uses_ntriples_terms():
    lines = write(SELECT, "tsv").decode().split("\n")
    assert lines[0] == "?s\t?text\t?n"
    assert lines[1] == f'<{GK}Signing>\t"He said \\"no\\"\\tand\\nleft"\t'
    assert lines[2] == f'<{BASE}person/han-min-koo>\t"Han Min-koo"@en\t21'
    assert lines[3] == f'_:b0\t"2016-11-23"^^<{XSD}date>\t"a < b & c"'


def test_json_shape():
    doc = json.loads(write(SELECT, "json"))
    assert doc["head"] == {"vars": ["s", "text", "n"]}
    first, second, _ = doc["results"]["bindings"]
    assert "n" not in first  # unbound
    assert second["text"] == {"type": "literal", "value": "Han Min-koo", "xml:lang": "en"}
    assert second["n"] == {"type": "literal", "value": "21", "datatype": XSD + "integer"}


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "table"])
@pytest.mark.parametrize("answer", [True, False])
def test_ask_results(fmt, answer):
    data = write(QueryResult("ASK", boolean=answer), fmt).decode()
    if fmt in ("json", "xml"):
        parsed = ox.parse_query_results(data.encode(), format=getattr(ox.QueryResultsFormat, fmt.upper()))
        assert bool(parsed) is answer
    else:
        assert data.strip().split()[-1] == ("true" if answer else "false")


def test_display_shortens_iris():
    prefixes = {**PREFIXES, "": BASE}
    assert display(Term("iri", GK + "Signing"), prefixes) == "gk:Signing"
    assert display(Term("iri", BASE + "person/han-min-koo"), prefixes) == ":person/han-min-koo"
    assert display(Term("iri", "http://elsewhere.org/x"), prefixes) == "<http://elsewhere.org/x>"
    assert display(Term("literal", "Han", RDF_LANGSTRING, "en"), prefixes) == "Han"


def test_table_aligns_wraps_and_keeps_order():
    prose = "word " * 30
    rows = [(Term("literal", "b"), Term("literal", prose.strip())), (Term("literal", "a"), Term("literal", "short"))]
    text = to_table(QueryResult("SELECT", ["key", "text"], rows), PREFIXES, width=40).decode()
    lines = text.splitlines()
    assert lines[0].split() == ["key", "text"] and set(lines[1]) <= {"-", " "}
    assert all(len(line) <= 40 for line in lines)
    assert lines[2].startswith("b    word word")  # row order as given, not sorted
    assert lines[-2].startswith("a    short")
    assert lines[-1] == "(2 rows)"
    assert " ".join(line[5:].strip() for line in lines[2:-2]) == prose.strip()  # wrapped, nothing lost


def test_table_counts_wide_characters():
    rows = [(Term("literal", "한국"), Term("literal", "x")), (Term("literal", "ab"), Term("literal", "y"))]
    lines = to_table(QueryResult("SELECT", ["name", "v"], rows), PREFIXES, width=80).decode().splitlines()
    assert lines[2] == "한국  x" and lines[3] == "ab    y"  # 한국 is 4 columns wide, like "name"


GRAPH = QueryResult("CONSTRUCT", triples=[
    (Term("iri", BASE + "person/b"), Term("iri", PREFIXES["rdfs"] + "label"),
     Term("literal", "B", RDF_LANGSTRING, "en")),
    (Term("iri", BASE + "person/a"), Term("iri", GK + "numberOfArticles"), Term("literal", "007", XSD + "integer")),
    (Term("iri", BASE + "person/a"), Term("iri", PREFIXES["rdf"] + "type"), Term("iri", GK + "Person")),
])


@pytest.mark.parametrize("fmt, ox_format", [("turtle", "TURTLE"), ("ntriples", "N_TRIPLES"), ("jsonld", "JSON_LD")])
def test_graph_results_read_back_to_the_same_triples(fmt, ox_format):
    data = write(GRAPH, fmt, {**PREFIXES, "": BASE})
    triples = {(q.subject, q.predicate, q.object) for q in ox.parse(data, format=getattr(ox.RdfFormat, ox_format))}
    assert triples == {tuple(_ox(t) for t in spo) for spo in GRAPH.triples}
    assert write(GRAPH, fmt, {**PREFIXES, "": BASE}) == data  # deterministic


def test_ntriples_output_is_sorted():
    lines = write(GRAPH, "ntriples").decode().splitlines()
    assert lines == sorted(lines) and len(lines) == 3
