"""Hostile RDF given to ``--data``: located errors, no entity expansion, no remote context, nothing written; and the
suite-wide network guard really catches the libraries' fetches."""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from gsomia_kg.errors import GsomiaError
from gsomia_kg.rdfinput import read_capped, read_rdf
from support import ROOT, count_connections, run_cli

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
SELECT = "SELECT * WHERE { ?s ?p ?o }"
PREVIOUS = b"s,p,o\nprevious,results,kept\n"
REFUSED_DOCTYPE = "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity expansion can exhaust memory"
REMOTE_CONTEXT = "JSON-LD with a remote @context is refused (no network access) (inline the context"

# file in tests/fixtures/hostile -> (where, words)
CASES = {
    "malformed.ttl": ("malformed.ttl:4:11", "turtle syntax error: . is not a valid RDF object (fix the syntax)"),
    "truncated.ttl": ("truncated.ttl:3:20", "turtle syntax error: Unexpected end of file"),
    "jsonld-content.ttl": ("jsonld-content.ttl:1:1", "is the file really turtle? If not, give --data-format"),
    "turtle-content.jsonld": ("turtle-content.jsonld:1:1", "is the file really jsonld? If not, give --data-format"),
    "not-utf8.nt": ("not-utf8.nt:1:51", "Invalid UTF-8: incomplete utf-8 byte sequence from index 3 (save the file as"),
    "bad-iri.nt": ("bad-iri.nt:2:1", "ntriples syntax error: Invalid IRI code point ' '"),
    "external-entity.rdf": ("external-entity.rdf:2:1", REFUSED_DOCTYPE),
    "entity-expansion.rdf": ("entity-expansion.rdf:2:1", REFUSED_DOCTYPE),
    "remote-context.jsonld": ("remote-context.jsonld:2:3", REMOTE_CONTEXT),
    "import-context.jsonld": ("import-context.jsonld:2:33", REMOTE_CONTEXT),
    "relative-context.jsonld": ("relative-context.jsonld:2:3", REMOTE_CONTEXT),
    "unknown-extension.rdfx": ("unknown-extension.rdfx", "cannot tell the RDF format from the extension '.rdfx' "
                                                         "(give --data-format"),
}


def _problem(path: Path, **kwargs) -> str:
    with pytest.raises(GsomiaError) as info:
        read_rdf(path, **kwargs)
    (problem,) = info.value.problems
    return str(problem)


@pytest.mark.parametrize("name", sorted(CASES))
def test_read_rdf_refuses_with_a_location(name):
    where, words = CASES[name]
    text = _problem(HOSTILE / name)
    assert text.startswith(f"{HOSTILE / where}:" if ":" in where else f"{HOSTILE / where}: "), text
    assert words in text, text


def _run_data(command: str, data: Path, out: Path, tmp_path: Path, *extra: str):
    args = ["query", "--data", str(data), SELECT, "--format", "csv"] if command == "query" else \
        ["validate", "--data", str(data)]
    return run_cli(*args, *extra, "-o", str(out), env={"GSOMIA_KG_CACHE_DIR": str(tmp_path / "cache")})


