"""The named queries on the shipped corpus: the exact rows each must return, checked by hand against the five
articles in corpus/documents (000 editorial-counter-nk-threat, 001 defence-notes-share-intelligence, 002
seouls-renewed-interest, 003 editorial-rethink-termination, 004 joongang-sign-intel-pact), and one answer from both
engines. The comment above each expectation says where in the articles it was checked."""

from __future__ import annotations

import pytest

from gsomia_kg.query import load_graph, named_queries, run_query
from support import SHIPPED

ED0, DN1, SRI2, ED3, JA4 = ("editorial-counter-nk-threat", "defence-notes-share-intelligence",
                            "seouls-renewed-interest", "editorial-rethink-termination", "joongang-sign-intel-pact")
DOCS = {ED0: "000_e68687a307cabf69.txt", DN1: "001_ce9979a848292ed9.txt", SRI2: "002_be4077caa16a753e.txt",
        ED3: "003_376fb02e87b22762.txt", JA4: "004_3196362280303adf.txt"}
ID = "https://w3id.org/gsomia-kg/id/"


@pytest.fixture(scope="module")
def graph():
    return load_graph(corpus=SHIPPED, use_cache=False)


@pytest.fixture(scope="module")
def text():
    return {s: (SHIPPED / "documents" / f).read_text(encoding="utf-8") for s, f in DOCS.items()}


def rows(graph, name: str, columns: list[str] | None = None, **params) -> list[tuple[str, ...]]:
    result = run_query(name=name, params=params, graph=graph)
    index = [result.variables.index(c) for c in columns or result.variables]
    return [tuple("" if row[i] is None else row[i].value for i in index) for row in result.rows]


@pytest.fixture(scope="module")
def rdflib_graph():
    return load_graph(corpus=SHIPPED, engine="rdflib", use_cache=False)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_both_engines_give_one_answer_on_the_shipped_corpus(name, graph, rdflib_graph):
    assert run_query(name=name, graph=graph) == run_query(name=name, graph=rdflib_graph)


