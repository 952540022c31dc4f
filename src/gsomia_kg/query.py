"""SPARQL over the compiled corpus (or another RDF file): named queries, typed parameters, two engines, time limits.

``run_query`` is the library entry point. The query is checked by ``sparql_guard`` before any engine sees it;
parameters become RDF terms bound with the engine's own mechanism (pyoxigraph ``substitutions``, rdflib
``initBindings``), never pasted into the text; with a timeout the evaluation runs in a forked worker process that is
killed when the time is up (neither engine can be interrupted from Python mid-query).
"""

from __future__ import annotations

import os
import pickle
import re
import select
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gsomia_kg.errors import GsomiaError, Problem
from gsomia_kg.namespaces import GK, PREFIXES, XSD
from gsomia_kg.results import RDF_LANGSTRING, XSD_STRING, QueryResult, Term
from gsomia_kg.sparql_guard import QueryInfo, check_algebra, parse_with_rdflib, scan

ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"  # measured: same rows, 10-100x faster, and no rdflib import on a cache hit
PARAM_TYPES = ("entity", "property", "date", "end-date", "string", "integer", "term")
RDF_TYPE = PREFIXES["rdf"] + "type"
NODE_TYPES = frozenset(GK + c for c in ("Claim", "EvidenceSpan", "DateSpecification", "Participation")) | frozenset(
    PREFIXES["oa"] + c for c in ("TextQuoteSelector", "TextPositionSelector", "SpecificResource"))
_HEADER = re.compile(r"^#\s*(title|description|param):\s?(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*) \((?P<type>[a-z-]+)\)(?: = (?P<default>\S+))?: (?P<description>.+)$")
_OX_SYNTAX = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


# ---- the named-query library -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A shipped query file with its header: ``# title:``, ``# description:`` and ``# param:`` lines."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path


