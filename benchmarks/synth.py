"""A deterministic synthetic corpus generator in the project's mapping format, for the benchmarks.

``python benchmarks/synth.py 1000 -o /tmp/synth-1000`` writes a corpus folder (``corpus.yaml``, ``entities.yaml``,
``documents/``, ``mappings/``) of N invented news articles. Per article: a text of ~3-4 KB; 8 events (5 new, 3
reported again from earlier articles) with dates, places and participants; 6 statements whose words are found in
the text; ~34 distinct evidence spans (title, byline, each event's sentence and date words, each quote and its
attribution, a few names); names drawn from a shared pool and spelled with aliases; recorded cross-source
disagreements (dates, spellings). That is ~940 triples per article. The dates of each agreement's events keep the
order the shapes check, and every declared entity is evidenced, so the corpus validates cleanly. The same (N,
seed) always gives the same bytes; the shared pool grows slowly with N, as the cast of a news archive does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = "2"  # bump when the output changes, so cached corpora are regenerated
SHARD = 1000  # documents and mappings per sub-folder

FAMILY = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin",
          "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong", "Tanaka", "Suzuki", "Sato", "Ito", "Watanabe", "Yamamoto",
          "Nakamura", "Kobayashi", "Kato", "Yoshida", "Moreau", "Vela", "Brandt", "Okafor", "Silva", "Novak",
          "Haddad", "Larsen", "Rossi", "Petrov"]
GIVEN = ["min", "jae", "hyun", "soo", "young", "ji", "seung", "woo", "dong", "sang", "kyun", "ho", "jin", "eun",
         "sun", "chul", "tae", "hee", "kyung", "won", "joon", "yeon", "bo", "ga", "na", "ra", "mi", "ki", "taro",
         "hiro"]
# alternative romanizations: one source's spelling differs from another's
ROMAN = {"kyun": "gyun", "soo": "su", "joon": "jun", "chul": "cheol", "young": "yeong", "woo": "u", "hee": "hui",
         "sun": "seon", "jung": "jeong", "kyung": "gyeong", "taro": "tarou"}
STATES = ["Ruritania", "Freedonia", "Sylvania", "Latveria", "Genovia", "Elbonia", "Borduria", "Syldavia",
          "Carpania", "Zubrowka", "Molvania", "Krakozhia", "Qumar", "Markovia", "Pottsylvania", "Urkesh",
          "Aldovia", "Arendelle", "Corona", "Florin", "Guilder", "Kasnia", "Luggnagg", "Osterlich", "Sokovia",
          "Tazbekistan", "Vulgaria", "Wadiya", "Westeros", "Zamunda", "Balnibarbi", "Brobdingnag", "Estovakia",
          "Kirkenesia", "Lugash", "Novistrana", "Orsinia", "Povia", "Rumekistan", "Transia"]
ORG_KINDS = ["Ministry of Defense", "Ministry of Foreign Affairs", "Ministry of Fisheries", "Ministry of Trade",
             "National Assembly", "Coast Guard", "Joint Chiefs of Staff", "Presidential Office",
             "Institute for Strategic Studies", "Press Agency"]
TITLES = {"Ministry of Defense": "Defense Minister", "Ministry of Foreign Affairs": "Foreign Minister",
          "Ministry of Fisheries": "Fisheries Minister", "Ministry of Trade": "Trade Minister",
          "National Assembly": "lawmaker", "Coast Guard": "Coast Guard commander",
          "Joint Chiefs of Staff": "Joint Chiefs chairman", "Presidential Office": "presidential spokesperson",
          "Institute for Strategic Studies": "analyst", "Press Agency": "editor"}
CITY_A = ["Port", "North", "South", "East", "West", "New", "Old", "Upper", "Lower", "Saint"]
CITY_B = ["Meridian", "Haven", "Ridge", "Falls", "Harbor", "Crossing", "Field", "Vale", "Bay", "Gate", "Mount",
          "Bridge", "Ford", "Point", "Lake"]
TOPICS = ["fisheries", "intelligence-sharing", "border", "trade", "maritime security", "military information",
          "customs", "energy", "water", "aviation", "cyber defense", "research"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# event type -> (sentence template, participant roles); {a}, {b} agents, {x} agreement, {d} date words, {p} place
EVENTS = {
    "signing": ("{a} and {b} signed the {x} {d} in {p}", ("signatory", "signatory")),
    "negotiation": ("Negotiators of {a} and {b} resumed talks on the {x} {d} in {p}", ("negotiator", "negotiator")),
    "summit": ("Leaders of {a} and {b} discussed the {x} at a summit {d} in {p}", ("party", "party")),
    "announcement": ("{a} announced {d} that it would extend the {x}, officials in {p} said", ("announcer",)),
    "protest": ("Protesters from {a} rallied against the {x} {d} in {p}", ("protester",)),
    "criticism": ("{a} criticized {b} over the {x} {d}, in a statement issued in {p}", ("actor", "target")),
    "entry-into-force": ("The {x} between {a} and {b} took effect {d}, officials in {p} confirmed",
                         ("party", "party")),
    "press-conference": ("{a} held a press conference on the {x} {d} in {p}", ("organizer",)),
    "trade-measure": ("{a} imposed new tariffs on {b} tied to the {x} {d}, traders in {p} said",
                      ("actor", "target")),
    "renewal": ("{a} and {b} renewed the {x} {d} in {p}", ("party", "party")),
}
# event type -> days from the agreement's signing: announcements before it, entry into force after it, so the
# corpus keeps the order that the shapes check (gks:ChronologyShape)
TIMELINE = {"announcement": (-60, -30), "negotiation": (-120, -20), "summit": (-200, 200), "signing": (-3, 0),
            "entry-into-force": (10, 40), "renewal": (365, 400), "protest": (-30, 30), "criticism": (-30, 60),
            "press-conference": (-30, 30), "trade-measure": (50, 300)}
STANCES = ["supports", "opposes", "concerned", "urges", "neutral", "explains"]
CLAUSES = ["the agreement protects our fishermen", "this step will deepen mistrust", "we need more time",
           "the talks were constructive", "the pact must be reviewed", "our security depends on cooperation",
           "the decision was taken too quickly", "both sides should return to dialogue",
           "the public was not consulted", "information will be shared in both directions",
           "the treaty serves regional stability", "we will watch closely what happens next"]
FILLER = ["The {x} has been debated for years in both capitals.",
          "Officials said the details would be published later this month.",
          "Critics argue that the {x} gives too much away, while supporters point to its safeguards.",
          "The negotiations were interrupted twice by disputes over wording.",
          "Analysts note that similar arrangements exist with {n} other countries.",
          "Public opinion remains divided, according to a recent survey of {n}00 residents.",
          "The opposition has demanded hearings before any further step is taken.",
          "Diplomats described the atmosphere as cautious but workmanlike.",
          "Local newspapers carried the story on their front pages the next morning.",
          "The text of the {x} runs to {n} articles and two annexes.",
          "Observers in {p} expect the issue to return before the end of the year.",
          "A spokesperson declined to comment on the timing of the next meeting."]


def _occurrences(text: str, quote: str) -> list[int]:
    # the same few lines as gsomia_kg.evidence.occurrences, on purpose: the generator does not share code with the
    # compiler it feeds, so a bug there cannot make the synthetic corpus agree with it
    out, i = [], text.find(quote)
    while i != -1:
        out.append(i)
        i = text.find(quote, i + 1)
    return out


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Entity:
    id: str
    kind: str
    label: str
    extra: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)


@dataclass
class Pool:
    """The shared register: states, organizations, people (with roles and aliases), places, groups, agreements."""

    states: list[Entity]
    orgs: list[Entity]
    people: list[tuple[Entity, Entity]]  # (person, role)
    places: list[Entity]
    groups: list[Entity]
    agreements: list[Entity]


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(p for p in out.split("-") if p)


def _unique(ident: str, used: set[str]) -> str:
    candidate, k = ident, 2
    while candidate in used:
        candidate = f"{ident}-{k}"
        k += 1
    used.add(candidate)
    return candidate


def make_pool(n: int, seed: int) -> Pool:
    """The shared pool: grows slowly with N, as the cast of a news archive does."""
    rng = random.Random(f"pool:{seed}")
    used: set[str] = set()
    states = [Entity(_unique(_slug(s), used), "state", s, aliases=[f"the {s}n government", f"{s}n officials"])
              for s in STATES]
    orgs = []
    for i in range(40 + n // 25):
        state = states[(i // len(ORG_KINDS)) % len(states)]
        kind = ORG_KINDS[i % len(ORG_KINDS)]
        label = f"{state.label}n {kind}" if i < len(states) * len(ORG_KINDS) else f"{state.label}n {kind} {i}"
        orgs.append(Entity(_unique(_slug(label), used), "organization", label, {"title": TITLES[kind]},
                           aliases=[f"{state.label}’s {kind}"]))
    people = []
    for _ in range(120 + n // 5):
        fam = rng.choice(FAMILY)
        g1, g2 = rng.choice(GIVEN), rng.choice(GIVEN)
        label = f"{fam} {g1.capitalize()}-{g2}"
        alt = f"{fam} {ROMAN.get(g1, g1).capitalize()}-{ROMAN.get(g2, g2)}"
        ident = _unique(_slug(label), used)
        person = Entity(ident, "person", label, aliases=[alt] if alt != label else [f"{g1.capitalize()}-{g2} {fam}"])
        org = rng.choice(orgs)
        title = org.extra["title"]
        role = Entity(_unique(f"{ident}-role", used), "role", f"{label}, {title} ({org.label})",
                      {"holder": ident, "organization": org.id, "title": title})
        people.append((person, role))
    places = []
    for _ in range(30 + n // 25):
        label = f"{rng.choice(CITY_A)} {rng.choice(CITY_B)}"
        places.append(Entity(_unique(_slug(label), used), "place", label))
    groups = [Entity(_unique(_slug(f"{s.label} civic groups"), used), "group", f"{s.label}n civic groups")
              for s in states]
    agreements = []
    for i in range(20 + n // 10):
        a, b = rng.sample(states, 2)
        topic = rng.choice(TOPICS)
        label = f"{a.label}–{b.label} {topic} accord"
        signed = date(2015, 1, 1) + timedelta(days=rng.randrange(3300))
        agreements.append(Entity(_unique(_slug(f"{a.label} {b.label} {topic} accord {i}"), used), "agreement", label,
                                 {"parties": f"{a.id} {b.id}", "articles": str(rng.randint(8, 40)),
                                  "signed": signed.isoformat()},
                                 aliases=[f"{topic} accord"]))
    return Pool(states, orgs, people, places, groups, agreements)


@dataclass
class Article:
    """What one generated article contributes: its mapping file, document and the register entries it uses."""

    ident: str
    document: str
    mapping: str
    used: set[str]
    events: list[tuple[str, str, str, str, str]]  # (event, event type, date, source, agreement) declared here


class _Doc:
    """A document under construction, remembering where each quotable piece starts."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, s: str) -> int:
        at = self.size
        self.parts.append(s)
        self.size += len(s)
        return at

    def text(self) -> str:
        return "".join(self.parts)


