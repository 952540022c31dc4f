"""Translate SHACL Core shapes into whole-graph SPARQL queries for pyoxigraph, and their rows into SHACL results.

One job: for every shape with targets ("root"), produce SELECT queries that scan its focus nodes once and return
the failing (focus, value) pairs, one column per constraint, and turn the rows into validation results the way
pySHACL 0.40 makes them (source shape, component, severity, messages, result path, value). The semantics follow
pySHACL's implementation of SHACL Core (checked against it by the tests), including:

- class targets and ``sh:class`` through ``rdf:type/rdfs:subClassOf*`` in the data graph; implicit class targets
  for shapes typed ``rdfs:Class`` (or a direct subclass of it declared in the shapes graph);
- ``sh:datatype``: a literal of the datatype that rdflib parses as ill-typed (or whose value has the wrong Python
  type) does not match; such literals are found by checking the distinct literals of the datatype in Python;
- ``sh:minInclusive`` and friends, and ``sh:lessThan``/``sh:lessThanOrEquals``: rdflib/Python comparison rules,
  evaluated in Python for the values SPARQL cannot settle exactly.

Whatever cannot be translated exactly raises ``Unsupported`` for the whole root shape, which is then left to
pySHACL: unknown or unlisted components (``sh:closed``, SHACL-SPARQL constraints not taken by the whole-graph path,
``sh:uniqueLang``...), shapes without ``sh:message`` (pySHACL writes its own messages), recursive shapes,
qualified shapes with ``sh:qualifiedValueShapesDisjoint``, blank-node targets, and (when the exact rdflib data is
at hand) datatypes and literals that a pyoxigraph Store does not keep as written (``LOSSY_DATATYPES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# pyoxigraph stores these as their base type (xsd:integer, xsd:dateTime): a Store cannot tell them apart.
LOSSY_DATATYPES = {XSD + t for t in (
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "long", "int", "short", "byte",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "dateTimeStamp")}
_BAD_LIMIT = 2000  # more ill-formed literals than this for one constraint: leave the shape to pySHACL

# shape parameters that are not constraints, or that this module reads as part of another constraint
_PASSIVE = {SH + p for p in ("name", "description", "message", "severity", "deactivated", "targetClass",
                             "targetNode", "targetSubjectsOf", "targetObjectsOf", "path", "order", "group",
                             "defaultValue", "declare", "prefixes", "flags", "qualifiedMinCount",
                             "qualifiedMaxCount", "property")}
_UNARY = {SH + p for p in ("class", "datatype", "nodeKind", "in", "pattern", "minLength", "maxLength", "languageIn",
                           "node", "or", "and", "xone", "not", "minInclusive", "maxInclusive", "minExclusive",
                           "maxExclusive")}
_PAIR = {SH + p for p in ("equals", "disjoint", "lessThan", "lessThanOrEquals")}
_OTHER = {SH + p for p in ("minCount", "maxCount", "hasValue", "qualifiedValueShape")}
_COMPONENT = {
    "class": "ClassConstraintComponent", "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent", "in": "InConstraintComponent", "pattern": "PatternConstraintComponent",
    "minLength": "MinLengthConstraintComponent", "maxLength": "MaxLengthConstraintComponent",
    "languageIn": "LanguageInConstraintComponent", "node": "NodeConstraintComponent", "or": "OrConstraintComponent",
    "and": "AndConstraintComponent", "xone": "XoneConstraintComponent", "not": "NotConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent", "maxInclusive": "MaxInclusiveConstraintComponent",
    "minExclusive": "MinExclusiveConstraintComponent", "maxExclusive": "MaxExclusiveConstraintComponent",
    "equals": "EqualsConstraintComponent", "disjoint": "DisjointConstraintComponent",
    "lessThan": "LessThanConstraintComponent", "lessThanOrEquals": "LessThanOrEqualsConstraintComponent",
    "minCount": "MinCountConstraintComponent", "maxCount": "MaxCountConstraintComponent",
    "hasValue": "HasValueConstraintComponent", "qualifiedMinCount": "QualifiedMinCountConstraintComponent",
    "qualifiedMaxCount": "QualifiedMaxCountConstraintComponent"}
_NODE_KINDS = {
    "IRI": "isIRI({v})", "BlankNode": "isBlank({v})", "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))", "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))"}
# regular expressions that Python's re and SPARQL REGEX (Rust regex) read alike: plain characters, classes,
# groups, alternation, quantifiers and anchors (``$`` only before ``|``, ``)`` or at the end)
_SAFE_PATTERN = re.compile(r"^(?:[A-Za-z0-9 _/#:,;=!%&'<>@~`\"-]|\\[.\-/\\\[\](){}*+?|^$#d]|[.^*+?|()]|\(\?:"
                           r"|\{\d+(?:,\d*)?\}|\[\^?(?:[A-Za-z0-9 _/#:,;=!%&'<>@~`\".?*+(){}|$-]|\\[.\-/\\\]\[^])+\]"
                           r"|\$(?=[|)]|$))*$")


class Unsupported(Exception):
    """A shape (or a part of it) that the translation cannot express exactly: leave the root shape to pySHACL."""


@dataclass
class Column:
    """One constraint of a query: ``?c<i>`` is true in a row where the constraint fails."""

    shape: object  # the source shape (rdflib term)
    component: str  # constraint component local name
    with_value: bool = True


@dataclass
class Check:
    """A SELECT query over the whole graph and how its rows become results."""

    kind: str  # "values" (?this ?value ?c0..), "counts" (?this ?n), "pairs" (?this ?value ?other)
    query: str
    shape: object  # source shape
    path: object | None  # the sh:path node (None for node-level constraints)
    columns: list[Column] = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # component -> (op, bound) for "counts"
    strict: bool = False  # for "pairs": lessThan (True) or lessThanOrEquals (False)
    has_value: bool = True  # for "values": whether rows bind ?value
    # "written-datatype" (sh:datatype) and "written-pairs" (sh:lessThan...): the query lists the focus nodes; the
    # values of ``predicate`` (and ``other``) are read from the N-Triples lines, as written
    predicate: str | None = None
    other: str | None = None
    datatype: str | None = None


@dataclass
class Plan:
    checks: list[Check]
    translated: list  # root shapes evaluated here
    leftover: list  # root shapes left to pySHACL, with the reason
    reasons: dict = field(default_factory=dict)


def _n3(term) -> str:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        if re.search(r"[\x00-\x20<>\"{}|^`\\]", str(term)):
            raise Unsupported(f"IRI not expressible in SPARQL: {term}")
        return f"<{term}>"
    if isinstance(term, Literal):
        lex = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{lex}"@{term.language}'
        return f'"{lex}"^^<{term.datatype or XSD + "string"}>'
    if isinstance(term, BNode):
        raise Unsupported("a blank node cannot be named in a query")
    raise Unsupported(f"unexpected term {term!r}")


def _ox_lossless(term) -> bool:
    """Whether a pyoxigraph Store keeps this literal exactly as written."""
    import pyoxigraph as ox
    from rdflib import Literal

    if not isinstance(term, Literal) or term.language or term.datatype is None:
        return True
    if str(term.datatype) in LOSSY_DATATYPES:
        return False
    store = ox.Store()
    lit = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), lit))
    return next(iter(store)).object == lit


def _datatype_ok(term, datatype) -> bool:
    """pySHACL's DatatypeConstraintComponent for a literal whose datatype IRI is ``datatype``."""
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent
    from rdflib import URIRef

    if getattr(term, "ill_typed", None) is True:
        return False
    return DatatypeConstraintComponent._assert_actual_datatype(None, term, URIRef(datatype))


