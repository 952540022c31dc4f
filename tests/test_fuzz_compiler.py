"""Property: however a valid mapping file is mutated, the compiler succeeds or raises a located ``GsomiaError``.

Mutations are drawn by hypothesis on the files of tests/fixtures/tiny: delete, duplicate, retype, rename and reorder
keys; change characters in quotes; change offsets and dates; splice hostile text into the YAML. A successful build
must also serialize to Turtle that pyoxigraph re-parses strictly. ``GSOMIA_FUZZ_EXAMPLES`` sets the number of
examples (default 300, about 20 s); see docs/security.md.
"""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gsomia_kg.errors import GsomiaError
from gsomia_kg.graph import compile_corpus
from gsomia_kg.serialize import to_turtle
from gsomia_kg.yamlread import Map, Scalar, Seq, read_yaml
from support import TINY

EXAMPLES = int(os.environ.get("GSOMIA_FUZZ_EXAMPLES", "300"))
TARGETS = ("mappings/accord.yaml", "entities.yaml")
META = "corpus.yaml"  # mutated in about one example in ten: most of its mutations stop the build early

# characters a curator (or a hostile file) might slip into a quote, an offset or a key
ODD_CHARS = ["\u2019", "'", "\u201c", '"', "\u00a0", " ", "\t", "\r", "\n", "\r\n", "\u2028", "\x85", "\x00", "\x07",
             "\ufeff", "\ufffe", "\u0301", "\U0001f600", "\\", "&", "*", "!", ":", "#", "-", "{", "}", "[", "]", "%",
             "@", "`", "|", ">", "\u00e9", "<", "A", "0"]
HOSTILE_TEXT = ["!!python/object/apply:os.system ['true']", "&a x", "*a", "\t", "? [a]\n: b", "---\n", "%YAML 1.1\n",
                "{", "]", "'", '"', "key: value\n", "key: value\nkey: value\n", "\ufeff", "\r\n", "\x00", "\xa0",
                ": ", "- ", "  - x\n", "<<: *a\n", "!x ", "|\n  block\n"]
DATE_LIKE = ["2016", "2016-11", "2016-11-23", "2016-11-23T10:30Z", "2016-02-30", "2016-13-01", "0000",
             "2016-11-23T25:00Z", "16-11-23", "2016-1-2", "2016-11-23T10:30:00Z", "", " ", "yesterday", "2016-11-23 ",
             "9999-12-31", "\u0662\u0660\u0661\u0666", "2016\u201311"]
OFFSETS = ["0", "-1", "68", "69", "-0", "+5", "1e3", "0x10", "99999999999999999999999", "", "５", "3.0", " 7 ",
           "9" * 5000]
VALUE_LIKE = ["", " ", "true", "NO", "12", "P2Y", "-1", "1.5", "ruritania", "not-an-entity", "Ruritania", "null",
              "http://example.org/x", "http://ex/a b", "<>", "a\u0000b", "../../etc/passwd", "documents/accord.txt",
              "documents", "https://w3id.org/gsomia-kg/ns#State", "x" * 300]
DOCUMENT_PATHS = ["documents/acc\x00ord.txt", "../corpus.yaml", "/etc/passwd", "documents", "documents/",
                  "missing.txt", "corpus.yaml", "mappings/accord.yaml", "./documents/accord.txt",
                  "documents//accord.txt", "x" * 300, "documents/accord.txt/..", "~/accord.txt", "documents/\u00e9.txt",
                  "documents/../documents/accord.txt"]


def _plain(node):
    """The located tree as plain Python: dicts, lists and strings."""
    if isinstance(node, Map):
        return {k: _plain(v) for k, v in node.items.items()}
    if isinstance(node, Seq):
        return [_plain(v) for v in node.items]
    return node.value if isinstance(node, Scalar) else node


ORIGINALS = {rel: (TINY / rel).read_bytes() for rel in (*TARGETS, META)}
TREES = {rel: _plain(read_yaml(data, rel)) for rel, data in ORIGINALS.items()}


def _paths(tree, prefix=()):
    """Every location in the tree (the root included) as a tuple of keys/indexes."""
    out = [prefix]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _get(tree, path):
    for step in path:
        tree = tree[step]
    return tree


def _set(tree, path, value):
    if not path:
        return value
    _get(tree, path[:-1])[path[-1]] = value
    return tree


def _delete(tree, path):
    if path:
        parent = _get(tree, path[:-1])
        del parent[path[-1]]
    return tree


def _copy(tree):
    return copy.deepcopy(tree)


values = st.recursive(
    st.sampled_from(VALUE_LIKE + DATE_LIKE + OFFSETS) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
        ["quote", "start", "id", "entity", "evidence", "value", "status", "x"]), inner, max_size=3),
    max_leaves=6)