def parse_named_query(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its header comment (continuation lines start with ``#`` and two spaces)."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": []}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m:
            last = m.group(1)
            fields[last].append(m.group(2).strip())
        elif last and line.startswith("#  ") and fields[last]:
            fields[last][-1] += " " + line[1:].strip()
    params = []
    for spec in fields["param"]:
        m = _PARAM.match(spec)
        if not m or m.group("type") not in PARAM_TYPES:
            raise GsomiaError(Problem(str(path), None, None, f"bad parameter line {spec!r}",
                                      "write: # param: NAME (TYPE) = DEFAULT: description; TYPE is one of "
                                      + ", ".join(PARAM_TYPES)))
        params.append(Parameter(m.group("name"), m.group("type"), m.group("default"), m.group("description")))
    return NamedQuery(path.stem, " ".join(fields["title"]), " ".join(fields["description"]), tuple(params), text,
                      path)


def queries_dir() -> Path:
    from gsomia_kg.resources import data_path

    return data_path("queries")


def named_queries() -> dict[str, NamedQuery]:
    """Every shipped named query, by name."""
    return {p.stem: parse_named_query(p) for p in sorted(queries_dir().glob("*.rq"))}


def get_named_query(name: str) -> NamedQuery:
    path = queries_dir() / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        import difflib

        known = sorted(p.stem for p in queries_dir().glob("*.rq"))
        close = difflib.get_close_matches(name, known, n=1)
        raise GsomiaError(Problem("<query name>", None, None, f"no named query {name!r}",
                                  f"did you mean {close[0]!r}?" if close else "list them with: gsomia-kg queries"))
    return parse_named_query(path)


# ---- loading the graph -------------------------------------------------------------------------------------------
@dataclass
class LoadedGraph:
    """The data a query runs on, in the form one engine needs."""

    engine: str
    handle: object  # pyoxigraph.Store or rdflib.Graph / rdflib.Dataset
    prefixes: dict[str, str]
    union: bool = False  # the data has named graphs: the default graph is their union

    _ids: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def subjects_ending(self, suffix: str) -> list[str]:
        """IRIs of typed resources (entities, sources, statements, disagreements: not the compiler's claim, span,
        date or participation nodes) whose IRI ends with ``suffix``; used to turn an id into an IRI.

        The first call indexes those resources by their last path segment (one pass over the typed resources), so
        that looking up ``/<id>`` afterwards costs nothing however large the graph; the graph must not change
        once loaded."""
        if self._ids is None:
            self._ids = {}
            for iri in sorted(self._typed_resources()):
                self._ids.setdefault(iri.rsplit("/", 1)[-1], []).append(iri)
        if suffix.startswith("/") and "/" not in suffix[1:]:
            return list(self._ids.get(suffix[1:], ()))
        return sorted(iri for iris in self._ids.values() for iri in iris if iri.endswith(suffix))

    def _typed_resources(self) -> set[str]:
        """Every IRI with an rdf:type, none of which is one of the compiler's node types (``NODE_TYPES``)."""
        if self.engine == "oxigraph":
            import pyoxigraph as ox

            rdf_type = ox.NamedNode(RDF_TYPE)
            # only the members of the other classes are read: the node types are most of the graph's resources
            classes = {s[0] for s in self.handle.query(f"SELECT DISTINCT ?c WHERE {{ ?s <{RDF_TYPE}> ?c }}",
                                                       use_default_graph_as_union=True)}
            candidates = {q.subject for c in classes if c.value not in NODE_TYPES
                          for q in self.handle.quads_for_pattern(None, rdf_type, c)
                          if isinstance(q.subject, ox.NamedNode)}
            return {s.value for s in candidates
                    if not any(q.object.value in NODE_TYPES for q in self.handle.quads_for_pattern(s, rdf_type, None))}
        from rdflib import URIRef

        typed: dict[str, set[str]] = {}
        for s, _, o in self.handle.triples((None, URIRef(RDF_TYPE), None)):
            if isinstance(s, URIRef):
                typed.setdefault(str(s), set()).add(str(o))
        return {iri for iri, types in typed.items() if not types & NODE_TYPES}


def load_graph(*, corpus: Path | None = None, data: Path | None = None, data_format: str | None = None,
               engine: str = DEFAULT_ENGINE, use_cache: bool = True, max_bytes: int | None = None) -> LoadedGraph:
    """Load ``data`` (an RDF file; format from ``data_format`` or the extension; at most ``max_bytes``, default
    1 GiB) or the compiled ``corpus`` (default: the shipped one) for ``engine``."""
    if engine not in ENGINES:
        raise GsomiaError(f"unknown engine {engine!r} (choose {' or '.join(ENGINES)})")
    if data is not None:
        return _load_file(Path(data), engine, data_format, max_bytes)
    from gsomia_kg.cache import compiled_ntriples
    from gsomia_kg.resources import default_corpus

    nt, base = compiled_ntriples(corpus or default_corpus(), use_cache=use_cache)
    prefixes = dict(PREFIXES)
    if base:
        prefixes[""] = base
    if engine == "oxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES)
        return LoadedGraph(engine, store, prefixes)
    import pyoxigraph as ox

    return LoadedGraph(engine, _to_rdflib(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), dataset=False), prefixes)


def _load_file(path: Path, engine: str, fmt: str | None = None, max_bytes: int | None = None) -> LoadedGraph:
    """Read an RDF file strictly (``rdfinput``: size cap, no DOCTYPE, no remote JSON-LD context)."""
    import pyoxigraph as ox

    from gsomia_kg.rdfinput import read_quads

    # capped read: /dev/zero or a huge file stops at the limit, not at MemoryError
    quads = read_quads(path, fmt, max_bytes)
    union = any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    prefixes = dict(PREFIXES)
    base = _guess_base(quads)
    if base:
        prefixes[""] = base
    if engine == "oxigraph":
        store = ox.Store()
        store.extend(quads)
        return LoadedGraph(engine, store, prefixes, union)
    return LoadedGraph(engine, _to_rdflib(quads, dataset=union), prefixes, union)


def _guess_base(quads: list) -> str | None:
    """The corpus base of an exported graph (the IRI before ``source/`` of its sources), for shorter display."""
    source_class = GK + "Source"
    for q in quads:
        if q.predicate.value == RDF_TYPE and q.object.value == source_class and "/source/" in q.subject.value:
            return q.subject.value.rsplit("/source/", 1)[0] + "/"
    return None


def _ox_position(message: str) -> tuple[int | None, int | None, str]:
    """pyoxigraph's "error at LINE:COLUMN: ..." as (line, column, message)."""
    m = _OX_SYNTAX.match(message)
    if m:
        return int(m.group(1)), int(m.group(2)), f"SPARQL syntax error: {m.group(3)}"
    return None, None, f"SPARQL syntax error: {message}"


def _to_rdflib(quads, dataset: bool):
    """pyoxigraph quads -> an rdflib Graph (or a Dataset whose default graph is the union of its graphs)."""
    import pyoxigraph as ox
    import rdflib
    from rdflib import BNode, Literal, URIRef

    rdflib.NORMALIZE_LITERALS = False
    memo: dict[object, object] = {}

    def conv(t):
        hit = memo.get(t)
        if hit is not None:
            return hit
        if isinstance(t, ox.NamedNode):
            r = URIRef(t.value)
        elif isinstance(t, ox.Literal):
            r = Literal(t.value, lang=t.language) if t.language else Literal(t.value, datatype=URIRef(t.datatype.value))
        elif isinstance(t, ox.BlankNode):
            r = BNode(t.value)
        else:
            raise GsomiaError(f"RDF-star triple terms are not supported by the rdflib engine: {t}")
        memo[t] = r
        return r

    if not dataset:
        g = rdflib.Graph()
        g.addN((conv(q.subject), conv(q.predicate), conv(q.object), g) for q in quads)
        return g
    ds = rdflib.Dataset(default_union=True)
    for q in quads:
        name = None if isinstance(q.graph_name, ox.DefaultGraph) else conv(q.graph_name)
        ctx = ds.default_graph if name is None else ds.graph(name)
        ctx.add((conv(q.subject), conv(q.predicate), conv(q.object)))
    return ds


# ---- parameters --------------------------------------------------------------------------------------------------
def resolve_parameters(given: dict[str, str], declared: tuple[Parameter, ...] | None, info: QueryInfo,
                       graph: LoadedGraph) -> dict[str, Term]:
    """Turn ``name=value`` strings into RDF terms: declared types (and defaults) for named queries, a best guess
    (``term``) for ad-hoc ones. Entity ids become the IRI of the resource whose IRI ends with ``/<id>``."""
    if declared is None:
        declared = tuple(Parameter(n, "term", None, "") for n in given)
        for name in given:
            if name not in info.variables:
                raise GsomiaError(Problem("--param", None, None, f"the query has no variable ?{name}",
                                          f"variables: {', '.join(sorted(info.variables)) or 'none'}"))
    else:
        unknown = sorted(set(given) - {p.name for p in declared})
        if unknown:
            names = ", ".join(p.name for p in declared) or "none"
            raise GsomiaError(Problem("--param", None, None, f"unknown parameter {unknown[0]!r}",
                                      f"this query takes: {names}"))
    out: dict[str, Term] = {}
    for p in declared:
        value = given.get(p.name, p.default)
        if value is None:
            continue
        out[p.name] = to_term(p, value, graph)
    return out


def to_term(p: Parameter, value: str, graph: LoadedGraph) -> Term:
    """One parameter value as an RDF term of the parameter's type."""
    from gsomia_kg.dates import parse_partial_date

    def bad(message: str, hint: str = "") -> GsomiaError:
        return GsomiaError(Problem("--param", None, None, f"{p.name}={value}: {message}", hint))

    kind = p.type
    if kind == "term":
        if (value.startswith("<") and value.endswith(">")) or _prefixed(value, graph.prefixes):
            kind = "entity"
        elif re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            kind = "date"
        elif re.fullmatch(r"[+-]?\d+", value):
            kind = "integer"
        elif re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value) and graph.subjects_ending("/" + value):
            kind = "entity"
        else:
            kind = "string"
    if kind in ("date", "end-date"):
        try:
            d = parse_partial_date(value)
        except ValueError as exc:
            raise bad(str(exc)) from None
        return Term("literal", (d.latest if kind == "end-date" else d.earliest).isoformat(), XSD + "date")
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise bad("not a whole number")
        return Term("literal", value, XSD + "integer")
    if kind == "string":
        return Term("literal", value, XSD_STRING)
    if kind == "property" and re.fullmatch(r"[A-Za-z][\w-]*", value):
        return Term("iri", GK + value)  # a bare local name: the project's own vocabulary
    return Term("iri", _resolve_iri(value, graph, bad))