def _date_phrase(rng: random.Random, when: date, published: date) -> tuple[str, dict[str, str]]:
    """Words for a date, and the date spec they support (stated, weekday-inferred or a vague range)."""
    r = rng.random()
    if r < 0.55:
        words = f"on {when.day} {MONTHS[when.month - 1]} {when.year}"
        return words, {"as-written": words, "value": when.isoformat(), "status": "stated"}
    if r < 0.85 and 0 <= (published - when).days < 7:
        words = f"on {WEEKDAYS[when.weekday()]}"
        return words, {"as-written": words, "value": when.isoformat(), "status": "inferred",
                       "reasoning": "The article gives the weekday only; resolved from its own publication date."}
    half = "early" if when.month <= 6 else "late"
    words = f"in {half} {when.year}"
    lo, hi = (f"{when.year}-01-01", f"{when.year}-06-30") if half == "early" else (f"{when.year}-07-01",
                                                                                    f"{when.year}-12-31")
    return words, {"as-written": words, "earliest": lo, "latest": hi, "status": "inferred",
                   "reasoning": "The article gives the half-year only."}


def _evidence(text: str, quote: str, at: int) -> str:
    """An evidence item: the bare quote when it occurs once, else the quote with its start offset."""
    found = _occurrences(text, quote)
    assert at in found, (quote, at)
    return _q(quote) if len(found) == 1 else f"{{quote: {_q(quote)}, start: {at}}}"