def _range_ok(term, bound, local) -> bool:
    """pySHACL's min/max inclusive/exclusive rule for one value node."""
    from pyshacl.rdfutil.compare import compare_literal
    from rdflib import Literal

    if not isinstance(term, Literal):
        return False
    bound_is_string, v_is_string = isinstance(bound.value, str), isinstance(term.value, str)
    if bound_is_string != v_is_string:
        return False
    try:
        cmp = compare_literal(term, bound)
    except (TypeError, NotImplementedError):
        return False
    return {"minInclusive": cmp >= 0, "minExclusive": cmp > 0, "maxInclusive": cmp <= 0,
            "maxExclusive": cmp < 0}[local]


def compare_pair(value, other, strict: bool) -> bool:
    """pySHACL's sh:lessThan (strict) / sh:lessThanOrEquals test for one pair: True if the pair conforms."""
    from rdflib import BNode, Literal, URIRef

    from gsomia_kg.errors import GsomiaError, Problem

    if isinstance(value, BNode) or isinstance(other, BNode):
        raise GsomiaError(Problem("<shapes>", None, None, "the shapes are not valid SHACL: cannot use "
                                  "sh:lessThan or sh:lessThanOrEquals to compare a blank node"))

    def plain(t):
        if isinstance(t, URIRef):
            return str(t), True
        if isinstance(t, Literal) and isinstance(t.value, str):
            return t.value, True
        return t, False

    v, v_str = plain(value)
    o, o_str = plain(other)
    if v_str != o_str:
        return False
    return bool(v < o) if strict else bool(v <= o)