def _prefixed(value: str, prefixes: dict[str, str]) -> str | None:
    m = re.fullmatch(r"([A-Za-z][\w.-]*)?:([^\s<>\"]+)", value)
    if m and (m.group(1) or "") in prefixes and "//" not in value:
        return prefixes[m.group(1) or ""] + m.group(2)
    return None


def _resolve_iri(value: str, graph: LoadedGraph, bad: Callable[..., GsomiaError]) -> str:
    import pyoxigraph as ox

    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    elif "://" in value:
        iri = value
    elif (expanded := _prefixed(value, graph.prefixes)) is not None:
        iri = expanded
    else:
        matches = graph.subjects_ending("/" + value)
        if len(matches) > 1:
            raise bad(f"{len(matches)} resources have the id {value!r}", "give the IRI: " + ", ".join(matches[:5]))
        if not matches:
            import difflib

            ids = sorted({s.rsplit("/", 1)[-1] for s in graph.subjects_ending("")})
            close = difflib.get_close_matches(value, ids, n=3)
            raise bad("no resource with that id in the graph",
                      f"did you mean {', '.join(close)}?" if close else "give an entity id like han-min-koo, or an IRI")
        iri = matches[0]
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise bad(f"not a valid IRI ({exc})") from None
    return iri


# ---- evaluation --------------------------------------------------------------------------------------------------
def _from_ox(t) -> Term | None:
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return Term("iri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    if isinstance(t, ox.Literal):
        return Term("literal", t.value, t.datatype.value, t.language)
    return Term("triple", str(t))


def _ox_rows(answer, width: int) -> list[tuple[Term | None, ...]]:
    """The solutions as rows of ``Term``; a value that recurs (a source, a type, a label) becomes one shared
    ``Term``, which saves converting it again and pickling it again (``in_worker``)."""
    memo: dict[object, Term | None] = {None: None}
    columns = range(width)
    rows = []
    for solution in answer:
        row = []
        for i in columns:
            t = solution[i]
            term = memo.get(t, memo)
            if term is memo:
                term = memo[t] = _from_ox(t)
            row.append(term)
        rows.append(tuple(row))
    return rows


def _from_rdflib(t) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if t is None:
        return None
    if isinstance(t, URIRef):
        return Term("iri", str(t))
    if isinstance(t, BNode):
        return Term("bnode", str(t))
    if isinstance(t, Literal):
        if t.language:
            return Term("literal", str(t), RDF_LANGSTRING, t.language)
        return Term("literal", str(t), str(t.datatype) if t.datatype else XSD_STRING)
    return Term("triple", str(t))


def _ox_value(t: Term):
    import pyoxigraph as ox

    if t.kind == "iri":
        return ox.NamedNode(t.value)
    return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype or XSD_STRING))


