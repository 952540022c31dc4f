"""JSON-LD people can read: the shipped @context, a deterministic compacted writer and a framed, nested view.

No JSON-LD library is needed at run time: the writer compacts against the shipped context itself (which it can do
exactly, since it knows every term), inlines the part of the context the document uses (so expansion needs no
network), sorts nodes by ``@id``, values by their N-Triples form and keys alphabetically, and keeps every literal's
lexical form as a string (no JSON numbers or booleans). Data IRIs under the corpus base are written relative to an
``@base`` in the context.

Regenerate the shipped context after changing the ontology: ``python -m gsomia_kg.jsonld``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

from gsomia_kg.errors import GsomiaError, Problem
from gsomia_kg.namespaces import GK, OA, PREFIXES, RDF, RDFS, SCHEMA, SKOS, TIME, XSD

CONTEXT_NAME = "gsomia.context.jsonld"
FRAMES = {"agreement": "agreement.frame.jsonld"}
RDF_TYPE, XSD_STRING = RDF + "type", XSD + "string"
_ID, _LANG = {"@type": "@id"}, {"@language": "en"}
# terms for common non-gk properties and classes: (term, IRI, coercion); gk: local names win on collision
EXTERNAL_TERMS: list[tuple[str, str, dict]] = [
    ("label", RDFS + "label", _LANG), ("comment", RDFS + "comment", _LANG),
    ("prefLabel", SKOS + "prefLabel", _LANG), ("altLabel", SKOS + "altLabel", _LANG),
    ("exactMatch", SKOS + "exactMatch", _ID), ("closeMatch", SKOS + "closeMatch", _ID),
    ("subject", RDF + "subject", _ID), ("predicate", RDF + "predicate", _ID), ("object", RDF + "object", {}),
    ("text", SCHEMA + "text", {}),
    ("hasSource", OA + "hasSource", _ID), ("hasSelector", OA + "hasSelector", _ID),
    ("exact", OA + "exact", {}), ("prefix", OA + "prefix", {}), ("suffix", OA + "suffix", {}),
    ("start", OA + "start", {"@type": "xsd:nonNegativeInteger"}),
    ("end", OA + "end", {"@type": "xsd:nonNegativeInteger"}),
    ("inXSDDate", TIME + "inXSDDate", {"@type": "xsd:date"}),
    ("inXSDgYear", TIME + "inXSDgYear", {"@type": "xsd:gYear"}),
    ("inXSDgYearMonth", TIME + "inXSDgYearMonth", {"@type": "xsd:gYearMonth"}),
    ("inXSDDateTimeStamp", TIME + "inXSDDateTimeStamp", {"@type": "xsd:dateTimeStamp"}),
    ("SpecificResource", OA + "SpecificResource", {}), ("TextQuoteSelector", OA + "TextQuoteSelector", {}),
    ("TextPositionSelector", OA + "TextPositionSelector", {}), ("Quotation", SCHEMA + "Quotation", {}),
    ("Instant", TIME + "Instant", {}),
    ("subClassOf", RDFS + "subClassOf", _ID), ("subPropertyOf", RDFS + "subPropertyOf", _ID),
    ("domain", RDFS + "domain", _ID), ("range", RDFS + "range", _ID),
]
_OWL = PREFIXES["owl"]
_SAFE_RELATIVE = re.compile(r"^[A-Za-z0-9_~%!$&'()*+,;=-][A-Za-z0-9._~%!$&'()*+,;=@/-]*$")


# ---- the context ---------------------------------------------------------------------------------------------
def _compact_prefixed(iri: str) -> str:
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def build_context(ontology_triples: Iterable) -> dict:
    """The shipped ``@context``: every prefix, a term per gk: class and property, and common external terms."""
    types: dict[str, set[str]] = defaultdict(set)
    ranges: dict[str, str] = {}
    for t in ontology_triples:
        s, p, o = t.subject.value, t.predicate.value, t.object.value
        if p == RDF_TYPE:
            types[s].add(o)
        elif p == RDFS + "range":
            ranges[s] = o
    context: dict = dict(PREFIXES)
    for iri in sorted(types):
        local = iri[len(GK):]
        if not iri.startswith(GK) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", local) or local in context:
            continue
        kinds = types[iri]
        if _OWL + "Class" in kinds:
            context[local] = f"gk:{local}"
        elif _OWL + "ObjectProperty" in kinds:
            context[local] = {"@id": f"gk:{local}", "@type": "@id"}
        elif _OWL + "DatatypeProperty" in kinds:
            rng = ranges.get(iri, XSD_STRING)
            if rng == RDF + "langString":
                context[local] = {"@id": f"gk:{local}", "@language": "en"}
            elif rng.startswith(XSD) and rng != XSD_STRING:
                context[local] = {"@id": f"gk:{local}", "@type": _compact_prefixed(rng)}
            else:
                context[local] = f"gk:{local}"
        elif _OWL + "AnnotationProperty" in kinds:
            context[local] = f"gk:{local}"
    for term, iri, coercion in EXTERNAL_TERMS:
        if term not in context:
            context[term] = {"@id": _compact_prefixed(iri), **coercion} if coercion else _compact_prefixed(iri)
    return {"@context": context}


def context_dir() -> Path:
    from gsomia_kg.resources import data_path

    return data_path("context")


def context_bytes() -> bytes:
    """The shipped context file, byte for byte (what ``--context-file`` writes)."""
    return (context_dir() / CONTEXT_NAME).read_bytes()


def shipped_context() -> dict:
    return json.loads(context_bytes())["@context"]


def load_frame(name: str) -> dict:
    if name not in FRAMES:
        raise GsomiaError(Problem("--frame", None, None, f"unknown frame {name!r}", f"use one of {', '.join(FRAMES)}"))
    return json.loads((context_dir() / FRAMES[name]).read_text(encoding="utf-8"))


def _pretty(value, level: int) -> str:
    if not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False)
    children = value.values() if isinstance(value, dict) else value
    if not any(isinstance(v, (dict, list)) for v in children):
        flat = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
        if len(flat) + 2 * level <= 110:
            return flat
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_pretty(value[k], level + 1)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    return "[\n" + ",\n".join(f"{inner}{_pretty(v, level + 1)}" for v in value) + f"\n{pad}]"


def dumps(doc: dict) -> bytes:
    """Stable JSON: keys sorted, two-space indent, small flat objects and lists on one line, UTF-8."""
    return (_pretty(doc, 0) + "\n").encode("utf-8")


# ---- compaction ----------------------------------------------------------------------------------------------
class Compactor:
    """Compacts pyoxigraph terms against one context, recording the terms and prefixes it uses."""

    def __init__(self, context: dict, base: str | None = None):
        self.context, self.base = context, base
        self.prefixes = {k: v for k, v in context.items()
                         if isinstance(v, str) and not k.startswith("@") and v.endswith(("#", "/"))}
        self.terms: dict[str, tuple[str, dict]] = {}  # IRI -> (term, definition)
        for key, value in sorted(context.items()):
            if key.startswith("@") or key in self.prefixes:
                continue
            definition = value if isinstance(value, dict) else {"@id": value}
            if "@id" in definition:
                self.terms.setdefault(self.expand(definition["@id"]), (key, definition))
        self.used: set[str] = set()

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def _prefixed(self, iri: str) -> str | None:
        best = max((p for p, ns in self.prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)),
                   key=lambda p: len(self.prefixes[p]), default=None)
        if best is None or iri[len(self.prefixes[best]):].startswith("//"):
            return None
        self.used.add(best)
        return f"{best}:{iri[len(self.prefixes[best]):]}"

    def iri(self, iri: str) -> str:
        """An IRI in an ``@id`` position: relative to ``@base``, a compact IRI, or absolute."""
        if self.base and iri.startswith(self.base):
            rest = iri[len(self.base):]
            if _SAFE_RELATIVE.match(rest) and not any(seg in (".", "..") for seg in rest.split("/")):
                self.used.add("@base")
                return rest
        return self._prefixed(iri) or iri

    def vocab(self, iri: str) -> str:
        """An IRI in a vocabulary position (key, ``@type``, datatype): a term, a compact IRI, or absolute."""
        if iri in self.terms:
            self.used.add(self.terms[iri][0])
            return self.terms[iri][0]
        return self._prefixed(iri) or iri

    def node_id(self, term) -> str:
        import pyoxigraph as ox

        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, predicate: str, obj):
        """``obj`` as the compacted value of ``predicate``: a plain string where the term's coercion allows."""
        import pyoxigraph as ox

        definition = self.terms.get(predicate, ("", {}))[1]
        coerced_type, coerced_lang = definition.get("@type"), definition.get("@language")
        if isinstance(obj, (ox.NamedNode, ox.BlankNode)):
            ident = self.node_id(obj)
            return ident if coerced_type == "@id" else {"@id": ident}
        if obj.language:
            if coerced_lang == obj.language and coerced_type is None:
                return obj.value
            return {"@value": obj.value, "@language": obj.language}
        datatype = obj.datatype.value
        if coerced_type and coerced_type != "@id" and self.expand(coerced_type) == datatype:
            return obj.value
        if datatype == XSD_STRING:
            return obj.value if coerced_type is None and coerced_lang is None else {"@value": obj.value}
        return {"@value": obj.value, "@type": self.vocab(datatype)}

    def pruned_context(self, extra: dict | None = None) -> dict:
        """The part of the context this compactor used, plus the prefixes those term definitions need."""
        names = set(self.used)
        out: dict = {}
        if "@base" in names and self.base:
            out["@base"] = self.base
        entries = {**{k: v for k, v in self.context.items() if k in names}, **(extra or {})}
        for key, value in entries.items():
            out[key] = value
            for part in ([value] if isinstance(value, str) else value.values()):
                prefix, sep, _ = str(part).partition(":")
                if sep and prefix in self.prefixes:
                    out[prefix] = self.prefixes[prefix]
        for prefix in names & set(self.prefixes):
            out[prefix] = self.prefixes[prefix]
        return out


