"""Mutation suite: for every shape, an edit of the built fixture graph that breaks exactly what the shape guards."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, Namespace, URIRef

from gsomia_kg.cli import cli
from gsomia_kg.graph import compile_corpus
from gsomia_kg.serialize import to_ntriples
from gsomia_kg.validate import SHAPES_NS, load_shapes, validate

FIXTURE = Path(__file__).parent / "fixtures" / "validate"
B = Namespace("https://example.org/validate/")
GK = Namespace("https://w3id.org/gsomia-kg/ns#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("http://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
SH = Namespace("http://www.w3.org/ns/shacl#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

REPORT, EDITORIAL = B["source/accord-report"], B["source/coast-editorial"]
ACCORD = B["agreement/fisheries-accord"]
SIGNING_REPORT_DATE = B["date/accord-report/accord-signing"]
SIGNING_EDITORIAL_DATE = B["date/coast-editorial/accord-signing"]
EIF_DATE = B["date/accord-report/accord-entry-into-force"]
REYES_SIGNS = B["participation/accord-signing/tomas-reyes/signatory"]
ARTICLES_SPAN = B["evidence/accord-report/429-450"]  # "The 12-article accord"


def span_of(g: Graph, quote: str) -> URIRef:
    return next(s for s, in g.query("SELECT ?s WHERE { ?s oa:hasSelector/oa:exact ?q }", initNs={"oa": OA},
                                     initBindings={"q": Literal(quote, datatype=XSD.string)}))


def selector(g: Graph, span: URIRef, kind: str) -> URIRef:
    return next(s for s in g.objects(span, OA.hasSelector) if (s, RDF.type, OA[kind]) in g)


def claim(g: Graph, source: URIRef, subject: URIRef, prop: URIRef) -> URIRef:
    return next(c for c in g.subjects(RDF.subject, subject)
                if (c, RDF.predicate, prop) in g and (c, GK.accordingTo, source) in g)


def redate(g: Graph, spec: URIRef, day: str) -> None:
    for p in (GK.earliest, GK.latest, TIME.inXSDDate):
        g.set((spec, p, Literal(day, datatype=XSD.date)))


def replace(g: Graph, s, p, o) -> None:
    g.set((s, p, o))


@dataclass(frozen=True)
class Mutation:
    shape: str  # local name in gks:
    edit: Callable[[Graph], None]
    focus: URIRef | str | None = None  # expected focus node (None: not checked)
    severity: str = "violation"
    also: frozenset[str] = frozenset()  # other shapes the edit unavoidably breaks
    via: str | None = None  # for value shapes: the targeted shape whose result reports it
    case: str = ""

    @property
    def id(self) -> str:
        return self.shape + (f"-{self.case}" if self.case else "")


def _chain(*edits):
    def run(g: Graph) -> None:
        for e in edits:
            e(g)
    return run


def _recorded_signing_disagreement(g: Graph) -> None:
    node = B["disagreement/signing-date"]
    g.add((node, RDF.type, GK.Disagreement))
    g.add((node, GK.aspect, GK.DateAspect))
    g.add((node, GK.disagreementSubject, B["event/accord-signing"]))
    g.add((node, GK.disagreementProperty, GK.date))
    for source in (REPORT, EDITORIAL):
        g.add((node, GK.source, source))
        g.add((node, GK.conflictingClaim, claim(g, source, B["event/accord-signing"], GK.date)))


def _second_articles_claim(g: Graph) -> None:
    node = B["claim/accord-report/fisheries-accord/numberOfArticles/14"]
    value = Literal("14", datatype=XSD.integer)
    g.add((ACCORD, GK.numberOfArticles, value))
    for p, o in ((RDF.type, GK.Claim), (RDF.subject, ACCORD), (RDF.predicate, GK.numberOfArticles),
                 (RDF.object, value), (GK.accordingTo, REPORT), (GK.evidence, ARTICLES_SPAN)):
        g.add((node, p, o))


def _editorial_articles(value: str):
    def run(g: Graph) -> None:
        c = claim(g, EDITORIAL, ACCORD, GK.numberOfArticles)
        new = Literal(value, datatype=XSD.integer)
        g.set((c, RDF.object, new))
        g.add((ACCORD, GK.numberOfArticles, new))
    return run


def _shift_offsets(g: Graph) -> None:
    pos = selector(g, span_of(g, "The 12-article accord"), "TextPositionSelector")
    for p in (OA.start, OA.end):
        old = int(g.value(pos, p))
        g.set((pos, p, Literal(str(old + 1), datatype=XSD.nonNegativeInteger)))


def _swap_position_for_foreign_quote(g: Graph) -> None:
    span = span_of(g, "The 12-article accord")
    g.remove((span, OA.hasSelector, selector(g, span, "TextPositionSelector")))
    g.add((span, OA.hasSelector, selector(g, span_of(g, "By Mara Quill"), "TextQuoteSelector")))


MUTATIONS: list[Mutation] = [
    # ---- structure (SHACL Core) ----
    Mutation("SourceShape", lambda g: g.remove((EDITORIAL, SCHEMA.text, None)), EDITORIAL, case="no-text"),
    Mutation("SourceMetadataShape", lambda g: g.remove((REPORT, GK.notStated, GK.publisher)), REPORT),
    Mutation("EntityShape", lambda g: g.remove((B["place/meridian-sea"], RDFS.label, None)),
             B["place/meridian-sea"], case="no-label"),
    Mutation("EntityShape", lambda g: g.add((B["place/meridian-sea"], RDF.type, GK.Concept)),
             B["place/meridian-sea"], case="two-kinds", also=frozenset({"ConceptShape"})),
    Mutation("AgentShape", lambda g: g.add((B["place/meridian-sea"], GK.ally, B["state/ruritania"])),
             B["place/meridian-sea"]),
    Mutation("AnAgent", lambda g: g.add((B["state/ruritania"], GK.member, B["concept/fish-stocks"])),
             B["concept/fish-stocks"], via="AgentShape"),
    Mutation("StateShape", _chain(lambda g: g.remove((B["person/lio-brandt"], RDF.type, GK.Person)),
                                  lambda g: g.add((B["person/lio-brandt"], RDF.type, GK.State))),
             B["person/lio-brandt"]),
    Mutation("OrganizationShape", _chain(lambda g: g.remove((B["state/ruritania"], RDF.type, GK.State)),
                                         lambda g: g.add((B["state/ruritania"], RDF.type, GK.Organization))),
             B["state/ruritania"]),
    Mutation("PersonShape", _chain(lambda g: g.remove((B["state/freedonia"], RDF.type, GK.State)),
                                   lambda g: g.add((B["state/freedonia"], RDF.type, GK.Person))),
             B["state/freedonia"]),
    Mutation("GroupShape", lambda g: g.add((B["state/ruritania"], GK.memberCount, Literal(3))), B["state/ruritania"]),
    Mutation("PlaceShape", lambda g: g.add((B["event/accord-signing"], GK.place, B["person/mara-quill"])),
             B["person/mara-quill"]),
    Mutation("AgreementShape", lambda g: g.add((B["concept/fish-stocks"], GK.numberOfArticles, Literal(3))),
             B["concept/fish-stocks"]),
    Mutation("EventShape", lambda g: g.add((B["event/accord-announcement"], GK.eventType, GK.Protest)),
             B["event/accord-announcement"]),
    Mutation("ConceptShape", lambda g: g.add((ACCORD, GK.covers, B["place/meridian-sea"])),
             B["place/meridian-sea"]),
    Mutation("RoleShape", lambda g: g.add((B["role/brandt-fisheries-minister"], GK.title, Literal("Minister"))),
             B["role/brandt-fisheries-minister"]),
    Mutation("ParticipationShape", lambda g: g.remove((REYES_SIGNS, GK.participantRole, None)), REYES_SIGNS),
    Mutation("StatementShape", lambda g: g.remove((B["statement/unions-welcome-accord"], GK.speaker, None)),
             B["statement/unions-welcome-accord"], case="no-speaker"),
    Mutation("StatementShape", lambda g: g.remove((B["statement/unions-welcome-accord"], GK.accordingTo, None)),
             B["statement/unions-welcome-accord"], case="no-source"),
    Mutation("AnAgentOrSource", lambda g: g.set((B["statement/unions-welcome-accord"], GK.speaker,
                                                  B["concept/fish-stocks"])),
             B["statement/unions-welcome-accord"], via="StatementShape"),
    Mutation("SpeakerRoleShape", lambda g: g.set((B["statement/brandt-protects-coasts"], GK.speaker,
                                                   B["person/tomas-reyes"])),
             B["statement/brandt-protects-coasts"]),
    Mutation("ClaimShape", lambda g: g.remove((claim(g, EDITORIAL, ACCORD, GK.numberOfArticles), GK.evidence, None)),
             "claim/coast-editorial/fisheries-accord/numberOfArticles/12", case="no-evidence"),
    Mutation("ComparatorUseShape", lambda g: g.add((claim(g, REPORT, ACCORD, GK.party), GK.comparator, GK.Exactly))),
    Mutation("FactValueShape", lambda g: g.add((B["concept/fish-stocks"], GK.quantity, Literal("many"))),
             B["concept/fish-stocks"]),
    Mutation("EvidenceSpanShape", lambda g: g.add((ARTICLES_SPAN, OA.hasSelector, URIRef(ARTICLES_SPAN + "/extra"))),
             ARTICLES_SPAN),
    Mutation("TextQuoteSelectorShape", lambda g: g.remove((URIRef(ARTICLES_SPAN + "/quote"), OA.prefix, None)),
             URIRef(ARTICLES_SPAN + "/quote")),
    Mutation("TextPositionSelectorShape",
             lambda g: g.set((URIRef(ARTICLES_SPAN + "/position"), OA.end, Literal(450))),  # xsd:integer
             URIRef(ARTICLES_SPAN + "/position")),
    Mutation("DateSpecificationShape", lambda g: g.add((EIF_DATE, GK.asWritten, Literal("on the 4th"))), EIF_DATE),
    Mutation("InferredDateShape", lambda g: g.set((EIF_DATE, GK.dateStatus, GK.Inferred)), EIF_DATE),
    Mutation("DisagreementShape", lambda g: g.remove((B["disagreement/brandt-spelling"], GK.aspect, None)),
             B["disagreement/brandt-spelling"]),
    # ---- meaning (SHACL-SPARQL) ----
    Mutation("QuoteMatchesTextShape",
             lambda g: g.set((URIRef(ARTICLES_SPAN + "/quote"), OA.exact, Literal("The 13-article accord",
                                                                                    datatype=XSD.string))),
             ARTICLES_SPAN, case="changed-character"),
    Mutation("QuoteMatchesTextShape", _shift_offsets, ARTICLES_SPAN, case="offsets-shifted",
             also=frozenset({"QuoteContextShape"})),
    Mutation("SpanSelectorsShape", _swap_position_for_foreign_quote, ARTICLES_SPAN),
    Mutation("QuoteContextShape",
             lambda g: g.set((URIRef(ARTICLES_SPAN + "/quote"), OA.suffix,
                              Literal(" covers the fish stocks of the Baltic", datatype=XSD.string))),
             ARTICLES_SPAN),
    Mutation("SourceTextShape", lambda g: g.set((REPORT, GK.characterCount, Literal(700))), REPORT,
             case="length"),
    Mutation("SourceTextShape", lambda g: g.set((REPORT, SCHEMA.text, Literal(
        str(g.value(REPORT, SCHEMA.text)).replace("90 days", "60 days"), datatype=XSD.string))), REPORT,
             case="edited-text", also=frozenset({"QuoteMatchesTextShape", "QuoteContextShape"})),
    Mutation("EvidenceSourceShape", lambda g: g.add((claim(g, REPORT, ACCORD, GK.numberOfArticles), GK.evidence,
                                                     span_of(g, "has 12 articles"))),
             "claim/accord-report/fisheries-accord/numberOfArticles/12"),
    Mutation("ClaimAssertedShape", lambda g: g.remove((ACCORD, GK.covers, B["concept/fish-stocks"])),
             "claim/accord-report/fisheries-accord/covers/fish-stocks"),
    Mutation("StatementWordsShape", lambda g: g.set((B["statement/unions-welcome-accord"], SCHEMA.text,
                                                     Literal("hailed the deal", datatype=XSD.string))),
             B["statement/unions-welcome-accord"]),
    Mutation("EntityBackedShape", _chain(lambda g: g.add((B["place/atlantis"], RDF.type, GK.Place)),
                                         lambda g: g.add((B["place/atlantis"], RDFS.label,
                                                          Literal("Atlantis", lang="en"))),
                                         lambda g: g.add((B["place/atlantis"], SKOS.prefLabel,
                                                          Literal("Atlantis", lang="en")))),
             B["place/atlantis"]),
    Mutation("ChronologyShape", lambda g: redate(g, B["date/accord-report/accord-announcement"], "2030-03-05"),
             B["date/accord-report/accord-announcement"], case="announced-after-signing"),
    Mutation("ChronologyShape", lambda g: redate(g, SIGNING_REPORT_DATE, "2030-03-05"), SIGNING_REPORT_DATE,
             case="in-force-before-signing"),
    Mutation("ChronologyShape", lambda g: redate(g, B["date/coast-editorial/accord-termination-notice"],
                                                 "2032-01-10"),
             B["date/coast-editorial/accord-termination-notice"], case="notice-too-late"),
    Mutation("RecordedChronologyShape", _chain(lambda g: redate(g, SIGNING_REPORT_DATE, "2030-03-05"),
                                               _recorded_signing_disagreement),
             SIGNING_REPORT_DATE, severity="warning"),
    Mutation("TerminationOnRenewalShape", lambda g: redate(g, B["date/coast-editorial/accord-termination"],
                                                           "2032-05-10"),
             B["date/coast-editorial/accord-termination"]),
    Mutation("BilateralPartiesShape", lambda g: g.add((ACCORD, GK.party, B["person/mara-quill"])), ACCORD,
             case="third-party"),
    Mutation("BilateralSignatoriesShape", lambda g: g.remove((REYES_SIGNS, GK.onBehalfOf, None)), REYES_SIGNS),
    Mutation("DisagreementClaimsShape",
             lambda g: g.add((B["disagreement/brandt-spelling"], GK.conflictingClaim,
                              claim(g, REPORT, ACCORD, GK.numberOfArticles))),
             B["disagreement/brandt-spelling"]),
    Mutation("DateValueShape", lambda g: g.set((EIF_DATE, GK.precision, GK.MonthPrecision)), EIF_DATE),
    # ---- generated from the ontology (vocabulary.ttl) ----
    Mutation("ComparatorShape", lambda g: g.set((claim(g, REPORT, B["group/freedonian-fishing-unions"],
                                                       GK.memberCount), GK.comparator, GK.Stated)), GK.Stated),
    Mutation("DatePrecisionShape", lambda g: g.add((GK.Exactly, RDF.type, GK.DatePrecision)), GK.Exactly),
    Mutation("DateStatusShape", lambda g: g.add((GK.Supports, RDF.type, GK.DateStatus)), GK.Supports),
    Mutation("DisagreementAspectShape", lambda g: g.set((B["disagreement/brandt-spelling"], GK.aspect, GK.Signing)),
             GK.Signing),
    Mutation("EventTypeShape", lambda g: g.add((GK.Stated, RDF.type, GK.EventType)), GK.Stated),
    Mutation("GenreShape", lambda g: g.set((REPORT, GK.genre, GK.Stated)), GK.Stated),
    Mutation("ParticipantRoleShape", lambda g: g.set((REYES_SIGNS, GK.participantRole, GK.Stated)), GK.Stated),
    Mutation("StanceShape", lambda g: g.set((B["statement/unions-welcome-accord"], GK.stance, GK.Signing)),
             GK.Signing),
    Mutation("StatementKindShape", lambda g: g.set((B["statement/unions-welcome-accord"], GK.statementKind,
                                                    GK.Opposes)), GK.Opposes),
    Mutation("ClosedVocabularyShape", lambda g: g.add((ACCORD, GK.numberOfArticle, Literal(12))), ACCORD,
             case="typo-property"),
    Mutation("ClosedVocabularyShape", lambda g: g.add((B["event/accord-signing"], GK.place, GK.PortMeridian)),
             B["event/accord-signing"], case="typo-value", also=frozenset({"PlaceShape"})),
    Mutation("FunctionalDisagreementShape", _editorial_articles("13"),
             "claim/coast-editorial/fisheries-accord/numberOfArticles/12", severity="warning"),
    Mutation("FunctionalSameSourceShape", _second_articles_claim,
             "claim/accord-report/fisheries-accord/numberOfArticles/14",
             also=frozenset({"FunctionalDisagreementShape"})),
]


@pytest.fixture(scope="module")
def built():
    return compile_corpus(FIXTURE)


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


def _copy(graph: Graph) -> Graph:
    g = Graph()
    g.addN((s, p, o, g) for s, p, o in graph)
    return g


def _local(iri: str) -> str:
    return iri[len(SHAPES_NS):] if iri.startswith(SHAPES_NS) else iri


def test_fixture_baseline_conforms(built, shapes):
    report = validate(built.graph, shapes, built.origins)
    assert report.results == []
    assert report.conforms and report.exit_code("warning") == 0


def test_every_shape_has_a_mutation_case(shapes):
    named = {_local(str(s)) for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    covered = {m.shape for m in MUTATIONS}
    assert named - covered == set(), "shapes without a mutation case"
    assert covered - named == set(), "mutation cases for shapes that do not exist"


def test_value_shapes_are_used_by_targeted_shapes(shapes):
    for m in (m for m in MUTATIONS if m.via):
        node = URIRef(SHAPES_NS + m.shape)
        assert not [p for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                    if (node, p, None) in shapes]
        assert (None, SH.node, node) in shapes


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.id)
def test_mutation_breaks_its_shape(mutation: Mutation, built, shapes, tmp_path):
    g = _copy(built.graph)
    mutation.edit(g)
    assert len(g) != len(built.graph) or set(g) != set(built.graph), "the edit changed nothing"
    report = validate(g, shapes, built.origins)
    expected = mutation.via or mutation.shape
    fired = {_local(r.shape) for r in report.results}
    assert expected in fired
    assert fired - {expected} <= mutation.also, f"unexpected shapes also fired: {fired - {expected} - mutation.also}"
    mine = [r for r in report.results if _local(r.shape) == expected]
    assert {r.severity for r in mine} == {mutation.severity}
    if mutation.via:
        assert any(r.component == str(SH.NodeConstraintComponent) for r in mine)
    if mutation.focus is not None:
        focus = mutation.focus if isinstance(mutation.focus, URIRef) else B[mutation.focus]
        assert focus in {r.focus for r in mine}, [r.focus for r in mine]
    assert all(r.messages for r in mine), "every result carries a message for curators"

    data = tmp_path / "mutated.nt"
    data.write_bytes(to_ntriples(g))
    run = CliRunner().invoke(cli, ["validate", "--data", str(data), "--format", "json"])
    assert run.exit_code == (1 if mutation.severity == "violation" else 0), run.output
    assert expected in {_local(r["shape"]) for r in json.loads(run.stdout)["results"]}
    if mutation.severity == "warning":
        strict = CliRunner().invoke(cli, ["validate", "--data", str(data), "--fail-on", "warning", "-q"])
        assert strict.exit_code == 1


def test_mutation_results_point_to_mapping_lines(built, shapes):
    g = _copy(built.graph)
    redate(g, B["date/accord-report/accord-announcement"], "2030-03-05")
    report = validate(g, shapes, built.origins)
    [result] = report.results
    assert result.origin is not None
    assert result.origin.path.endswith("mappings/report.yaml")
    line = (FIXTURE / "mappings" / "report.yaml").read_text().splitlines()[result.origin.line - 1]
    assert "on 1 March 2030" in line  # the date of the announcement, as written


def test_selector_results_map_to_their_span(built, shapes):
    g = _copy(built.graph)
    g.remove((URIRef(ARTICLES_SPAN + "/quote"), OA.prefix, None))
    report = validate(g, shapes, built.origins)
    [result] = report.results
    assert result.origin == built.origins[str(ARTICLES_SPAN)]


def test_bnode_free_fixture():
    # the mutation ids above name nodes by IRI: the fixture graph must not need blank nodes
    assert not any(isinstance(t, BNode) for triple in compile_corpus(FIXTURE).graph for t in triple)
