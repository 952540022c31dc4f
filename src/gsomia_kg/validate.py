"""Validate a graph against SHACL shapes and return one standard ``sh:ValidationReport`` with located results.

Engines. ``engine="pyshacl"`` runs every shape in pySHACL: the exact reference. ``engine="fast"`` (the default)
evaluates everything it can over the whole graph in pyoxigraph, and pySHACL only for what is left:

- SHACL Core: ``core_sparql`` translates each shape with targets into a few SELECT queries (one per property shape
  for its value constraints, one GROUP BY query for its counts...) that scan the focus nodes once; results,
  messages and report triples are made the way pySHACL makes them. Shapes it cannot translate exactly (unknown
  components such as ``sh:closed``, no ``sh:message``, recursion, literals in ``sh:in``/``sh:hasValue`` that a
  Store does not keep as written) are left to pySHACL, with their targets; the others lose their targets in the
  shapes graph pySHACL gets. ``report.engine`` lists them. pySHACL gets an rdflib graph of only the triples those
  shapes can read (``reads``), made from the N-Triples lines; with nothing left, it is not called at all.
- SHACL-SPARQL constraints of (unreferenced) node shapes are evaluated once over the whole graph instead of once
  per focus node (pySHACL 0.40 re-parses a constraint's query for every focus node, ~11 ms each). The query is run
  as written, with the shape's targets joined in at the start of its WHERE group; results and messages are made as
  pySHACL makes them (``sh:SPARQLConstraintComponent``, ``{?var}`` substitution). Constraints the rewrite cannot
  take (``$PATH``, ``$shapesGraph``, ``$currentShape``, VALUES, MINUS, SERVICE, sub-selects, shapes referenced by
  other shapes, property shapes) are left to pySHACL.

A pyoxigraph Store keeps typed literals in canonical form (``"3.0"^^xsd:decimal`` as ``"3"``, ``xsd:int`` and
``xsd:nonNegativeInteger`` as ``xsd:integer``), so the data comes as a Store plus its N-Triples lines as written
(``validate(None, store=store, lines=lines)``): ``sh:datatype`` with such a datatype and ``sh:lessThan`` are
checked on the written values, and result values are reported as written. Given only a Store, the fast engine
validates the graph as the Store holds it (tests compare it with pySHACL on that graph).
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from gsomia_kg.errors import GsomiaError, Problem
from gsomia_kg.model import Loc
from gsomia_kg.namespaces import PREFIXES

SH = PREFIXES["sh"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SHAPES_NS = "https://w3id.org/gsomia-kg/shapes#"
SEVERITIES = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}
_ORDER = {"violation": 0, "warning": 1, "info": 2}
_UNSUPPORTED = re.compile(r"\$(PATH|shapesGraph|currentShape)\b|\b(VALUES|MINUS|SERVICE)\b", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_SELECTOR_SUFFIXES = ("/quote", "/position")


@dataclass(frozen=True)
class Result:
    """One validation result, with the names a report needs and the mapping-file line of its focus node."""

    severity: str  # violation | warning | info
    shape: str  # the named shape the result belongs to (a property shape's node shape)
    focus: object  # rdflib term
    path: str | None  # the result path: a property IRI, or SPARQL path syntax (``<a>/<b>``) for complex paths
    value: object | None  # rdflib term
    component: str  # the constraint component IRI
    messages: tuple[str, ...]
    origin: Loc | None = None

    def sort_key(self) -> tuple:
        return (_ORDER.get(self.severity, 3), self.shape, str(self.focus), self.path or "", _n3(self.value),
                self.component, self.messages)


@dataclass
class ValidationReport:
    """The outcome of a validation: the standard report graph and its results, sorted."""

    graph: object  # rdflib Graph holding one sh:ValidationReport
    results: list[Result]
    shape_names: dict[str, str] = field(default_factory=dict)  # shape IRI -> sh:name
    engine: dict = field(default_factory=dict)  # what ran: engine, pyshacl (called?), pyshacl_shapes, ...

    @property
    def conforms(self) -> bool:
        return not self.results

    def counts(self) -> dict[str, int]:
        """Number of results per severity (violation, warning, info), zeros included."""
        found = Counter(r.severity for r in self.results)
        return {s: found.get(s, 0) for s in ("violation", "warning", "info")}

    def exit_code(self, fail_on: str = "violation") -> int:
        """0 if nothing at or above ``fail_on`` (violation or warning) was found, else 1."""
        counts = self.counts()
        failing = counts["violation"] + (counts["warning"] if fail_on == "warning" else 0)
        return 1 if failing else 0


# ---- shapes ---------------------------------------------------------------------------------------------------

def shape_files(shapes: str | Path | list | None = None) -> list[Path]:
    """The shapes files to load: the given files (or the ``*.ttl`` of a given folder), else the shipped ones."""
    from gsomia_kg.resources import data_path

    if shapes is None:
        shapes = [data_path("shapes")]
    elif isinstance(shapes, (str, Path)):
        shapes = [shapes]
    files: list[Path] = []
    for item in shapes:
        item = Path(item)
        files.extend(sorted(item.glob("*.ttl")) if item.is_dir() else [item])
    return files


def load_shapes(shapes: str | Path | list | None = None):
    """Parse the shapes files (strictly, errors with file:line:column) into one rdflib ``Graph``.

    The graph is cached while the files are unchanged: treat it as read-only.
    """
    files = shape_files(shapes)
    if not files:
        raise GsomiaError(Problem(str(shapes), None, None, "no shapes files found", "give a .ttl file or folder"))
    keys = []
    for path in files:
        try:
            stat = path.stat()
        except OSError as exc:
            raise GsomiaError(Problem(str(path), None, None, f"cannot read shapes: {exc.strerror}")) from None
        keys.append((str(path), stat.st_mtime_ns, stat.st_size))
    return _shapes_graph(tuple(keys))


@lru_cache(maxsize=8)
def _shapes_graph(keys: tuple) -> object:
    import rdflib

    graph = rdflib.Graph()
    for key in keys:
        graph.addN((s, p, o, graph) for s, p, o in _parsed(*key))
    for prefix, ns in {**PREFIXES, "gks": SHAPES_NS}.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


@lru_cache(maxsize=16)
def _parsed(path: str, _mtime: int, _size: int) -> tuple:
    """The triples of one shapes file (cached while the file is unchanged)."""
    from gsomia_kg.rdfinput import read_rdf

    suffix = Path(path).suffix.lower()
    return tuple(read_rdf(path, "turtle" if suffix in (".ttl", ".turtle", "") else None))


# ---- the SHACL-SPARQL part, evaluated over the whole graph -------------------------------------------------------

@dataclass
class _SparqlCheck:
    shape: object
    constraint: object
    query: str
    severity: object
    shape_messages: list
    constraint_messages: list


def _objects(graph, s, p) -> list:
    from rdflib import URIRef

    return list(graph.objects(s, URIRef(p)))


def _prefix_block(shapes, constraint) -> str:
    from rdflib import URIRef

    lines = []
    for node in shapes.objects(constraint, URIRef(SH + "prefixes")):
        for decl in shapes.objects(node, URIRef(SH + "declare")):
            prefix = shapes.value(decl, URIRef(SH + "prefix"))
            ns = shapes.value(decl, URIRef(SH + "namespace"))
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(sorted(set(lines)))


def _first_brace(query: str) -> int:
    """Offset of the first ``{`` outside comments, strings and IRIs (the WHERE group of a SELECT), or -1."""
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            i = query.find("\n", i)
            if i < 0:
                return -1
        elif c in "\"'":
            quote = query[i:i + 3] if query[i:i + 3] in ('"""', "'''") else c
            i = query.find(quote, i + len(quote))
            while i > 0 and query[i - 1] == "\\":
                i = query.find(quote, i + 1)
            if i < 0:
                return -1
            i += len(quote) - 1
        elif c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", query[i:]):
            i = query.find(">", i)
        elif c == "{":
            return i
        i += 1
    return -1


def _target_pattern(shapes, shape) -> str | None:
    """A SPARQL pattern binding ``?this`` to the shape's focus nodes (SHACL target semantics), or None."""
    from rdflib import BNode, Literal, URIRef

    def term(t) -> str | None:
        if isinstance(t, URIRef):
            return f"<{t}>"
        if isinstance(t, Literal):
            return t.n3()
        return None  # a blank node cannot be named in a query

    parts = []
    classes = _objects(shapes, shape, SH + "targetClass")
    types = set(shapes.objects(shape, URIRef(RDF + "type")))
    if types & {URIRef(RDFS + "Class"), URIRef(PREFIXES["owl"] + "Class")} and isinstance(shape, URIRef):
        classes.append(shape)  # implicit class target
    for c in classes:
        if term(c) is None:
            return None
        parts.append(f"{{ ?this <{RDF}type>/<{RDFS}subClassOf>* {term(c)} . }}")
    nodes = [term(n) for n in _objects(shapes, shape, SH + "targetNode")]
    if None in nodes:
        return None
    if nodes:
        parts.append(f"{{ VALUES ?this {{ {' '.join(nodes)} }} }}")
    for p in _objects(shapes, shape, SH + "targetSubjectsOf"):
        if isinstance(p, BNode):
            return None
        parts.append(f"{{ ?this <{p}> ?gksTargetObject . }}")
    for p in _objects(shapes, shape, SH + "targetObjectsOf"):
        if isinstance(p, BNode):
            return None
        parts.append(f"{{ ?gksTargetSubject <{p}> ?this . }}")
    if _objects(shapes, shape, SH + "target"):
        return None  # SHACL-AF targets: left to pySHACL
    if not parts:
        return None
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


_SPLIT_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_GUARDED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _guard(shapes) -> None:
    """Refuse shapes whose SPARQL could reach the network or update data (``shapes_guard``), once per graph."""
    from gsomia_kg.shapes_guard import check_shapes_sparql

    if _GUARDED.get(shapes) != len(shapes):
        check_shapes_sparql(shapes)
        _GUARDED[shapes] = len(shapes)


def _split(shapes) -> tuple[object, list[_SparqlCheck]]:
    """``_split_shapes``, remembered per shapes graph (shapes graphs are not changed once loaded)."""
    found = _SPLIT_CACHE.get(shapes)
    if found is None or found[0] != len(shapes):
        found = _SPLIT_CACHE[shapes] = (len(shapes), *_split_shapes(shapes))
    return found[1], found[2]


def _split_shapes(shapes) -> tuple[object, list[_SparqlCheck]]:
    """The shapes graph without the SHACL-SPARQL constraints we evaluate ourselves, and those constraints."""
    from rdflib import Literal, URIRef

    sparql = URIRef(SH + "sparql")
    referenced = {o for s, p, o in shapes if p != sparql}
    checks: list[_SparqlCheck] = []
    taken = []
    for shape, _, constraint in shapes.triples((None, sparql, None)):
        if shape in referenced or _objects(shapes, shape, SH + "path"):
            continue
        if Literal(True) in _objects(shapes, shape, SH + "deactivated"):
            continue
        selects = _objects(shapes, constraint, SH + "select")
        if len(selects) != 1 or Literal(True) in _objects(shapes, constraint, SH + "deactivated"):
            continue
        text = str(selects[0])
        if _UNSUPPORTED.search(text) or len(_SELECT.findall(text)) != 1:
            continue
        brace = _first_brace(text)
        target = _target_pattern(shapes, shape)
        if brace < 0 or target is None:
            continue
        query = _prefix_block(shapes, constraint) + "\n" + text[:brace + 1] + "\n" + target + "\n" + text[brace + 1:]
        severity = shapes.value(shape, URIRef(SH + "severity")) or URIRef(SH + "Violation")
        checks.append(_SparqlCheck(shape, constraint, query, severity,
                                   _objects(shapes, shape, SH + "message"),
                                   _objects(shapes, constraint, SH + "message")))
        taken.append((shape, sparql, constraint))
    core = shapes
    if taken:
        import rdflib

        core = rdflib.Graph()
        for prefix, ns in shapes.namespaces():
            core.bind(prefix, ns, override=True, replace=True)
        drop = set(taken)
        core.addN((s, p, o, core) for s, p, o in shapes if (s, p, o) not in drop)
    return core, checks


def _format(message: str, variables: dict) -> str:
    for name, value in variables.items():
        message = re.sub("{[?$]" + re.escape(name) + "}", lambda _m, v=str(value): v, message)
    return message


def _run_sparql(checks: list[_SparqlCheck], store, shapes, report) -> None:
    """Evaluate each check over the whole graph; add its results to ``report`` as pySHACL would."""
    from rdflib import BNode, Literal, URIRef

    from gsomia_kg.serialize import rdflib_term

    sh = lambda local: URIRef(SH + local)  # noqa: E731
    report_node = report.value(predicate=URIRef(RDF + "type"), object=sh("ValidationReport"))
    for check in checks:
        try:
            solutions = store.query(check.query)
        except SyntaxError as exc:  # a query we could not rewrite: a bug of ours, or a broken shapes file
            raise GsomiaError(Problem(str(check.shape), None, None, f"SHACL-SPARQL query does not parse: {exc}")) \
                from None
        names = [v.value for v in solutions.variables]
        seen: set = set()
        failed_focus: set = set()
        for solution in solutions:
            bound = {n: rdflib_term(solution[n]) for n in names if solution[n] is not None}
            this = bound.pop("this", None)
            if this is None:
                continue
            if bound.pop("failure", None) is not None:
                if this in failed_focus:
                    continue
                failed_focus.add(this)
                path = value = None
            else:
                path, value = bound.pop("path", None), bound.pop("value", None)
            key = (this, path, value, tuple(sorted(bound.items())))
            if key in seen:
                continue
            seen.add(key)
            value = this if value is None else value
            variables = {**bound, "this": this, "value": value}
            if path is not None:
                variables["path"] = path
            messages = [Literal(_format(str(m), variables)) for m in check.constraint_messages
                        if m not in check.shape_messages]
            messages += [Literal(_format(str(m), variables)) for m in check.shape_messages]
            node = BNode()
            report.add((report_node, sh("result"), node))
            report.add((node, URIRef(RDF + "type"), sh("ValidationResult")))
            report.add((node, sh("sourceConstraintComponent"), sh("SPARQLConstraintComponent")))
            report.add((node, sh("sourceShape"), check.shape))
            report.add((node, sh("resultSeverity"), check.severity))
            report.add((node, sh("focusNode"), this))
            report.add((node, sh("value"), value))
            if path is not None:
                report.add((node, sh("resultPath"), path))
            report.add((node, sh("sourceConstraint"), check.constraint))
            for m in messages:
                report.add((node, sh("resultMessage"), m))
        if seen and isinstance(check.constraint, BNode):  # as pySHACL does: the report names its constraint
            copy_closure(shapes, check.constraint, report)


def copy_closure(source, node, target) -> None:
    """Copy ``node``'s triples from ``source`` to ``target``, following blank-node objects."""
    from rdflib import BNode

    todo, done = [node], set()
    while todo:
        n = todo.pop()
        if n in done:
            continue
        done.add(n)
        for p, o in source.predicate_objects(n):
            target.add((n, p, o))
            if isinstance(o, BNode):
                todo.append(o)


# ---- results --------------------------------------------------------------------------------------------------

def _n3(term) -> str:
    return "" if term is None else term.n3()


def path_text(shapes, path) -> str:
    """A SHACL property path as text: the IRI of a predicate path, else SPARQL path syntax (``<a>/<b>``, ``^<p>``).

    >>> from rdflib import Graph, URIRef
    >>> path_text(Graph(), URIRef("http://example.org/p"))
    'http://example.org/p'
    """
    text = _path_sparql(shapes, path)
    return text[1:-1] if text.startswith("<") and text.endswith(">") and text.count("<") == 1 else text


def _path_sparql(shapes, path) -> str:
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection

    if not isinstance(path, BNode):
        return f"<{path}>"
    if (path, URIRef(RDF + "first"), None) in shapes:
        return "/".join(_path_sparql(shapes, p) for p in Collection(shapes, path))
    for local, fmt in (("inversePath", "^{}"), ("zeroOrMorePath", "({})*"), ("oneOrMorePath", "({})+"),
                       ("zeroOrOnePath", "({})?")):
        inner = shapes.value(path, URIRef(SH + local))
        if inner is not None:
            return fmt.format(_path_sparql(shapes, inner))
    alt = shapes.value(path, URIRef(SH + "alternativePath"))
    if alt is not None:
        return "(" + "|".join(_path_sparql(shapes, p) for p in Collection(shapes, alt)) + ")"
    return f"_:{path}"


def _owner(shapes, node):
    """The named shape a (possibly blank) shape node belongs to: walk up sh:property, lists and nested shapes."""
    from rdflib import BNode

    seen = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        parents = list(shapes.subjects(None, node))
        if not parents:
            break
        node = parents[0]
    return node


def _origin(origins: dict | None, focus) -> Loc | None:
    if not origins:
        return None
    iri = str(focus)
    loc = origins.get(iri)
    if loc is None:
        for suffix in _SELECTOR_SUFFIXES:
            if iri.endswith(suffix):
                loc = origins.get(iri[: -len(suffix)])
    return loc


def _results(report, shapes, origins) -> list[Result]:
    from rdflib import URIRef

    sh = lambda local: URIRef(SH + local)  # noqa: E731
    out = []
    top_level = (o for r in report.subjects(URIRef(RDF + "type"), sh("ValidationReport"))
                 for o in report.objects(r, sh("result")))  # not the nested sh:detail results of sh:node
    for node in top_level:
        source_shape = report.value(node, sh("sourceShape"))
        focus = report.value(node, sh("focusNode"))
        path = report.value(node, sh("resultPath"))
        graph = shapes if path is not None and (path, None, None) in shapes else report
        severity = str(report.value(node, sh("resultSeverity")))
        out.append(Result(
            severity=SEVERITIES.get(severity, severity),
            shape=str(_owner(shapes, source_shape)),
            focus=focus,
            path=None if path is None else path_text(graph, path),
            value=report.value(node, sh("value")),
            component=str(report.value(node, sh("sourceConstraintComponent"))),
            messages=tuple(sorted(str(m) for m in report.objects(node, sh("resultMessage")))),
            origin=_origin(origins, focus)))
    return sorted(out, key=Result.sort_key)


# ---- entry point ----------------------------------------------------------------------------------------------

def _store_of(graph):
    import pyoxigraph as ox

    from gsomia_kg.serialize import ox_triples

    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox_triples(graph))
    return store