def test_timeline(graph):
    # 001 "from 1910-45"; 003 "a 1965 bilateral agreement"; 000/004/002 the 2012 attempt ("in 2012", "close to sealing
    # a deal in 2012", "drafted ... in 2012"); its abandonment: 001 "delayed since 2012", 004 "fell apart" (2012),
    # 000/002 inferred from the attempt's year; 001/000 2014 and 004 "since December 2014"; 002 "this year alone"
    # (2016, the article states no year); 004 "Oct. 27"; 003 "in November 2016"; 002 "on November 11" and "next
    # week"; 004 "the previous week", "Tuesday", "on the same day", "as it took place", "Wednesday", "on Wednesday
    # in Seoul", "next Wednesday"; 001 "went into immediate effect", "on 23 November" (year from its dateline);
    # 000 "came into force on Nov. 23"; 003 "last year", "over the past 14 months", "in July", "recent", "in recent
    # weeks", the decision (no words), "the Saturday deadline", "would take effect in November".
    assert rows(graph, "timeline", ["date", "status", "event", "asWritten", "source"]) == [
        ("1910-01-01/1945-12-31", "stated", "japanese-colonial-rule", "from 1910-45", DN1),
        ("1965", "stated", "claims-agreement-1965-conclusion", "1965", ED3),
        ("2012", "stated", "attempt-2012", "in 2012", ED0),
        ("2012", "stated", "attempt-2012", "in 2012", JA4),
        ("2012", "stated", "attempt-2012", "in 2012", SRI2),
        ("2012", "stated", "abandonment-2012", "since 2012", DN1),
        ("2012", "inferred", "abandonment-2012", "in 2012", ED0),
        ("2012", "stated", "abandonment-2012", "in 2012", JA4),
        ("2012", "inferred", "abandonment-2012", "in 2012", SRI2),
        ("2014", "stated", "trilateral-arrangement-2014-established", "in 2014", DN1),
        ("2014", "stated", "trilateral-arrangement-2014-established", "in 2014", ED0),
        ("2014-12", "stated", "trilateral-arrangement-2014-established", "December 2014", JA4),
        ("2016", "inferred", "north-korea-missile-tests-2016", "this year alone", SRI2),
        ("2016", "inferred", "north-korea-nuclear-tests-2016", "this year alone", SRI2),
        ("2016-10-27", "inferred", "resumption-announcement-2016", "Oct. 27", JA4),
        ("2016-11", "stated", "signing-2016", "November 2016", ED3),
        ("2016-11-11", "inferred", "mnd-announcement-2016-11", "November 11", SRI2),
        ("2016-11-14/2016-11-20", "inferred", "preliminary-signing-2016", "the previous week", JA4),
        ("2016-11-14/2016-11-20", "inferred", "signing-2016", "next week", SRI2),
        ("2016-11-22", "inferred", "endorsement-2016", "Tuesday", JA4),
        ("2016-11-22", "inferred", "entry-into-force-2016", "on the same day", JA4),
        ("2016-11-23", "inferred", "civic-protest-mnd-2016-11-23", "as it took place", JA4),
        ("2016-11-23", "inferred", "entry-into-force-2016", "went into immediate effect", DN1),
        ("2016-11-23", "inferred", "entry-into-force-2016", "Nov. 23", ED0),
        ("2016-11-23", "inferred", "park-won-soon-ytn-interview-2016", "Wednesday", JA4),
        ("2016-11-23", "inferred", "signing-2016", "on 23 November", DN1),
        ("2016-11-23", "inferred", "signing-2016", "on Wednesday in Seoul", JA4),
        ("2016-11-30", "inferred", "dismissal-motion-han-min-koo-2016", "next Wednesday", JA4),
        ("2018", "inferred", "wartime-labor-court-rulings-2018", "last year", ED3),
        ("2018-06-12/2019-06-30", "inferred", "kim-trump-summits", "over the past 14 months", ED3),
        ("2019-07", "inferred", "south-korean-tourists-decline-2019-07", "in July", ED3),
        ("2019-07-01/2019-08-02", "inferred", "japan-export-controls-2019", "recent", ED3),
        ("2019-07-25/2019-08-24", "inferred", "north-korea-missile-launches-2019", "in recent weeks", ED3),
        ("2019-08-22", "inferred", "termination-decision-2019", "", ED3),
        ("2019-08-24", "inferred", "gsomia-termination-notice-deadline-2019", "the Saturday deadline", ED3),
        ("2019-11", "inferred", "gsomia-termination-2019", "in November", ED3),
    ]


def test_events_between(graph):
    # November 2016: the year-precision 2016 tests of 002 only overlap the month; everything else lies within it
    got = rows(graph, "events-between", ["date", "fit", "event", "source", "from", "to"], **{"from": "2016-11",
                                                                                              "to": "2016-11"})
    assert {r[4:] for r in got} == {("2016-11-01", "2016-11-30")}
    assert [r[:4] for r in got] == [
        ("2016", "overlaps", "north-korea-missile-tests-2016", SRI2),
        ("2016", "overlaps", "north-korea-nuclear-tests-2016", SRI2),
        ("2016-11", "within", "signing-2016", ED3),
        ("2016-11-11", "within", "mnd-announcement-2016-11", SRI2),
        ("2016-11-14/2016-11-20", "within", "preliminary-signing-2016", JA4),
        ("2016-11-14/2016-11-20", "within", "signing-2016", SRI2),
        ("2016-11-22", "within", "endorsement-2016", JA4),
        ("2016-11-22", "within", "entry-into-force-2016", JA4),
        ("2016-11-23", "within", "civic-protest-mnd-2016-11-23", JA4),
        ("2016-11-23", "within", "entry-into-force-2016", DN1),
        ("2016-11-23", "within", "entry-into-force-2016", ED0),
        ("2016-11-23", "within", "park-won-soon-ytn-interview-2016", JA4),
        ("2016-11-23", "within", "signing-2016", DN1),
        ("2016-11-23", "within", "signing-2016", JA4),
        ("2016-11-30", "within", "dismissal-motion-han-min-koo-2016", JA4),
    ]


