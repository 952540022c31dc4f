"""One test per bad-input error: exit code 2, the mapping file:line, and no output file written."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import run_cli

ACCORD = "mappings/accord.yaml"


def _edit(corpus: Path, rel: str, old: str, new: str) -> None:
    path = corpus / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = [
    # (id, file, old, new, expected location, expected words)
    ("broken-yaml", ACCORD, "facts:\n", "facts: [\n", f"{ACCORD}:", "YAML syntax error"),
    ("quote-not-found", ACCORD, '"The 12-article accord"', '"The 13-article accord"', f"{ACCORD}:49:85",
     "is not in the text"),
    ("ambiguous-quote", ACCORD, '["Ruritania and Freedonia signed"]}\n  - {subject: fisheries-accord, property: '
     'numberOfArticles', '["accord"]}\n  - {subject: fisheries-accord, property: numberOfArticles',
     f"{ACCORD}:48:79", "occurs 6 times"),
    ("wrong-offset", ACCORD, "start: 68}", "start: 69}", f"{ACCORD}:11:29", "the quote occurs at start 68, 330, 396"),
    ("unknown-entity", ACCORD, "speaker: lio-brandt", "speaker: lio-brant", f"{ACCORD}:30:5",
     "unknown entity 'lio-brant' in speaker (did you mean 'lio-brandt'?)"),
    ("bad-date", ACCORD, 'latest: "2030-12-31"', 'latest: "2030-13-45"', f"{ACCORD}:21:15", "month 13 does not exist"),
    ("duplicate-id", "entities.yaml", "  - {id: ana-vela,", "  - {id: ana-vela, kind: person, label: \"A\"}\n"
     "  - {id: ana-vela,", "entities.yaml:6:5", "duplicate entity id 'ana-vela' (first declared at"),
    ("unknown-field", ACCORD, "    speaker-role:", "    speeker-role:", f"{ACCORD}:32:5",
     "unknown field 'speeker-role' in statement (did you mean 'speaker-role'?)"),
    ("unknown-stance", ACCORD, "stance: supports", "stance: supportive", f"{ACCORD}:30:5",
     "unknown stance 'supportive' (did you mean 'supports'?)"),
    ("bad-literal", ACCORD, 'value: "12"', 'value: "twelve"', f"{ACCORD}:49:68", "must be a whole number"),
    ("repeated-fact", ACCORD, '  - {subject: fisheries-accord, property: numberOfArticles,',
     '  - {subject: fisheries-accord, property: numberOfArticles, value: "12", evidence: ["12-article"]}\n'
     '  - {subject: fisheries-accord, property: numberOfArticles,', f"{ACCORD}:50:5",
     "the same fact (fisheries-accord numberOfArticles 12) is stated twice for this source (first at line 49)"),
    ("unknown-property", ACCORD, "property: numberOfArticles", "property: articleCount", f"{ACCORD}:49:5",
     "unknown property 'articleCount'"),
]


@pytest.mark.parametrize(("old", "new", "where", "words", "rel"),
                         [(c[2], c[3], c[4], c[5], c[1]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_reported_with_location(corpus_copy, tmp_path, old, new, where, words, rel):
    corpus = corpus_copy()
    _edit(corpus, rel, old, new)
    out = tmp_path / "out.ttl"
    proc = run_cli("build", "--corpus", str(corpus), "-o", str(out))
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    assert f"{corpus}/{where}" in err, err
    assert words in err, err
    assert not out.exists()


def test_all_problems_are_reported_in_one_run(corpus_copy):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, "speaker: lio-brandt", "speaker: nobody")
    _edit(corpus, ACCORD, '"The 12-article accord"', '"The 99-article accord"')
    _edit(corpus, ACCORD, "stance: opposes", "stance: hostile")
    proc = run_cli("build", "--corpus", str(corpus))
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert err.count("error: ") == 3 and "3 problems found." in err


def test_existing_output_survives_a_failed_build(corpus_copy, tmp_path):
    corpus = corpus_copy()
    _edit(corpus, ACCORD, "speaker: lio-brandt", "speaker: nobody")
    out = tmp_path / "out.ttl"
    out.write_bytes(b"previous")
    assert run_cli("build", "--corpus", str(corpus), "-o", str(out)).returncode == 2
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl", "tiny"]


def test_missing_corpus_folder(tmp_path):
    proc = run_cli("build", "--corpus", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert "corpus folder not found" in proc.stderr.decode()


def test_unknown_option_is_a_usage_error():
    proc = run_cli("build", "--no-such-option")
    assert proc.returncode == 2
    assert "No such option" in proc.stderr.decode()
