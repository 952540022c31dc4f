"""A catalogue of broken and hostile corpus input, one test each, through the real CLI.

Every case: exit 2, a message naming file:line:column (where known) and what to do, no traceback, no network (the
suite-wide guard in conftest.py), and the output file given with -o left exactly as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import ROOT, run_cli

ACCORD = "mappings/accord.yaml"
PREVIOUS = b"@prefix previous: <https://example.org/previous#> .\n"


def _edit(corpus: Path, rel: str, old: str, new: str) -> None:
    path = corpus / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build_fails(corpus: Path, tmp_path: Path, *words: str, where: str | None = None) -> str:
    """Build ``corpus`` over an existing output file; assert a clean exit 2 that left the file alone."""
    out_dir = tmp_path / "out"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / "graph.ttl"
    out.write_bytes(PREVIOUS)
    proc = run_cli("build", "--corpus", str(corpus), "-o", str(out))
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert proc.stdout == b""
    if where is not None:
        assert f"error: {corpus}/{where}" in err, err
    for w in words:
        assert w in err, err
    assert out.read_bytes() == PREVIOUS
    assert [p.name for p in out_dir.iterdir()] == ["graph.ttl"]  # no temp file left behind
    return err


def _build_ok(corpus: Path) -> bytes:
    proc = run_cli("build", "--corpus", str(corpus), "-q")
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


# ---- files that are not YAML mappings at all --------------------------------------------------------------------

def test_empty_mapping_file(corpus_copy, tmp_path):
    corpus = corpus_copy()
    (corpus / "mappings" / "empty.yaml").write_bytes(b"")
    _build_fails(corpus, tmp_path, "the mapping file is empty", "remove the file", where="mappings/empty.yaml:1:1")


def test_mapping_file_that_is_not_utf8(corpus_copy, tmp_path):
    corpus = corpus_copy()
    path = corpus / ACCORD
    path.write_bytes(path.read_bytes().replace(b'"a sell-out"', b'"a sell-out \xe9"'))  # Latin-1 e-acute
    _build_fails(corpus, tmp_path, "not valid UTF-8 (byte 0xe9)", "save the file as UTF-8", where=f"{ACCORD}:41:24")


def test_byte_order_mark_is_accepted_and_columns_do_not_shift(corpus_copy, tmp_path):
    corpus = corpus_copy()
    plain = _build_ok(corpus)
    path = corpus / ACCORD
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert _build_ok(corpus) == plain
    _edit(corpus, ACCORD, "\ufeffsource:", "\ufeffsourse:")
    _build_fails(corpus, tmp_path, "unknown field 'sourse' in mapping file", "did you mean 'source'?",
                 where=f"{ACCORD}:1:1")


def test_crlf_mapping_file_builds_the_same_graph_as_its_lf_twin(corpus_copy, tmp_path):
    corpus = corpus_copy()
    lf = _build_ok(corpus)
    for rel in (ACCORD, "entities.yaml", "corpus.yaml"):
        path = corpus / rel
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert b"\r\n" in (corpus / ACCORD).read_bytes()
    assert _build_ok(corpus) == lf
    # and errors in a CRLF file are reported at the same line and column as in the LF file
    _edit(corpus, ACCORD, "stance: supports", "stance: supportive")
    _build_fails(corpus, tmp_path, "unknown stance 'supportive'", where=f"{ACCORD}:30:5")


def test_tab_indentation(corpus_copy, tmp_path):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, "    speaker: lio-brandt", "\tspeaker: lio-brandt")
    _build_fails(corpus, tmp_path, "YAML does not allow tabs for indentation: use spaces", where=f"{ACCORD}:31:")


def test_control_character_is_located_and_named(corpus_copy, tmp_path):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, "kind: direct-quote\n    words: \"a", "kind: direct-quote\n    words: \"\x07a")
    _build_fails(corpus, tmp_path, "character U+0007 (a control character) is not allowed in YAML",
                 "write it as the escape \\u0007", where=f"{ACCORD}:41:13")


# ---- YAML that parses but is not what the format allows ---------------------------------------------------------

def test_duplicate_key(corpus_copy, tmp_path):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, "    stance: opposes\n", "    stance: opposes\n    stance: supports\n")
    _build_fails(corpus, tmp_path, "duplicate key 'stance' (first at line 42)", "remove one of them",
                 where=f"{ACCORD}:43:5")


@pytest.mark.parametrize(("old", "new", "where", "words"), [
    ('words: "a sell-out"', "words: [a, sell-out]", f"{ACCORD}:41:12",
     "words must be one evidence item (text, or {quote: ..., start: ...}), not a list"),
    ("about: [fisheries-accord]\n    evidence: [\"Freedonia",
     "about: {id: fisheries-accord}\n    evidence: [\"Freedonia", f"{ACCORD}:43:12", "about must be a list"),
    ("participants:\n      - {agent: ruritania, role: signatory}\n      - {agent: freedonia, role: signatory}",
     "participants: ruritania and freedonia", f"{ACCORD}:25:19", "participants must be a list"),
    ('author: {entity: ana-vela, evidence: ["By Ana Vela"]}', 'author: [ana-vela, "By Ana Vela"]', f"{ACCORD}:7:11",
     "author must be a mapping (key: value)"),
    ('latest: "2030-12-31"', "latest: [2030, 12, 31]", f"{ACCORD}:21:15", "date latest must be text, not a list"),
], ids=["list-for-text", "mapping-for-list", "text-for-list", "list-for-mapping", "list-for-date"])
def test_wrong_types(corpus_copy, tmp_path, old, new, where, words):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, old, new)
    _build_fails(corpus, tmp_path, words, where=where)


def test_whole_file_of_the_wrong_type(corpus_copy, tmp_path):
    corpus = corpus_copy()
    (corpus / "mappings" / "list.yaml").write_text("- source\n- entities\n", encoding="utf-8")
    _build_fails(corpus, tmp_path, "mapping file must be a mapping (key: value)", where="mappings/list.yaml:1:1")


@pytest.mark.parametrize(("old", "new", "where", "words"), [
    ("facts:\n", "fact:\n", f"{ACCORD}:46:1", "unknown field 'fact' in mapping file (did you mean 'facts'?)"),
    ("      status: inferred", "      stauts: inferred", f"{ACCORD}:22:7", "unknown field 'stauts' in date"),
    ("as: {quote: \"Ruritania\", start: 68}", "as: {quote: \"Ruritania\", offset: 68}", f"{ACCORD}:11:50",
     "unknown field 'offset' in as (allowed: quote, start)"),
], ids=["section", "date-field", "evidence-field"])
def test_unknown_fields_are_never_ignored(corpus_copy, tmp_path, old, new, where, words):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, old, new)
    _build_fails(corpus, tmp_path, words, where=where)


def test_python_tags_are_refused_and_never_run(corpus_copy, tmp_path):
    corpus = corpus_copy()
    marker = tmp_path / "pwned"
    _edit(corpus, ACCORD, "    kind: direct-quote\n    words: \"a",
          f"    kind: !!python/object/apply:os.system [\"touch {marker}\"]\n    words: \"a")
    _build_fails(corpus, tmp_path, "YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed",
                 "remove the tag", where=f"{ACCORD}:40:11")
    assert not marker.exists()


def test_billion_laughs_is_refused_at_the_first_anchor(corpus_copy, tmp_path):
    corpus = corpus_copy()
    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    (corpus / "mappings" / "bomb.yaml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    started = time.monotonic()
    _build_fails(corpus, tmp_path, "YAML anchors (&a0) are not allowed", "write the value out in full",
                 where="mappings/bomb.yaml:1:5")
    assert time.monotonic() - started < 30  # 10**10 strings, had they been expanded


def test_fifty_megabyte_file_is_refused_fast(corpus_copy, tmp_path):
    corpus = corpus_copy()
    line = b'  - {id: filler, kind: concept, label: "' + b"x" * 100 + b'"}\n'
    with open(corpus / "mappings" / "huge.yaml", "wb") as fh:
        fh.write(b"entities:\n")
        fh.write(line * (50 * 1024 * 1024 // len(line)))
    assert (corpus / "mappings" / "huge.yaml").stat().st_size > 50_000_000
    started = time.monotonic()
    _build_fails(corpus, tmp_path, "over the limit of 10,485,760", "split it into smaller mapping files",
                 where="mappings/huge.yaml: file is 52,")
    assert time.monotonic() - started < 10


# ---- evidence that does not match its document ------------------------------------------------------------------

def test_document_changed_after_the_mappings_were_written(corpus_copy, tmp_path):
    corpus = corpus_copy()
    _edit(corpus, "documents/accord.txt", "The 12-article accord caps", "The accord caps")
    _edit(corpus, "documents/accord.txt", "protects our coasts", "protects our shores")
    _build_fails(corpus, tmp_path,
                 f"{corpus}/{ACCORD}:49:85: quote 'The 12-article accord' is not in the text",
                 "was the document changed after the mapping was written?",
                 f"{corpus}/{ACCORD}:34:12: quote 'This accord protects our coasts,' is not in the text",
                 "the first 25 characters match at offset 247, then the text reads 'shores,")


@pytest.mark.parametrize(("old", "new", "where", "words"), [
    ("Freedonia’s opposition", "Freedonia's opposition", f"{ACCORD}:44:16",
     "the text has ’ (right single quote) where the quote has ' (straight quote)"),
    ('as: "Lio Brandt"', 'as: "Lio\u00a0Brandt"', f"{ACCORD}:12:30",
     "the text has a space where the quote has a non-breaking space"),
    ('words: "This accord', 'words: "\\"This accord', f"{ACCORD}:34:12",
     "the text has “ (left double quote) where the quote has \" (straight double quote)"),
    ("Ruritania and Freedonia signed a fisheries", "Ruritania and Freedonia signed a  fisheries", f"{ACCORD}:17:16",
     "look-alike characters: white space differs"),
    ("said Fisheries Minister", "said fisheries minister", f"{ACCORD}:37:16",
     "upper/lower case differs: the text at 292 reads 'said Fisheries"),
], ids=["straight-vs-curly", "nbsp", "extra-curly-quote", "double-space", "case"])
def test_lookalike_characters_are_named(corpus_copy, tmp_path, old, new, where, words):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, old, new)
    _build_fails(corpus, tmp_path, words, where=where)


def test_decomposed_accent_is_explained(corpus_copy, tmp_path):
    corpus = corpus_copy()
    _edit(corpus, "documents/accord.txt", "By Ana Vela", "By Ana V\u00e9la")
    _edit(corpus, ACCORD, '"By Ana Vela"', '"By Ana Ve\u0301la"')  # e + combining acute: looks the same
    _build_fails(corpus, tmp_path, "matches only after Unicode normalization: the quote has combining marks "
                 "(U+0301 COMBINING ACUTE ACCENT) where the other has precomposed characters", where=f"{ACCORD}:7:41")


def test_offset_past_the_end(corpus_copy, tmp_path):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, "start: 68}", "start: 100000}")
    _build_fails(corpus, tmp_path, "offsets 100000-100009 are past the end of the text (448 characters)",
                 "the quote occurs at start 68, 330, 396", where=f"{ACCORD}:11:29")


@pytest.mark.parametrize(("value", "words"), [
    ("-5", "as start -5 is negative (offsets count from 0)"),
    ("sixty-eight", "as start 'sixty-eight' is not a whole number"),
    ("6.8e1", "as start '6.8e1' is not a whole number"),
    ("\uff16\uff18", "as start '６８' is not a whole number"),  # full-width digits
    ("9" * 5000, "as start 99999999999999999999... is too large"),  # past Python's int() digit limit
], ids=["negative", "words", "float", "full-width", "huge"])
def test_bad_offsets(corpus_copy, tmp_path, value, words):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, "start: 68}", f"start: {value}}}")
    _build_fails(corpus, tmp_path, words, where=f"{ACCORD}:11:")


def test_crlf_document_keeps_its_carriage_returns_and_offsets_count_them(corpus_copy, tmp_path):
    """Documents are byte for byte: a CRLF document's text keeps each \\r, and offsets count it."""
    corpus = corpus_copy()
    doc = corpus / "documents" / "accord.txt"
    doc.write_bytes(doc.read_bytes().replace(b"\n", b"\r\n"))
    _build_fails(corpus, tmp_path,
                 "the document has Windows line endings (CRLF): its line breaks are \\r\\n, two characters that "
                 "offsets count; write \\r\\n in the quote (it then occurs at 52)",
                 "the text at 68-77 does not read 'Ruritania' (the quote occurs at start 72, 336, 402)")
    _edit(corpus, ACCORD, '"in Port Meridian\\n"', '"in Port Meridian\\r\\n"')
    _edit(corpus, ACCORD, "start: 68}", "start: 72}")
    from rdflib import URIRef

    from gsomia_kg.graph import compile_corpus
    from gsomia_kg.namespaces import GK, OA, SCHEMA

    graph = compile_corpus(corpus).graph
    (text,) = {str(t) for t in graph.objects(None, URIRef(SCHEMA + "text")) if "\r\n" in str(t)}
    assert text == doc.read_bytes().decode("utf-8")
    assert int(next(graph.objects(None, URIRef(GK + "characterCount")))) == len(text)
    rows = graph.query(f"SELECT ?e ?s ?t WHERE {{ ?q <{OA}exact> ?e . ?span <{OA}hasSelector> ?q, ?p . "
                       f"?p <{OA}start> ?s ; <{OA}end> ?t }}")
    spans = [(str(e), int(s), int(t)) for e, s, t in rows]
    assert ("in Port Meridian\r\n", 52, 70) in spans and ("Ruritania", 72, 81) in spans
    assert all(text[s:t] == e for e, s, t in spans)