def test_who_said_what(graph, text):
    # 004: the two quotes of "Moon Sang-gyun, spokesman of the Defense Ministry"; 002: "said Moon Sang-kyun, a
    # Defense Ministry spokesman" (two rounds), the paraphrased nuclear threat and "the GSOMIA is a necessity", and
    # "Moon added" (increasing need); in each article's order.
    got = rows(graph, "who-said-what", ["who", "office", "stance", "kind", "words", "source"], speaker="moon-sang-kyun")
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in got] == [
        ("Moon Sang-kyun", "Defense Ministry spokesman", "supports", "direct quote", JA4),
        ("Moon Sang-kyun", "Defense Ministry spokesman", "supports", "direct quote", JA4),
        ("Moon Sang-kyun", "Defense Ministry spokesman", "explains", "direct quote", SRI2),
        ("Moon Sang-kyun", "Defense Ministry spokesman", "concerned", "paraphrase", SRI2),
        ("Moon Sang-kyun", "Defense Ministry spokesman", "supports", "paraphrase", SRI2),
        ("Moon Sang-kyun", "Defense Ministry spokesman", "supports", "direct quote", SRI2),
    ]
    words = [r[4] for r in got]
    assert words[0].startswith("Through the signing of the agreement") and words[1].startswith("It will elevate")
    assert words[2].startswith("Based on the discussions in 2012") and words[4] == "the GSOMIA is a necessity"
    positions = [text[r[5]].index(r[4]) for r in got]
    assert positions[:2] == sorted(positions[:2]) and positions[2:] == sorted(positions[2:])  # article order


def test_stances(graph):
    # Each line checked against the statement's words: 004 civic groups ("increase security tensions", "a new Cold
    # War"), students ("demanding the GSOMIA is withdrawn", anger at the administration), the official's two quotes,
    # Park Won-soon, the opposition ("scrapped", "distract"), MND ("help deter"), Moon's two quotes; 001 Geng Shuang's
    # two quotes, KCNA ("blasted", its editorial), Kishida; 002 the public ("secretive negotiation", "sour view"),
    # lawmakers and civic groups ("avert public attention", Abe's apology), MND ("will finalize", "transparent and
    # open"), Moon, the military's hopes; 000 its own voice (significance, headline, speed up, complement, unchanged
    # usefulness, take root / maintain, enforce), the opposition ("major military power") and the legislators
    # ("ditching the pact"); 003 its own voice ("landmark agreement"), Seoul ("national interests"), Suga
    # (contributed to peace / urged to extend, "areas that require collaboration").
    assert rows(graph, "stances", ["stance", "who", "source", "statements"], about="gsomia-2016") == [
        ("concerned", "About a dozen civic organizations that protested the GSOMIA signing in front of the Defense "
                      "Ministry", JA4, "2"),
        ("explains", "Ministry of National Defense (South Korea)", SRI2, "1"),
        ("explains", "Moon Sang-kyun", SRI2, "1"),
        ("explains", "Unnamed Korean defense official", JA4, "2"),
        ("opposes", "College students who protested the GSOMIA in front of the Defense Ministry", JA4, "2"),
        ("opposes", "Geng Shuang", DN1, "2"),
        ("opposes", "Korean Central News Agency", DN1, "2"),
        ("opposes", "Park Won-soon", JA4, "1"),
        ("opposes", "South Korea", ED3, "2"),
        ("opposes", "South Korean civic groups", SRI2, "2"),
        ("opposes", "South Korean lawmakers", SRI2, "2"),
        ("opposes", "South Korean opposition parties", ED0, "1"),
        ("opposes", "South Korean opposition parties", JA4, "2"),
        ("opposes", "The South Korean public", SRI2, "2"),
        ("supports", "(the article itself)", ED0, "6"),
        ("supports", "(the article itself)", ED3, "1"),
        ("supports", "Fumio Kishida", DN1, "1"),
        ("supports", "Ministry of National Defense (South Korea)", JA4, "1"),
        ("supports", "Ministry of National Defense (South Korea)", SRI2, "1"),
        ("supports", "Moon Sang-kyun", JA4, "2"),
        ("supports", "Moon Sang-kyun", SRI2, "2"),
        ("supports", "South Korean military", SRI2, "1"),
        ("supports", "Yoshihide Suga", ED3, "1"),
        ("urges", "(the article itself)", ED0, "2"),
        ("urges", "South Korean opposition party legislators calling for the GSOMIA to be ditched", ED0, "1"),
        ("urges", "Yoshihide Suga", ED3, "2"),
    ]