def _graph_of(store):
    """An rdflib ``Graph`` of a Store's default graph (only when some shape is left to pySHACL)."""
    import pyoxigraph as ox
    import rdflib

    from gsomia_kg.serialize import rdflib_term

    graph = rdflib.Graph()
    graph.addN((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object), graph)
               for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return graph


# the shape predicates with which pySHACL may read any triple of the data graph
_READS_ANY = {SH + local for local in ("closed", "sparql", "target", "select", "ask", "targetValidator")}


@dataclass(frozen=True)
class Reads:
    """What of the data graph pySHACL can read for some shapes: triples with these predicates, and the
    ``rdf:type`` triples whose class is one of ``classes`` or a subclass of one (all of them if ``rdf:type``
    is itself in ``predicates``)."""

    predicates: frozenset[str]
    classes: frozenset[str]


def reads(shapes, roots) -> Reads | None:
    """What pySHACL can read of the data graph when it validates ``roots``, or None if it may read any triple.

    Targets, paths (``sh:inversePath``, sequences, alternatives...), nested shapes and value checks read only
    triples whose predicate is named somewhere in the shapes reachable from the roots, the ``rdfs:subClassOf``
    hierarchy, and ``rdf:type`` triples for class targets and ``sh:class`` (which only ask whether a node has one of
    the named classes or a subclass of one). It is None with ``sh:closed``, SHACL-SPARQL, SPARQL-based targets and
    custom constraint components, which read anything.
    """
    from rdflib import BNode, URIRef

    custom = {str(path) for comp in shapes.subjects(URIRef(RDF + "type"), URIRef(SH + "ConstraintComponent"))
              for param in shapes.objects(comp, URIRef(SH + "parameter"))
              for path in shapes.objects(param, URIRef(SH + "path")) if not str(path).startswith(SH)}
    predicates, iris = {RDFS + "subClassOf"}, set()
    seen, todo = set(roots), list(roots)
    while todo:
        node = todo.pop()
        if isinstance(node, URIRef):
            iris.add(str(node))
        for p, o in shapes.predicate_objects(node):
            if str(p) in _READS_ANY or str(p) in custom:
                return None
            if isinstance(o, URIRef):
                iris.add(str(o))
            if isinstance(o, (URIRef, BNode)) and o not in seen:
                seen.add(o)
                todo.append(o)
    return Reads(frozenset(predicates | iris), frozenset(iris))