def test_document_that_is_not_utf8(corpus_copy, tmp_path):
    corpus = corpus_copy()
    doc = corpus / "documents" / "accord.txt"
    doc.write_bytes(doc.read_bytes().replace("’".encode(), b"\x92"))  # Windows-1252 apostrophe
    _build_fails(corpus, tmp_path, "document is not valid UTF-8 (byte 0x92)", "save it as UTF-8",
                 where="documents/accord.txt:5")


@pytest.mark.parametrize(("path", "words"), [
    ("../../../../../../etc/passwd", "is outside the corpus folder"),
    ('"documents/acc\\0ord.txt"', "cannot be used: embedded null byte"),
    ("documents/loop.txt", "cannot be used: Symlink loop"),
    ("documents/missing.txt", "cannot read document"),
], ids=["outside", "nul", "symlink-loop", "missing"])
def test_bad_document_paths(corpus_copy, tmp_path, path, words):
    corpus = corpus_copy()
    os.symlink("loop.txt", corpus / "documents" / "loop.txt")
    _edit(corpus, ACCORD, "document: documents/accord.txt", f"document: {path}")
    _build_fails(corpus, tmp_path, words, where=f"{ACCORD}:2:3")


@pytest.mark.parametrize(("rel", "old", "new", "where", "words"), [
    ("entities.yaml", 'label: "Ruritania"}', 'label: "Ruritania", same-as: ["http://www.wikidata.org/entity/Q%zz"]}',
     "entities.yaml:2:64", "is not a valid IRI: Invalid IRI percent encoding '%zz'"),
    ("corpus.yaml", "base: https://example.org/tiny/", "base: https://[example.org/tiny/", "corpus.yaml:7:7",
     "is not a valid IRI: Invalid character '[' in host"),
], ids=["same-as", "base"])
def test_invalid_iris_are_caught_at_their_source_line(corpus_copy, tmp_path, rel, old, new, where, words):
    corpus = corpus_copy()
    _edit(corpus, rel, old, new)
    _build_fails(corpus, tmp_path, words, where=where)