def test_agreement(graph):
    # Names and parties: all five articles ("General Security of Military Information Agreement (GSOMIA)", Japan and
    # South Korea). Signatories: 004 "signed off between Minister of National Defense Han Min-koo and Japanese
    # Ambassador to Korea Yasumasa Nagamine"; 000 "The president signed the pact"; 001 "Japan and South Korea
    # signed". Dates as in the timeline; place: 004 "at the Defense Ministry complex in Yongsan District".
    got = rows(graph, "agreement", ["section", "item", "value", "detail", "sources", "according"])
    all5 = ", ".join(sorted(DOCS))
    assert got[:29] == [
        ("name", "also known as", "GSOMIA", "", "5", all5),
        ("name", "also known as", "General Security of Military Information Agreement", "", "5", all5),
        ("parties", "party", "Japan", "", "5", all5),
        ("parties", "party", "South Korea", "", "5", all5),
        ("signatories", "signatory", "Han Min-koo", "Minister of National Defense", "1", JA4),
        ("signatories", "signatory", "Japan", "", "1", DN1),
        ("signatories", "signatory", "Park Geun-hye", "President of South Korea", "1", ED0),
        ("signatories", "signatory", "South Korea", "", "1", DN1),
        ("signatories", "signatory", "Yasumasa Nagamine", "Ambassador of Japan to South Korea", "1", JA4),
        ("signatories", "signed", "Han Min-koo", "Minister of National Defense, for South Korea", "1", JA4),
        ("signatories", "signed", "Japan", "", "1", DN1),
        ("signatories", "signed", "Park Geun-hye", "President of South Korea, for South Korea", "1", ED0),
        ("signatories", "signed", "South Korea", "", "1", DN1),
        ("signatories", "signed", "Yasumasa Nagamine", "Ambassador of Japan to South Korea, for Japan", "1", JA4),
        ("dates", "abandonment", "2012", "inferred", "2", f"{ED0}, {SRI2}"),
        ("dates", "abandonment", "2012", "stated", "2", f"{DN1}, {JA4}"),
        ("dates", "negotiation", "2012", "stated", "3", f"{ED0}, {JA4}, {SRI2}"),
        ("dates", "negotiation resumption", "2016-10-27", "inferred", "1", JA4),
        ("dates", "signing", "2016-11", "stated", "1", ED3),
        ("dates", "preliminary signing", "2016-11-14/2016-11-20", "inferred", "1", JA4),
        ("dates", "signing", "2016-11-14/2016-11-20", "inferred", "1", SRI2),
        ("dates", "endorsement", "2016-11-22", "inferred", "1", JA4),
        ("dates", "entry into force", "2016-11-22", "inferred", "1", JA4),
        ("dates", "entry into force", "2016-11-23", "inferred", "2", f"{DN1}, {ED0}"),
        ("dates", "signing", "2016-11-23", "inferred", "2", f"{DN1}, {JA4}"),
        ("dates", "termination decision", "2019-08-22", "inferred", "1", ED3),
        ("dates", "termination notice", "2019-08-24", "inferred", "1", ED3),
        ("dates", "termination", "2019-11", "inferred", "1", ED3),
        ("places", "signing", "Ministry of National Defense complex, Yongsan District, Seoul", "", "1", JA4),
    ]
    # Terms: 004 "The 21-article agreement", "at least one year", "within 90 days", "extended for another year",
    # "the principle of reciprocity", "with the exception of top-level secrets"; 003 "at least 90 days", "renewed each
    # year"; 000 "automatically renewed annually", "does not obligate the parties"; 004 "not like we will be offering
    # unlimited information".
    terms = [r for r in got if r[0] == "terms"]
    for expected in [("terms", "numberOfArticles", "21", "exactly", "1", JA4),
                     ("terms", "minimumDuration", "P1Y", "", "1", JA4),
                     ("terms", "noticePeriod", "P90D", "", "2", f"{ED3}, {JA4}"),
                     ("terms", "renewalPeriod", "P1Y", "", "3", f"{ED0}, {ED3}, {JA4}"),
                     ("terms", "automaticRenewal", "true", "", "3", f"{ED0}, {ED3}, {JA4}"),
                     ("terms", "obligatesSharing", "false", "", "2", f"{ED0}, {JA4}"),
                     ("terms", "reciprocal", "true", "", "1", JA4),
                     ("terms", "excludes", "Top-level secrets", "", "1", JA4)]:
        assert expected in terms
    assert [r[1] for r in terms] == sorted(r[1] for r in terms)


