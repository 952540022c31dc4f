"""``gsomia-kg query`` / ``gsomia-kg queries`` end to end: query sources, parameters, formats, exit codes, --data,
--timeout, -o."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest

from support import ROOT, TINY, run_cli

QC = ROOT / "tests" / "fixtures" / "query-corpus"
PERSONS = "SELECT ?p ?label WHERE { ?p a gk:Person ; skos:prefLabel ?label } ORDER BY ?label"


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    return {"GSOMIA_KG_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}


def q(env, *args, input: bytes | None = None):
    return run_cli("query", *args, env=env, input=input)


def rows(proc) -> list[list[str]]:
    assert proc.returncode == 0, proc.stderr.decode()
    return list(csv.reader(io.StringIO(proc.stdout.decode())))


def test_inline_file_stdin_and_name_give_the_same_answer(env, tmp_path):
    path = tmp_path / "persons.rq"
    path.write_text(PERSONS)
    inline = rows(q(env, PERSONS, "--corpus", str(TINY), "--format", "csv"))
    assert inline == [["p", "label"], ["https://example.org/tiny/person/ana-vela", "Ana Vela"],
                      ["https://example.org/tiny/person/lio-brandt", "Lio Brandt"]]
    assert rows(q(env, "-f", str(path), "--corpus", str(TINY), "--format", "csv")) == inline
    assert rows(q(env, "-f", "-", "--corpus", str(TINY), "--format", "csv", input=PERSONS.encode())) == inline


def test_exactly_one_query_source(env):
    for args in ([], [PERSONS, "-n", "timeline"]):
        proc = q(env, *args, "--corpus", str(TINY))
        assert proc.returncode == 2 and b"exactly one of" in proc.stderr


def test_default_format_off_a_terminal_is_csv_and_table_on_request(env):
    proc = q(env, PERSONS, "--corpus", str(TINY))
    assert proc.stdout.decode().startswith("p,label\r\n")
    proc = run_cli("query", PERSONS, "--corpus", str(TINY), "--format", "table", env={**env, "COLUMNS": "100"})
    assert proc.stdout.decode().splitlines() == [
        "p                   label",
        "------------------  ----------",
        ":person/ana-vela    Ana Vela",
        ":person/lio-brandt  Lio Brandt",
        "(2 rows)",
    ]


def test_named_query_with_entity_parameter(env):
    out = rows(q(env, "-n", "who-said-what", "--corpus", str(QC), "-p", "speaker=lio-brandt", "--format", "csv"))
    assert [r[0] for r in out[1:]] == ["Lio Brandt", "Lio Brandt"]
    assert [r[5] for r in out[1:]] == ["This accord protects our coasts,", "will feed our towns"]


def test_date_parameters_of_events_between(env):
    base = ["-n", "events-between", "--corpus", str(QC), "--format", "csv"]
    everything = rows(q(env, *base))
    assert [(r[0], r[1], r[6]) for r in everything[1:]] == [
        ("2030-01-01/2030-12-31", "within", "accord-report"), ("2030-01-06", "within", "herald-report")]
    january = rows(q(env, *base, "-p", "from=2030-01", "-p", "to=2030-01"))
    assert [(r[0], r[1], r[7], r[8]) for r in january[1:]] == [
        ("2030-01-01/2030-12-31", "overlaps", "2030-01-01", "2030-01-31"),
        ("2030-01-06", "within", "2030-01-01", "2030-01-31")]
    assert rows(q(env, *base, "-p", "from=2031")) == [everything[0]]


@pytest.mark.parametrize("param, message", [
    ("speaker=lio-brand", "did you mean lio-brandt"),
    ("nobody=x", "unknown parameter 'nobody'"),
    ("speaker", "is not NAME=VALUE"),
])
def test_bad_parameters_exit_2(env, param, message):
    proc = q(env, "-n", "who-said-what", "--corpus", str(QC), "-p", param)
    assert proc.returncode == 2 and message in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr


def test_bad_date_parameter(env):
    proc = q(env, "-n", "events-between", "--corpus", str(QC), "-p", "from=2030-13")
    assert proc.returncode == 2 and "month 13 does not exist" in proc.stderr.decode()


def test_adhoc_parameters_are_bound_not_pasted(env):
    query = "SELECT ?p ?label WHERE { ?p skos:prefLabel ?label }"
    out = rows(q(env, query, "--corpus", str(TINY), "-p", "p=ana-vela", "--format", "csv"))
    assert out == [["p", "label"], ["https://example.org/tiny/person/ana-vela", "Ana Vela"]]
    hostile = '" } ?p ?x ?y . { "'  # pasted into the text this would change the query; bound, it is a literal
    out = rows(q(env, "SELECT ?label ?p WHERE { ?p skos:prefLabel ?label }", "--corpus", str(TINY),
                 "-p", f"label={hostile}", "--format", "csv"))
    assert out == [["label", "p"]]
    proc = q(env, query, "--corpus", str(TINY), "-p", "nothere=1")
    assert proc.returncode == 2 and "no variable ?nothere" in proc.stderr.decode()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_ask_prints_and_exits(env, engine):
    yes = q(env, "ASK { ?s a gk:Person }", "--corpus", str(TINY), "--engine", engine)
    no = q(env, "ASK { ?s a gk:Treaty }", "--corpus", str(TINY), "--engine", engine)
    assert (yes.returncode, yes.stdout) == (0, b"true\n")
    assert (no.returncode, no.stdout) == (1, b"false\n")


def test_construct_formats(env):
    construct = "CONSTRUCT { ?p skos:prefLabel ?l } WHERE { ?p a gk:Person ; skos:prefLabel ?l }"
    turtle = q(env, construct, "--corpus", str(TINY))
    assert turtle.returncode == 0 and b"skos:prefLabel" in turtle.stdout
    nt = q(env, construct, "--corpus", str(TINY), "--format", "nt")
    assert nt.stdout.decode().splitlines() == [
        '<https://example.org/tiny/person/ana-vela> <http://www.w3.org/2004/02/skos/core#prefLabel> "Ana Vela"@en .',
        '<https://example.org/tiny/person/lio-brandt> <http://www.w3.org/2004/02/skos/core#prefLabel> '
        '"Lio Brandt"@en .']
    doc = json.loads(q(env, construct, "--corpus", str(TINY), "--format", "jsonld").stdout)
    assert [n["@id"] for n in doc["@graph"]] == ["person/ana-vela", "person/lio-brandt"]
    bad = q(env, construct, "--corpus", str(TINY), "--format", "csv")
    assert bad.returncode == 2 and "does not fit a CONSTRUCT query" in bad.stderr.decode()
    bad = q(env, PERSONS, "--corpus", str(TINY), "--format", "turtle")
    assert bad.returncode == 2 and "choose one of: table, csv, tsv, json, xml" in bad.stderr.decode()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_describe(env, engine):
    proc = q(env, "DESCRIBE <https://example.org/tiny/person/ana-vela>", "--corpus", str(TINY), "--engine", engine,
             "--format", "ntriples")
    lines = proc.stdout.decode().splitlines()
    assert proc.returncode == 0
    assert '<https://example.org/tiny/person/ana-vela> <http://www.w3.org/2004/02/skos/core#prefLabel> ' \
           '"Ana Vela"@en .' in lines


def test_update_is_refused_with_exit_2(env):
    proc = q(env, "DELETE WHERE { ?s ?p ?o }", "--corpus", str(TINY))
    assert proc.returncode == 2 and "read-only" in proc.stderr.decode() and proc.stdout == b""


def test_data_file_instead_of_the_corpus(env, tmp_path):
    built = run_cli("build", "--corpus", str(TINY), "-o", str(tmp_path / "tiny.ttl"), "-q")
    assert built.returncode == 0
    from_corpus = rows(q(env, "-n", "timeline", "--corpus", str(TINY), "--format", "csv"))
    for engine in ("oxigraph", "rdflib"):
        proc = q(env, "-n", "timeline", "--data", str(tmp_path / "tiny.ttl"), "--engine", engine, "--format", "csv")
        assert rows(proc) == from_corpus
    table = run_cli("query", PERSONS, "--data", str(tmp_path / "tiny.ttl"), "--format", "table", env=env)
    assert ":person/ana-vela" in table.stdout.decode()  # the corpus base is recognised for display


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_data_with_named_graphs(env, tmp_path, engine):
    trig = tmp_path / "g.trig"
    trig.write_text('<http://ex/g1> { <http://ex/a> <http://ex/p> "1" . }\n'
                    '<http://ex/g2> { <http://ex/b> <http://ex/p> "2" . }\n'
                    '<http://ex/c> <http://ex/p> "3" .\n')
    union = rows(q(env, "SELECT ?s WHERE { ?s <http://ex/p> ?o } ORDER BY ?s", "--data", str(trig),
                   "--engine", engine, "--format", "csv"))
    assert union == [["s"], ["http://ex/a"], ["http://ex/b"], ["http://ex/c"]]
    named = rows(q(env, "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g", "--data", str(trig),
                   "--engine", engine, "--format", "csv"))
    assert named == [["g", "s"], ["http://ex/g1", "http://ex/a"], ["http://ex/g2", "http://ex/b"]]


def test_bad_data_file(env, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://ex/a> <http://ex/p> .\n")
    proc = q(env, PERSONS, "--data", str(bad))
    assert proc.returncode == 2 and f"{bad}:1" in proc.stderr.decode()
    xml = tmp_path / "bomb.rdf"
    xml.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rdf:RDF/>')
    proc = q(env, PERSONS, "--data", str(xml))
    assert proc.returncode == 2 and "DOCTYPE" in proc.stderr.decode()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_timeout_stops_a_runaway_query(env, engine):
    started = time.monotonic()
    proc = q(env, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--corpus", str(TINY),
             "--engine", engine, "--timeout", "1")
    assert proc.returncode == 2
    assert "stopped after 1 s" in proc.stderr.decode()
    assert time.monotonic() - started < 30


def test_output_file(env, tmp_path):
    out = tmp_path / "timeline.json"
    proc = q(env, "-n", "timeline", "--corpus", str(TINY), "--format", "json", "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == b""
    doc = json.loads(out.read_text())
    assert doc["results"]["bindings"][0]["event"]["value"] == "accord-signing"


def test_queries_lists_and_prints(env):
    from gsomia_kg.query import named_queries

    listing = run_cli("queries", env=env)
    assert listing.returncode == 0
    names = [line.split()[0] for line in listing.stdout.decode().splitlines()]
    assert names == sorted(named_queries()) and len(names) >= 11
    assert "events-between  Events between two dates  [from=0001, to=9999]" in listing.stdout.decode()
    one = run_cli("queries", "timeline", env=env)
    assert one.stdout == (Path(named_queries()["timeline"].path)).read_bytes()
    unknown = run_cli("queries", "timelines", env=env)
    assert unknown.returncode == 2 and "did you mean 'timeline'" in unknown.stderr.decode()


def test_query_help_imports_no_rdf_library():
    import subprocess
    import sys

    code = ("import sys\nfrom gsomia_kg.cli import main\nsys.argv = ['gsomia-kg', 'query', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'pyshacl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60)
    assert out.stdout.decode().splitlines()[-1] == "[]"
