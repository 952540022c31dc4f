"""Model -> RDF: the one place where triples are made.

Every reference, closed-list value, literal and evidence quote is checked on the way; all problems are collected
and raised together (``GsomiaError``), so a failed build produces no graph at all.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from gsomia_kg import named_graphs, progress
from gsomia_kg.bulk import no_gc
from gsomia_kg.compiled import CompiledGraph, LiteralText, SummaryMaker, Terms
from gsomia_kg.dates import parse_partial_date
from gsomia_kg.errors import GsomiaError, Problem
from gsomia_kg.evidence import diagnose_missing, occurrences
from gsomia_kg.iris import Minter, slugify
from gsomia_kg.model import Corpus, DateSpec, Entity, Loc, Quote
from gsomia_kg.namespaces import GK, OA, PREFIXES, RDF, RDFS, SCHEMA, SKOS, TIME, XSD
from gsomia_kg.resources import ontology_file
from gsomia_kg.vocab import Vocabulary, load_vocabulary

KIND_CLASS = {"state": "State", "organization": "Organization", "person": "Person", "group": "Group",
              "place": "Place", "agreement": "Agreement", "event": "Event", "concept": "Concept", "role": "Role"}
AGENT_KINDS = frozenset({"state", "organization", "person", "group"})
CONTEXT_CHARS = 32  # length of oa:prefix / oa:suffix
_DURATION = re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_LEXICAL = {
    XSD + "integer": (re.compile(r"^[+-]?\d+$"), "a whole number, e.g. \"21\""),
    XSD + "decimal": (re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"), "a decimal number, e.g. \"7.6\""),
    XSD + "boolean": (re.compile(r"^(true|false)$"), "\"true\" or \"false\""),
    XSD + "duration": (_DURATION, "an ISO 8601 duration, e.g. \"P1Y\" or \"P90D\""),
}
# where the source section's metadata goes, for recording what the text does not state
_SOURCE_META = ("headline", "publisher", "author", "dateline", "published")


@dataclass
class BuildResult:
    """A compiled corpus: the triples, where each node was curated, and counts for the summary.

    ``compiled`` holds the triples as canonical N-Triples terms (``gsomia_kg.compiled``): N-Triples and the
    pyoxigraph store come from it directly. ``graph`` is the same triples as an rdflib ``Graph``, made on first use
    (for rdflib users such as the rdflib query engine; building it costs about 2 KB and 40 µs per triple).
    """

    compiled: CompiledGraph
    origins: dict[str, Loc]
    counts: dict[str, int] = field(default_factory=dict)
    spans_per_source: dict[str, int] = field(default_factory=dict)
    entities_by_kind: dict[str, int] = field(default_factory=dict)
    meta: object = None  # model.CorpusMeta: title, license, version, base IRI

    @cached_property
    def graph(self):
        """The triples as an rdflib ``Graph`` with the project's prefixes bound (made once, on first use)."""
        return self.compiled.rdflib_graph()