def exact_subgraph(lines: list[str], what: Reads | None):
    """An rdflib ``Graph`` of the N-Triples ``lines`` (all of them, or what ``what`` says pySHACL reads), as written."""
    from gsomia_kg.compiled import lines_by_predicate, rdflib_graph_of, split

    if what is None:
        return rdflib_graph_of(lines)
    type_iri = f"<{RDF}type>"
    found = lines_by_predicate(lines, {f"<{p}>" for p in what.predicates} | {type_iri})
    typed = [] if RDF + "type" in what.predicates else found.pop(type_iri)  # all kept, or only the classes named
    chosen = [line for group in found.values() for line in group]
    parents: dict[str, set[str]] = {}
    for line in found.get(f"<{RDFS}subClassOf>", ()):
        s, _, o = split(line)
        parents.setdefault(s, set()).add(o)
    named = {f"<{c}>" for c in what.classes}

    def relevant(cls: str, path: frozenset = frozenset()) -> bool:
        return cls in named or any(relevant(up, path | {cls}) for up in parents.get(cls, ()) if up not in path)

    keep = {cls: relevant(cls) for cls in {split(line)[2] for line in typed}}
    chosen += [line for line in typed if keep[split(line)[2]]]
    chosen.sort()
    return rdflib_graph_of(chosen)


