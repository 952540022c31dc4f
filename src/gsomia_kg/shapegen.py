"""Generate ``shapes/vocabulary.ttl`` (closed lists, closed vocabulary, functional properties) from the ontology.

These shapes restate what the ontology declares, so they are generated rather than hand-written; a test checks that
the shipped file is up to date. Regenerate with ``python -m gsomia_kg.shapegen [ONTOLOGY] > shapes/vocabulary.ttl``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from gsomia_kg.namespaces import GK, PREFIXES, RDF, RDFS, SKOS

OWL = PREFIXES["owl"]

_HEADER = """\
@prefix gk: <https://w3id.org/gsomia-kg/ns#> .
@prefix gks: <https://w3id.org/gsomia-kg/shapes#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .

# GENERATED from ontology/gsomia.ttl by `python -m gsomia_kg.shapegen`: do not edit by hand (a test checks that
# this file is up to date). The closed lists, the closed vocabulary and the functional properties of the ontology.
"""


@dataclass
class _Ontology:
    terms: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)
    ranges: dict[str, str] = field(default_factory=dict)
    notations: dict[str, str] = field(default_factory=dict)


def _read(path: Path) -> _Ontology:
    import pyoxigraph as ox

    onto = _Ontology()
    with open(path, "rb") as fh:
        for q in ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri=GK):
            s, p, o = q.subject.value, q.predicate.value, q.object
            if s.startswith(GK):
                onto.terms.add(s)
            if p == RDF + "type":
                onto.types.setdefault(s, set()).add(o.value)
            elif p == RDFS + "label":
                onto.labels[s] = o.value
            elif p == RDFS + "range":
                onto.ranges[s] = o.value
            elif p == SKOS + "notation":
                onto.notations[s] = o.value
    return onto


def _local(iri: str) -> str:
    return iri[len(GK):]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _closed_lists(onto: _Ontology) -> list[str]:
    members: dict[str, list[str]] = {}
    for term in onto.notations:
        for t in onto.types.get(term, ()):
            if t.startswith(GK):
                members.setdefault(t, []).append(term)
    blocks = []
    for cls in sorted(members):
        values = sorted(members[cls])
        props = sorted(p for p, r in onto.ranges.items() if r == cls and p.startswith(GK))
        label = onto.labels.get(cls, _local(cls))
        keys = ", ".join(sorted(onto.notations[v] for v in values))
        lines = [f"gks:{_local(cls)}Shape a sh:NodeShape ;",
                 f"    sh:name {_quote(label + ' (closed list)')} ;",
                 f"    sh:description {_quote(f'The values of gk:{_local(cls)}, a closed list of the ontology.')} ;",
                 f"    sh:targetClass gk:{_local(cls)} ;"]
        if props:
            lines.append("    sh:targetObjectsOf " + ", ".join(f"gk:{_local(p)}" for p in props) + " ;")
        lines.append("    sh:in ( " + " ".join(f"gk:{_local(v)}" for v in values) + " ) ;")
        message = f"Not in the closed list of {label} values (gk:{_local(cls)}): use one of {keys}."
        lines.append(f"    sh:message {_quote(message)} .")
        blocks.append("\n".join(lines))
    return blocks


def _sparql_shape(name: str, title: str, description: str, target: str, message: str, select: str,
                  severity: str | None = None) -> str:
    lines = [f"gks:{name} a sh:NodeShape ;",
             f"    sh:name {_quote(title)} ;",
             f"    sh:description {_quote(description)} ;",
             f"    {target} ;"]
    if severity:
        lines.append(f"    sh:severity {severity} ;")
    lines += [f"    sh:message {_quote(message)} ;",
              "    sh:sparql [",
              "        a sh:SPARQLConstraint ;",
              "        sh:prefixes <https://w3id.org/gsomia-kg/shapes> ;",
              f'        sh:select """\n{select.strip()}\n""" ] .']
    return "\n".join(lines)


def _iri_list(iris: list[str], per_line: int = 6) -> str:
    names = [f"gk:{_local(i)}" for i in iris]
    rows = [", ".join(names[i:i + per_line]) for i in range(0, len(names), per_line)]
    return (",\n    ").join(rows)


def _alternatives(iris: list[str]) -> str:
    """Local names as one regex alternation (a long string literal parses far faster than a long IN list)."""
    return "|".join(_local(i) for i in iris)


def _closed_vocabulary(onto: _Ontology) -> str:
    select = f"""
