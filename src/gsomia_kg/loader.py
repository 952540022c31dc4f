"""Mapping files -> model: read a corpus folder, check the structure of every file, report every problem."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from gsomia_kg import progress
from gsomia_kg.dates import parse_partial_date
from gsomia_kg.errors import GsomiaError, Problem
from gsomia_kg.model import (
    Corpus,
    CorpusMeta,
    Count,
    DateSpec,
    Disagreement,
    Entity,
    EventReport,
    Fact,
    Loc,
    MappingFile,
    Mention,
    Participant,
    Quote,
    Ref,
    Source,
    Statement,
)
from gsomia_kg.yamlread import MAX_BYTES, Map, Node, Scalar, Seq, read_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def iri_error(iri: str) -> str | None:
    """Why ``iri`` is not an absolute IRI by RFC 3987 (pyoxigraph's strict parser), or ``None`` if it is one."""
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(iri)
    except ValueError as exc:
        return str(exc)
    return None


class _Reader:
    """Typed access to a located YAML tree, collecting problems instead of stopping at the first."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems

    def loc(self, node: Node) -> Loc:
        return Loc(self.path, node.line, node.column)

    def err(self, node: Node, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, node.line, node.column, message, hint))

    def fields(self, node: Node, what: str, required: Iterable[str], optional: Iterable[str]) -> dict | None:
        """Check a mapping's keys: every required key present, no unknown key (with a did-you-mean)."""
        if not isinstance(node, Map):
            self.err(node, f"{what} must be a mapping (key: value)")
            return None
        required, allowed = list(required), set(required) | set(optional)
        for key in node.items:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(sorted(allowed))}"
                line, col = node.key_pos[key]
                self.problems.append(Problem(self.path, line, col, f"unknown field {key!r} in {what}", hint))
        ok = True
        for key in required:
            if key not in node.items:
                self.err(node, f"{what} lacks the required field {key!r}")
                ok = False
        return node.items if ok else None

    def text(self, node: Node | None, what: str, allow_empty: bool = False) -> str | None:
        if node is None:
            return None
        if not isinstance(node, Scalar):
            self.err(node, f"{what} must be text, not a {'list' if isinstance(node, Seq) else 'mapping'}")
            return None
        if not allow_empty and not node.value.strip():
            self.err(node, f"{what} is empty")
            return None
        return node.value

    def slug(self, node: Node | None, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not SLUG.match(value):
            self.err(node, f"{what} {value!r} is not a valid id", "use lowercase letters, digits and single hyphens")
            return None
        return value

    def seq(self, node: Node | None, what: str) -> list[Node]:
        if node is None:
            return []
        if not isinstance(node, Seq):
            self.err(node, f"{what} must be a list")
            return []
        return node.items

    def slugs(self, node: Node | None, what: str) -> list[str]:
        if isinstance(node, Scalar):  # a single id is accepted for a list of one
            value = self.slug(node, what)
            return [value] if value else []
        return [v for v in (self.slug(n, what) for n in self.seq(node, what)) if v]

    def quote(self, node: Node | None, what: str) -> Quote | None:
        if node is None:
            return None
        if isinstance(node, Scalar):
            value = self.text(node, what)
            return Quote(value, None, self.loc(node)) if value else None
        if isinstance(node, Seq):
            self.err(node, f"{what} must be one evidence item (text, or {{quote: ..., start: ...}}), not a list")
            return None
        items = self.fields(node, what, ["quote"], ["start"])
        if items is None:
            return None
        value = self.text(items["quote"], f"{what} quote")
        start = None
        if "start" in items:
            raw = self.text(items["start"], f"{what} start")
            if raw is not None:
                if re.fullmatch(r"-?[0-9]{19,}", raw.strip()):
                    self.err(items["start"], f"{what} start {raw.strip()[:20]}... is too large", "offsets count from 0")
                    return None
                if re.fullmatch(r"-?[0-9]+", raw.strip()):
                    start = int(raw)
                    if start < 0:
                        self.err(items["start"], f"{what} start {start} is negative", "offsets count from 0")
                        return None
                else:
                    self.err(items["start"], f"{what} start {raw!r} is not a whole number")
                    return None
        return Quote(value, start, self.loc(node)) if value else None

    def quotes(self, node: Node | None, what: str, required: bool = True, parent: Node | None = None) -> list[Quote]:
        if node is None:
            if required and parent is not None:
                self.err(parent, f"{what} is missing", "every reported fact needs at least one evidence quote")
            return []
        nodes = [node] if isinstance(node, (Scalar, Map)) else self.seq(node, what)
        out = [q for q in (self.quote(n, what) for n in nodes) if q]
        if required and not out and not isinstance(node, (Scalar, Map)):
            self.err(node, f"{what} is empty", "give at least one evidence quote")
        return out

    def date(self, node: Node | None, what: str) -> DateSpec | None:
        if node is None:
            return None
        items = self.fields(node, what, ["status"], ["as-written", "value", "earliest", "latest", "reasoning"])
        if items is None:
            return None
        status = self.text(items["status"], f"{what} status")
        if status is not None and status not in ("stated", "inferred"):
            self.err(items["status"], f"{what} status {status!r} is not allowed", "use stated or inferred")
        parsed = {}
        for key in ("value", "earliest", "latest"):
            raw = self.text(items.get(key), f"{what} {key}")
            if raw is None:
                continue
            try:
                parsed[key] = parse_partial_date(raw.strip())
            except ValueError as exc:
                self.err(items[key], f"bad date in {what} {key}: {exc}")
        if not any(k in items for k in ("value", "earliest", "latest")):
            self.err(node, f"{what} gives no value, earliest or latest")
        if "earliest" in parsed and "latest" in parsed and parsed["earliest"].earliest > parsed["latest"].latest:
            self.err(items["earliest"], f"{what} earliest is after latest")
        if "value" in parsed:
            v = parsed["value"]
            if "earliest" in parsed and v.latest < parsed["earliest"].earliest:
                self.err(items["value"], f"{what} value is before its earliest bound")
            if "latest" in parsed and v.earliest > parsed["latest"].latest:
                self.err(items["value"], f"{what} value is after its latest bound")
        reasoning = self.text(items.get("reasoning"), f"{what} reasoning")
        if status == "inferred" and not reasoning:
            self.err(node, f"{what} is inferred but gives no reasoning", "say what the inference rests on")
        return DateSpec(
            as_written=self.quote(items.get("as-written"), f"{what} as-written"),
            value=parsed["value"].lexical if "value" in parsed else None,
            earliest=parsed["earliest"].lexical if "earliest" in parsed else None,
            latest=parsed["latest"].lexical if "latest" in parsed else None,
            status=status or "stated",
            reasoning=reasoning,
            loc=self.loc(node),
        )


def _read_entity(r: _Reader, node: Node) -> Entity | None:
    items = r.fields(node, "entity", ["id", "kind", "label"],
                     ["same-as", "note", "event-type", "agreement", "holder", "organization", "title"])
    if items is None:
        return None
    ident, kind = r.slug(items["id"], "entity id"), r.text(items["kind"], "kind")
    label = r.text(items["label"], "label")
    if not (ident and kind and label):
        return None
    same_as = [r.text(n, "same-as") or "" for n in r.seq(items.get("same-as"), "same-as")]
    for n, iri in zip(r.seq(items.get("same-as"), "same-as"), same_as):
        if iri and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", iri):
            r.err(n, f"same-as {iri!r} is not an http(s) IRI")
        elif iri and (why := iri_error(iri)):
            r.err(n, f"same-as {iri!r} is not a valid IRI: {why}", "copy the identifier exactly as published")
    return Entity(
        id=ident, kind=kind, label=label, loc=r.loc(node), same_as=[s for s in same_as if s],
        note=r.text(items.get("note"), "note"), event_type=r.text(items.get("event-type"), "event-type"),
        agreement=r.slug(items.get("agreement"), "agreement"), holder=r.slug(items.get("holder"), "holder"),
        organization=r.slug(items.get("organization"), "organization"), title=r.text(items.get("title"), "title"),
    )


def _read_ref(r: _Reader, node: Node | None, what: str) -> Ref | None:
    if node is None:
        return None
    items = r.fields(node, what, ["entity", "evidence"], [])
    if items is None:
        return None
    entity = r.slug(items["entity"], f"{what} entity")
    evidence = r.quotes(items["evidence"], f"{what} evidence", parent=node)
    return Ref(entity, evidence, r.loc(node)) if entity else None


def _read_source(r: _Reader, node: Node) -> Source | None:
    items = r.fields(node, "source", ["id", "document", "genre"],
                     ["genre-evidence", "genre-reasoning", "title", "body", "publisher", "author", "dateline",
                      "published", "note"])
    if items is None:
        return None
    ident, doc = r.slug(items["id"], "source id"), r.text(items["document"], "document")
    genre = r.text(items["genre"], "genre")
    if not (ident and doc and genre):
        return None
    src = Source(ident, doc, genre, r.loc(node))
    src.genre_evidence = r.quotes(items.get("genre-evidence"), "genre-evidence", required=False)
    src.genre_reasoning = r.text(items.get("genre-reasoning"), "genre-reasoning")
    if not src.genre_evidence and not src.genre_reasoning:
        r.err(items["genre"], "the genre needs genre-evidence (words of the text) or genre-reasoning")
    src.title = r.quote(items.get("title"), "title")
    if "body" in items:
        body = r.fields(items["body"], "body", ["first", "last"], [])
        if body:
            src.body_first, src.body_last = r.quote(body["first"], "body first"), r.quote(body["last"], "body last")
    src.publisher = _read_ref(r, items.get("publisher"), "publisher")
    src.author = _read_ref(r, items.get("author"), "author")
    src.dateline = _read_ref(r, items.get("dateline"), "dateline")
    src.published = r.date(items.get("published"), "published")
    src.note = r.text(items.get("note"), "note")
    return src


def _read_event(r: _Reader, node: Node) -> EventReport | None:
    items = r.fields(node, "event report", ["event", "evidence"],
                     ["date", "place", "participants", "count", "note"])
    if items is None:
        return None
    event = r.slug(items["event"], "event")
    report = EventReport(event or "", r.quotes(items["evidence"], "evidence", parent=node), r.loc(node))
    report.date = r.date(items.get("date"), "date")
    report.place = r.slug(items.get("place"), "place")
    for pn in r.seq(items.get("participants"), "participants"):
        p = r.fields(pn, "participant", ["agent", "role"], ["for"])
        if p:
            agent, role = r.slug(p["agent"], "participant agent"), r.text(p["role"], "participant role")
            if agent and role:
                report.participants.append(Participant(agent, role, r.loc(pn), r.slug(p.get("for"), "for")))
    if "count" in items:
        c = r.fields(items["count"], "count", ["value"], ["comparator"])
        if c:
            value = r.text(c["value"], "count value")
            if value is not None:
                comparator = r.text(c.get("comparator"), "comparator") or "exactly"
                report.count = Count(value, comparator, r.loc(items["count"]))
    report.note = r.text(items.get("note"), "note")
    return report if event else None


def _read_statement(r: _Reader, node: Node) -> Statement | None:
    items = r.fields(node, "statement", ["id", "speaker", "kind", "words", "stance", "evidence"],
                     ["speaker-role", "about", "addressee", "medium", "date", "note"])
    if items is None:
        return None
    ident, speaker = r.slug(items["id"], "statement id"), r.slug(items["speaker"], "speaker")
    kind, stance = r.text(items["kind"], "kind"), r.text(items["stance"], "stance")
    words = r.quote(items["words"], "words")
    evidence = r.quotes(items["evidence"], "evidence", parent=node)
    if not (ident and speaker and kind and stance and words):
        return None
    return Statement(
        id=ident, speaker=speaker, kind=kind, words=words, stance=stance, evidence=evidence, loc=r.loc(node),
        speaker_role=r.slug(items.get("speaker-role"), "speaker-role"), about=r.slugs(items.get("about"), "about"),
        addressee=r.slug(items.get("addressee"), "addressee"), medium=r.quote(items.get("medium"), "medium"),
        date=r.date(items.get("date"), "date"), note=r.text(items.get("note"), "note"),
    )


def _read_fact(r: _Reader, node: Node) -> Fact | None:
    items = r.fields(node, "fact", ["subject", "property", "value", "evidence"], ["comparator", "note"])
    if items is None:
        return None
    subject, prop = r.slug(items["subject"], "subject"), r.text(items["property"], "property")
    value = r.text(items["value"], "value")
    evidence = r.quotes(items["evidence"], "evidence", parent=node)
    if not (subject and prop and value is not None):
        return None
    return Fact(subject, prop, value, evidence, r.loc(node), r.loc(items["value"]),
                r.text(items.get("comparator"), "comparator"), r.text(items.get("note"), "note"))


def _read_disagreement(r: _Reader, node: Node) -> Disagreement | None:
    items = r.fields(node, "disagreement", ["id", "aspect", "subject", "property", "sources"], ["note"])
    if items is None:
        return None
    ident, aspect = r.slug(items["id"], "disagreement id"), r.text(items["aspect"], "aspect")
    subject, prop = r.slug(items["subject"], "subject"), r.text(items["property"], "property")
    sources = r.slugs(items["sources"], "sources")
    if len(sources) < 2:
        r.err(items["sources"], "a disagreement needs at least two sources")
    if not (ident and aspect and subject and prop):
        return None
    return Disagreement(ident, aspect, subject, prop, sources, r.loc(node), r.text(items.get("note"), "note"))


_SECTIONS = ("source", "entities", "mentions", "events", "statements", "facts", "disagreements")


def read_mapping(data: bytes, path: str, problems: list[Problem]) -> MappingFile:
    """Read one mapping file; structural problems are appended to ``problems``."""
    mf = MappingFile(path)
    try:
        root = read_yaml(data, path)
    except GsomiaError as exc:
        problems.extend(exc.problems)
        return mf
    r = _Reader(path, problems)
    if root is None:
        problems.append(Problem(path, 1, 1, "the mapping file is empty",
                                "add a source: section, or remove the file"))
        return mf
    items = r.fields(root, "mapping file", [], _SECTIONS)
    if items is None:
        return mf
    if "source" in items:
        mf.source = _read_source(r, items["source"])
    for n in r.seq(items.get("entities"), "entities"):
        if (e := _read_entity(r, n)) is not None:
            mf.entities.append(e)
    for n in r.seq(items.get("mentions"), "mentions"):
        m = r.fields(n, "mention", ["entity", "as"], ["note"])
        if m and (entity := r.slug(m["entity"], "entity")) and (words := r.quote(m["as"], "as")):
            mf.mentions.append(Mention(entity, words, r.loc(n), r.text(m.get("note"), "note")))
    for section, read, target in (("events", _read_event, mf.events), ("statements", _read_statement, mf.statements),
                                  ("facts", _read_fact, mf.facts),
                                  ("disagreements", _read_disagreement, mf.disagreements)):
        for n in r.seq(items.get(section), section):
            if (value := read(r, n)) is not None:
                target.append(value)
    sourced = [s for s in ("mentions", "events", "statements", "facts") if s in items]
    if sourced and "source" not in items:
        r.err(root, f"sections {', '.join(sourced)} report what a source says, but the file has no source: section")
    return mf


def _join(shown: str, rel: str) -> str:
    return rel if shown in ("", ".") else f"{shown}/{rel}"


def _read_meta(root: Path, problems: list[Problem], shown: str) -> CorpusMeta | None:
    path = root / "corpus.yaml"
    rel = _join(shown, "corpus.yaml")
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(str(path), None, None, f"cannot read corpus metadata: {exc.strerror}",
                                "a corpus folder needs a corpus.yaml (see docs/mapping-format.md)"))
        return None
    try:
        node = read_yaml(data, rel)
    except GsomiaError as exc:
        problems.extend(exc.problems)
        return None
    r = _Reader(rel, problems)
    if node is None:
        problems.append(Problem(rel, 1, 1, "corpus.yaml is empty"))
        return None
    items = r.fields(node, "corpus.yaml", ["id", "title", "description", "license", "version", "base"], [])
    if items is None:
        return None
    values = {k: r.text(items[k], k) for k in items}
    if any(v is None for v in values.values()):
        return None
    base = values["base"]
    if not re.match(r"^https?://[^\s<>\"{}|\\^`#?]+/$", base):
        r.err(items["base"], f"base {base!r} must be an http(s) IRI ending in '/'")
        return None
    if (why := iri_error(base + "x")) is not None:
        r.err(items["base"], f"base {base!r} is not a valid IRI: {why}")
        return None
    return CorpusMeta(values["id"], values["title"], values["description"], values["license"],
                      values["version"], base, r.loc(node))