def _index(triples: Iterable) -> dict:
    """subject -> predicate IRI -> objects, all in N-Triples order."""
    nodes: dict = {}
    for subject, group in groupby(sorted(triples, key=str), key=lambda t: t.subject):
        props: dict = {}
        for t in group:  # sorted by predicate, then object
            props.setdefault(t.predicate.value, []).append(t.object)
        nodes[subject] = props
    return nodes


def _single(values: list):
    return values[0] if len(values) == 1 else values


def _node(c: Compactor, subject, props: dict, skip: tuple[str, object] | None = None, embed=None) -> dict:
    """One node object; ``skip`` drops a (predicate, object) link, ``embed`` may nest an object's node."""
    import pyoxigraph as ox

    obj: dict = {"@id": c.node_id(subject)}
    for predicate, objects in props.items():
        if skip is not None and predicate == skip[0]:
            objects = [o for o in objects if o != skip[1]]
        if not objects:
            continue
        if predicate == RDF_TYPE and all(isinstance(o, ox.NamedNode) for o in objects):
            obj["@type"] = _single([c.vocab(o.value) for o in objects])
            continue
        values = [embed(predicate, o) if embed else None for o in objects]
        obj[c.vocab(predicate)] = _single([v if v is not None else c.value(predicate, o)
                                           for v, o in zip(values, objects)])
    return obj