@st.composite
def tree_mutation(draw, tree):
    """One structural mutation of a plain tree; returns the new tree."""
    tree = _copy(tree)
    path = draw(st.sampled_from(_paths(tree)))
    node = _get(tree, path)
    kind = draw(st.sampled_from(["delete", "retype", "rename", "reorder", "quote-char", "offset", "date", "append",
                                     "document"]))
    if kind == "delete" and path:
        return _delete(tree, path)
    if kind == "retype":
        return _set(tree, path, draw(values))
    if kind == "rename" and isinstance(node, dict) and node:
        key = draw(st.sampled_from(sorted(node)))
        new = draw(st.sampled_from([key + "s", key[:-1], key.upper(), key.replace("-", "_"), " " + key, "", "source",
                                    "start", "quote", "evidence"]))
        items = [(new if k == key else k, v) for k, v in node.items()]
        return _set(tree, path, dict(items))
    if kind == "reorder" and isinstance(node, (dict, list)):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        order = draw(st.permutations(keys))
        return _set(tree, path, {k: node[k] for k in order} if isinstance(node, dict) else [node[i] for i in order])
    if kind == "quote-char" and isinstance(node, str) and node:
        i = draw(st.integers(0, len(node)))
        ch = draw(st.sampled_from(ODD_CHARS))
        op = draw(st.sampled_from(["insert", "replace", "delete"]))
        new = node[:i] + ch + node[i:] if op == "insert" else node[:i] + ch + node[i + 1:] if op == "replace" \
            else node[:i] + node[i + 1:]
        return _set(tree, path, new)
    if kind == "offset":
        value = draw(st.sampled_from(OFFSETS) | st.integers(-10, 10**6).map(str))
        if isinstance(node, dict):
            node["start"] = value
            return tree
        if isinstance(node, str) and path:
            return _set(tree, path, {"quote": node, "start": value})
    if kind == "date":
        date = {"status": draw(st.sampled_from(["stated", "inferred", "guessed", ""]))}
        for key in draw(st.sets(st.sampled_from(["value", "earliest", "latest", "as-written", "reasoning"]))):
            date[key] = draw(st.sampled_from(DATE_LIKE)) if key not in ("as-written", "reasoning") \
                else draw(st.sampled_from(["on Monday", "Monday", "because", ""]))
        if isinstance(node, dict) and path:
            return _set(tree, path, date) if draw(st.booleans()) else _set(tree, (*path, "date"), date)
    if kind == "document" and isinstance(tree, dict) and isinstance(tree.get("source"), dict):
        tree["source"]["document"] = draw(st.sampled_from(DOCUMENT_PATHS))
        return tree
    if kind == "append" and isinstance(node, list) and node:
        node.append(_copy(node[draw(st.integers(0, len(node) - 1))]))  # a duplicate entry (ids, events...)
        return tree
    return tree


@st.composite
def text_mutation(draw, data: bytes):
    """Splice hostile text or bytes into a file, or duplicate one of its lines (a duplicate key)."""
    lines = data.split(b"\n")
    kind = draw(st.sampled_from(["splice", "bytes", "dup-line", "truncate"]))
    if kind == "dup-line":
        i = draw(st.integers(0, len(lines) - 1))
        return b"\n".join(lines[: i + 1] + lines[i:])
    pos = draw(st.integers(0, len(data)))
    if kind == "truncate":
        return data[:pos]
    if kind == "bytes":
        return data[:pos] + draw(st.binary(min_size=1, max_size=4)) + data[pos:]
    return data[:pos] + draw(st.sampled_from(HOSTILE_TEXT)).encode() + data[pos:]


@st.composite
def corpus_edits(draw):
    """A dict rel-path -> new bytes for one or two of the tiny corpus's files."""
    edits = {}
    rels = draw(st.lists(st.sampled_from(TARGETS), min_size=1, max_size=2, unique=True))
    for rel in rels + ([META] if draw(st.integers(0, 9)) == 0 else []):
        if draw(st.integers(0, 3)) == 0:
            edits[rel] = draw(text_mutation(ORIGINALS[rel]))
        else:
            tree = TREES[rel]
            for _ in range(draw(st.integers(1, 3))):
                tree = draw(tree_mutation(tree))
            edits[rel] = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=1000).encode()
    return edits


def _check(corpus: Path) -> None:
    try:
        result = compile_corpus(corpus)
    except GsomiaError as exc:
        assert exc.problems, "a GsomiaError without problems"
        for p in exc.problems:
            assert p.path and p.line is not None and p.message, f"problem without a location: {p!r}"
        return
    import pyoxigraph as ox

    data = to_turtle(result.graph)
    assert len(list(ox.parse(data, format=ox.RdfFormat.TURTLE))) == len(result.graph)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.function_scoped_fixture])
@given(edits=corpus_edits())
def test_mutated_mappings_compile_or_fail_with_located_problems(edits, tmp_path_factory):
    corpus = tmp_path_factory.mktemp("fuzz") / "tiny"
    shutil.copytree(TINY, corpus)
    for rel, data in edits.items():
        (corpus / rel).write_bytes(data)
    try:
        _check(corpus)
    finally:
        shutil.rmtree(corpus.parent)


def test_reordering_keys_does_not_change_the_graph(tmp_path):
    """Key order carries no meaning: the mapping file with every mapping's keys reversed builds the same graph."""

    def reverse(tree):
        if isinstance(tree, dict):
            return {k: reverse(tree[k]) for k in reversed(list(tree))}
        return [reverse(v) for v in tree] if isinstance(tree, list) else tree

    corpus = tmp_path / "tiny"
    shutil.copytree(TINY, corpus)
    for rel in (*TARGETS, META):
        text = yaml.safe_dump(reverse(TREES[rel]), allow_unicode=True, sort_keys=False)
        (corpus / rel).write_text(text, encoding="utf-8")
    assert to_turtle(compile_corpus(corpus).graph) == to_turtle(compile_corpus(TINY).graph)