class Translator:
    def __init__(self, shapes, store, strict_literals: bool, written: bool = False):
        self.g = shapes
        self.store = store
        self.strict = strict_literals
        self.written = written  # the N-Triples lines as written are at hand (see ``run``)
        self.n = 0
        self._bad_cache: dict = {}

    # ---- shapes graph helpers ----
    def objs(self, node, local) -> list:
        from rdflib import URIRef

        return list(self.g.objects(node, URIRef(SH + local)))

    def one(self, node, local):
        found = self.objs(node, local)
        if len(found) > 1:
            raise Unsupported(f"several sh:{local} on one shape")
        return found[0] if found else None

    def items(self, node) -> list:
        from rdflib.collection import Collection

        try:
            return list(Collection(self.g, node))
        except Exception as exc:
            raise Unsupported(f"not an RDF list: {exc}") from None

    def var(self) -> str:
        self.n += 1
        return f"?g{self.n}"

    def deactivated(self, shape) -> bool:
        from rdflib import Literal

        return any(isinstance(d, Literal) and d.value is True for d in self.objs(shape, "deactivated"))

    def messages(self, shape) -> list:
        found = self.objs(shape, "message")
        if not found:
            raise Unsupported("no sh:message: pySHACL writes its own messages")
        return found

    def severity(self, shape):
        from rdflib import URIRef

        return self.one(shape, "severity") or URIRef(SH + "Violation")

    def check_known(self, shape, allow_property: bool = True) -> None:
        from rdflib import URIRef

        for p in set(self.g.predicates(shape, None)):
            if not str(p).startswith(SH):
                continue
            if p == URIRef(SH + "property") and not allow_property:
                raise Unsupported("sh:property on a property shape")
            if str(p) not in _PASSIVE | _UNARY | _PAIR | _OTHER:
                raise Unsupported(f"{p} is not translated")
        if self.objs(shape, "qualifiedValueShape") and not self.objs(shape, "path"):
            raise Unsupported("sh:qualifiedValueShape on a node shape")

    # ---- paths ----
    def path(self, node) -> str:
        from rdflib import BNode, URIRef

        if isinstance(node, URIRef):
            return _n3(node)
        if not isinstance(node, BNode):
            raise Unsupported("bad path")
        if (node, URIRef(RDF + "first"), None) in self.g:
            parts = self.items(node)
            if len(parts) < 2:
                raise Unsupported("sequence path of fewer than two members")
            return "(" + "/".join(self.path(p) for p in parts) + ")"
        keys = [p for p in self.g.predicates(node, None)]
        if len(keys) != 1:
            raise Unsupported("bad path node")
        key, inner = keys[0], next(self.g.objects(node, keys[0]))
        fmt = {SH + "inversePath": "^{}", SH + "zeroOrMorePath": "{}*", SH + "oneOrMorePath": "{}+",
               SH + "zeroOrOnePath": "{}?"}.get(str(key))
        if fmt:
            return "(" + fmt.format(self.path(inner)) + ")"
        if str(key) == SH + "alternativePath":
            parts = self.items(inner)
            if len(parts) < 2:
                raise Unsupported("alternative path of fewer than two members")
            return "(" + "|".join(self.path(p) for p in parts) + ")"
        raise Unsupported(f"unknown path {key}")

    # ---- targets ----
    def targets(self, shape) -> str | None:
        from rdflib import URIRef

        parts = []
        classes = self.objs(shape, "targetClass")
        class_types = {URIRef(RDFS + "Class"), *self.g.subjects(URIRef(RDFS + "subClassOf"), URIRef(RDFS + "Class"))}
        if set(self.g.objects(shape, URIRef(RDF + "type"))) & class_types:
            classes.append(shape)
        for c in classes:
            parts.append(f"{{ ?this <{RDF}type>/<{RDFS}subClassOf>* {_n3(c)} . }}")
        nodes = self.objs(shape, "targetNode")
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(_n3(n) for n in nodes) + " } }")
        for p in self.objs(shape, "targetSubjectsOf"):
            parts.append(f"{{ ?this {_n3(p)} ?gts . }}")
        for p in self.objs(shape, "targetObjectsOf"):
            parts.append(f"{{ ?gto {_n3(p)} ?this . }}")
        if self.objs(shape, "target"):
            raise Unsupported("SHACL-AF targets")
        if not parts:
            return None
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    # ---- Python-checked values ----
    def bad_terms(self, source: str, value_filter: str, test, key) -> list:
        """Distinct values matched by ``source`` (binding ?v) that fail the Python ``test``."""
        from gsomia_kg.serialize import rdflib_term

        if key in self._bad_cache:
            return self._bad_cache[key]
        query = f"SELECT DISTINCT ?v WHERE {{ {source} FILTER({value_filter}) }}"
        bad = []
        for row in self.store.query(query):
            term = rdflib_term(row["v"])
            if not test(term):
                bad.append(term)
                if len(bad) > _BAD_LIMIT:
                    raise Unsupported("too many ill-formed values")
        self._bad_cache[key] = bad
        return bad

    @staticmethod
    def not_in(v: str, bad: list) -> str:
        if not bad:
            return "true"
        return "!(" + " || ".join(f"sameTerm({v}, {_n3(t)})" for t in bad) + ")"

    # ---- value-level conditions (true = the value node conforms) ----
    def unary(self, local: str, param, v: str, source: str | None, stack: tuple) -> str:
        from rdflib import Literal, URIRef

        if local == "class":
            return f"EXISTS {{ {v} <{RDF}type>/<{RDFS}subClassOf>* {_n3(param)} . }}"
        if local == "nodeKind":
            kind = str(param)[len(SH):] if str(param).startswith(SH) else None
            if kind not in _NODE_KINDS:
                raise Unsupported(f"bad sh:nodeKind {param}")
            return _NODE_KINDS[kind].format(v=v)
        if local == "in":
            members = self.items(param)
            if self.strict and not all(_ox_lossless(m) for m in members):
                raise Unsupported("sh:in lists a literal a Store does not keep as written")
            return "(" + " || ".join(f"sameTerm({v}, {_n3(m)})" for m in members) + ")" if members else "false"
        if local == "datatype":
            if not isinstance(param, URIRef):
                raise Unsupported("bad sh:datatype")
            d = str(param)
            if d == RDFS + "Literal":
                return f"isLiteral({v})"
            if d == RDF + "langString":
                return f"(isLiteral({v}) && LANG({v}) != \"\")"
            if d == XSD + "string":
                return f"(isLiteral({v}) && LANG({v}) = \"\" && sameTerm(DATATYPE({v}), <{d}>))"
            if d == RDFS + "Datatype" or (self.strict and d in LOSSY_DATATYPES):
                raise Unsupported(f"sh:datatype {d} is not translated")
            base = f"(isLiteral({v}) && LANG({v}) = \"\" && sameTerm(DATATYPE({v}), <{d}>))"
            if source is None:
                raise Unsupported("sh:datatype on a nested node shape")
            bad = self.bad_terms(source, base.replace(v, "?v"), lambda t: _datatype_ok(t, d), ("dt", source, d))
            return f"({base} && {self.not_in(v, bad)})"
        if local in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            if not isinstance(param, Literal) or source is None:
                raise Unsupported(f"sh:{local} here is not translated")
            if self.strict and not _ox_lossless(param):
                raise Unsupported(f"sh:{local} bound a Store does not keep as written")
            bad = self.bad_terms(source, "true", lambda t: _range_ok(t, param, local), (local, source, param))
            return self.not_in(v, bad)
        if local == "pattern":
            flags = self.one(self._owner_of_param, "flags")
            flags = str(flags) if flags is not None else ""
            if not isinstance(param, Literal) or flags not in ("", "i") or not _SAFE_PATTERN.match(str(param)):
                raise Unsupported("sh:pattern outside the subset read alike by Python and SPARQL")
            text = re.sub(r"\$(?=[|)]|$)", r"\\n?$", str(param).replace("\\$", "\x00")).replace("\x00", "\\$")
            return f"(!isBlank({v}) && REGEX(STR({v}), {_n3(Literal(text))}, \"{flags}\"))"
        if local in ("minLength", "maxLength"):
            if not isinstance(param, Literal) or not isinstance(param.value, int) or param.value < 0:
                raise Unsupported(f"bad sh:{local}")
            if local == "minLength" and param.value == 0:
                return "true"
            op = ">=" if local == "minLength" else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {param.value})"
        if local == "languageIn":
            langs = self.items(param)
            if not all(isinstance(x, Literal) and isinstance(x.value, str) for x in langs):
                raise Unsupported("bad sh:languageIn")
            wanted = sorted({str(x.value).lower() for x in langs})
            if "*" in wanted:
                return f"(isLiteral({v}) && LANG({v}) != \"\")"
            listed = ", ".join(_n3(Literal(x)) for x in wanted) or '""'
            return (f"(isLiteral({v}) && LANG({v}) != \"\" && (LCASE(LANG({v})) IN ({listed}) || "
                    f"LCASE(STRBEFORE(CONCAT(LANG({v}), \"-\"), \"-\")) IN ({listed})))")
        if local == "node":
            return self.conforms(param, v, stack, source)
        if local in ("or", "and", "xone"):
            members = [self.conforms(m, v, stack, source) for m in self.items(param)]
            if not members:
                return "false" if local in ("or", "xone") else "true"
            if local == "or":
                return "(" + " || ".join(members) + ")"
            if local == "and":
                return "(" + " && ".join(members) + ")"
            return "((" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1)"
        if local == "not":
            return f"!({self.conforms(param, v, stack, source)})"
        raise Unsupported(f"sh:{local}")

    def conforms(self, shape, v: str, stack: tuple, source: str | None = None) -> str:
        """A SPARQL expression: true when node ``v`` conforms to ``shape`` (all its constraints).

        ``source``: a pattern binding ``?v`` to (a superset of) the nodes ``v`` can be, for checks made in Python.
        """
        from rdflib import BNode, URIRef

        if shape in stack:
            raise Unsupported("recursive shapes")
        if not isinstance(shape, (URIRef, BNode)):
            raise Unsupported("a shape must be an IRI or a blank node")
        if self.deactivated(shape):
            return "true"
        stack = (*stack, shape)
        path = self.one(shape, "path")
        self.check_known(shape, allow_property=path is None)
        parts = []
        if path is None:
            for local, param in self.params(shape, _UNARY):
                self._owner_of_param = shape
                parts.append(self.unary(local, param, v, source, stack))
            for hv in self.objs(shape, "hasValue"):
                parts.append(f"sameTerm({v}, {self.literal_term(hv)})")
            for local, param in self.params(shape, _PAIR):
                parts.append(self.node_pair(local, param, v))
            for ps in self.objs(shape, "property"):
                parts.append(self.conforms(ps, v, stack, source))
        else:
            parts.append(self.property_conforms(shape, path, v, stack))
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def literal_term(self, term) -> str:
        if self.strict and not _ox_lossless(term):
            raise Unsupported("a literal a Store does not keep as written")
        return _n3(term)

    def node_pair(self, local: str, param, v: str) -> str:
        if local == "equals":
            o = self.var()
            return (f"(EXISTS {{ {v} {_n3(param)} {v} }} && "
                    f"NOT EXISTS {{ {v} {_n3(param)} {o} FILTER(!sameTerm({o}, {v})) }})")
        if local == "disjoint":
            return f"NOT EXISTS {{ {v} {_n3(param)} {v} }}"
        raise Unsupported(f"sh:{local} in a nested shape")

    def params(self, shape, which) -> list:
        out = []
        for p, o in self.g.predicate_objects(shape):
            if str(p) in which:
                out.append((str(p)[len(SH):], o))
        return sorted(out, key=lambda x: (x[0], str(x[1])))

    def property_conforms(self, shape, path, v: str, stack: tuple) -> str:
        p = self.path(path)
        x = self.var()
        source = f"?gs {p} ?v ."
        parts = []
        conds = []
        for local, param in self.params(shape, _UNARY):
            self._owner_of_param = shape
            conds.append(self.unary(local, param, x, source, stack))
        if conds:
            parts.append(f"NOT EXISTS {{ {v} {p} {x} FILTER(!({' && '.join(conds)})) }}")
        for local in ("minCount", "maxCount"):
            for bound in self.objs(shape, local):
                parts.append(self.nested_count(local, bound, v, p))
        for hv in self.objs(shape, "hasValue"):
            parts.append(f"EXISTS {{ {v} {p} {x} FILTER(sameTerm({x}, {self.literal_term(hv)})) }}")
        for local, param in self.params(shape, _PAIR):
            if local not in ("equals", "disjoint"):
                raise Unsupported(f"sh:{local} in a nested shape")
            y = self.var()
            if local == "equals":
                parts.append(f"NOT EXISTS {{ {v} {p} {y} FILTER NOT EXISTS {{ {v} {_n3(param)} {y} }} }} && "
                             f"NOT EXISTS {{ {v} {_n3(param)} {y} FILTER NOT EXISTS {{ {v} {p} {y} }} }}")
            else:
                parts.append(f"NOT EXISTS {{ {v} {p} {y} . {v} {_n3(param)} {y} }}")
        if self.objs(shape, "qualifiedValueShape"):
            raise Unsupported("sh:qualifiedValueShape in a nested shape")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def nested_count(self, local: str, bound, v: str, p: str) -> str:
        from rdflib import Literal

        if not isinstance(bound, Literal) or not isinstance(bound.value, int) or bound.value < 0:
            raise Unsupported(f"bad sh:{local}")
        n = bound.value + (1 if local == "maxCount" else 0)
        if n == 0:
            return "true"
        if n > 4:
            raise Unsupported(f"sh:{local} {bound.value} in a nested shape")
        xs = [self.var() for _ in range(n)]
        distinct = " ".join(f"FILTER(!sameTerm({a}, {b}))" for i, a in enumerate(xs) for b in xs[i + 1:])
        pattern = " ".join(f"{v} {p} {x} ." for x in xs) + " " + distinct
        return f"{'EXISTS' if local == 'minCount' else 'NOT EXISTS'} {{ {pattern} }}"

    # ---- root shapes: the reporting queries ----
    def root(self, shape, target: str) -> list[Check]:
        checks: list[Check] = []
        path = self.one(shape, "path")
        self.check_known(shape, allow_property=path is None)
        if path is None:
            checks += self.node_checks(shape, target)
            for ps in self.objs(shape, "property"):
                if self.deactivated(ps):
                    continue
                ps_path = self.one(ps, "path")
                if ps_path is None:
                    raise Unsupported("sh:property without sh:path")
                self.check_known(ps, allow_property=False)
                checks += self.property_checks(ps, ps_path, target)
        else:
            checks += self.property_checks(shape, path, target)
        return checks

    def node_checks(self, shape, target: str) -> list[Check]:
        columns, exprs = [], []
        stack = (shape,)
        for local, param in self.params(shape, _UNARY):
            self._owner_of_param = shape
            source = f"{target} BIND(?this AS ?v)"
            exprs.append(self.unary(local, param, "?this", source, stack))
            columns.append(Column(shape, _COMPONENT[local]))
        for hv in self.objs(shape, "hasValue"):
            exprs.append(f"sameTerm(?this, {self.literal_term(hv)})")
            columns.append(Column(shape, _COMPONENT["hasValue"], with_value=False))
        checks = []
        if columns:
            self.messages(shape)
            checks.append(self.values_check(shape, None, target, "BIND(?this AS ?value)", exprs, columns))
        for local, param in self.params(shape, _PAIR):
            self.messages(shape)
            checks.append(self.pair_check(shape, None, local, param, target, "BIND(?this AS ?value)"))
        return checks

    def values_check(self, shape, path, target, value_pattern, exprs, columns) -> Check:
        binds = " ".join(f"BIND(COALESCE(!({e}), true) AS ?c{i})" for i, e in enumerate(exprs))
        fails = " || ".join(f"?c{i}" for i in range(len(exprs)))
        query = (f"SELECT DISTINCT ?this ?value {' '.join(f'?c{i}' for i in range(len(exprs)))} WHERE {{ "
                 f"{target} {value_pattern} {binds} FILTER({fails}) }}")
        return Check("values", query, shape, path, columns)

    def property_checks(self, shape, path, target: str) -> list[Check]:
        from rdflib import Literal, URIRef

        p = self.path(path)
        stack = (shape,)
        checks: list[Check] = []
        exprs, columns = [], []
        source = f"?gs {p} ?v ."
        for local, param in self.params(shape, _UNARY):
            self._owner_of_param = shape
            if local == "datatype" and self.written and str(param) in LOSSY_DATATYPES and isinstance(path, URIRef):
                self.messages(shape)
                checks.append(Check("written-datatype", f"SELECT DISTINCT ?this WHERE {{ {target} }}", shape, path,
                                    [Column(shape, _COMPONENT[local])], predicate=str(path), datatype=str(param)))
                continue
            exprs.append(self.unary(local, param, "?value", source, stack))
            columns.append(Column(shape, _COMPONENT[local]))
        if exprs:
            self.messages(shape)
            checks.append(self.values_check(shape, path, target, f"?this {p} ?value .", exprs, columns))
        counts = {}
        for local in ("minCount", "maxCount"):
            for bound in self.objs(shape, local):
                if not isinstance(bound, Literal) or not isinstance(bound.value, int):
                    raise Unsupported(f"bad sh:{local}")
                counts.setdefault(local, []).append(bound.value)
        if counts:
            self.messages(shape)
            having = " || ".join(f"COUNT(DISTINCT ?value) {'<' if k == 'minCount' else '>'} {b}"
                                 for k, bs in counts.items() for b in bs)
            query = (f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {target} "
                     f"OPTIONAL {{ ?this {p} ?value }} }} "
                     f"GROUP BY ?this HAVING ({having})")
            checks.append(Check("counts", query, shape, path, counts=counts))
        for hv in self.objs(shape, "hasValue"):
            self.messages(shape)
            query = (f"SELECT ?this (true AS ?c0) WHERE {{ {target} FILTER NOT EXISTS {{ ?this {p} ?x "
                     f"FILTER(sameTerm(?x, {self.literal_term(hv)})) }} }}")
            checks.append(Check("values", query, shape, path, [Column(shape, _COMPONENT["hasValue"], False)],
                                has_value=False))
        for local, param in self.params(shape, _PAIR):
            self.messages(shape)
            checks.append(self.pair_check(shape, path, local, param, target, f"?this {p} ?value ."))
        for q in self.objs(shape, "qualifiedValueShape"):
            self.messages(shape)
            disjoint = self.objs(shape, "qualifiedValueShapesDisjoint")
            if any(isinstance(d, Literal) and d.value is True for d in disjoint):
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            qcounts = {}
            for local in ("qualifiedMinCount", "qualifiedMaxCount"):
                bound = self.one(shape, local)
                if bound is not None:
                    if not isinstance(bound, Literal) or not isinstance(bound.value, int):
                        raise Unsupported(f"bad sh:{local}")
                    qcounts[local] = [bound.value]
            if not qcounts:
                continue
            cond = self.conforms(q, "?value", stack, f"?gs {p} ?v .")
            having = " || ".join(f"COUNT(DISTINCT ?value) {'<' if k == 'qualifiedMinCount' else '>'} {b[0]}"
                                 for k, b in qcounts.items())
            query = (f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {target} OPTIONAL {{ ?this {p} ?value "
                     f"FILTER({cond}) }} }} GROUP BY ?this HAVING ({having})")
            checks.append(Check("counts", query, shape, path, counts=qcounts))
        return checks

    def pair_check(self, shape, path, local, param, target, value_pattern) -> Check:
        from rdflib import URIRef

        if not isinstance(param, URIRef):
            raise Unsupported(f"sh:{local} must name a property")
        other = _n3(param)
        column = [Column(shape, _COMPONENT[local])]
        if local == "equals":
            if value_pattern.startswith("BIND"):
                query = (f"SELECT DISTINCT ?this ?value (true AS ?c0) WHERE {{ {target} "
                         f"{{ BIND(?this AS ?value) FILTER NOT EXISTS "
                         f"{{ ?this {other} ?this }} }} UNION {{ ?this {other} ?value . "
                         f"FILTER(!sameTerm(?value, ?this)) }} }}")
            else:
                p = value_pattern.split(" ", 2)[1]
                query = (f"SELECT DISTINCT ?this ?value (true AS ?c0) WHERE {{ {target} "
                         f"{{ ?this {p} ?value FILTER NOT EXISTS "
                         f"{{ ?this {other} ?value }} }} UNION {{ ?this {other} ?value FILTER NOT EXISTS "
                         f"{{ ?this {p} ?value }} }} }}")
            return Check("values", query, shape, path, column)
        if local == "disjoint":
            query = (f"SELECT DISTINCT ?this ?value (true AS ?c0) WHERE {{ {target} {value_pattern} "
                     f"?this {other} ?value . }}")
            return Check("values", query, shape, path, column)
        if self.written and isinstance(path, URIRef):  # compared in Python as written (a Store may retype them)
            return Check("written-pairs", f"SELECT DISTINCT ?this WHERE {{ {target} }}", shape, path, column,
                         strict=local == "lessThan", predicate=str(path), other=str(param))
        # lessThan / lessThanOrEquals: pairs SPARQL cannot settle exactly are compared in Python
        op = "<" if local == "lessThan" else "<="
        settled = (f"(sameTerm(DATATYPE(?value), DATATYPE(?other)) && isLiteral(?value) && isLiteral(?other) && "
                   f"((DATATYPE(?value) = <{XSD}integer> && REGEX(STR(?value), \"^-?[0-9]+$\") && "
                   f"REGEX(STR(?other), \"^-?[0-9]+$\")) || (DATATYPE(?value) = <{XSD}date> && "
                   f"REGEX(STR(?value), \"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$\") && "
                   f"REGEX(STR(?other), \"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$\"))) && ?value {op} ?other)")
        query = (f"SELECT DISTINCT ?this ?value ?other WHERE {{ {target} {value_pattern} ?this {other} ?other . "
                 f"FILTER(!COALESCE({settled}, false)) }}")
        return Check("pairs", query, shape, path, column, strict=local == "lessThan")


def roots(shapes) -> list:
    """The shapes pySHACL validates on their own: those with targets (explicit or implicit class targets)."""
    from rdflib import URIRef

    found = set()
    for local in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
        found.update(shapes.subjects(URIRef(SH + local), None))
    class_types = {URIRef(RDFS + "Class"), *shapes.subjects(URIRef(RDFS + "subClassOf"), URIRef(RDFS + "Class"))}
    for t in (URIRef(SH + "NodeShape"), URIRef(SH + "PropertyShape")):
        for s in shapes.subjects(URIRef(RDF + "type"), t):
            if set(shapes.objects(s, URIRef(RDF + "type"))) & class_types:
                found.add(s)
    return sorted(found, key=str)


def plan(shapes, store, strict_literals: bool, written: bool = False) -> Plan:
    """Translate every root shape of ``shapes``; roots that cannot be translated exactly are listed as leftovers.

    ``written``: ``run`` will get the graph's N-Triples lines as written, so ``sh:datatype`` with a datatype a
    Store rewrites and ``sh:lessThan``/``sh:lessThanOrEquals`` on a property are checked on the written values."""
    checks, translated, leftover, reasons = [], [], [], {}
    translator = Translator(shapes, store, strict_literals, written)
    for shape in roots(shapes):
        if translator.deactivated(shape):
            translated.append(shape)
            continue
        try:
            target = translator.targets(shape)
            found = translator.root(shape, target) if target is not None else []
        except Unsupported as exc:
            leftover.append(shape)
            reasons[shape] = str(exc)
            continue
        translated.append(shape)
        checks += found
    return Plan(checks, translated, leftover, reasons)


def written_values(lines: list[str], predicates: set[str]) -> dict[str, dict[str, list]]:
    """predicate -> subject spelling -> the rdflib objects of those lines, as written (lexical form kept)."""
    import pyoxigraph as ox
    import rdflib

    from gsomia_kg.compiled import encode, lines_by_predicate
    from gsomia_kg.serialize import rdflib_term

    rdflib.NORMALIZE_LITERALS = False
    found = lines_by_predicate(lines, {f"<{p}>" for p in predicates})
    chosen = {p: found[f"<{p}>"] for p in predicates}
    made: dict = {}
    out: dict[str, dict[str, list]] = {}
    for p, group in chosen.items():
        by_subject: dict[str, list] = out.setdefault(p, {})
        for t in (ox.parse(encode(group), format=ox.RdfFormat.N_TRIPLES) if group else ()):
            o = made.get(t.object)
            if o is None:
                o = made[t.object] = rdflib_term(t.object)
            by_subject.setdefault(str(t.subject), []).append(o)
    return out


def _written(check: Check, solutions, values: dict) -> list[tuple]:
    from rdflib import Literal, URIRef

    from gsomia_kg.serialize import rdflib_term

    out = []
    mine = values[check.predicate]
    component = check.columns[0].component
    if check.kind == "written-datatype":
        d = URIRef(check.datatype)
        ok: dict = {}
        for row in solutions:
            for value in mine.get(str(row["this"]), ()):
                fine = ok.get(value)
                if fine is None:
                    fine = ok[value] = (isinstance(value, Literal) and value.datatype == d
                                        and _datatype_ok(value, check.datatype))
                if not fine:
                    out.append((rdflib_term(row["this"]), value, check.shape, check.path, component))
        return out
    others = values[check.other]
    for row in solutions:
        key = str(row["this"])
        for value in mine.get(key, ()):
            for other in others.get(key, ()):
                if not compare_pair(value, other, check.strict):
                    out.append((rdflib_term(row["this"]), value, check.shape, check.path, component))
    return out


def run(checks: list[Check], store, lines: list[str] | None = None) -> list[tuple]:
    """Evaluate the checks: (focus, value or None, source shape, path node or None, component local name) tuples.

    ``lines``: the graph's sorted N-Triples lines as written, for the "written-*" checks (``plan(written=True)``).
    """
    from gsomia_kg.serialize import rdflib_term

    needed = {p for c in checks if c.kind.startswith("written") for p in (c.predicate, c.other) if p}
    if needed and lines is None:
        raise ValueError("these checks read the lines as written: pass lines")
    values = written_values(lines, needed) if needed else {}
    out = []
    for check in checks:
        solutions = store.query(check.query)
        if check.kind.startswith("written"):
            out += _written(check, solutions, values)
        elif check.kind == "values":
            for row in solutions:
                this = rdflib_term(row["this"])
                value = rdflib_term(row["value"]) if check.has_value and row["value"] is not None else None
                for i, column in enumerate(check.columns):
                    flag = row[f"c{i}"]
                    if flag is not None and flag.value == "true":
                        out.append((this, value if column.with_value else None, column.shape, check.path,
                                    column.component))
        elif check.kind == "counts":
            for row in solutions:
                this, n = rdflib_term(row["this"]), int(row["n"].value)
                for local, bounds in check.counts.items():
                    for b in bounds:
                        if (n < b) if local in ("minCount", "qualifiedMinCount") else (n > b):
                            out.append((this, None, check.shape, check.path, _COMPONENT[local]))
        else:
            for row in solutions:
                value, other = rdflib_term(row["value"]), rdflib_term(row["other"])
                if not compare_pair(value, other, check.strict):
                    out.append((rdflib_term(row["this"]), value, check.shape, check.path,
                                check.columns[0].component))
    return out