SELECT $this ?path ?value WHERE {{
  {{
    $this ?path ?value .
    FILTER(isIRI(?value))
  }} UNION {{
    $this ?path ?object .
    BIND(?path AS ?value)
  }}
  FILTER(STRSTARTS(STR(?value), "{GK}")
         && !REGEX(STRAFTER(STR(?value), "#"), "^({_alternatives(sorted(onto.terms))})$"))
}}"""
    return _sparql_shape(
        "ClosedVocabularyShape", "closed vocabulary",
        "Every term of the gk: namespace used in the data (as a property, a class or a value) is declared in the "
        "ontology: this catches typos that plain SHACL lets through. Every node the compiler writes is typed, so "
        "the typed nodes are the focus nodes. The declared local names are listed as one regular expression.",
        "sh:targetSubjectsOf rdf:type",
        "{?value} is not declared in the gsomia-kg ontology (a typo, or a renamed or removed term): use a declared "
        "term, or declare it in ontology/gsomia.ttl.",
        select)


def _functional(onto: _Ontology) -> list[str]:
    functional = sorted(p for p, ts in onto.types.items() if OWL + "FunctionalProperty" in ts and p.startswith(GK))
    pattern = """
SELECT $this ?path ?value ?property ?otherValue ?otherSource{extra} WHERE {{
  $this a gk:Claim ;
        rdf:subject ?subject ;
        rdf:predicate ?path ;
        rdf:object ?value ;
        gk:accordingTo ?source .
  FILTER(?path IN (
    {props}))
  ?other a gk:Claim ;
         rdf:subject ?subject ;
         rdf:predicate ?path ;
         rdf:object ?otherValue ;
         gk:accordingTo ?otherClaimSource .
  FILTER(!sameTerm(?value, ?otherValue) && {same}sameTerm(?source, ?otherClaimSource))
  BIND(STRAFTER(STR(?path), "#") AS ?property)
  BIND(STRAFTER(STR(?otherClaimSource), "/source/") AS ?otherSource){bind}
}}"""
    props = _iri_list(functional)
    recorded = ('\n  BIND(IF(EXISTS { ?disagreement gk:conflictingClaim $this, ?other }, "recorded as a disagreement",'
                '\n          "not recorded yet: add a disagreements: entry") AS ?recorded)')
    warning = _sparql_shape(
        "FunctionalDisagreementShape", "sources disagree on a functional property",
        "A property the ontology declares functional (one value per subject) has different values in different "
        "sources. This is reported as a warning, not a violation: the graph keeps each source's claim, and the "
        "difference is a disagreement to record, not an error to fix.",
        "sh:targetClass gk:Claim",
        "Sources disagree on {?property}: this claim gives {?value}, {?otherSource} gives {?otherValue} ({?recorded}).",
        pattern.format(extra=" ?recorded", props=props, same="!", bind=recorded),
        severity="sh:Warning")
    violation = _sparql_shape(
        "FunctionalSameSourceShape", "one source gives two values of a functional property",
        "A property the ontology declares functional (one value per subject) has two different values in claims of "
        "the same source: one of the two facts is a curation error.",
        "sh:targetClass gk:Claim",
        "The same source gives two values of {?property} (one value per subject): {?value} here and {?otherValue} in "
        "another claim. Keep the value the text states.",
        pattern.format(extra="", props=props, same="", bind=""))
    return [warning, violation]


def generate(ontology: Path | None = None) -> str:
    """The text of ``shapes/vocabulary.ttl`` for an ontology file (default: the shipped one)."""
    from gsomia_kg.resources import ontology_file

    onto = _read(ontology or ontology_file())
    blocks = [*_closed_lists(onto), _closed_vocabulary(onto), *_functional(onto)]
    return _HEADER + "\n" + "\n\n".join(blocks) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    sys.stdout.write(generate(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