class _Builder:
    def __init__(self, corpus: Corpus, vocab: Vocabulary):
        self.terms = Terms()
        self.iri = self.terms.iris
        self.corpus, self.vocab = corpus, vocab
        self.mint = Minter(corpus.meta.base)
        self.lines: set[str] = set()  # distinct N-Triples lines: what the compiled graph is made of
        self.summary = SummaryMaker(**named_graphs.summary_options())  # counts each new triple
        self.problems: list[Problem] = []
        self.origins: dict[str, Loc] = {}
        self.entities: dict[str, Entity] = {}
        self.sources: dict[str, str] = {}  # source id -> IRI
        self.spans: dict[str, str] = {}  # span IRI -> source id
        self.claims: dict[str, tuple] = {}
        self.claim_index: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.statements: set[str] = set()
        self.source_loc: dict[str, Loc] = {}

    # ---- small helpers -------------------------------------------------------------------------------------
    def err(self, loc: Loc, message: str, hint: str = "") -> None:
        self.problems.append(Problem(loc.path, loc.line, loc.column, message, hint))

    def add(self, s: str, p: str, o) -> None:
        iri = self.iri
        s, p, o = iri[s], iri[p], iri[o] if type(o) is str else o
        line = f"{s} {p} {o} .\n"
        if line not in self.lines:  # lines, not (s, p, o) tuples: no second copy of the graph to sort and free
            self.lines.add(line)
            self.summary.add(s, p, o)

    def lit(self, value: str, datatype: str | None = None, lang: str | None = None) -> LiteralText:
        return self.terms.literals[(value, None if lang else datatype or XSD + "string", lang)]

    def origin(self, iri: str, loc: Loc) -> None:
        self.origins.setdefault(iri, loc)

    def listed(self, list_name: str, key: str, loc: Loc, what: str) -> str | None:
        iri = self.vocab.notation(list_name, key)
        if iri is None:
            allowed = sorted(self.vocab.lists.get(list_name, {}))
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
            self.err(loc, f"unknown {what} {key!r}", hint)
        return iri

    def ref(self, ident: str | None, loc: Loc, what: str, kinds: frozenset[str] | set[str] | None = None) -> str | None:
        if ident is None:
            return None
        entity = self.entities.get(ident)
        if entity is None:
            close = difflib.get_close_matches(ident, sorted(self.entities), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "declare it in an entities: section"
            self.err(loc, f"unknown entity {ident!r} in {what}", hint)
            return None
        if kinds is not None and entity.kind not in kinds:
            self.err(loc, f"{what} {ident!r} is a {entity.kind}, expected {' or '.join(sorted(kinds))}")
            return None
        return self.mint.entity(entity.kind, ident)

    # ---- evidence ------------------------------------------------------------------------------------------
    def span(self, source_id: str, quote: Quote | None) -> str | None:
        if quote is None:
            return None
        text = self.corpus.texts.get(source_id)
        if text is None:
            return None
        n = len(quote.text)
        if quote.start is not None:
            if text[quote.start:quote.start + n] != quote.text:
                found = occurrences(text, quote.text)
                if found:
                    hint = f"the quote occurs at start {', '.join(map(str, found[:10]))}"
                else:
                    hint = diagnose_missing(text, quote.text)
                if quote.start + n > len(text):
                    msg = (f"offsets {quote.start}-{quote.start + n} are past the end of the text "
                           f"({len(text)} characters)")
                else:
                    msg = f"the text at {quote.start}-{quote.start + n} does not read {quote.text!r}"
                self.err(quote.loc, msg, hint)
                return None
            start = quote.start
        else:
            found = occurrences(text, quote.text)
            if not found:
                self.err(quote.loc, f"quote {quote.text!r} is not in the text of source {source_id!r}",
                         diagnose_missing(text, quote.text))
                return None
            if len(found) > 1:
                self.err(quote.loc, f"quote {quote.text!r} occurs {len(found)} times in source {source_id!r}",
                         f"add start: one of {', '.join(map(str, found[:10]))}, or quote more words")
                return None
            start = found[0]
        end = start + n
        iri = self.mint.span(source_id, start, end)
        if iri not in self.spans:
            self.spans[iri] = source_id
            src = self.sources[source_id]
            quote_sel, pos_sel = iri + "/quote", iri + "/position"
            nni = XSD + "nonNegativeInteger"
            self.add(iri, RDF + "type", GK + "EvidenceSpan")
            self.add(iri, RDF + "type", OA + "SpecificResource")
            self.add(iri, OA + "hasSource", src)
            self.add(iri, OA + "hasSelector", quote_sel)
            self.add(iri, OA + "hasSelector", pos_sel)
            self.add(quote_sel, RDF + "type", OA + "TextQuoteSelector")
            self.add(quote_sel, OA + "exact", self.lit(quote.text))
            self.add(quote_sel, OA + "prefix", self.lit(text[max(0, start - CONTEXT_CHARS):start]))
            self.add(quote_sel, OA + "suffix", self.lit(text[end:end + CONTEXT_CHARS]))
            self.add(pos_sel, RDF + "type", OA + "TextPositionSelector")
            self.add(pos_sel, OA + "start", self.lit(str(start), nni))
            self.add(pos_sel, OA + "end", self.lit(str(end), nni))
        self.origin(iri, quote.loc)
        return iri

    def spans_of(self, source_id: str, quotes: list[Quote]) -> list[str]:
        return [s for s in (self.span(source_id, q) for q in quotes) if s]

    # ---- claims and dates ------------------------------------------------------------------------------------
    def claim(self, source_id: str, subject: str, subject_key: str, prop: str, obj, object_key: str,
              evidence: list[str], loc: Loc, comparator: str | None = None, note: str | None = None) -> str:
        """Assert ``subject prop obj`` and record the claim that ``source_id`` makes it, with its evidence."""
        p_iri = prop if "://" in prop else GK + prop
        local = p_iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        iri = self.mint.claim(source_id, subject_key, local, object_key)
        self.add(subject, p_iri, obj)
        if iri not in self.claims:
            self.claims[iri] = (subject, p_iri, obj)
            self.claim_index[(subject, p_iri, source_id)].append(iri)
            self.add(iri, RDF + "type", GK + "Claim")
            self.add(iri, RDF + "subject", subject)
            self.add(iri, RDF + "predicate", p_iri)
            self.add(iri, RDF + "object", obj)
            self.add(iri, GK + "accordingTo", self.sources[source_id])
        for e in evidence:
            self.add(iri, GK + "evidence", e)
        if comparator:
            self.add(iri, GK + "comparator", comparator)
        if note:
            self.add(iri, GK + "note", self.lit(note))
        self.origin(iri, loc)
        return iri

    def date(self, source_id: str, owner: str, spec: DateSpec) -> tuple[str, list[str]]:
        iri = self.mint.date(source_id, owner)
        self.origin(iri, spec.loc)
        evidence = self.spans_of(source_id, [spec.as_written] if spec.as_written else [])
        self.add(iri, RDF + "type", GK + "DateSpecification")
        self.add(iri, RDF + "type", TIME + "Instant")
        self.add(iri, GK + "accordingTo", self.sources[source_id])
        for e in evidence:
            self.add(iri, GK + "evidence", e)
        if spec.as_written:
            self.add(iri, GK + "asWritten", self.lit(spec.as_written.text))
        bounds = []
        precision = None
        if spec.value:
            v = parse_partial_date(spec.value[:10] if "T" in spec.value else spec.value)
            prop = {"minute": "inXSDDateTimeStamp", "day": "inXSDDate", "month": "inXSDgYearMonth",
                    "year": "inXSDgYear"}
            datatype = {"minute": "dateTimeStamp", "day": "date", "month": "gYearMonth", "year": "gYear"}
            precision = "minute" if "T" in spec.value else v.precision
            self.add(iri, TIME + prop[precision], self.lit(spec.value, XSD + datatype[precision]))
            bounds = [v.earliest, v.latest]
        lo = parse_partial_date(spec.earliest).earliest if spec.earliest else (bounds[0] if bounds else None)
        hi = parse_partial_date(spec.latest).latest if spec.latest else (bounds[1] if bounds else None)
        if precision is None:
            widest = max(((hi or lo) - (lo or hi)).days, 0)
            precision = "day" if widest == 0 else "month" if widest <= 31 else "year"
        if lo:
            self.add(iri, GK + "earliest", self.lit(lo.isoformat(), XSD + "date"))
        if hi:
            self.add(iri, GK + "latest", self.lit(hi.isoformat(), XSD + "date"))
        self.add(iri, GK + "precision", self.vocab.notation("DatePrecision", precision) or GK + "DayPrecision")
        status = self.listed("DateStatus", spec.status, spec.loc, "date status")
        if status:
            self.add(iri, GK + "dateStatus", status)
        if spec.reasoning:
            self.add(iri, GK + "reasoning", self.lit(spec.reasoning))
        return iri, evidence

    # ---- sections ------------------------------------------------------------------------------------------
    def declare(self) -> None:
        first: dict[str, Loc] = {}
        for mf in self.corpus.files:
            for e in mf.entities:
                if e.id in first:
                    self.err(e.loc, f"duplicate entity id {e.id!r} (first declared at {first[e.id]})",
                             "declare each entity once; rename one or remove the copy")
                    continue
                if e.kind not in KIND_CLASS:
                    close = difflib.get_close_matches(e.kind, sorted(KIND_CLASS), n=1)
                    self.err(e.loc, f"unknown kind {e.kind!r} for entity {e.id!r}",
                             f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(KIND_CLASS)}")
                    continue
                first[e.id] = e.loc
                self.entities[e.id] = e
            if mf.source is not None:
                sid = mf.source.id
                if sid in self.source_loc:
                    self.err(mf.source.loc, f"duplicate source id {sid!r} (first at {self.source_loc[sid]})")
                    continue
                self.source_loc[sid] = mf.source.loc
                if sid in self.corpus.texts:
                    self.sources[sid] = self.mint.source(sid)
        for e in self.entities.values():
            iri = self.mint.entity(e.kind, e.id)
            self.origin(iri, e.loc)
            self.add(iri, RDF + "type", GK + KIND_CLASS[e.kind])
            self.add(iri, RDFS + "label", self.lit(e.label, lang="en"))
            self.add(iri, SKOS + "prefLabel", self.lit(e.label, lang="en"))
            for same in e.same_as:
                self.add(iri, SKOS + "exactMatch", same)
            if e.note:
                self.add(iri, GK + "note", self.lit(e.note))
            extra = {"event-type": e.event_type, "agreement": e.agreement, "holder": e.holder,
                     "organization": e.organization, "title": e.title}
            allowed = {"event": {"event-type", "agreement"},
                       "role": {"holder", "organization", "title"}}.get(e.kind, set())
            for key, value in extra.items():
                if value is not None and key not in allowed:
                    self.err(e.loc, f"field {key!r} does not apply to a {e.kind}")
            if e.kind == "event":
                if e.event_type is None:
                    self.err(e.loc, f"event {e.id!r} needs an event-type")
                elif (t := self.listed("EventType", e.event_type, e.loc, "event type")):
                    self.add(iri, GK + "eventType", t)
                if (a := self.ref(e.agreement, e.loc, "agreement", {"agreement"})):
                    self.add(iri, GK + "agreement", a)
            if e.kind == "role":
                if (h := self.ref(e.holder, e.loc, "holder", AGENT_KINDS)):
                    self.add(iri, GK + "holder", h)
                    self.add(h, GK + "holdsRole", iri)
                elif e.holder is None:
                    self.err(e.loc, f"role {e.id!r} needs a holder")
                if (o := self.ref(e.organization, e.loc, "organization", AGENT_KINDS)):
                    self.add(iri, GK + "organization", o)
                if e.title:
                    self.add(iri, GK + "title", self.lit(e.title))

    def source_section(self, mf) -> None:
        src = mf.source
        sid = src.id
        iri = self.sources[sid]
        text = self.corpus.texts[sid]
        self.origin(iri, src.loc)
        self.add(iri, RDF + "type", GK + "Source")
        self.add(iri, GK + "documentFile", self.lit(Path(src.document).name))
        self.add(iri, GK + "sha256", self.lit(hashlib.sha256(text.encode("utf-8")).hexdigest()))
        self.add(iri, GK + "characterCount", self.lit(str(len(text)), XSD + "integer"))
        self.add(iri, SCHEMA + "text", self.lit(text))
        genre = self.listed("Genre", src.genre, src.loc, "genre")
        if genre:
            for match in self.vocab.close_match.get(genre, []):
                if match.startswith(SCHEMA):
                    self.add(iri, RDF + "type", match)
            ev = self.spans_of(sid, src.genre_evidence)
            if ev:
                self.claim(sid, iri, "source", "genre", genre, slugify(src.genre), ev, src.loc)
            else:
                self.add(iri, GK + "genre", genre)
            if src.genre_reasoning:
                self.add(iri, GK + "genreReasoning", self.lit(src.genre_reasoning))
        if src.title and (ev := self.spans_of(sid, [src.title])):
            self.claim(sid, iri, "source", "headline", self.lit(src.title.text), "title", ev, src.title.loc)
        for key, ref in (("publisher", src.publisher), ("author", src.author), ("dateline", src.dateline)):
            if ref is None:
                continue
            kinds = {"place"} if key == "dateline" else AGENT_KINDS
            if (target := self.ref(ref.entity, ref.loc, key, kinds)):
                self.claim(sid, iri, "source", key, target, ref.entity, self.spans_of(sid, ref.evidence), ref.loc)
        if src.published:
            d, ev = self.date(sid, "published", src.published)
            self.claim(sid, iri, "source", "published", d, "date", ev, src.published.loc)
        given = {"headline": src.title, "publisher": src.publisher, "author": src.author,
                 "dateline": src.dateline, "published": src.published}
        for key in _SOURCE_META:
            if given[key] is None:
                self.add(iri, GK + "notStated", GK + key)
        if src.body_first and src.body_last:
            first, last = self.span(sid, src.body_first), self.span(sid, src.body_last)
            if first and last:
                start = int(first.rsplit("/", 1)[1].split("-")[0])
                end = int(last.rsplit("/", 1)[1].split("-")[1])
                if end <= start:
                    self.err(src.loc, "the body's last words come before its first words")
                self.add(iri, GK + "bodyStart", self.lit(str(start), XSD + "integer"))
                self.add(iri, GK + "bodyEnd", self.lit(str(end), XSD + "integer"))
        if src.note:
            self.add(iri, GK + "note", self.lit(src.note))

    def mentions(self, sid: str, mf) -> None:
        seen: dict[tuple, Loc] = {}
        for m in mf.mentions:
            if self.repeated(seen, (m.entity, m.words.text), m.loc, f"mention of {m.entity} as {m.words.text!r}"):
                continue
            entity = self.entities.get(m.entity)
            iri = self.ref(m.entity, m.loc, "mention")
            if iri is None or entity is None:
                continue
            ev = self.spans_of(sid, [m.words])
            if not ev:
                continue
            self.claim(sid, iri, m.entity, "mentionedAs", self.lit(m.words.text, lang="en"), slugify(m.words.text),
                       ev, m.loc, note=m.note)
            if m.words.text != entity.label:
                self.add(iri, SKOS + "altLabel", self.lit(m.words.text, lang="en"))

    def events(self, sid: str, mf) -> None:
        seen: set[str] = set()
        for r in mf.events:
            iri = self.ref(r.event, r.loc, "event report", {"event"})
            if iri is None:
                continue
            if r.event in seen:
                self.err(r.loc, f"event {r.event!r} is reported twice in this file", "merge the two reports")
                continue
            seen.add(r.event)
            ev = self.spans_of(sid, r.evidence)
            etype = self.entities[r.event].event_type
            t = self.vocab.notation("EventType", etype or "")
            if t:
                self.claim(sid, iri, r.event, "eventType", t, slugify(etype), ev, r.loc, note=r.note)
            if r.date:
                d, dev = self.date(sid, r.event, r.date)
                self.claim(sid, iri, r.event, "date", d, "date", ev + dev, r.date.loc)
            if r.place and (place := self.ref(r.place, r.loc, "place", {"place"})):
                self.claim(sid, iri, r.event, "place", place, r.place, ev, r.loc)
            for p in r.participants:
                agent = self.ref(p.agent, p.loc, "participant", AGENT_KINDS)
                role = self.listed("ParticipantRole", p.role, p.loc, "participant role")
                behalf = self.ref(p.on_behalf_of, p.loc, "for", AGENT_KINDS)
                if not (agent and role):
                    continue
                node = self.mint.participation(r.event, p.agent, p.role)
                self.origin(node, p.loc)
                self.add(node, RDF + "type", GK + "Participation")
                self.add(node, GK + "agent", agent)
                self.add(node, GK + "participantRole", role)
                if behalf:
                    self.add(node, GK + "onBehalfOf", behalf)
                self.claim(sid, iri, r.event, "participant", node, f"{p.agent}-{p.role}", ev, p.loc)
            if r.count:
                if not re.fullmatch(r"\d+", r.count.value):
                    self.err(r.count.loc, f"count {r.count.value!r} is not a whole number")
                else:
                    comp = self.listed("Comparator", r.count.comparator, r.count.loc, "comparator")
                    self.claim(sid, iri, r.event, "count", self.lit(r.count.value, XSD + "integer"), r.count.value,
                               ev, r.count.loc, comparator=comp)

    def statement_section(self, sid: str, mf) -> None:
        for s in mf.statements:
            iri = self.mint.statement(s.id)
            if iri in self.statements:
                self.err(s.loc, f"duplicate statement id {s.id!r}", "statement ids are unique in the corpus")
                continue
            self.statements.add(iri)
            self.origin(iri, s.loc)
            speaker = self.sources[sid] if s.speaker == "source" else self.ref(s.speaker, s.loc, "speaker", AGENT_KINDS)
            kind = self.listed("StatementKind", s.kind, s.loc, "statement kind")
            stance = self.listed("Stance", s.stance, s.loc, "stance")
            words = self.span(sid, s.words)
            ev = self.spans_of(sid, s.evidence)
            self.add(iri, RDF + "type", GK + "Statement")
            self.add(iri, RDF + "type", SCHEMA + "Quotation")
            self.add(iri, SCHEMA + "text", self.lit(s.words.text))
            self.add(iri, GK + "accordingTo", self.sources[sid])
            for e in ([words] if words else []) + ev:
                self.add(iri, GK + "evidence", e)
            if speaker:
                self.add(iri, GK + "speaker", speaker)
            if s.speaker_role and (role := self.ref(s.speaker_role, s.loc, "speaker-role", {"role"})):
                self.add(iri, GK + "speakerRole", role)
                holder = self.entities[s.speaker_role].holder
                if holder and speaker and holder != s.speaker:
                    self.err(s.loc, f"speaker-role {s.speaker_role!r} is held by {holder!r}, not by {s.speaker!r}")
            if kind:
                self.add(iri, GK + "statementKind", kind)
            if stance:
                self.add(iri, GK + "stance", stance)
            for a in s.about:
                if (target := self.ref(a, s.loc, "about")):
                    self.add(iri, GK + "about", target)
            if s.addressee and (addr := self.ref(s.addressee, s.loc, "addressee", AGENT_KINDS)):
                self.add(iri, GK + "addressee", addr)
            if s.medium and (m := self.span(sid, s.medium)):
                self.add(iri, GK + "medium", self.lit(s.medium.text))
                self.add(iri, GK + "evidence", m)
            if s.date:
                d, _ = self.date(sid, f"statement-{s.id}", s.date)  # the date node carries its own evidence
                self.add(iri, GK + "date", d)
            if s.note:
                self.add(iri, GK + "note", self.lit(s.note))

    def repeated(self, seen: dict, key: tuple, loc: Loc, what: str) -> bool:
        """Report an entry that states again what an earlier entry of the same source stated."""
        if key in seen:
            self.err(loc, f"the same {what} is stated twice for this source (first at line {seen[key].line})",
                     "merge the two entries: one entry can list several evidence quotes")
            return True
        seen[key] = loc
        return False

    def fact_section(self, sid: str, mf) -> None:
        seen: dict[tuple, Loc] = {}
        for f in mf.facts:
            info = self.vocab.properties.get(f.property)
            if info is None:
                usable = sorted(p for p, i in self.vocab.properties.items() if not i.internal)
                close = difflib.get_close_matches(f.property, usable, n=1)
                self.err(f.loc, f"unknown property {f.property!r}",
                         f"did you mean {close[0]!r}?" if close else "see the ontology for the properties you can use")
                continue
            if info.internal:
                self.err(f.loc, f"property {f.property!r} is written by the compiler",
                         "use the matching section instead of facts:")
                continue
            subject = self.ref(f.subject, f.loc, "subject")
            if subject is None:
                continue
            comparator = None
            if f.comparator:
                if info.range not in (XSD + "integer", XSD + "decimal"):
                    self.err(f.loc, f"comparator given for {f.property!r}, which is not a number")
                comparator = self.listed("Comparator", f.comparator, f.loc, "comparator")
            if info.datatype:
                rng = info.range or XSD + "string"
                check = _LEXICAL.get(rng)
                if check and not check[0].match(f.value):
                    self.err(f.value_loc, f"value {f.value!r} of {f.property!r} must be {check[1]}")
                    continue
                obj = self.lit(f.value, rng)
                key = slugify(f.value)
            else:
                kinds = None
                if info.range and info.range.startswith(GK):
                    kinds = {k for k, c in KIND_CLASS.items()
                             if info.range in self.vocab.superclasses.get(GK + c, {GK + c})}
                obj = self.ref(f.value, f.value_loc, f"value of {f.property}", kinds)
                if obj is None:
                    continue
                key = f.value
            if self.repeated(seen, (f.subject, f.property, key), f.loc, f"fact ({f.subject} {f.property} {f.value})"):
                continue
            self.claim(sid, subject, f.subject, f.property, obj, key, self.spans_of(sid, f.evidence), f.loc,
                       comparator=comparator, note=f.note)

    def disagreements(self) -> None:
        seen: dict[str, Loc] = {}
        for mf in self.corpus.files:
            for d in mf.disagreements:
                if d.id in seen:
                    self.err(d.loc, f"duplicate disagreement id {d.id!r} (first at {seen[d.id]})")
                    continue
                seen[d.id] = d.loc
                iri = self.mint.disagreement(d.id)
                self.origin(iri, d.loc)
                subject = self.ref(d.subject, d.loc, "disagreement subject")
                aspect = self.listed("DisagreementAspect", d.aspect, d.loc, "aspect")
                info = self.vocab.properties.get(d.property)
                if info is None:
                    self.err(d.loc, f"unknown property {d.property!r} in disagreement")
                if not (subject and aspect and info):
                    continue
                self.add(iri, RDF + "type", GK + "Disagreement")
                self.add(iri, GK + "aspect", aspect)
                self.add(iri, GK + "disagreementSubject", subject)
                self.add(iri, GK + "disagreementProperty", info.iri)
                if d.note:
                    self.add(iri, RDFS + "comment", self.lit(d.note, lang="en"))
                for source_id in d.sources:
                    if source_id not in self.sources:
                        self.err(d.loc, f"unknown source {source_id!r} in disagreement")
                        continue
                    claims = self.claim_index.get((subject, info.iri, source_id), [])
                    if not claims:
                        self.err(d.loc, f"source {source_id!r} makes no {d.property!r} claim about {d.subject!r}",
                                 "a disagreement links existing claims")
                    self.add(iri, GK + "source", self.sources[source_id])
                    for c in claims:
                        self.add(iri, GK + "conflictingClaim", c)

    def run(self) -> None:
        self.declare()
        for mf in progress.iterate(self.corpus.files, "checking evidence, making triples"):
            if mf.source is None or mf.source.id not in self.sources or self.source_loc[mf.source.id] != mf.source.loc:
                continue  # no document text, or a duplicate source id: already reported
            sid = mf.source.id
            self.source_section(mf)
            self.mentions(sid, mf)
            self.events(sid, mf)
            self.statement_section(sid, mf)
            self.fact_section(sid, mf)
        self.disagreements()


def build_graph(corpus: Corpus, ontology: Path | None = None) -> BuildResult:
    """Compile a loaded corpus; raises ``GsomiaError`` listing every problem."""
    vocab = load_vocabulary(ontology or ontology_file())
    b = _Builder(corpus, vocab)
    with no_gc():
        b.run()
        if b.problems:
            raise GsomiaError(sorted(set(b.problems), key=lambda p: (p.path, p.line or 0, p.column or 0, p.message)))
        with progress.stage("sorting triples", len(b.lines)) as step:
            compiled = CompiledGraph.from_lines(b.lines, b.terms, {**PREFIXES, "": corpus.meta.base},
                                                b.summary.summary())
            step.advance(len(compiled))
    kinds = Counter(e.kind for e in b.entities.values())
    per_source = Counter(b.spans.values())
    counts = {"triples": len(compiled), "sources": len(b.sources), "entities": len(b.entities),
              "claims": len(b.claims), "statements": len(b.statements), "evidence spans": len(b.spans)}
    return BuildResult(compiled, b.origins, counts, dict(sorted(per_source.items())), dict(sorted(kinds.items())),
                       corpus.meta)


def compile_corpus(path: str | Path, ontology: Path | None = None) -> BuildResult:
    """Load and compile a corpus folder: the library's main entry point."""
    from gsomia_kg.loader import load_corpus

    return build_graph(load_corpus(path), ontology)