def read_document(path: Path, rel: str, loc: Loc, problems: list[Problem]) -> str | None:
    """Read a source document as text exactly as stored (no newline translation)."""
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            problems.append(Problem(loc.path, loc.line, loc.column, f"document {rel} is over "
                                    f"{MAX_DOCUMENT_BYTES:,} bytes"))
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(loc.path, loc.line, loc.column, f"cannot read document {rel}: {exc.strerror}",
                                "the document path is relative to the corpus folder"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, data[: exc.start].count(b"\n") + 1, None,
                                f"document is not valid UTF-8 (byte 0x{data[exc.start]:02x})", "save it as UTF-8"))
        return None


def load_corpus(root: str | Path) -> Corpus:
    """Read a corpus folder into the model. Raises ``GsomiaError`` listing every structural problem."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        raise GsomiaError(Problem(str(root), None, None, "corpus folder not found",
                                  "give --corpus the folder that holds corpus.yaml"))
    shown = os.path.relpath(root)
    shown = str(root.resolve()) if shown.startswith("..") else shown
    meta = _read_meta(root, problems, shown)
    files: list[MappingFile] = []
    texts: dict[str, str] = {}
    paths = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    for p in progress.iterate(paths, "reading mapping files"):
        rel = p.relative_to(root).as_posix()
        if rel == "corpus.yaml":
            continue
        rel = _join(shown, rel)
        try:
            size = p.stat().st_size
            if size > MAX_BYTES:  # refused before reading: a huge file costs no memory
                problems.append(Problem(rel, None, None, f"file is {size:,} bytes, over the limit of {MAX_BYTES:,}",
                                        "split it into smaller mapping files"))
                continue
            data = p.read_bytes()
        except OSError as exc:
            problems.append(Problem(rel, None, None, f"cannot read: {exc.strerror}"))
            continue
        mf = read_mapping(data, rel, problems)
        files.append(mf)
        if mf.source is not None:
            src = mf.source
            try:
                doc_path = (root / src.document).resolve()
            except (OSError, ValueError, RuntimeError) as exc:  # NUL in the path, a symlink loop...
                problems.append(Problem(rel, src.loc.line, src.loc.column,
                                        f"document path {src.document!r} cannot be used: {exc}",
                                        "give a plain path relative to the corpus folder"))
                continue
            if root.resolve() not in doc_path.parents:
                problems.append(Problem(rel, src.loc.line, src.loc.column,
                                        f"document {src.document!r} is outside the corpus folder",
                                        "documents must be files inside the corpus folder"))
                continue
            text = read_document(doc_path, _join(shown, mf.source.document), mf.source.loc, problems)
            if text is not None:
                texts[mf.source.id] = text
    if problems or meta is None:
        raise GsomiaError(sorted(set(problems)))
    return Corpus(str(root), meta, files, texts)
