"""The compiled-graph cache: hits skip the compiler, any input change misses, damage is repaired, races are safe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gsomia_kg import cache
from gsomia_kg.cache import compiled_ntriples, corpus_key
from support import ROOT, TINY


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("GSOMIA_KG_CACHE_DIR", str(path))
    return path


def test_miss_then_hit_without_compiling(cache_dir, monkeypatch):
    data, base = compiled_ntriples(TINY)
    assert base == "https://example.org/tiny/"
    (entry,) = cache_dir.glob("*.nt")
    assert entry.name == f"{corpus_key(TINY)}.nt"

    import gsomia_kg.graph
    from gsomia_kg.graph import compile_corpus

    def boom(*args, **kwargs):
        raise AssertionError("compiled again on a cache hit")

    monkeypatch.setattr(gsomia_kg.graph, "compile_corpus", boom)
    assert compiled_ntriples(TINY) == (data, base)
    assert len(data.splitlines()) == len(compile_corpus(TINY).graph)


def test_cache_entry_equals_a_fresh_compile(cache_dir):
    from gsomia_kg.graph import compile_corpus
    from gsomia_kg.serialize import to_ntriples

    compiled_ntriples(TINY)
    assert compiled_ntriples(TINY)[0] == to_ntriples(compile_corpus(TINY).graph)


def test_any_corpus_change_gives_a_new_key(corpus_copy):
    corpus = corpus_copy()
    before = corpus_key(corpus)
    doc = corpus / "documents" / "accord.txt"
    doc.write_bytes(doc.read_bytes() + b" ")
    after_doc = corpus_key(corpus)
    (corpus / "notes.yaml").write_text("entities: []\n")
    after_new_file = corpus_key(corpus)
    assert len({before, after_doc, after_new_file}) == 3


def test_ontology_and_version_are_in_the_key(tmp_path, monkeypatch):
    from gsomia_kg.resources import ontology_file

    other = tmp_path / "o.ttl"
    other.write_bytes(ontology_file().read_bytes() + b"\n# changed\n")
    base = corpus_key(TINY)
    assert corpus_key(TINY, other) != base
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    assert corpus_key(TINY) != base


def test_damaged_entry_is_rebuilt(cache_dir):
    good, _ = compiled_ntriples(TINY)
    (entry,) = cache_dir.glob("*.nt")
    whole = entry.read_bytes()
    entry.write_bytes(whole[:1000])  # truncated: trailer gone
    assert compiled_ntriples(TINY)[0] == good
    assert entry.read_bytes() == whole  # compiled again and rewritten
    lines = whole.splitlines()
    lines.pop(3)  # a triple lost, trailer intact
    entry.write_bytes(b"\n".join(lines) + b"\n")
    assert compiled_ntriples(TINY)[0] == good
    assert entry.read_bytes() == whole


def test_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    from gsomia_kg.graph import compile_corpus

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GSOMIA_KG_CACHE_DIR", str(blocker / "cache"))
    data, _ = compiled_ntriples(TINY)
    assert data == compile_corpus(TINY).compiled.ntriples()


def test_old_entries_are_pruned(cache_dir, monkeypatch):
    cache_dir.mkdir(parents=True)
    for i in range(cache.KEEP_ENTRIES + 3):
        (cache_dir / f"old{i}.nt").write_text("")
    compiled_ntriples(TINY)
    entries = list(cache_dir.glob("*.nt"))
    assert len(entries) == cache.KEEP_ENTRIES
    assert cache_dir / f"{corpus_key(TINY)}.nt" in entries


def test_xdg_cache_home_is_honoured(tmp_path, monkeypatch):
    monkeypatch.delenv("GSOMIA_KG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "gsomia-kg"


def test_concurrent_processes_share_the_cache_safely(tmp_path):
    env = {"GSOMIA_KG_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    args = [sys.executable, "-m", "gsomia_kg", "query", "-n", "timeline", "--corpus", str(TINY), "--format", "tsv"]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
             for _ in range(6)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, [e.decode() for _, e in outs]
    assert len({o for o, _ in outs}) == 1 and b"accord-signing" in outs[0][0]
    files = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert files == [f"{corpus_key(TINY)}.nt"]  # one entry, no temp files left behind
