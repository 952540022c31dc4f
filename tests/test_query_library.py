"""The named-query library: well-formed headers, read-only text, total ORDER BY, one answer from both engines, and
the exact rows of every query on a two-source fixture written for these tests (tests/fixtures/query-corpus)."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest

from gsomia_kg.errors import GsomiaError
from gsomia_kg.namespaces import PREFIXES
from gsomia_kg.query import PARAM_TYPES, LoadedGraph, _to_rdflib, load_graph, named_queries, run_query
from gsomia_kg.sparql_guard import scan, walk_algebra
from support import ROOT, SHIPPED, TINY

QC = ROOT / "tests" / "fixtures" / "query-corpus"
LIBRARY = named_queries()
REQUIRED = {"agreement", "timeline", "who-said-what", "stances", "entity", "evidence", "disagreements",
            "name-variants", "sources", "inferred-dates", "events-between"}
# parameters that make every query meaningful on the fixture (the defaults name GSOMIA entities)
QC_PARAMS = {"agreement": {"agreement": "fisheries-accord"}, "entity": {"entity": "lio-brandt"},
             "evidence": {"entity": "ruritania"}}


@pytest.fixture(scope="module")
def graphs():
    return {engine: load_graph(corpus=QC, engine=engine, use_cache=False) for engine in ("oxigraph", "rdflib")}


def answer(graphs, name: str, **params) -> list[tuple[str, ...]]:
    """Rows as plain strings ("" for unbound); fails unless both engines give exactly the same result."""
    ox_result = run_query(name=name, params=params, graph=graphs["oxigraph"])
    rdflib_result = run_query(name=name, params=params, graph=graphs["rdflib"])
    assert ox_result == rdflib_result
    return [tuple("" if t is None else t.value for t in row) for row in ox_result.rows]


def test_the_library_has_every_required_query():
    assert set(LIBRARY) >= REQUIRED


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_headers_and_text(name):
    q = LIBRARY[name]
    assert q.title and len(q.description) > 40
    info = scan(q.text, name)
    assert info.form == "SELECT" and info.ordered, "named queries are SELECTs with a total ORDER BY"
    assert walk_algebra(q.text, {**PREFIXES, "": "https://example.org/"}, name) == "SELECT"
    projection = q.text[q.text.index("SELECT"):q.text.index("WHERE")]
    for p in q.parameters:
        assert p.type in PARAM_TYPES and p.description
        assert f"?{p.name}" in projection, f"parameter ?{p.name} must be projected (pyoxigraph substitution)"


@pytest.fixture(scope="module")
def tiny_graphs():
    return {engine: load_graph(corpus=TINY, engine=engine, use_cache=False) for engine in ("oxigraph", "rdflib")}


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_both_engines_give_one_answer(name, graphs, tiny_graphs):
    for corpus_graphs, params in ((graphs, QC_PARAMS.get(name, {})),
                                  (tiny_graphs, {k: "fisheries-accord" for k in QC_PARAMS.get(name, {})})):
        results = [run_query(name=name, params=params, graph=g) for g in corpus_graphs.values()]
        assert results[0] == results[1]


@pytest.fixture(scope="module")
def qc_quads() -> list:
    from gsomia_kg.cache import compiled_ntriples

    return list(ox.parse(compiled_ntriples(QC, use_cache=False)[0], format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_order_does_not_depend_on_storage_order(name, qc_quads):
    """ORDER BY is total: the same rows in the same order whatever order the triples were loaded in."""
    quads = list(qc_quads)
    answers = set()
    for seed in range(3):
        random.Random(seed).shuffle(quads)
        store = ox.Store()
        store.extend(quads)
        loaded = [LoadedGraph("oxigraph", store, dict(PREFIXES))]
        if seed == 0:  # rdflib parses slowly: one shuffle is enough for it
            loaded.append(LoadedGraph("rdflib", _to_rdflib(quads, dataset=False), dict(PREFIXES)))
        for g in loaded:
            answers.add(repr(run_query(name=name, params=QC_PARAMS.get(name, {}), graph=g).rows))
    assert len(answers) == 1


def test_a_default_entity_missing_from_another_corpus_is_reported(graphs):
    with pytest.raises(GsomiaError, match="agreement=gsomia-2016: no resource with that id"):
        run_query(name="agreement", graph=graphs["oxigraph"])


def test_unknown_named_query():
    with pytest.raises(GsomiaError, match="did you mean 'stances'"):
        run_query(name="stance", corpus=TINY)


# ---- exact rows on the fixture (tests/fixtures/query-corpus: documents/accord.txt and documents/herald.txt) -----
QCI = "https://example.org/qc/"


def test_timeline(graphs):
    assert answer(graphs, "timeline") == [
        ("2030-01-01/2030-12-31", "year", "inferred", "accord-signing", "Signing of the fisheries accord", "signing",
         "on Monday", "accord-report"),
        ("2030-01-06", "day", "stated", "accord-signing", "Signing of the fisheries accord", "signing",
         "on 6 January 2030", "herald-report"),
    ]


def test_events_between(graphs):
    rows = answer(graphs, "events-between", **{"from": "2030-01-05", "to": "2030-01-06"})
    assert [r[:2] + r[6:] for r in rows] == [
        ("2030-01-01/2030-12-31", "overlaps", "accord-report", "2030-01-05", "2030-01-06"),
        ("2030-01-06", "within", "herald-report", "2030-01-05", "2030-01-06"),
    ]
    assert answer(graphs, "events-between", to="2029") == []


def test_who_said_what(graphs):
    assert [r[:7] for r in answer(graphs, "who-said-what")] == [
        ("Lio Brandt", "Fisheries Minister", "", "supports", "direct quote", "This accord protects our coasts,",
         "accord-report"),
        ("Freedonia's opposition", "", "", "opposes", "direct quote", "a sell-out", "accord-report"),
        ("Lio Brandt", "", "", "supports", "direct quote", "will feed our towns", "herald-report"),
    ]
    only = answer(graphs, "who-said-what", speaker="freedonian-opposition")
    assert [(r[5], r[7], r[8]) for r in only] == [("a sell-out", "opposition-sell-out",
                                                   QCI + "group/freedonian-opposition")]


def test_stances(graphs):
    assert [r[:5] for r in answer(graphs, "stances")] == [
        ("opposes", "Ruritania–Freedonia fisheries accord", "Freedonia's opposition", "accord-report", "1"),
        ("supports", "Ruritania–Freedonia fisheries accord", "Lio Brandt", "accord-report", "1"),
        ("supports", "Ruritania–Freedonia fisheries accord", "Lio Brandt", "herald-report", "1"),
    ]
    assert answer(graphs, "stances", about="ruritania") == []


def test_agreement(graphs):
    assert [r[:6] for r in answer(graphs, "agreement", agreement="fisheries-accord")] == [
        ("parties", "party", "Freedonia", "", "1", "accord-report"),
        ("parties", "party", "Ruritania", "", "2", "accord-report, herald-report"),
        ("signatories", "signed", "Freedonia", "", "2", "accord-report, herald-report"),
        ("signatories", "signed", "Ruritania", "", "2", "accord-report, herald-report"),
        ("dates", "signing", "2030-01-01/2030-12-31", "inferred", "1", "accord-report"),
        ("dates", "signing", "2030-01-06", "stated", "1", "herald-report"),
        ("places", "signing", "Port Meridian", "", "2", "accord-report, herald-report"),
        ("terms", "automaticRenewal", "true", "", "1", "accord-report"),
        ("terms", "numberOfArticles", "12", "", "1", "accord-report"),
        ("terms", "renewalPeriod", "P2Y", "", "1", "accord-report"),
    ]


def test_entity(graphs):
    assert [r[:3] for r in answer(graphs, "entity", entity="lio-brandt")] == [
        ("holdsRole", "Lio Brandt, Fisheries Minister of Ruritania", "(register)"),
        ("prefLabel", "Lio Brandt", "(register)"),
        ("type", "Person", "(register)"),
        ("mentionedAs", "Lio Brandt", "accord-report"),
        ("mentionedAs", "Lio Brant", "herald-report"),
        ("said (supports)", "This accord protects our coasts,", "accord-report"),
        ("said (supports)", "will feed our towns", "herald-report"),
    ]


def test_evidence_quotes_are_the_words_at_their_offsets(graphs):
    rows = answer(graphs, "evidence", entity="ruritania")
    assert [r[:3] for r in rows] == [
        ("^party", "Ruritania–Freedonia fisheries accord", "accord-report"),
        ("^party", "Ruritania–Freedonia fisheries accord", "herald-report"),
        ("agreementPartnerCount", "4", "accord-report"),
        ("agreementPartnerCount", "5", "herald-report"),
        ("mentionedAs", "Ruritania", "accord-report"),
        ("mentionedAs", "Ruritania", "herald-report"),
        ("took part as signatory", "Signing of the fisheries accord", "accord-report"),
        ("took part as signatory", "Signing of the fisheries accord", "herald-report"),
    ]
    texts = {"accord-report": (QC / "documents" / "accord.txt").read_text(encoding="utf-8"),
             "herald-report": (QC / "documents" / "herald.txt").read_text(encoding="utf-8")}
    for _, _, source, position, quote, _, _ in rows:
        start, end = map(int, position.split("-"))
        assert texts[source][start:end] == quote
    counts = answer(graphs, "evidence", entity="ruritania", property="agreementPartnerCount")
    assert [r[4] for r in counts] == ["Ruritania has signed such accords with 4 countries",
                                      "Ruritania has concluded such accords with five countries"]


def test_disagreements(graphs):
    assert [r[:7] for r in answer(graphs, "disagreements")] == [
        ("brandt-spelling", "spelling", "Lio Brandt", "mentionedAs", "accord-report", "Lio Brandt", "Lio Brandt"),
        ("brandt-spelling", "spelling", "Lio Brandt", "mentionedAs", "herald-report", "Lio Brant", "Lio Brant"),
        ("partner-count", "count", "Ruritania", "agreementPartnerCount", "accord-report", "exactly 4",
         "Ruritania has signed such accords with 4 countries"),
        ("partner-count", "count", "Ruritania", "agreementPartnerCount", "herald-report", "exactly 5",
         "Ruritania has concluded such accords with five countries"),
        ("signing-date", "date", "Signing of the fisheries accord", "date", "accord-report",
         "2030-01-01/2030-12-31 (inferred)", "Ruritania and Freedonia signed a fisheries accord on Monday in Port "
         "Meridian"),
        ("signing-date", "date", "Signing of the fisheries accord", "date", "accord-report",
         "2030-01-01/2030-12-31 (inferred)", "on Monday"),
        ("signing-date", "date", "Signing of the fisheries accord", "date", "herald-report", "2030-01-06 (stated)",
         "Ruritania and Freedonia signed their fisheries accord on 6 January 2030 in Port Meridian"),
        ("signing-date", "date", "Signing of the fisheries accord", "date", "herald-report", "2030-01-06 (stated)",
         "on 6 January 2030"),
    ]


def test_name_variants(graphs):
    assert answer(graphs, "name-variants") == [
        ("Lio Brandt", "Lio Brandt", "accord-report", "1", QCI + "person/lio-brandt"),
        ("Lio Brandt", "Lio Brant", "herald-report", "1", QCI + "person/lio-brandt"),
    ]


def test_sources(graphs):
    assert answer(graphs, "sources") == [
        ("accord-report", "news report", "Coastal states sign fisheries accord", "(not stated)", "Ana Vela",
         "(not stated)", "17", "2", "16", "3", "1"),
        ("herald-report", "news report", "Fisheries pact signed", "Freedonia Herald", "(not stated)",
         "2030-01-07 (stated)", "12", "1", "11", "2", "1"),
    ]


def test_inferred_dates(graphs):
    assert answer(graphs, "inferred-dates") == [
        ("accord-report", "Signing of the fisheries accord", "on Monday", "2030-01-01/2030-12-31", "year",
         "The article gives only the weekday and states no year; the bounds are the test's own assumption."),
    ]


def test_every_query_runs_without_parameters_on_the_shipped_corpus():
    g = load_graph(corpus=SHIPPED, use_cache=False)
    for name in LIBRARY:
        assert run_query(name=name, graph=g).rows, f"{name} returned nothing"


def test_every_named_query_is_documented():
    doc = (ROOT / "docs" / "query.md").read_text(encoding="utf-8")
    for name, q in LIBRARY.items():
        assert f"| `{name}` |" in doc, f"docs/query.md does not describe {name}"
        for p in q.parameters:
            assert f"`{p.name}`" in doc