def _leftover_shapes(core, translated):
    """The shapes graph pySHACL gets: the translated roots lose their targets (they stay usable via sh:node)."""
    import rdflib

    from gsomia_kg.core_sparql import RDFS

    drop_targets = {rdflib.URIRef(SH + t) for t in ("targetClass", "targetNode", "targetSubjectsOf",
                                                      "targetObjectsOf", "target")}
    class_types = {rdflib.URIRef(RDFS + "Class"),
                   *core.subjects(rdflib.URIRef(RDFS + "subClassOf"), rdflib.URIRef(RDFS + "Class"))}
    done = set(translated)
    graph = rdflib.Graph()
    for prefix, ns in core.namespaces():
        graph.bind(prefix, ns, override=True, replace=True)
    graph.addN((s, p, o, graph) for s, p, o in core
               if not (s in done and (p in drop_targets or (p == rdflib.RDF.type and o in class_types))))
    return graph


def _pyshacl(data, shapes):
    import rdflib
    from pyshacl import validate as pyshacl_validate
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

    try:
        _conforms, report, _text = pyshacl_validate(
            data, shacl_graph=shapes, inference="none", advanced=False, js=False, do_owl_imports=False,
            meta_shacl=False, abort_on_first=False, allow_infos=False, allow_warnings=False)
    except (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError) as exc:
        raise GsomiaError(Problem("<shapes>", None, None, f"the shapes are not valid SHACL: {exc}")) from None
    if not isinstance(report, rdflib.Graph):  # pySHACL reports some broken shapes this way
        raise GsomiaError(Problem("<shapes>", None, None, f"the shapes are not valid SHACL: {report}"))
    return report


