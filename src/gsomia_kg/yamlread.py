"""Strict YAML reading: a located tree of strings, lists and mappings.

PyYAML's loaders guess types (``NO`` -> False, ``0123`` -> 83), keep the last of duplicate keys, construct
Python objects from tags and expand aliases. This reader takes the parser's event stream (the C parser when it is
available) and builds its own tree: every scalar stays the string that was written, and tags, anchors, aliases
and duplicate keys are errors with their file:line:column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Union

import yaml

from gsomia_kg.errors import GsomiaError, Problem

try:  # the C parser is ~10x faster; the events are the same
    _Loader: type = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.BaseLoader

MAX_BYTES = 10 * 1024 * 1024
# characters YAML 1.2 forbids in a stream (PyYAML reports them with an offset only, so they are found here first)
_NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class Scalar:
    value: str
    line: int
    column: int


@dataclass
class Seq:
    items: list[Node]
    line: int
    column: int


@dataclass
class Map:
    items: dict[str, Node]
    line: int
    column: int
    key_pos: dict[str, tuple[int, int]] = field(default_factory=dict)


Node = Union[Scalar, Seq, Map]  # noqa: UP007 - a runtime alias, evaluated on Python 3.10 too


def _pos(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def read_yaml(data: bytes, path: str, max_bytes: int = MAX_BYTES) -> Node | None:
    """Parse one YAML document from bytes; ``None`` for an empty document."""
    if len(data) > max_bytes:
        raise GsomiaError(Problem(path, None, None, f"file is {len(data):,} bytes, over the limit of "
                                  f"{max_bytes:,}", "split it into smaller mapping files"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise GsomiaError(Problem(path, line, col, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                                  "save the file as UTF-8")) from None
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark is harmless in a YAML file; line numbers are unchanged
    if (bad := _NON_PRINTABLE.search(text)) is not None:
        i, ch = bad.start(), bad.group()
        name = unicodedata.name(ch, "a control character" if unicodedata.category(ch) == "Cc" else "a noncharacter")
        raise GsomiaError(Problem(path, text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i),
                                  f"character U+{ord(ch):04X} ({name}) is not allowed in YAML",
                                  f"remove it, or write it as the escape \\u{ord(ch):04x} inside double quotes"))
    try:
        return _compose(yaml.parse(text, Loader=_Loader), path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark)
        msg = exc.problem or exc.context or "YAML syntax error"
        hint = "fix the YAML syntax"
        lines = text.splitlines()
        if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            hint = "YAML does not allow tabs for indentation: use spaces"
        raise GsomiaError(Problem(path, line, col, f"YAML syntax error: {msg}", hint)) from None
    except yaml.YAMLError as exc:
        raise GsomiaError(Problem(path, None, None, f"YAML error: {exc}")) from None


def _compose(events, path: str) -> Node | None:
    stack: list[list] = []  # frames: [container, pending_key]
    root: Node | None = None
    docs = 0

    def reject(event, what: str, hint: str) -> None:
        line, col = _pos(event.start_mark)
        raise GsomiaError(Problem(path, line, col, what, hint))

    def attach(node: Node, event) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, Seq):
            container.items.append(node)
        elif frame[1] is None:  # this node is a key
            if not isinstance(node, Scalar):
                reject(event, "mapping keys must be plain strings", "write the key as text")
            if node.value in container.items or node.value in container.key_pos:
                first = container.key_pos[node.value][0]
                reject(event, f"duplicate key {node.value!r} (first at line {first})", "remove one of them")
            frame[1] = node
        else:
            key = frame[1]
            container.items[key.value] = node
            container.key_pos[key.value] = (key.line, key.column)
            frame[1] = None

    for event in events:
        if isinstance(event, yaml.AliasEvent):
            reject(event, "YAML aliases (*name) are not allowed", "write the value out in full")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            reject(event, f"YAML anchors (&{anchor}) are not allowed", "write the value out in full")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            reject(event, f"YAML tags ({tag}) are not allowed", "remove the tag; values are read as text")
        if isinstance(event, yaml.DocumentStartEvent):
            docs += 1
            if docs > 1:
                reject(event, "more than one YAML document in the file", "keep one document per file")
        elif isinstance(event, yaml.ScalarEvent):
            line, col = _pos(event.start_mark)
            attach(Scalar(event.value, line, col), event)
        elif isinstance(event, yaml.SequenceStartEvent):
            line, col = _pos(event.start_mark)
            seq = Seq([], line, col)
            attach(seq, event)
            stack.append([seq, None])
        elif isinstance(event, yaml.MappingStartEvent):
            line, col = _pos(event.start_mark)
            mapping = Map({}, line, col)
            attach(mapping, event)
            stack.append([mapping, None])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()
    return root
