"""The shipped corpus compiles and every evidence span in the graph matches its document."""

from __future__ import annotations

from pathlib import Path

from gsomia_kg.namespaces import GK, OA, SCHEMA
from support import SHIPPED, run_cli


def _spans(graph):
    """(span, source text, exact, start, end) for every evidence span, read from the graph alone."""
    rows = graph.query(f"""
        SELECT ?span ?text ?exact ?start ?end WHERE {{
          ?span a <{GK}EvidenceSpan> ; <{OA}hasSource> ?src ;
                <{OA}hasSelector> ?q, ?p .
          ?src <{SCHEMA}text> ?text .
          ?q <{OA}exact> ?exact . ?p <{OA}start> ?start ; <{OA}end> ?end .
        }}""")
    return [(str(s), str(t), str(e), int(a), int(b)) for s, t, e, a, b in rows]


def test_every_evidence_span_matches_its_document(shipped_build):
    spans = _spans(shipped_build.graph)
    assert len(spans) == shipped_build.counts["evidence spans"] > 300
    for span, text, exact, start, end in spans:
        assert text[start:end] == exact, span
        assert span.endswith(f"/{start}-{end}")


def test_documents_in_graph_equal_the_files_byte_for_byte(shipped_build):
    rows = shipped_build.graph.query(f"SELECT ?f ?t WHERE {{ ?s <{GK}documentFile> ?f ; <{SCHEMA}text> ?t }}")
    files = {str(f): str(t) for f, t in rows}
    assert sorted(files) == sorted(p.name for p in (SHIPPED / "documents").glob("*.txt"))
    for name, text in files.items():
        assert (SHIPPED / "documents" / name).read_bytes() == text.encode("utf-8")


def test_every_claim_and_statement_has_evidence_from_its_own_source(shipped_build):
    rows = shipped_build.graph.query(f"""
        SELECT ?node ?src (COUNT(?span) AS ?n) (SUM(IF(?spansrc = ?src, 1, 0)) AS ?own) WHERE {{
          ?node <{GK}accordingTo> ?src .
          FILTER NOT EXISTS {{ ?node a <{GK}DateSpecification> }}
          OPTIONAL {{ ?node <{GK}evidence> ?span . ?span <{OA}hasSource> ?spansrc }}
        }} GROUP BY ?node ?src""")
    rows = list(rows)
    assert len(rows) > 500
    for node, _src, n, own in rows:
        assert int(n) >= 1 and int(own) == int(n), node


def test_tiny_second_corpus_compiles(tiny_build):
    assert tiny_build.counts["sources"] == 1
    assert tiny_build.counts["statements"] == 2
    assert tiny_build.entities_by_kind == {"agreement": 1, "event": 1, "group": 1, "person": 2, "place": 1,
                                           "role": 1, "state": 2}


def test_build_command_writes_turtle_and_a_summary(tmp_path: Path):
    out = tmp_path / "g.ttl"
    proc = run_cli("build", "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.read_bytes().startswith(b"@prefix ")
    summary = proc.stderr.decode()
    assert "triples" in summary and "entities by kind:" in summary and "evidence spans by source:" in summary


def test_build_to_stdout_equals_build_to_file(tmp_path: Path):
    out = tmp_path / "g.ttl"
    assert run_cli("build", "--corpus", "tests/fixtures/tiny", "-o", str(out), "-q").returncode == 0
    proc = run_cli("build", "--corpus", "tests/fixtures/tiny", "-q")
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout == out.read_bytes()