def _rdflib_value(t: Term):
    from rdflib import Literal, URIRef

    return URIRef(t.value) if t.kind == "iri" else Literal(t.value, datatype=URIRef(t.datatype or XSD_STRING))


def _evaluate(graph: LoadedGraph, text: str, form: str, bindings: dict[str, Term], source: str) -> QueryResult:
    if graph.engine == "oxigraph":
        import pyoxigraph as ox

        try:
            answer = graph.handle.query(text, prefixes=graph.prefixes, use_default_graph_as_union=graph.union,
                                        substitutions={ox.Variable(k): _ox_value(v) for k, v in bindings.items()})
            if form == "ASK":
                return QueryResult(form, boolean=bool(answer))
            if form == "SELECT":
                names = [v.value for v in answer.variables]
                return QueryResult(form, names, _ox_rows(answer, len(names)))
            return QueryResult(form, triples=[(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object))
                                              for t in answer])
        except SyntaxError as exc:
            line, column, message = _ox_position(str(exc))
            raise GsomiaError(Problem(source, line, column, message)) from None
        except (RuntimeError, OSError) as exc:
            hint = ""
            if "projection" in str(exc):
                hint = "a parameter must be a projected variable: list it after SELECT"
            raise GsomiaError(Problem(source, None, None, f"the query failed: {exc}", hint)) from None
    import rdflib.plugins.sparql as rdflib_sparql
    from rdflib import Variable

    rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never fetch anything named in a query
    prepared = parse_with_rdflib(text, graph.prefixes)
    if prepared is None:
        raise syntax_problem(text, graph.prefixes, source) or _rdflib_syntax_problem(text, source)
    check_algebra(prepared, source)  # the object checked is the object evaluated
    answer = graph.handle.query(prepared, initBindings={Variable(k): _rdflib_value(v) for k, v in bindings.items()})
    if form == "ASK":
        return QueryResult(form, boolean=bool(answer.askAnswer))
    if form == "SELECT":
        names = [str(v) for v in answer.vars]
        return QueryResult(form, names, [tuple(_from_rdflib(row[i]) for i in range(len(names))) for row in answer])
    return QueryResult(form, triples=[tuple(_from_rdflib(x) for x in t) for t in answer])


