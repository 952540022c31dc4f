"""``gsomia-kg load`` against a real Oxigraph server (``oxigraph serve`` on 127.0.0.1, temporary store)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from gsomia_kg import gsp
from gsomia_kg.cli import cli
from gsomia_kg.export import build_parts, compile_with_meta

ROOT = Path(__file__).resolve().parents[1]
PAIR = ROOT / "tests" / "fixtures" / "export" / "pair"
BASE = "https://example.org/pair/"
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
ACCORDING_TO = f"""
PREFIX gk: <https://w3id.org/gsomia-kg/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?g ?claim ?source ?quote WHERE {{
  GRAPH ?g {{
    ?claim rdf:subject <{BASE}agreement/harbour-pact> ; rdf:predicate gk:numberOfArticles ;
           gk:accordingTo ?source ; gk:evidence ?span .
    ?span <http://www.w3.org/ns/oa#hasSelector> ?sel . ?sel <http://www.w3.org/ns/oa#exact> ?quote .
  }}
}} ORDER BY ?g ?claim ?quote"""
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _open(url: str, data: bytes | None = None, headers: dict | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    return urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=10)


@pytest.fixture
def oxigraph(tmp_path):
    """A running ``oxigraph serve`` with an empty store; yields its base URL and stops it afterwards."""
    assert Path(OXIGRAPH).exists(), "the oxigraph server binary is missing: pip install oxigraph"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "oxigraph.log").open("wb")
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with _open(f"{url}/query?" + urllib.parse.urlencode({"query": "ASK {}"}),
                           headers={"Accept": "application/sparql-results+json"}) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            assert proc.poll() is None, (tmp_path / "oxigraph.log").read_text()
            assert time.monotonic() < deadline, "oxigraph did not start within 30 s"
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def remote_rows(url: str, query: str) -> list[dict[str, str]]:
    with _open(f"{url}/query", urllib.parse.urlencode({"query": query}).encode(),
               {"Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded"}) as resp:
        results = json.loads(resp.read())
    return [{k: v["value"] for k, v in row.items()} for row in results["results"]["bindings"]]


def local_rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(query)
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


@pytest.fixture(scope="module")
def parts():
    result, meta = compile_with_meta(PAIR)
    return build_parts(result, meta=meta, with_ontology=True)


def local_store(parts: dict, graph: str | None = None) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph or g))
                 for g, ts in parts.items() for t in ts)
    return store


def load(*args: str):
    return CliRunner().invoke(cli, ["load", "--corpus", str(PAIR), *args])


def test_load_sends_one_graph_per_source_and_the_store_answers_like_local(oxigraph, parts):
    run = load("--endpoint", f"{oxigraph}/store", "--with-ontology")
    assert run.exit_code == 0, run.output
    assert run.stderr.count("added") == len(parts) == 5
    local = local_store(parts)
    counts = remote_rows(oxigraph, COUNTS)
    assert counts == local_rows(local, COUNTS)
    assert [c["g"] for c in counts] == list(parts)
    rows = remote_rows(oxigraph, ACCORDING_TO)
    assert rows == local_rows(local, ACCORDING_TO)
    assert [(r["g"], r["quote"]) for r in rows] == [
        (BASE + "graph/source/harbour-editorial", "its 7 articles"),
        (BASE + "graph/source/harbour-report", "The pact has 007 articles")]


def test_replace_puts_each_graph_and_post_adds(oxigraph):
    facts = BASE + "graph/facts"
    junk = b"<https://example.org/junk> <https://example.org/p> <https://example.org/o> .\n"
    gsp.post(f"{oxigraph}/store", facts, junk)
    assert load("--endpoint", f"{oxigraph}/store", "-q").exit_code == 0
    ask = "ASK { GRAPH ?g { <https://example.org/junk> ?p ?o } }"
    with _open(f"{oxigraph}/query?" + urllib.parse.urlencode({"query": ask}),
               headers={"Accept": "application/sparql-results+json"}) as resp:
        assert json.loads(resp.read())["boolean"] is True
    assert load("--endpoint", f"{oxigraph}/store", "--replace", "-q").exit_code == 0
    with _open(f"{oxigraph}/query?" + urllib.parse.urlencode({"query": ask}),
               headers={"Accept": "application/sparql-results+json"}) as resp:
        assert json.loads(resp.read())["boolean"] is False
    result, meta = compile_with_meta(PAIR)
    expected = local_store(build_parts(result, meta=meta))  # what load sends without --with-ontology
    assert remote_rows(oxigraph, COUNTS) == local_rows(expected, COUNTS)


def test_graph_option_loads_the_union_into_one_graph(oxigraph, parts):
    target = "https://example.org/all"
    run = load("--endpoint", f"{oxigraph}/store", "--graph", target, "--with-ontology", "--replace")
    assert run.exit_code == 0, run.output
    assert remote_rows(oxigraph, COUNTS) == local_rows(local_store(parts, target), COUNTS)
    back = gsp.get(f"{oxigraph}/store", target)
    assert back.status == 200 and len(back.body.splitlines()) == len(local_store(parts, target))


def test_a_refused_connection_is_a_clear_error_with_exit_2():
    port = _free_port()  # nothing listens there
    run = load("--endpoint", f"http://127.0.0.1:{port}/store")
    assert run.exit_code == 2
    assert "cannot reach the store" in run.stderr and "is the store running" in run.stderr
    assert "Traceback" not in run.output + run.stderr


def test_a_refusing_server_is_a_clear_error_with_exit_2(oxigraph):
    run = load("--endpoint", f"{oxigraph}/no-such-service")
    assert run.exit_code == 2
    assert "HTTP 404" in run.stderr


def test_only_http_endpoints_are_accepted():
    run = load("--endpoint", "file:///etc/passwd")
    assert run.exit_code == 2 and "not an http(s) URL" in run.stderr


def test_graph_must_be_an_absolute_iri():
    run = load("--endpoint", f"http://127.0.0.1:{_free_port()}/store", "--graph", "not an iri")
    assert run.exit_code == 2 and "not an absolute IRI" in run.stderr