@dataclass
class History:
    """What earlier articles did, which later ones build on."""

    # (event, event type, date, source, agreement) of every event declared so far
    declared: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    spellings: dict[str, tuple[str, str]] = field(default_factory=dict)  # person -> (first source, its spelling)
    backed: set[str] = field(default_factory=set)  # organizations some article already names


def make_article(i: int, seed: int, pool: Pool, history: History) -> Article:
    """Article ``i``: its text and mapping.

    Some events of earlier articles are reported again (with a date that may differ: a recorded disagreement); a
    person spelled differently from the first source that named them gives a spelling disagreement.
    """
    declared, spellings = history.declared, history.spellings
    rng = random.Random(f"article:{seed}:{i}")
    sid = f"article-{i:06d}"
    agreement = rng.choice(pool.agreements)
    signed = date.fromisoformat(agreement.extra["signed"])
    own_types = [rng.choice(sorted(EVENTS)) for _ in range(5)]
    own_dates = [signed + timedelta(days=rng.randint(*TIMELINE[t])) for t in own_types]
    published = max(own_dates) + timedelta(days=rng.randrange(0, 6))
    parties = agreement.extra["parties"].split()
    states = {s.id: s for s in pool.states}
    sa, sb = states[parties[0]], states[parties[1]]
    author, _ = rng.choice(pool.people)
    dateline = rng.choice(pool.places)
    speakers = rng.sample(pool.people, 4)
    used = {agreement.id, sa.id, sb.id, author.id, dateline.id}

    doc = _Doc()
    title = f"{sa.label} and {sb.label} move on the {agreement.label} ({sid})"
    title_at = doc.add(title)
    doc.add("\n\n")
    byline = f"By {author.label}"
    byline_at = doc.add(byline)
    doc.add(" in ")
    dl_at = doc.add(dateline.label)
    doc.add("\n\n")
    body_first_at = doc.size

    mentions: list[tuple[str, str, int]] = []  # (entity id, words, offset)
    entity_yaml: list[str] = []
    disagreements_yaml: list[str] = []
    own_events: list[tuple[str, str, str]] = []
    event_rows: list[tuple] = []  # evidence items are written once the text is complete
    statement_rows: list[tuple] = []

    # ~8 events: 5 declared here, 3 reported again from earlier articles (with a disagreeing date now and then)
    recent = declared[-400:]
    shared = rng.sample(recent, min(3, len(recent)))
    plan: list[tuple[str, str | None, date, str | None, str]] = []
    agreements = {a.id: a for a in pool.agreements}
    for etype, when in zip(own_types, own_dates):
        plan.append((etype, None, when, None, agreement.id))
    for eid, etype, value, other, about in shared:
        when = date.fromisoformat(value)
        differs = rng.random() < 0.35
        if differs:
            when += timedelta(days=rng.choice([-2, -1, 1, 2]))
        plan.append((etype, eid, when, other if differs else None, about))

    for k, (etype, eid, when, disagree_with, about) in enumerate(plan):
        accord = agreements[about]
        used.add(about)
        if eid is None:
            eid = f"{sid}-event-{k}"
            label = f"{etype.replace('-', ' ').capitalize()} on the {agreement.label} reported by {sid} ({k})"
            entity_yaml.append(f"  - {{id: {eid}, kind: event, event-type: {etype}, label: {_q(label)}, "
                               f"agreement: {agreement.id}}}")
        template, roles = EVENTS[etype]
        a, b = (states[x] for x in accord.extra["parties"].split())
        if rng.random() < 0.3:
            a, b = b, a
        if etype == "protest":
            a = pool.groups[pool.states.index(a)]
        place = dateline if rng.random() < 0.4 else rng.choice(pool.places)
        dwords, dspec = _date_phrase(rng, when, published)
        sentence = template.format(a=a.label, b=b.label, x=accord.label, d=dwords, p=place.label)
        at = doc.add(sentence)
        doc.add(". ")
        for filler in rng.sample(FILLER, 2):
            doc.add(filler.format(x=agreement.label, n=rng.randint(2, 40), p=place.label) + " ")
        if k % 3 == 2:
            doc.add("\n\n")
        used |= {a.id, b.id, place.id}
        agents = [a, b][:len(roles)]
        event_rows.append((eid, sentence, at, at + sentence.index(dwords), dspec, place.id,
                           list(zip([x.id for x in agents], roles))))
        if eid.startswith(sid):
            own_events.append((eid, etype, when.isoformat(), sid, about))
        if disagree_with:
            disagreements_yaml.append(
                f"  - {{id: {sid}-date-{k}, aspect: date, subject: {eid}, property: date, "
                f"sources: [{disagree_with}, {sid}], note: {_q('The two sources give different dates.')}}}")

    orgs = {o.id: o for o in pool.orgs}
    # 6 statements by 4 speakers, each quote attributed with the speaker's title and a spelling of the name
    for k in range(6):
        person, role = speakers[k % len(speakers)]
        spelled = person.aliases[0] if rng.random() < 0.3 else person.label
        clause = rng.choice(CLAUSES)
        words = f"{clause[0].upper()}{clause[1:]} in {sid} ({k}),"
        doc.add("“")
        w_at = doc.add(words)
        doc.add("” ")
        attribution = f"said {role.extra['title']} {spelled}"
        a_at = doc.add(attribution)
        org = orgs[role.extra["organization"]]
        if org.id not in history.backed:  # name each organization once in the corpus: every entity is evidenced
            history.backed.add(org.id)
            doc.add(", speaking for the ")
            mentions.append((org.id, org.label, doc.add(org.label)))
            doc.add(". ")
        else:
            doc.add(f", speaking in {dateline.label}. ")
        used |= {person.id, role.id}
        if k in (0, 3):
            mentions.append((person.id, spelled, a_at + len(attribution) - len(spelled)))
            first = spellings.setdefault(person.id, (sid, spelled))
            if first[1] != spelled and first[0] != sid and not any("spelling" in d for d in disagreements_yaml):
                note = f"{first[0]} spells the name {first[1]!r}, {sid} {spelled!r}."
                disagreements_yaml.append(
                    f"  - {{id: {sid}-spelling-{k}, aspect: spelling, subject: {person.id}, property: mentionedAs, "
                    f"sources: [{first[0]}, {sid}], note: {_q(note)}}}")
        statement_rows.append((f"{sid}-s{k}", person.id, role.id, words, w_at, attribution, a_at,
                               rng.choice(STANCES)))
    n_articles = agreement.extra["articles"]
    count_sentence = f"The {n_articles}-article {agreement.aliases[0]}"
    doc.add(f"{count_sentence} was first proposed a decade ago. ")
    count_at = doc.size - len(count_sentence) - len(" was first proposed a decade ago. ")
    last = f"Reporting by {author.label} for {sid}."
    last_at = doc.add(last)
    doc.add("\n")
    text = doc.text()

    def ev(quote: str, at: int) -> str:
        return _evidence(text, quote, at)

    out = [f"# Synthetic article {i} (benchmarks/synth.py, seed {seed})", "source:", f"  id: {sid}",
           f"  document: {_q(document_path(i))}", "  genre: news-report",
           "  genre-reasoning: \"Invented for the benchmark: a report in the third person with attributed quotes.\"",
           f"  title: {ev(title, title_at)}",
           f"  author: {{entity: {author.id}, evidence: [{ev(byline, byline_at)}]}}",
           f"  dateline: {{entity: {dateline.id}, evidence: [{ev(dateline.label, dl_at)}]}}"]
    if i % 4 == 0:  # a quarter of the articles record where their body starts and ends
        first = text[body_first_at:body_first_at + 40]
        out.append(f"  body: {{first: {ev(first, body_first_at)}, last: {ev(last, last_at)}}}")
    if entity_yaml:
        out += ["entities:", *entity_yaml]
    out.append("mentions:")
    for eid, words, at in mentions:
        out.append(f"  - {{entity: {eid}, as: {ev(words, at)}}}")
    out.append("events:")
    for eid, sentence, at, d_at, dspec, place, parts in event_rows:
        out.append(f"  - event: {eid}")
        out.append(f"    evidence: [{ev(sentence, at)}]")
        spec = ", ".join(f"{k}: {ev(v, d_at) if k == 'as-written' else _q(v)}" for k, v in dspec.items())
        out.append(f"    date: {{{spec}}}")
        out.append(f"    place: {place}")
        out.append("    participants: [" + ", ".join(f"{{agent: {a}, role: {r}}}" for a, r in parts) + "]")
    out.append("statements:")
    for ident, speaker, role, words, w_at, attribution, a_at, stance in statement_rows:
        out.append(f"  - {{id: {ident}, speaker: {speaker}, speaker-role: {role}, kind: direct-quote, "
                   f"words: {ev(words, w_at)}, stance: {stance}, about: [{agreement.id}], "
                   f"evidence: [{ev(attribution, a_at)}]}}")
    out.append("facts:")
    out.append(f"  - {{subject: {agreement.id}, property: numberOfArticles, value: {_q(n_articles)}, "
               f"comparator: exactly, evidence: [{ev(count_sentence, count_at)}]}}")
    if disagreements_yaml:
        out += ["disagreements:", *disagreements_yaml]
    return Article(sid, text, "\n".join(out) + "\n", used, own_events)