def _empty_report():
    import rdflib

    report = rdflib.Graph()
    report.add((rdflib.BNode(), rdflib.RDF.type, rdflib.URIRef(SH + "ValidationReport")))
    return report


def _as_in(graph, shapes, value, focus=None, path=None):
    """The term as ``graph`` spells it: a Store writes ``"x"`` as ``"x"^^xsd:string`` and keeps typed literals in
    canonical form (``"3.0"^^xsd:decimal`` as ``"3"``); pySHACL reports the data graph's own term."""
    from rdflib import Literal, URIRef

    if graph is None or not isinstance(value, Literal) or (None, None, value) in graph or (value, None, None) in graph:
        return value
    if value.datatype == URIRef(PREFIXES["xsd"] + "string") and (None, None, Literal(str(value))) in graph:
        return Literal(str(value))
    if focus is None:
        return value
    import pyoxigraph as ox
    from pyshacl.helper.expression_helper import value_nodes_from_path

    from gsomia_kg.serialize import rdflib_term

    candidates = {focus} if path is None else value_nodes_from_path(_SG(shapes), focus, path, graph)
    for c in candidates:
        if isinstance(c, Literal) and not c.language and c.datatype is not None:
            store = ox.Store()
            store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"),
                              ox.Literal(str(c), datatype=ox.NamedNode(str(c.datatype)))))
            if rdflib_term(next(iter(store)).object) == value:
                return c
    return value


