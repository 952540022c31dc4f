"""JSON-LD: offline expansion equals the Turtle, the shipped context is current, the framed view nests."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyld import jsonld as pyld

from gsomia_kg.cli import cli
from gsomia_kg.export import build_parts, compile_with_meta, render
from gsomia_kg.jsonld import CONTEXT_NAME, FRAMES, build_context, context_bytes, context_dir, dumps

ROOT = Path(__file__).resolve().parents[1]
PAIR = ROOT / "tests" / "fixtures" / "export" / "pair"
TINY = ROOT / "tests" / "fixtures" / "tiny"
BASE = "https://example.org/pair/"


def no_network(url, options=None):
    raise AssertionError(f"JSON-LD processing tried to load {url!r}")


def to_triples(doc: dict) -> set[str]:
    """Expand and convert with pyld, remote loading disabled; N-Triples lines as a set."""
    nquads = pyld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": no_network})
    return {str(t) for t in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)}


@pytest.fixture(scope="module", params=[TINY, PAIR], ids=["tiny", "pair"])
def exported(request):
    result, meta = compile_with_meta(request.param)
    parts = build_parts(result, meta=meta, with_ontology=True)
    return parts, meta


def test_expansion_needs_no_network_and_equals_the_turtle(exported):
    parts, meta = exported
    doc = json.loads(render(parts, "jsonld", meta.base))
    turtle = {str(t) for t in ox.parse(render(parts, "turtle", meta.base), format=ox.RdfFormat.TURTLE)}
    assert to_triples(doc) == turtle
    assert isinstance(doc["@context"], dict)  # inline: nothing to fetch
    expanded = pyld.expand(doc, {"documentLoader": no_network})
    assert len(expanded) == len(doc["@graph"])


def test_compacted_json_ld_uses_short_names_and_keeps_lexical_forms():
    result, meta = compile_with_meta(PAIR)
    doc = json.loads(render(build_parts(result, meta=meta), "jsonld", meta.base))
    nodes = {n["@id"]: n for n in doc["@graph"]}
    pact = nodes["agreement/harbour-pact"]
    assert doc["@context"]["@base"] == BASE
    assert pact["@type"] == "Agreement"
    assert pact["party"] == ["state/ostland", "state/valdoria"]
    assert pact["numberOfArticles"] == ["007", "7"]  # strings, typed by the context: no JSON numbers
    assert doc["@context"]["numberOfArticles"] == {"@id": "gk:numberOfArticles", "@type": "xsd:integer"}
    assert pact["label"] == "Valdoria–Ostland harbour pact"
    assert nodes["state/valdoria"]["exactMatch"] == "wd:Q4115189"
    used = set(doc["@context"])
    assert "supersedes" not in used and "sem" not in used  # only what the document uses
    assert [n["@id"] for n in doc["@graph"]] == sorted(n["@id"] for n in doc["@graph"])


def test_shipped_context_is_generated_from_the_ontology():
    ontology = ox.parse(path=str(ROOT / "ontology" / "gsomia.ttl"))
    assert context_bytes() == dumps(build_context(ontology)), \
        "the shipped context is stale: run `python -m gsomia_kg.jsonld` and review the diff"
    context = json.loads(context_bytes())["@context"]
    assert all(isinstance(v, (str, dict)) for v in context.values())
    assert "@import" not in context and not any(k.startswith("@") for k in context)


def test_framed_view_nests_parties_events_statements_and_evidence():
    result, meta = compile_with_meta(PAIR)
    parts = build_parts(result, meta=meta)
    doc = json.loads(render(parts, "jsonld", meta.base, frame="agreement"))
    assert [n["@id"] for n in doc["@graph"]] == ["agreement/harbour-pact"]
    pact = doc["@graph"][0]
    assert {p["@id"] for p in pact["party"]} == {"state/ostland", "state/valdoria"}
    assert all(p["@type"] == "State" for p in pact["party"])
    event = pact["events"]
    assert event["@id"] == "event/pact-signing" and "agreement" not in event  # the link up is implied
    assert {p["agent"] for p in event["participant"]} == {"state/ostland", "state/valdoria"}
    assert {d["@id"] for d in event["date"]} == {"date/harbour-editorial/pact-signing",
                                                 "date/harbour-report/pact-signing"}
    statements = {s["@id"]: s for s in pact["statements"]}
    sorel = statements["statement/sorel-opens-ports"]
    assert sorel["speaker"]["label"] == "Ida Sorel"
    quotes = [sel["exact"] for span in sorel["evidence"] for sel in span["hasSelector"] if "exact" in sel]
    assert "It opens our ports," in quotes
    claim_sources = {c["accordingTo"] for c in pact["claims"]}
    assert claim_sources == {"source/harbour-editorial", "source/harbour-report"}
    full = {str(t) for ts in parts.values() for t in ts}
    framed = to_triples(doc)
    assert framed <= full and len(framed) > 100


def test_frame_file_is_a_standard_frame_pyld_agrees_with():
    result, meta = compile_with_meta(PAIR)
    parts = build_parts(result, meta=meta)
    ours = json.loads(render(parts, "jsonld", meta.base, frame="agreement"))
    full = json.loads(render(parts, "jsonld", meta.base))
    spec = json.loads((context_dir() / FRAMES["agreement"]).read_text(encoding="utf-8"))
    theirs = pyld.frame(full, spec, {"documentLoader": no_network})
    assert theirs["@id"] == BASE + "agreement/harbour-pact"
    assert to_triples(ours) <= to_triples(theirs)


def test_context_file_option_writes_the_shipped_context(tmp_path):
    out, ctx = tmp_path / "kg.jsonld", tmp_path / CONTEXT_NAME
    run = CliRunner().invoke(cli, ["export", "--corpus", str(TINY), "-o", str(out), "--context-file", str(ctx)])
    assert run.exit_code == 0, run.output
    assert ctx.read_bytes() == context_bytes()
    assert "@context" in json.loads(ctx.read_bytes())
    assert json.loads(out.read_bytes())["@graph"]


def test_unknown_frame_is_refused():
    from gsomia_kg.errors import GsomiaError
    from gsomia_kg.jsonld import frame

    with pytest.raises(GsomiaError, match="unknown frame"):
        frame([], "nothing")


def test_rebased_json_ld_expands_to_the_rebased_turtle():
    result, meta = compile_with_meta(PAIR)
    parts = build_parts(result, meta=meta, base="https://data.example.com/kg/")
    doc = json.loads(render(parts, "jsonld", "https://data.example.com/kg/"))
    assert doc["@context"]["@base"] == "https://data.example.com/kg/"
    turtle = render(parts, "turtle", "https://data.example.com/kg/")
    assert to_triples(doc) == {str(t) for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)}
    assert not any(BASE in line for line in to_triples(doc))