def compact(triples: Iterable, base: str | None = None, context: dict | None = None) -> dict:
    """A compacted JSON-LD document: inline (pruned) context and ``@graph`` sorted by ``@id``."""
    c = Compactor(context if context is not None else shipped_context(), base)
    nodes = _index(triples)
    graph = [_node(c, s, nodes[s]) for s in sorted(nodes, key=lambda s: s.value)]
    return {"@context": c.pruned_context(), "@graph": graph}


# ---- framing -------------------------------------------------------------------------------------------------
class _Frame:
    """A frame file read into forward embeds (IRI -> subframe) and reverse embeds (term -> (IRI, subframe))."""

    def __init__(self, frame: dict, c: Compactor):
        local = frame.get("@context", {})
        self.reverse_defs = {k: v for k, v in local.items() if isinstance(v, dict) and "@reverse" in v}
        for term in self.reverse_defs:
            if term in c.context:
                raise GsomiaError(f"frame term {term!r} collides with a term of the shipped context")
        self.type = self._expand(frame.get("@type", ""), local, c)
        self.forward: dict[str, _Frame] = {}
        self.reverse: dict[str, tuple[str, _Frame]] = {}
        for key, sub in frame.items():
            if key.startswith("@") or not isinstance(sub, dict):
                continue
            child = _Frame({"@context": local, **sub}, c)
            if key in self.reverse_defs:
                self.reverse[key] = (self._expand(self.reverse_defs[key]["@reverse"], local, c), child)
            else:
                self.forward[self._expand(key, local, c)] = child

    @staticmethod
    def _expand(value: str, local: dict, c: Compactor) -> str:
        prefix, sep, rest = value.partition(":")
        if sep and isinstance(local.get(prefix), str):
            return local[prefix] + rest
        if value in c.context:  # a term of the shipped context
            definition = c.context[value]
            return c.expand(definition if isinstance(definition, str) else definition["@id"])
        return c.expand(value)


def frame(triples: Iterable, name: str, base: str | None = None, context: dict | None = None) -> dict:
    """The framed view ``name`` (e.g. ``agreement``): each matching node with its neighbourhood nested inside."""
    import pyoxigraph as ox

    c = Compactor(context if context is not None else shipped_context(), base)
    spec = load_frame(name)
    root = _Frame(spec, c)
    nodes = _index(triples)
    incoming: dict = defaultdict(lambda: defaultdict(list))  # object -> predicate -> subjects
    for s, props in nodes.items():
        for p, objs in props.items():
            for o in objs:
                if isinstance(o, ox.NamedNode):
                    incoming[o][p].append(s)

    def render(subject, f: _Frame, path: tuple, skip=None) -> dict:
        path = (*path, subject)

        def embed(predicate, obj):
            sub = f.forward.get(predicate)
            if sub is None or obj not in nodes or obj in path:
                return None
            return render(obj, sub, path)

        out = _node(c, subject, nodes.get(subject, {}), skip, embed)
        for term, (predicate, sub) in sorted(f.reverse.items()):
            children = sorted(incoming[subject].get(predicate, []), key=lambda s: s.value)
            children = [ch for ch in children if ch not in path]
            if children:
                out[term] = _single([render(ch, sub, path, (predicate, subject)) for ch in children])
        return out

    tops = sorted((s for s, props in nodes.items() if ox.NamedNode(root.type) in props.get(RDF_TYPE, [])),
                  key=lambda s: s.value)
    graph = [render(s, root, ()) for s in tops]
    return {"@context": c.pruned_context(root.reverse_defs), "@graph": graph}


if __name__ == "__main__":  # regenerate the shipped context from the ontology
    import pyoxigraph as ox

    from gsomia_kg.resources import ontology_file

    target = Path(__file__).parent / "context" / CONTEXT_NAME
    target.write_bytes(dumps(build_context(ox.parse(path=str(ontology_file())))))
    print(f"wrote {target}")
