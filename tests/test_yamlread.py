"""The strict YAML reader: strings stay strings; tags, anchors, aliases and duplicate keys are located errors."""

from __future__ import annotations

import pytest

from gsomia_kg.errors import GsomiaError
from gsomia_kg.yamlread import Map, Scalar, read_yaml


def test_no_implicit_typing():
    root = read_yaml(b"a: NO\nb: 0123\nc: 2016-11-23\nd: 1.10\ne: 12:30:00\n", "f.yaml")
    assert isinstance(root, Map)
    assert {k: v.value for k, v in root.items.items()} == {
        "a": "NO", "b": "0123", "c": "2016-11-23", "d": "1.10", "e": "12:30:00"}
    assert root.items["c"] == Scalar("2016-11-23", 3, 4)


@pytest.mark.parametrize(("data", "where", "words"), [
    (b"a: 1\na: 2\n", "f.yaml:2:1", "duplicate key 'a' (first at line 1)"),
    (b"a: &x [1]\nb: *x\n", "f.yaml:1:4", "anchors"),
    (b"a: !!python/object/apply:os.system ['true']\n", "f.yaml:1:4", "tags"),
    (b"a: [1\n", "f.yaml:2:1", "YAML syntax error"),
    (b"a:\n\t- b\n", "f.yaml:2:1", "tab"),
    (b"\xff\xfe", "f.yaml:1:1", "not valid UTF-8"),
    (b"a: 1\n---\nb: 2\n", "f.yaml:2:1", "more than one YAML document"),
])
def test_rejections_are_located(data, where, words):
    with pytest.raises(GsomiaError) as info:
        read_yaml(data, "f.yaml")
    text = str(info.value)
    assert text.startswith(where), text
    assert words in text


def test_billion_laughs_is_rejected_before_expansion():
    bomb = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    with pytest.raises(GsomiaError, match="anchors"):
        read_yaml(bomb, "bomb.yaml")


def test_size_limit():
    with pytest.raises(GsomiaError, match="over the limit"):
        read_yaml(b"a: b\n" * 10, "big.yaml", max_bytes=20)


def test_byte_order_mark_is_accepted_and_lines_unchanged():
    root = read_yaml("\ufeffa: x\nb: y\n".encode(), "bom.yaml")
    assert root.items["b"].line == 2


def test_empty_document():
    assert read_yaml(b"# only a comment\n", "e.yaml") is None