def _maybe_rewritten(value) -> bool:
    """Whether a Store may spell this result value differently from the data (a typed literal)."""
    from rdflib import Literal

    return isinstance(value, Literal) and value.datatype is not None


def _path_iris(shapes, rows) -> set[str]:
    """Every IRI in the result paths of ``rows``: the predicates that lead to their values."""
    from rdflib import BNode, URIRef

    found: set[str] = set()
    todo = [row[3] for row in rows if row[3] is not None]
    seen = set(todo)
    while todo:
        node = todo.pop()
        if isinstance(node, URIRef):
            found.add(str(node))
        elif isinstance(node, BNode):
            for o in shapes.objects(node, None):
                if o not in seen:
                    seen.add(o)
                    todo.append(o)
    return found


class _SG:
    """The one attribute of a pySHACL ShapesGraph that its path helper reads."""

    def __init__(self, graph):
        self.graph = graph


def _add_core_results(rows, shapes, report, graph=None) -> None:
    """Add translated SHACL Core results to ``report`` as pySHACL writes them (blank shapes and paths copied)."""
    from rdflib import BNode, URIRef

    sh = lambda local: URIRef(SH + local)  # noqa: E731
    report_node = report.value(predicate=URIRef(RDF + "type"), object=sh("ValidationReport"))
    info: dict = {}
    copied: set = set()
    for focus, value, shape, path, component in rows:
        focus = _as_in(graph, shapes, focus)
        value = _as_in(graph, shapes, value, focus, path)
        if shape not in info:
            info[shape] = (shapes.value(shape, sh("severity")) or sh("Violation"),
                           list(shapes.objects(shape, sh("message"))))
        severity, messages = info[shape]
        node = BNode()
        report.add((report_node, sh("result"), node))
        report.add((node, URIRef(RDF + "type"), sh("ValidationResult")))
        report.add((node, sh("sourceConstraintComponent"), sh(component)))
        report.add((node, sh("sourceShape"), shape))
        report.add((node, sh("resultSeverity"), severity))
        report.add((node, sh("focusNode"), focus))
        if value is not None:
            report.add((node, sh("value"), value))
        if path is not None:
            report.add((node, sh("resultPath"), path))
        for m in messages:
            report.add((node, sh("resultMessage"), m))
        for term in (shape, path):
            if isinstance(term, BNode) and term not in copied:
                copied.add(term)
                copy_closure(shapes, term, report)