def test_entity(graph):
    # 004 only: "Minister of National Defense Han Min-koo" and "Defense Minister Han"; he signed the pact (for South
    # Korea) and is the target of the opposition's "joint motion next Wednesday for the dismissal of Defense
    # Minister Han".
    assert rows(graph, "entity", ["relation", "value", "source"], entity="han-min-koo") == [
        ("holdsRole", "Han Min-koo, Minister of National Defense of South Korea", "(register)"),
        ("prefLabel", "Han Min-koo", "(register)"),
        ("type", "Person", "(register)"),
        ("mentionedAs", "Han", JA4),
        ("mentionedAs", "Han Min-koo", JA4),
        ("^signatory", "Japan–South Korea General Security of Military Information Agreement (GSOMIA)", JA4),
        ("took part as signatory", "Signing of the Japan–South Korea GSOMIA", JA4),
        ("took part as target", "Opposition parties' planned joint motion for the dismissal of Defense Minister Han "
                                "Min-koo", JA4),
        ("statement about it (opposes)", "South Korean opposition parties: plan to raise a joint motion next "
                                         "Wednesday for the dismissal of Defense Minister Han", JA4),
    ]


def test_evidence(graph, text):
    # The signing date in each source: 003 "in November 2016"; 002 "next week" after the 11 November announcement;
    # 001 "on 23 November"; 004 "on Wednesday in Seoul" and the signing-off sentence.
    got = rows(graph, "evidence", ["relation", "value", "source", "position", "quote"], entity="signing-2016",
               property="date")
    assert [(r[1], r[2], r[3], r[4]) for r in got] == [
        ("2016-11 (stated)", ED3, "502-627", "The General Security of Military Information Agreement (GSOMIA) was "
                                             "concluded between Japan and South Korea in November 2016."),
        ("2016-11 (stated)", ED3, "613-626", "November 2016"),
        ("2016-11-14/2016-11-20 (inferred)", SRI2, "2575-2708", "When the two nations finalize the agreement next "
         "week, Japan will become the twenty-fifth country to sign the GSOMIA with South Korea"),
        ("2016-11-14/2016-11-20 (inferred)", SRI2, "2619-2628", "next week"),
        ("2016-11-23 (inferred)", DN1, "124-221", "Neighbours Japan and South Korea signed a military "
                                                  "intelligence-sharing agreement on 23 November."),
        ("2016-11-23 (inferred)", DN1, "206-220", "on 23 November"),
        ("2016-11-23 (inferred)", JA4, "190-285", "Korea and Japan signed an agreement facilitating the bilateral "
                                                  "sharing of military intelligence"),
        ("2016-11-23 (inferred)", JA4, "328-349", "on Wednesday in Seoul"),
        ("2016-11-23 (inferred)", JA4, "497-678", "was signed off between Minister of National Defense Han Min-koo "
         "and Japanese Ambassador to Korea Yasumasa Nagamine at the Defense Ministry complex in Yongsan District, "
         "central Seoul"),
    ]
    assert {r[0] for r in got} == {"date"}
    for _, _, source, position, quote in got:
        start, end = map(int, position.split("-"))
        assert text[source][start:end] == quote


