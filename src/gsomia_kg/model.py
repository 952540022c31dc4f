"""The corpus model: plain dataclasses read from mapping files, each with the file:line it came from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Loc:
    """Where something was written: a mapping file (relative to the corpus) and a 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Quote:
    """An evidence item as written by the curator: exact words, optionally with their start offset."""

    text: str
    start: int | None
    loc: Loc


@dataclass
class DateSpec:
    """A date as a source gives it (see docs/mapping-format.md, Dates)."""

    as_written: Quote | None
    value: str | None
    earliest: str | None
    latest: str | None
    status: str
    reasoning: str | None
    loc: Loc


@dataclass
class Entity:
    """A declaration in an ``entities:`` section."""

    id: str
    kind: str
    label: str
    loc: Loc
    same_as: list[str] = field(default_factory=list)
    note: str | None = None
    event_type: str | None = None
    agreement: str | None = None
    holder: str | None = None
    organization: str | None = None
    title: str | None = None


@dataclass
class Ref:
    """A sourced reference to an entity (publisher, author, dateline) with its evidence."""

    entity: str
    evidence: list[Quote]
    loc: Loc


@dataclass
class Source:
    """The ``source:`` section: one document and what its text states about itself."""

    id: str
    document: str
    genre: str
    loc: Loc
    genre_evidence: list[Quote] = field(default_factory=list)
    genre_reasoning: str | None = None
    title: Quote | None = None
    body_first: Quote | None = None
    body_last: Quote | None = None
    publisher: Ref | None = None
    author: Ref | None = None
    dateline: Ref | None = None
    published: DateSpec | None = None
    note: str | None = None


@dataclass
class Mention:
    entity: str
    words: Quote
    loc: Loc
    note: str | None = None


@dataclass
class Participant:
    agent: str
    role: str
    loc: Loc
    on_behalf_of: str | None = None


@dataclass
class Count:
    value: str
    comparator: str
    loc: Loc


@dataclass
class EventReport:
    event: str
    evidence: list[Quote]
    loc: Loc
    date: DateSpec | None = None
    place: str | None = None
    participants: list[Participant] = field(default_factory=list)
    count: Count | None = None
    note: str | None = None


@dataclass
class Statement:
    id: str
    speaker: str
    kind: str
    words: Quote
    stance: str
    evidence: list[Quote]
    loc: Loc
    speaker_role: str | None = None
    about: list[str] = field(default_factory=list)
    addressee: str | None = None
    medium: Quote | None = None
    date: DateSpec | None = None
    note: str | None = None


@dataclass
class Fact:
    subject: str
    property: str
    value: str
    evidence: list[Quote]
    loc: Loc
    value_loc: Loc
    comparator: str | None = None
    note: str | None = None


@dataclass
class Disagreement:
    id: str
    aspect: str
    subject: str
    property: str
    sources: list[str]
    loc: Loc
    note: str | None = None


@dataclass
class MappingFile:
    """Everything one mapping file says."""

    path: str
    source: Source | None = None
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[EventReport] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)


@dataclass
class CorpusMeta:
    id: str
    title: str
    description: str
    license: str
    version: str
    base: str
    loc: Loc


@dataclass
class Corpus:
    """A whole corpus: its metadata, its mapping files and the text of each source document."""

    root: str
    meta: CorpusMeta
    files: list[MappingFile]
    texts: dict[str, str]  # source id -> document text