def validate(graph, shapes=None, origins: dict | None = None, *, engine: str = "fast",
             store=None, lines: list[str] | None = None) -> ValidationReport:
    """Validate a graph against ``shapes`` (files, a folder, an rdflib ``Graph``; default: the shipped shapes).

    The data: an rdflib ``Graph`` (``graph``), or None with a pyoxigraph ``Store`` (``store``), best with the same
    triples as sorted N-Triples ``lines`` as written (``CompiledGraph.lines``). A Store keeps literals in canonical
    form; with the lines (or the graph) literals are checked as written, and the shapes pySHACL must run see an
    rdflib graph of only the triples they can read (``reads``), made from the lines. ``origins``
    (``BuildResult.origins``) gives each result the mapping file:line of its focus node. ``engine``: ``"fast"``
    (SHACL Core translated to SPARQL and SHACL-SPARQL over the whole graph, both in pyoxigraph; pySHACL only for
    the shapes the translation leaves over) or ``"pyshacl"`` (pySHACL for everything). ``report.engine`` says what
    ran.
    """
    import rdflib

    if engine not in ("fast", "pyshacl"):
        raise ValueError(f"unknown engine {engine!r}")
    if graph is None and store is None:
        raise ValueError("give a graph or a store")
    shapes_graph = shapes if isinstance(shapes, rdflib.Graph) else load_shapes(shapes)
    _guard(shapes_graph)
    used: dict = {"engine": engine, "pyshacl": False, "pyshacl_shapes": [], "translated_shapes": 0}

    def data(what: Reads | None):
        if graph is not None:
            return graph
        return exact_subgraph(lines, what) if lines is not None else _graph_of(store)

    if engine == "pyshacl":
        report = _pyshacl(data(None), shapes_graph)
        used.update(pyshacl=True)
    else:
        from gsomia_kg import core_sparql

        core, checks = _split(shapes_graph)
        if store is None:
            store = _store_of(graph)
        plan = core_sparql.plan(core, store, strict_literals=graph is not None or lines is not None,
                                written=graph is None and lines is not None)
        used.update(translated_shapes=len(plan.translated), pyshacl_shapes=[str(s) for s in plan.leftover],
                    fallback_reasons={str(s): r for s, r in plan.reasons.items()})
        if plan.leftover:
            what = reads(core, plan.leftover)
            report = _pyshacl(data(what), _leftover_shapes(core, plan.translated))
            used.update(pyshacl=True, pyshacl_data="all triples" if what is None else "the triples its shapes read")
        else:
            report = _empty_report()
        rows = core_sparql.run(plan.checks, store, lines)
        exact = graph
        if exact is None and lines is not None and any(_maybe_rewritten(row[1]) for row in rows):
            exact = exact_subgraph(lines, Reads(frozenset(_path_iris(shapes_graph, rows)), frozenset()))
        _add_core_results(rows, shapes_graph, report, exact)
        if checks:
            _run_sparql(checks, store, shapes_graph, report)
    results = _results(report, shapes_graph, origins)
    report_node = report.value(predicate=rdflib.RDF.type, object=rdflib.URIRef(SH + "ValidationReport"))
    report.set((report_node, rdflib.URIRef(SH + "conforms"), rdflib.Literal(not results)))
    names = {str(s): str(o) for s, o in shapes_graph.subject_objects(rdflib.URIRef(SH + "name"))
             if isinstance(s, rdflib.URIRef)}
    for prefix, ns in {**PREFIXES, "gks": SHAPES_NS}.items():
        report.bind(prefix, ns, override=True, replace=True)
    return ValidationReport(report, results, names, used)