def test_disagreements(graph, text):
    # Checked against corpus/disagreements.yaml's notes and the articles: 001 "33 different countries", 000 "over 30
    # countries", 002 "the twenty-fifth country"; "Moon Sang-kyun" (and "Moon added") in 002, "Moon Sang-gyun" in 004;
    # entry into force 23 November (001 "immediate effect", 000 "Nov. 23") vs 004 "on the same day" as the Tuesday
    # endorsement; who signed (004 Han and Nagamine, 000 "The president", 001 the two states); the forecast "next
    # week" (002) vs 23 November; the reasons given for 2012 and for the 2016 opposition; 2014 vs December 2014.
    got = rows(graph, "disagreements", ["disagreement", "aspect", "source", "says", "quote"])
    says = list(dict.fromkeys(r[:4] for r in got))
    assert says == [
        ("entry-into-force-date", "date", DN1, "2016-11-23 (inferred)"),
        ("entry-into-force-date", "date", ED0, "2016-11-23 (inferred)"),
        ("entry-into-force-date", "date", JA4, "2016-11-22 (inferred)"),
        ("gsomia-signatories", "legal stage", DN1, "Japan"),
        ("gsomia-signatories", "legal stage", DN1, "South Korea"),
        ("gsomia-signatories", "legal stage", ED0, "Park Geun-hye"),
        ("gsomia-signatories", "legal stage", JA4, "Han Min-koo"),
        ("gsomia-signatories", "legal stage", JA4, "Yasumasa Nagamine"),
        ("moon-spokesman-name-spelling", "spelling", JA4, "Moon Sang-gyun"),
        ("moon-spokesman-name-spelling", "spelling", SRI2, "Moon"),
        ("moon-spokesman-name-spelling", "spelling", SRI2, "Moon Sang-kyun"),
        ("opposition-reasons-2016", "reason", ED0, "helping Japan become a major military power"),
        ("opposition-reasons-2016", "reason", JA4, "the rushed effort to seal the deal is a sign that it is being "
         "used as a means by which to distract from the ongoing influence-peddling scandal surrounding the "
         "president"),
        ("opposition-reasons-2016", "reason", SRI2, "Prime Minister Shinzo Abe has failed to deliver a sincere "
         "apology for Japan’s crimes during World War II in Korea"),
        ("opposition-reasons-2016", "reason", SRI2, "the renewed drive for the agreement is an attempt to avert "
         "public attention from the political turmoil precipitated by President Park and Choi Soon-sil"),
        ("reasons-2012-attempt-failed", "reason", DN1, "stiff opposition from political opponents and a large "
                                                       "proportion of the public"),
        ("reasons-2012-attempt-failed", "reason", ED0, "opposition from the South Korean public"),
        ("reasons-2012-attempt-failed", "reason", JA4, "anti-Japanese sentiment"),
        ("reasons-2012-attempt-failed", "reason", JA4, "concerns that it would alienate China"),
        ("reasons-2012-attempt-failed", "reason", JA4, "public outcry in Seoul against the secretive nature of the "
                                                       "negotiations"),
        ("reasons-2012-attempt-failed", "reason", SRI2, "nationwide resistance to military cooperation with Japan"),
        ("reasons-2012-attempt-failed", "reason", SRI2, "the South Korean public’s negative perception of the pact "
                                                        "as a “secretive negotiation”"),
        ("signing-date-forecast", "date", DN1, "2016-11-23 (inferred)"),
        ("signing-date-forecast", "date", JA4, "2016-11-23 (inferred)"),
        ("signing-date-forecast", "date", SRI2, "2016-11-14/2016-11-20 (inferred)"),
        ("south-korea-gsomia-partner-count", "count", DN1, "exactly 33"),
        ("south-korea-gsomia-partner-count", "count", ED0, "more than 30"),
        ("south-korea-gsomia-partner-count", "count", SRI2, "exactly 25"),
        ("trilateral-arrangement-date-precision", "date", DN1, "2014 (stated)"),
        ("trilateral-arrangement-date-precision", "date", ED0, "2014 (stated)"),
        ("trilateral-arrangement-date-precision", "date", JA4, "2014-12 (stated)"),
        ("who-signed-the-gsomia", "legal stage", DN1, "Japan (signatory)"),
        ("who-signed-the-gsomia", "legal stage", DN1, "South Korea (signatory)"),
        ("who-signed-the-gsomia", "legal stage", ED0, "Japan (party)"),
        ("who-signed-the-gsomia", "legal stage", ED0, "Park Geun-hye (signatory)"),
        ("who-signed-the-gsomia", "legal stage", ED0, "South Korea (party)"),
        ("who-signed-the-gsomia", "legal stage", JA4, "Han Min-koo (signatory)"),
        ("who-signed-the-gsomia", "legal stage", JA4, "Yasumasa Nagamine (signatory)"),
    ]
    for _, _, source, _, quote in got:
        assert quote in text[source]
    counts = [r[4] for r in got if r[0] == "south-korea-gsomia-partner-count"]
    assert counts == ["Seoul now has intelligence sharing agreements with 33 different countries",
                      "South Korea had concluded such a pact with over 30 countries including Russia",
                      "Japan will become the twenty-fifth country to sign the GSOMIA with South Korea"]


