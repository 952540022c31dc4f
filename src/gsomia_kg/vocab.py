"""What the ontology declares: properties with their ranges, classes, and the closed lists (by notation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from gsomia_kg.namespaces import GK, PREFIXES, RDF, RDFS, SKOS

OWL = PREFIXES["owl"]


@dataclass(frozen=True)
class PropertyInfo:
    iri: str
    range: str | None
    internal: bool
    functional: bool
    datatype: bool


@dataclass
class Vocabulary:
    """The terms of the project's namespace, read from the ontology file."""

    terms: set[str] = field(default_factory=set)
    properties: dict[str, PropertyInfo] = field(default_factory=dict)  # local name -> info
    superclasses: dict[str, set[str]] = field(default_factory=dict)  # class IRI -> itself and its ancestors
    lists: dict[str, dict[str, str]] = field(default_factory=dict)  # list class local name -> notation -> IRI
    close_match: dict[str, list[str]] = field(default_factory=dict)

    def notation(self, list_name: str, key: str) -> str | None:
        return self.lists.get(list_name, {}).get(key)


@lru_cache(maxsize=4)
def load_vocabulary(path: Path) -> Vocabulary:
    """Read the ontology with pyoxigraph (fast to import and strict) into a ``Vocabulary``."""
    import pyoxigraph

    with open(path, "rb") as fh:
        triples = [(q.subject.value, q.predicate.value, q.object) for q in
                   pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE, base_iri=GK)]
    v = Vocabulary()
    types: dict[str, set[str]] = {}
    ranges: dict[str, str] = {}
    internal: set[str] = set()
    parents: dict[str, set[str]] = {}
    notations: dict[str, str] = {}
    for s, p, o in triples:
        ov = o.value
        if s.startswith(GK):
            v.terms.add(s)
        if p == RDF + "type":
            types.setdefault(s, set()).add(ov)
        elif p == RDFS + "range":
            ranges[s] = ov
        elif p == GK + "internal" and ov == "true":
            internal.add(s)
        elif p == RDFS + "subClassOf":
            parents.setdefault(s, set()).add(ov)
        elif p == SKOS + "notation":
            notations[s] = ov
        elif p == SKOS + "closeMatch":
            v.close_match.setdefault(s, []).append(ov)
    for s, ts in types.items():
        if not s.startswith(GK):
            continue
        if OWL + "ObjectProperty" in ts or OWL + "DatatypeProperty" in ts:
            rng = ranges.get(s)
            v.properties[s[len(GK):]] = PropertyInfo(
                s, rng, s in internal, OWL + "FunctionalProperty" in ts, OWL + "DatatypeProperty" in ts)
    for cls in parents.keys() | {s for s, ts in types.items() if OWL + "Class" in ts}:
        seen, todo = {cls}, [cls]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        v.superclasses[cls] = seen
    for s, key in notations.items():
        for t in types.get(s, ()):
            if t.startswith(GK):
                v.lists.setdefault(t[len(GK):], {})[key] = s
    return v