def document_path(i: int) -> str:
    return f"documents/{i // SHARD:03d}/article-{i:06d}.txt"


def mapping_path(i: int) -> str:
    return f"mappings/{i // SHARD:03d}/article-{i:06d}.yaml"


def register_yaml(pool: Pool, used: set[str]) -> str:
    """The entities register, holding only the pool entries some article uses (every entity is evidenced)."""
    lines = ["# The shared register of the synthetic corpus (benchmarks/synth.py).", "entities:"]
    roles = [r for _, r in pool.people if r.id in used]
    needed = used | {r.extra["organization"] for r in roles}
    for e in pool.states + pool.orgs + [p for p, _ in pool.people] + pool.places + pool.groups + pool.agreements:
        if e.id in needed:
            lines.append(f"  - {{id: {e.id}, kind: {e.kind}, label: {_q(e.label)}}}")
    for r in roles:
        lines.append(f"  - {{id: {r.id}, kind: role, label: {_q(r.label)}, holder: {r.extra['holder']}, "
                     f"organization: {r.extra['organization']}, title: {_q(r.extra['title'])}}}")
    return "\n".join(lines) + "\n"


def generate(n: int, out: Path, seed: int = 1) -> Path:
    """Write an N-article corpus into ``out`` (created; must be empty or absent). Returns ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")
    pool = make_pool(n, seed)
    history = History()
    used: set[str] = set()
    for i in range(n):
        art = make_article(i, seed, pool, history)
        for rel, data in ((document_path(i), art.document), (mapping_path(i), art.mapping)):
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data, encoding="utf-8", newline="")
        history.declared.extend(art.events)
        used |= art.used
    (out / "entities.yaml").write_text(register_yaml(pool, used), encoding="utf-8")
    (out / "corpus.yaml").write_text(
        f"id: synth\ntitle: \"Synthetic benchmark corpus ({n} articles)\"\n"
        f"description: \"Invented articles generated by benchmarks/synth.py with seed {seed}.\"\n"
        "license: https://creativecommons.org/licenses/by/4.0/\nversion: 0.0.0\nbase: https://example.org/synth/\n",
        encoding="utf-8")
    return out


def cached(n: int, seed: int = 1, cache: Path | None = None) -> Path:
    """The N-article corpus in the cache folder, generated on first use (keyed by size, seed and version)."""
    import os
    import shutil
    import tempfile

    root = cache or Path(os.environ.get("GSOMIA_BENCH_CACHE", Path(tempfile.gettempdir()) / "gsomia-kg-bench"))
    key = hashlib.sha1(f"{GENERATOR_VERSION}:{n}:{seed}:{Path(__file__).read_bytes()!r}".encode()).hexdigest()[:10]
    target = root / f"synth-{n}-s{seed}-{key}"
    if (target / "corpus.yaml").is_file():
        return target
    tmp = root / f".tmp-{target.name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    generate(n, tmp, seed)
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("-o", "--out", type=Path, help="output folder (default: the benchmark cache)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    path = generate(args.n, args.out, args.seed) if args.out else cached(args.n, args.seed)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