def test_name_variants(graph):
    # 004 "Moon Sang-gyun, spokesman of the Defense Ministry"; 002 "said Moon Sang-kyun" and "Moon added"
    assert rows(graph, "name-variants", entity="moon-sang-kyun") == [
        ("Moon Sang-kyun", "Moon", SRI2, "1", ID + "person/moon-sang-kyun"),
        ("Moon Sang-kyun", "Moon Sang-gyun", JA4, "1", ID + "person/moon-sang-kyun"),
        ("Moon Sang-kyun", "Moon Sang-kyun", SRI2, "1", ID + "person/moon-sang-kyun"),
    ]


def test_sources(graph):
    # 001 "DN - Defence Notes", "by Gordon Arthur", "24th November 2016 - 10:11 GMT"; 000 a headline with its
    # "Editorial:" rubric and nothing else; 003 no headline line at all, editorial voice ("We urge"); 004 "with the
    # Korea JoongAng Daily", no byline or date; 002 a headline only.
    got = rows(graph, "sources")
    assert [r[:6] for r in got] == [
        (DN1, "news report", "Japan and Korea to share intelligence", "Defence Notes", "Gordon Arthur",
         "2016-11-24T10:11:00Z (stated)"),
        (ED0, "editorial", "Editorial: Japan-S. Korea intelligence pact will help counter N. Korea nuclear threat",
         "(not stated)", "(not stated)", "(not stated)"),
        (ED3, "editorial", "(not stated)", "(not stated)", "(not stated)", "(not stated)"),
        (JA4, "news report", "Seoul and Tokyo sign intel-sharing pact to defend against Pyongyang",
         "Korea JoongAng Daily", "(not stated)", "(not stated)"),
        (SRI2, "news report", "Seoul’s Renewed Interest in Intelligence Sharing with Tokyo", "(not stated)",
         "(not stated)", "(not stated)"),
    ]
    totals = run_query("SELECT (COUNT(?c) AS ?claims) WHERE { ?c a gk:Claim }", graph=graph).rows[0][0].value
    assert sum(int(r[6]) for r in got) == int(totals)
    assert all(int(v) > 0 for r in got for v in r[6:])