@pytest.mark.parametrize("command", ["query", "validate"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_data_option_refuses_cleanly_and_writes_nothing(name, command, tmp_path):
    where, words = CASES[name]
    out = tmp_path / "out" / "results.txt"
    out.parent.mkdir()
    out.write_bytes(PREVIOUS)
    proc = _run_data(command, HOSTILE / name, out, tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert err.startswith(f"error: {HOSTILE / where}"), err
    assert words in err and "Traceback" not in err
    assert proc.stdout == b""
    assert out.read_bytes() == PREVIOUS and os.listdir(out.parent) == ["results.txt"]


def test_ill_typed_literals_are_a_validation_result_not_a_traceback(tmp_path):
    out = tmp_path / "report.txt"
    proc = _run_data("validate", HOSTILE / "ill-typed.ttl", out, tmp_path)
    assert proc.returncode == 1, proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode() and "Failed to convert" not in proc.stderr.decode()
    report = out.read_text()
    line = next(x for x in report.splitlines() if "2016-13-45" in x)
    assert "https://example.org/date/1" in line and "gk:earliest" in line and "Traceback" not in report
    proc = run_cli("query", "--data", str(HOSTILE / "ill-typed.ttl"), "--engine", "rdflib", SELECT,
                   env={"GSOMIA_KG_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 0 and b"2016-13-45" in proc.stdout
    assert b"Traceback" not in proc.stderr and b"Failed to convert" not in proc.stderr, proc.stderr.decode()


def test_doctype_after_a_long_prologue_is_still_refused(tmp_path):
    """XML allows comments of any length before the DOCTYPE: the check reads the whole file, not a prefix."""
    bomb = (HOSTILE / "entity-expansion.rdf").read_text()
    head, rest = bomb.split("\n", 1)
    path = tmp_path / "late.rdf"
    path.write_text(head + "\n<!--" + "padding " * 200_000 + "-->\n" + rest)
    started = time.monotonic()
    text = _problem(path)
    assert text.startswith(f"{path}:3:1: {REFUSED_DOCTYPE}"), text
    assert time.monotonic() - started < 5


def test_wrong_format_given_explicitly(tmp_path):
    text = _problem(HOSTILE / "malformed.ttl", fmt="rdfxml")
    assert "rdfxml syntax error" in text and "If not, give --data-format" in text
    with pytest.raises(GsomiaError, match=r"unknown RDF format 'yaml' \(use one of turtle, ntriples"):
        read_rdf(HOSTILE / "malformed.ttl", fmt="yaml")


def test_size_cap_refuses_before_reading(tmp_path):
    path = tmp_path / "big.nt"
    path.write_bytes(b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n" * 100)
    assert _problem(path, max_bytes=1000) == f"{path}: file is 7,100 bytes, over the limit of 1,000 " \
                                            "(query or validate a smaller file, or raise --max-input-size)"


def test_devices_are_refused_instead_of_read_forever():
    assert _problem(Path("/dev/zero"), fmt="ntriples") == "/dev/zero: not a regular file (give an RDF file)"


def test_a_pipe_is_read_only_up_to_the_cap(tmp_path):
    fifo = tmp_path / "endless.nt"
    os.mkfifo(fifo)
    stop = threading.Event()

    def writer():
        line = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
        try:
            with open(fifo, "wb") as fh:
                while not stop.is_set():
                    fh.write(line * 100)
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        with pytest.raises(GsomiaError, match="input is over the limit of 100,000 bytes"):
            read_capped(fifo, max_bytes=100_000)
    finally:
        stop.set()
        thread.join(timeout=10)


# ---- hostile SPARQL: refused before anything is written (tests/test_query_*.py cover the refusals in depth) ------

@pytest.mark.parametrize(("query", "words"), [
    ("SELECT ?s WHERE {\n  ?s ?p\n}", "error: <query>:3:"),
    ("DELETE WHERE { ?s ?p ?o }", "<query>:1:1:"),
    ("SELECT * WHERE { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", "stopped after 1 s"),
], ids=["malformed", "update", "service", "never-ending"])
def test_hostile_queries_leave_the_output_file_alone(tmp_path, query, words):
    out = tmp_path / "out" / "results.csv"
    out.parent.mkdir()
    out.write_bytes(PREVIOUS)
    started = time.monotonic()
    proc = run_cli("query", query, "--corpus", str(ROOT / "tests" / "fixtures" / "tiny"), "--timeout", "1",
                   "--format", "csv", "-o", str(out), env={"GSOMIA_KG_CACHE_DIR": str(tmp_path / "cache")})
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert words in err and "Traceback" not in err, err
    assert time.monotonic() - started < 60
    assert out.read_bytes() == PREVIOUS and os.listdir(out.parent) == ["results.csv"]


# ---- nothing reaches the network --------------------------------------------------------------------------------

@pytest.mark.parametrize("context", ['"http://127.0.0.1:{port}/context.jsonld"',
                                     '{{"@version": 1.1, "@import": "http://127.0.0.1:{port}/context.jsonld"}}',
                                     '[{{"ex": "http://example.org/"}}, "http://127.0.0.1:{port}/context.jsonld"]'],
                         ids=["context", "import", "list"])
def test_remote_context_is_never_fetched(listener, tmp_path, context):
    port = listener.getsockname()[1]
    data = tmp_path / "remote.jsonld"
    data.write_text('{"@context": ' + context.format(port=port) + ', "@id": "http://example.org/a", '
                    '"http://example.org/b": "c"}')
    proc = run_cli("query", "--data", str(data), SELECT, env={"GSOMIA_KG_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 2
    assert f"error: {data}:1:" in proc.stderr.decode() and REMOTE_CONTEXT in proc.stderr.decode()
    assert count_connections(listener) == 0


def _causes(exc: BaseException) -> str:
    seen = []
    while exc is not None and len(seen) < 10:
        seen.append(f"{type(exc).__name__}: {exc}")
        exc = exc.__cause__ or exc.__context__
    return "\n".join(seen)


# The guard in conftest.py is an audit hook; these prove it fires for the ways a library would reach out.
# "*.invalid" never resolves and 192.0.2.1 (TEST-NET-1) is never routed, so a broken guard cannot leak data.

def test_guard_catches_urllib_name_lookup():
    with pytest.raises(OSError) as info:
        urllib.request.urlopen("http://gsomia-kg-guard.invalid/context.jsonld", timeout=5)
    assert "test tried to resolve 'gsomia-kg-guard.invalid' (no network in tests)" in _causes(info.value)


def test_guard_catches_urllib_connect_to_an_address():
    with pytest.raises(OSError) as info:
        urllib.request.urlopen("http://192.0.2.1/context.jsonld", timeout=5)
    assert "test tried to reach the network: ('192.0.2.1', 80)" in _causes(info.value)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser uses ConjunctiveGraph
def test_guard_catches_rdflib_fetching_a_remote_jsonld_context():
    import rdflib

    doc = '{"@context": "http://gsomia-kg-guard.invalid/context.jsonld", "@id": "http://example.org/a", "b": "c"}'
    with pytest.raises(Exception) as info:  # rdflib wraps the refusal in its own error types
        rdflib.Graph().parse(data=doc, format="json-ld")
    assert "test tried to resolve 'gsomia-kg-guard.invalid'" in _causes(info.value)


def test_guard_catches_pyld_fetching_a_remote_context():
    from pyld import jsonld

    doc = {"@context": "http://192.0.2.1/context.jsonld", "@id": "http://example.org/a", "b": "c"}
    # pyld's own loaders need requests or aiohttp; a loader built on urllib is what a future change would add
    def urllib_loader(url, options=None):
        with urllib.request.urlopen(url, timeout=5) as resp:
            return {"document": resp.read(), "documentUrl": url, "contextUrl": None}

    with pytest.raises(jsonld.JsonLdError) as info:
        jsonld.expand(doc, {"documentLoader": urllib_loader})
    assert "test tried to reach the network: ('192.0.2.1', 80)" in _causes(info.value)


def test_guard_allows_loopback(listener):
    with socket.create_connection(listener.getsockname(), timeout=5):
        pass


# ---- hostile SHACL shapes (--shapes) ----------------------------------------------------------------------------

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "m" ; sh:select \"\"\"{query}\"\"\" ] .
"""


@pytest.mark.parametrize(("query", "words"), [
    ("SELECT $this WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ $this ?p ?o }} }}", "SERVICE"),
    # the file holds SERVIC\\u0045; Turtle reads it as SERVIC\u0045, which rdflib's SPARQL parser reads as SERVICE
    ("SELECT $this WHERE {{ SERVIC\\\\u0045 <http://127.0.0.1:{port}/sparql> {{ $this ?p ?o }} }}", "SERVICE"),
    ("SELECT $this FROM <http://127.0.0.1:{port}/g.ttl> WHERE {{ $this ?p ?o }}", "FROM / FROM NAMED is refused"),
], ids=["service", "escaped-service", "from"])
def test_shapes_with_network_sparql_are_refused(tmp_path, listener, query, words):
    from gsomia_kg.rdfinput import read_rdf
    from gsomia_kg.shapes_guard import check_shapes_sparql

    port = listener.getsockname()[1]
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES.replace("{query}", query.format(port=port)))
    with pytest.raises(GsomiaError) as info:
        check_shapes_sparql(read_rdf(shapes))
    (problem,) = info.value.problems
    assert str(problem).startswith("<http://example.org/S> sh:select:1:") and words in problem.message
    assert count_connections(listener) == 0


def test_shapes_with_update_rules_are_refused():
    import rdflib

    from gsomia_kg.shapes_guard import check_shapes_sparql

    rules = rdflib.Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://example.org/R> sh:update "INSERT DATA { <a:x> <a:y> <a:z> }" .""", format="turtle")
    with pytest.raises(GsomiaError, match=r"<http://example.org/R> sh:update: SHACL rules that update data"):
        check_shapes_sparql(rules)


def test_shipped_shapes_pass_the_guard():
    from gsomia_kg.shapes_guard import check_shapes_sparql
    from gsomia_kg.validate import load_shapes

    assert check_shapes_sparql(load_shapes()) >= 10


@pytest.mark.parametrize("service", ["SERVICE", "SERVIC\\\\u0045"], ids=["plain", "escaped"])
def test_validate_with_a_service_shape_reaches_nothing(tmp_path, listener, service):
    port = listener.getsockname()[1]
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES.replace("{query}", f"SELECT $this WHERE {{ {service} <http://127.0.0.1:{port}/sparql> "
                                                "{ $this ?p ?o } }"))
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> a <http://example.org/C> .\n")
    for engine in ("fast", "pyshacl"):
        proc = run_cli("validate", "--data", str(data), "--shapes", str(shapes), "--engine", engine)
        assert proc.returncode == 2, proc.stderr.decode()
        assert "SERVICE" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
    assert count_connections(listener) == 0


def test_validate_data_refuses_a_device(tmp_path):
    proc = run_cli("validate", "--data", "/dev/zero", "--data-format", "nt")
    assert proc.returncode == 2
    assert proc.stderr.decode() == "error: /dev/zero: not a regular file (give an RDF file)\n"


def test_query_data_refuses_a_device():
    proc = run_cli("query", "--data", "/dev/zero", "--data-format", "nt", "ASK {}")
    assert proc.returncode == 2
    assert proc.stderr.decode() == "error: /dev/zero: not a regular file (give an RDF file)\n"


@pytest.mark.parametrize("command", ["query", "validate"])
def test_max_input_size_sets_the_data_limit(command, tmp_path):
    data = tmp_path / "graph.nt"
    data.write_bytes(b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n" * 100)  # 7,100 bytes
    args = ["query", SELECT, "--data", str(data)] if command == "query" else ["validate", "--data", str(data)]
    env = {"GSOMIA_KG_CACHE_DIR": str(tmp_path / "cache")}
    refused = run_cli(*args, "--max-input-size", "6K", env=env)
    assert refused.returncode == 2
    assert refused.stderr.decode().startswith(f"error: {data}: file is 7,100 bytes, over the limit of 6,144"), \
        refused.stderr.decode()
    assert "raise --max-input-size" in refused.stderr.decode()
    accepted = run_cli(*args, "--max-input-size", "8K", env=env)
    assert accepted.returncode in (0, 1), accepted.stderr.decode()  # validate: the bare triples may not conform
    assert b"over the limit" not in accepted.stderr
    bad = run_cli(*args, "--max-input-size", "lots", env=env)
    assert bad.returncode == 2 and b"is not a size" in bad.stderr