def syntax_problem(text: str, prefixes: dict[str, str], source: str) -> GsomiaError | None:
    """The syntax error pyoxigraph finds in ``text`` (line and column), if any. Only call after ``scan``."""
    import pyoxigraph as ox

    try:
        ox.Store().query(text, prefixes=prefixes)  # parses, then evaluates lazily on an empty store
    except SyntaxError as exc:
        line, column, message = _ox_position(str(exc))
        return GsomiaError(Problem(source, line, column, message))
    except (RuntimeError, OSError):
        return None
    return None


def _rdflib_syntax_problem(text: str, source: str) -> GsomiaError:
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(text)
    except Exception as exc:
        line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
        message = str(getattr(exc, "msg", exc))
        return GsomiaError(Problem(source, line, column, f"syntax error (rdflib): {message}"))
    return GsomiaError(Problem(source, None, None, "rdflib cannot translate this query",
                               "try --engine oxigraph"))


def in_worker(func: Callable[[], QueryResult], timeout: float) -> QueryResult:
    """Run ``func`` in a forked child and return its result; kill the child after ``timeout`` seconds."""
    import time

    if not hasattr(os, "fork"):
        return func()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, send the pickled outcome, exit without running any cleanup
        os.close(read_fd)
        try:
            try:
                payload = pickle.dumps(("ok", func()))
            except GsomiaError as exc:
                payload = pickle.dumps(("problems", exc.problems))
            except BaseException as exc:
                payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
            view = memoryview(payload)
            while view:
                view = view[os.write(write_fd, view):]
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_fd], [], [], left)[0]:
                raise GsomiaError(Problem("<query>", None, None,
                                          f"the query was stopped after {timeout:g} s (--timeout {timeout:g})",
                                          "narrow it (more triple patterns, a LIMIT), or raise --timeout"))
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    if not chunks:
        raise GsomiaError("the query worker died without an answer (out of memory?)")
    status, value = pickle.loads(b"".join(chunks))
    if status == "problems":
        raise GsomiaError(value)
    if status == "error":
        raise RuntimeError(value)
    return value


def run_query(text: str | None = None, *, name: str | None = None, params: dict[str, str] | None = None,
              corpus: Path | None = None, data: Path | None = None, engine: str = DEFAULT_ENGINE,
              timeout: float | None = None, use_cache: bool = True, source: str = "<query>",
              graph: LoadedGraph | None = None) -> QueryResult:
    """Run a SPARQL query (``text``) or a named query (``name``) on the corpus or on ``data``.

    Raises ``GsomiaError`` for a refused query (update, SERVICE, FROM), a syntax error (with line and column), a bad
    parameter or a timeout. ``graph`` lets a caller reuse a loaded graph across queries.
    """
    named = None
    if name is not None:
        named = get_named_query(name)
        text, source = named.text, f"queries/{named.name}.rq"
    if text is None:
        raise GsomiaError("no query given")
    info = scan(text, source)  # every query, both engines: refused before anything is parsed or loaded
    graph = graph or load_graph(corpus=corpus, data=data, engine=engine, use_cache=use_cache)
    bindings = resolve_parameters(params or {}, named.parameters if named else None, info, graph)

    def evaluate() -> QueryResult:
        return _evaluate(graph, text, info.form, bindings, source)

    return in_worker(evaluate, timeout) if timeout else evaluate()
