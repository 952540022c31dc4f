"""Read-only and offline: updates, SERVICE and FROM are refused before any engine runs; syntax errors are located."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gsomia_kg.errors import GsomiaError
from gsomia_kg.namespaces import PREFIXES
from gsomia_kg.sparql_guard import scan, tokens, unescape_codepoints, walk_algebra
from support import TINY, count_connections, run_cli


def refused(text: str) -> str:
    with pytest.raises(GsomiaError) as info:
        scan(text)
    (problem,) = info.value.problems
    return f"{problem.line}:{problem.column} {problem.message}"


@pytest.mark.parametrize("text, where", [
    ("INSERT DATA { <a:x> <a:y> <a:z> }", "1:1"),
    ("PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }", "2:1"),
    ("LOAD <file:///etc/passwd>", "1:1"),
    ("CLEAR ALL", "1:1"),
    ("DROP GRAPH <http://example.org/g>", "1:1"),
    ("CREATE GRAPH <http://example.org/g>", "1:1"),
    ("ADD DEFAULT TO <http://example.org/g>", "1:1"),
    ("MOVE DEFAULT TO <http://example.org/g>", "1:1"),
    ("COPY DEFAULT TO <http://example.org/g>", "1:1"),
    ("WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "1:1"),
    ("SELECT * WHERE { ?s ?p ?o } ;\n  insert data { <a:x> <a:y> <a:z> }", "2:3"),
])
def test_updates_are_refused_with_their_position(text, where):
    message = refused(text)
    assert message.startswith(where)
    assert "read-only" in message


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x <p:p> ?e SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE{SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}",
    r"SELECT * WHERE { SERVIC\u0045 <http://127.0.0.1:9/> { ?s ?p ?o } }",  # rdflib applies \u escapes first
])
def test_service_is_refused(text):
    assert "SERVICE" in refused(text)


@pytest.mark.parametrize("text", [
    "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ASK FROM <g.ttl> { ?s ?p ?o }",
])
def test_dataset_clauses_are_refused(text):
    assert "FROM" in refused(text)


@pytest.mark.parametrize("text, form", [
    ('SELECT ?s WHERE { ?s <http://x/service> "SERVICE <http://y> {}" } # FROM <http://z>', "SELECT"),
    ("PREFIX service: <http://x/>\nSELECT ?from WHERE { ?from service:load ?insert }", "SELECT"),
    ("ASK { ?s ?p 'delete from'@en }", "ASK"),
    ("ASK { ?s ?p '''multi\nline SERVICE'''  }", "ASK"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o < 3) }", "CONSTRUCT"),
    ("describe <http://example.org/x>", "DESCRIBE"),
    ("BASE <http://x/> PREFIX a: <http://y/> SELECT * { ?s ?p ?o }", "SELECT"),
])
def test_harmless_words_and_query_forms(text, form):
    assert scan(text).form == form


def test_scan_reports_variables_and_order_by():
    info = scan("SELECT ?a WHERE { ?a ?b $c } ORDER BY ?a")
    assert info.variables == {"a", "b", "c"} and info.ordered
    assert not scan("SELECT * { ?s ?p ?o }").ordered


def test_not_a_query_is_refused():
    assert "expected SELECT" in refused("PREFIX a: <http://x/>\n  WHERE { ?s ?p ?o }")


def test_tokens_keep_positions():
    toks = tokens('SELECT\n  ?x # note\n  "a\\"b" <http://x/#y>')
    assert [(t.kind, t.line, t.column) for t in toks] == [
        ("word", 1, 1), ("var", 2, 3), ("string", 3, 3), ("iri", 3, 10)]


def test_unescape_codepoints():
    assert unescape_codepoints(r"a\u0042c\U0001F600") == "aBc\U0001F600"
    assert unescape_codepoints(r"\uD800") == r"\uD800"  # a lone surrogate is left as written


def test_walk_algebra_is_an_independent_second_check():
    with pytest.raises(GsomiaError, match="SERVICE"):
        walk_algebra("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", PREFIXES)
    with pytest.raises(GsomiaError, match="FROM"):
        walk_algebra("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", PREFIXES)
    assert walk_algebra("SELECT * WHERE { ?s gk:party ?o }", PREFIXES) == "SELECT"
    assert walk_algebra("SELECT * WHERE { ?s ?p }", PREFIXES) is None  # rdflib cannot parse: caller reports


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_string_literal_is_harmless(text):
    assert scan(f'SELECT ?s WHERE {{ ?s ?p "{_escape(text)}" }}').form == "SELECT"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("SERVICEFROMINSERTselect {}<>\"'#?:\\\n u0045")), max_size=40))
def test_scan_never_crashes(text):
    try:
        scan(text)
    except GsomiaError as exc:
        assert exc.problems and exc.problems[0].message


# ---- nothing reaches the network: a real listener on 127.0.0.1 -----------------------------------------------------
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <http://127.0.0.1:{port}/graph.ttl> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <http://127.0.0.1:{port}/graph.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "LOAD <http://127.0.0.1:{port}/graph.ttl>",
])
def test_no_connection_arrives(listener, tmp_path, engine, template):
    port = listener.getsockname()[1]
    proc = run_cli("query", template.format(port=port), "--corpus", str(TINY), "--engine", engine,
                   env={"GSOMIA_KG_CACHE_DIR": str(tmp_path)})
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "refused" in err and "Traceback" not in err
    assert proc.stdout == b""
    assert count_connections(listener) == 0


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_syntax_error_has_line_and_column(tmp_path, engine):
    proc = run_cli("query", "SELECT ?s\nWHERE {\n  ?s ?p\n}", "--corpus", str(TINY), "--engine", engine,
                   env={"GSOMIA_KG_CACHE_DIR": str(tmp_path)})
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert re.match(r"error: <query>:4:\d+: SPARQL syntax error", err), err  # the parser's own column
    assert "Traceback" not in err