# ---- how errors are shown ---------------------------------------------------------------------------------------

_BOOM = """
import sys
import gsomia_kg.serialize
def boom(graph):
    raise RuntimeError("simulated bug")
gsomia_kg.serialize.to_turtle_chunks = boom
from gsomia_kg.cli import main
sys.argv = ["gsomia-kg", *sys.argv[1:]]
main()
"""


def test_internal_errors_show_a_traceback_only_with_debug(tmp_path):
    out = tmp_path / "graph.ttl"
    out.write_bytes(PREVIOUS)
    args = ["build", "--corpus", "tests/fixtures/tiny", "-o", str(out)]
    plain = subprocess.run([sys.executable, "-c", _BOOM, *args], capture_output=True, cwd=ROOT, timeout=120)
    err = plain.stderr.decode()
    assert plain.returncode == 3
    assert "internal error: RuntimeError: simulated bug (run with --debug for the traceback" in err
    assert "Traceback" not in err
    debug = subprocess.run([sys.executable, "-c", _BOOM, "--debug", *args], capture_output=True, cwd=ROOT, timeout=120)
    assert debug.returncode != 0
    assert "Traceback (most recent call last)" in debug.stderr.decode() and "simulated bug" in debug.stderr.decode()
    assert out.read_bytes() == PREVIOUS and sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_bad_input_never_shows_a_traceback_even_with_debug(corpus_copy):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, "speaker: lio-brandt", "speaker: nobody")
    proc = run_cli("--debug", "build", "--corpus", str(corpus))
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err
    assert f"error: {corpus}/{ACCORD}:30:5: unknown entity 'nobody' in speaker" in err


def test_missing_corpus_folder(tmp_path):
    proc = run_cli("build", "--corpus", str(tmp_path / "nowhere"))
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err
    assert "nowhere: corpus folder not found (give --corpus the folder that holds corpus.yaml)" in err