def test_inferred_dates(graph, text):
    # Every row of the timeline marked inferred, plus the dated statements (004 Park Won-soon "Wednesday", 002 the
    # ministry's announcement "on November 11"); the words as written are all in their article.
    got = rows(graph, "inferred-dates", ["source", "dates", "asWritten", "resolved"])
    assert got == [
        (DN1, "Entry into force of the GSOMIA", "went into immediate effect", "2016-11-23"),
        (DN1, "Signing of the Japan–South Korea GSOMIA", "on 23 November", "2016-11-23"),
        (ED0, "Signing of the 2012 GSOMIA called off", "in 2012", "2012"),
        (ED0, "Entry into force of the GSOMIA", "Nov. 23", "2016-11-23"),
        (ED3, "South Korean court rulings ordering Japanese companies to compensate Korean wartime laborers",
         "last year", "2018"),
        (ED3, "Summits between Kim Jong Un and Donald Trump (2018–2019)", "over the past 14 months",
         "2018-06-12/2019-06-30"),
        (ED3, "Fall in the number of South Korean tourists to Japan in July 2019", "in July", "2019-07"),
        (ED3, "Japan's tightening of its controls on exports to South Korea", "recent", "2019-07-01/2019-08-02"),
        (ED3, "North Korea's repeated launches of a new type of short-range ballistic missile (summer 2019)",
         "in recent weeks", "2019-07-25/2019-08-24"),
        (ED3, "South Korea's decision to end the GSOMIA", "", "2019-08-22"),
        (ED3, "Deadline for South Korea to notify Japan of its intention to end the GSOMIA (90 days before renewal)",
         "the Saturday deadline", "2019-08-24"),
        (ED3, "Termination of the GSOMIA (planned to take effect in November 2019)", "in November", "2019-11"),
        (JA4, "South Korea announces the resumption of GSOMIA negotiations", "Oct. 27", "2016-10-27"),
        (JA4, "Preliminary signing of the GSOMIA", "the previous week", "2016-11-14/2016-11-20"),
        (JA4, "Endorsement of the GSOMIA by the South Korean cabinet and President Park Geun-hye", "Tuesday",
         "2016-11-22"),
        (JA4, "Entry into force of the GSOMIA", "on the same day", "2016-11-22"),
        (JA4, "Civic organizations' protest against the GSOMIA signing in front of the Defense Ministry",
         "as it took place", "2016-11-23"),
        (JA4, "Seoul Mayor Park Won-soon's radio interview with YTN on the GSOMIA", "Wednesday", "2016-11-23"),
        (JA4, "Signing of the Japan–South Korea GSOMIA", "on Wednesday in Seoul", "2016-11-23"),
        (JA4, "statement: There are political motivations amid the scandal involving Choi Soon-sil monopolizing "
              "state affairs", "Wednesday", "2016-11-23"),
        (JA4, "Opposition parties' planned joint motion for the dismissal of Defense Minister Han Min-koo",
         "next Wednesday", "2016-11-30"),
        (SRI2, "Signing of the 2012 GSOMIA called off", "in 2012", "2012"),
        (SRI2, "North Korea's ballistic missile tests of 2016", "this year alone", "2016"),
        (SRI2, "North Korea's nuclear tests of 2016", "this year alone", "2016"),
        (SRI2, "South Korea's defense ministry announces it will finalize the GSOMIA", "November 11", "2016-11-11"),
        (SRI2, "statement: it will finalize an agreement to share military information with Japan", "November 11",
         "2016-11-11"),
        (SRI2, "Signing of the Japan–South Korea GSOMIA", "next week", "2016-11-14/2016-11-20"),
    ]
    for source, _, written, _ in got:
        assert written in text[source]
    reasoning = rows(graph, "inferred-dates", ["reasoning"])
    assert all(r[0] for r in reasoning), "every inferred date carries its reasoning"
