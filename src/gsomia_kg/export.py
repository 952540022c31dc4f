"""Export a compiled corpus in every standard RDF format, byte for byte the same on every run.

The library entry points are ``export(result, fmt, meta=...) -> bytes`` and ``export_corpus(path, fmt)``. The
export is a set of named graphs (``build_parts``): one per source, one of accepted facts, the ontology (optional)
and the dataset description. N-Quads and TriG keep the graphs; the other formats write their union.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gsomia_kg.errors import GsomiaError, Problem


@dataclass(frozen=True)
class Format:
    """An output format: canonical name, file extension, media type, and whether it keeps named graphs."""

    name: str
    extension: str
    media_type: str
    datasets: bool = False


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("turtle", ".ttl", "text/turtle"),
    Format("ntriples", ".nt", "application/n-triples"),
    Format("nquads", ".nq", "application/n-quads", datasets=True),
    Format("trig", ".trig", "application/trig", datasets=True),
    Format("jsonld", ".jsonld", "application/ld+json"),
    Format("rdfxml", ".rdf", "application/rdf+xml"),
)}
ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads", "n-quads": "nquads",
           "json-ld": "jsonld", "xml": "rdfxml", "rdf/xml": "rdfxml", "rdf": "rdfxml"}
EXTENSIONS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig",
              ".jsonld": "jsonld", ".json": "jsonld", ".rdf": "rdfxml", ".xml": "rdfxml", ".owl": "rdfxml"}
FORMAT_NAMES = sorted(set(FORMATS) | set(ALIASES))
DEFAULT_QUERIES = object()  # sentinel: read the package's named queries
_BASE = re.compile(r"^https?://[^\s<>\"{}|\\^`#?]+/$")


def resolve_format(fmt: str | None, path: str | Path | None = None) -> str:
    """The canonical format name from an explicit name, else from the file extension, else Turtle."""
    if fmt:
        name = ALIASES.get(fmt.lower(), fmt.lower())
        if name not in FORMATS:
            raise GsomiaError(Problem("--format", None, None, f"unknown format {fmt!r}",
                                      f"use one of {', '.join(FORMAT_NAMES)}"))
        return name
    if path is not None:
        suffix = Path(path).suffix.lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
        raise GsomiaError(Problem(str(path), None, None, f"cannot tell the format from the extension {suffix!r}",
                                  f"give --format ({', '.join(FORMATS)})"))
    return "turtle"


def check_base(base: str) -> str:
    if not _BASE.match(base):
        raise GsomiaError(Problem("--base", None, None, f"base {base!r} must be an http(s) IRI ending in '/'",
                                  "e.g. --base https://example.org/gsomia/"))
    return base


def rebase(lines: list[str], old: str, new: str) -> list[str]:
    """Replace the ``old`` base by ``new`` at the start of every IRI of sorted N-Triples lines (literals, datatypes
    included, are left alone); the result is sorted again."""
    from gsomia_kg.compiled import split

    if old == new:
        return lines
    old_start, new_start = "<" + old, "<" + new

    def term(text: str) -> str:
        return new_start + text[len(old_start):] if text.startswith(old_start) else text

    out = []
    for line in lines:
        s, p, o = split(line)
        out.append(f"{term(s)} {term(p)} {term(o)} .\n")
    out.sort()
    return out


@dataclass
class _Assembled:
    """The export before it is split or joined: the data lines and the small extra graphs."""

    base: str
    data: list[str]  # the compiled graph's lines (rebased)
    iris: set[str] | None  # the IRIs of ``data`` when known without reading it (not rebased)
    extra: dict[str, list[str]]  # ontology and description graphs: IRI -> sorted lines


def _assemble(result, meta, with_ontology: bool, base: str | None, description: bool,
              queries_dir) -> _Assembled:
    import pyoxigraph as ox

    from gsomia_kg import dataset, named_graphs
    from gsomia_kg.compiled import Summary, lines_of
    from gsomia_kg.resources import ontology_file

    meta = meta if meta is not None else getattr(result, "meta", None)
    if meta is None:
        raise TypeError("the export needs the corpus metadata: pass meta= (see export_corpus)")
    new_base = check_base(base) if base else meta.base
    compiled = result.compiled
    data = rebase(compiled.lines, meta.base, new_base)
    summary = compiled.summary if data is compiled.lines else None
    if summary is None or summary.grouping != named_graphs.GROUPING:
        summary = Summary.of_lines(data, **named_graphs.summary_options())
    sizes = named_graphs.sizes(summary, new_base)
    titles = {named_graphs.facts_graph(new_base): "Accepted facts: entities and the triples the corpus accepts"}
    for graph in sizes:
        if graph.startswith(f"{new_base}graph/source/"):
            titles[graph] = f"What source {graph.rsplit('/', 1)[1]} says: its claims, statements, dates and evidence"
    extra: dict[str, list[str]] = {}
    if with_ontology:
        graph = named_graphs.ontology_graph(new_base)
        extra[graph] = lines_of(ox.parse(path=str(ontology_file())))
        titles[graph] = "The gsomia-kg ontology"
        sizes[graph] = len(extra[graph])
    if description:
        folder = dataset.default_queries_dir() if queries_dir is DEFAULT_QUERIES else queries_dir
        queries = dataset.read_queries(Path(folder) if folder is not None else None)
        stats = dataset.union_stats(data, summary, [line for lines in extra.values() for line in lines])
        about = dataset.describe(meta, new_base, dict(sorted(sizes.items())), stats, titles=titles, queries=queries)
        extra[named_graphs.description_graph(new_base)] = lines_of(about)
    return _Assembled(new_base, data, set(compiled.iris) if data is compiled.lines else None, extra)


def line_parts(result, *, meta=None, with_ontology: bool = False, base: str | None = None,
               description: bool = True, queries_dir=DEFAULT_QUERIES) -> dict[str, list[str]]:
    """The export as named graphs: graph IRI -> sorted, distinct N-Triples lines (the form every writer starts from).

    ``result`` is a ``BuildResult``; ``meta`` the corpus metadata (``model.CorpusMeta``; taken from ``result.meta``
    when the result carries it); ``base`` rebases the data IRIs from the corpus base; ``queries_dir`` is where the
    example queries are read (default: the package's ``queries/``; ``None`` for none).
    """
    from gsomia_kg import named_graphs

    done = _assemble(result, meta, with_ontology, base, description, queries_dir)
    parts = named_graphs.partition(done.data, done.base)
    return dict(sorted({**parts, **done.extra}.items()))


def union_lines(result, *, meta=None, with_ontology: bool = False, base: str | None = None,
                description: bool = True, queries_dir=DEFAULT_QUERIES) -> tuple[list[str], set[str]]:
    """The union of ``line_parts`` (sorted, distinct lines) and the IRIs it uses, without splitting the graph."""
    from gsomia_kg.compiled import merge
    from gsomia_kg.serialize import line_iris

    done = _assemble(result, meta, with_ontology, base, description, queries_dir)
    union = merge(done.data, *done.extra.values())
    if done.iris is None:
        return union, line_iris(union)
    return union, done.iris | line_iris(line for lines in done.extra.values() for line in lines)


def build_parts(result, **options) -> dict[str, list]:
    """``line_parts`` as pyoxigraph ``Triple`` objects: graph IRI -> sorted triples (same options)."""
    from gsomia_kg.compiled import triples_of

    return {graph: triples_of(lines) for graph, lines in line_parts(result, **options).items()}


def render(parts: dict[str, list], fmt: str, base: str, frame: str | None = None) -> bytes:
    """Serialize named graphs in ``fmt``: quads for N-Quads/TriG, the union of the graphs otherwise.

    ``parts`` maps graph IRIs to sorted N-Triples lines (``line_parts``) or to pyoxigraph triples (``build_parts``).
    """
    from gsomia_kg.compiled import lines_of, merge
    from gsomia_kg.serialize import dataset_prefixes, line_iris, nquads, trig

    fmt = resolve_format(fmt)
    _check_frame(fmt, frame)
    parts = {g: lines_of(ts) if ts and not isinstance(ts[0], str) else ts for g, ts in parts.items()}
    if fmt == "nquads":
        return nquads(parts)
    if fmt == "trig":
        return trig(parts, dataset_prefixes(parts))
    union = merge(*parts.values())
    return render_union(union, line_iris(union), fmt, base, frame)


def _check_frame(fmt: str, frame: str | None) -> None:
    if frame is not None and fmt != "jsonld":
        raise GsomiaError(Problem("--frame", None, None, "a frame applies to JSON-LD only", "add --format jsonld"))


def render_union(union: list[str], iris: set[str], fmt: str, base: str, frame: str | None = None) -> bytes:
    """Serialize sorted, distinct lines (``union_lines``) in a format without named graphs."""
    return b"".join(render_union_chunks(union, iris, fmt, base, frame))


def render_union_chunks(union: list[str], iris: set[str], fmt: str, base: str,
                        frame: str | None = None) -> Iterator[bytes]:
    """``render_union`` as a sequence of byte chunks: N-Triples and Turtle are made a chunk at a time."""
    from gsomia_kg import jsonld
    from gsomia_kg.compiled import encoded, triples_of
    from gsomia_kg.serialize import prefixes_for, sort_xmlns, turtle_chunks

    fmt = resolve_format(fmt)
    _check_frame(fmt, frame)
    if FORMATS[fmt].datasets:
        raise ValueError(f"{fmt} keeps named graphs: use render(line_parts(...))")
    if fmt == "ntriples":
        yield from encoded(union)
    elif fmt == "turtle":
        yield from turtle_chunks(union, prefixes_for(iris))
    elif fmt == "jsonld":
        triples = triples_of(union)
        yield jsonld.dumps(jsonld.frame(triples, frame, base) if frame else jsonld.compact(triples, base))
    else:
        import pyoxigraph as ox

        yield sort_xmlns(ox.serialize(triples_of(union), format=ox.RdfFormat.RDF_XML,
                                       prefixes=prefixes_for(iris)))


@dataclass(frozen=True)
class Exported:
    """An export as byte chunks (an iterator: read it once), its distinct triples and named graphs (0: none)."""

    chunks: Iterator[bytes]
    triples: int
    graphs: int


def export_data(result, fmt: str = "turtle", *, meta=None, with_ontology: bool = False, base: str | None = None,
                frame: str | None = None, description: bool = True, queries_dir=DEFAULT_QUERIES) -> Exported:
    """The export of a compiled corpus in ``fmt`` with its counts (nothing is written). Formats without named
    graphs are written from the union of the graphs, which is made without splitting the data, a chunk at a time
    for N-Triples and Turtle."""
    meta = meta if meta is not None else getattr(result, "meta", None)
    options = dict(meta=meta, with_ontology=with_ontology, base=base, description=description,
                   queries_dir=queries_dir)
    fmt = resolve_format(fmt)
    _check_frame(fmt, frame)
    if FORMATS[fmt].datasets:
        parts = line_parts(result, **options)
        data = render(parts, fmt, base or meta.base, frame)
        return Exported(iter((data,)), len(set().union(*parts.values())), len(parts))
    union, iris = union_lines(result, **options)
    return Exported(render_union_chunks(union, iris, fmt, base or meta.base, frame), len(union), 0)


def export(result, fmt: str = "turtle", **options) -> bytes:
    """The export of a compiled corpus in ``fmt`` as bytes (options as for ``export_data``)."""
    return b"".join(export_data(result, fmt, **options).chunks)


def compile_with_meta(path: str | Path):
    """Load and compile a corpus folder: ``(BuildResult, CorpusMeta)``."""
    from gsomia_kg.graph import build_graph
    from gsomia_kg.loader import load_corpus

    corpus = load_corpus(path)
    return build_graph(corpus), corpus.meta


def export_corpus(path: str | Path, fmt: str = "turtle", **options) -> bytes:
    """Compile the corpus at ``path`` and export it (options as for ``export``)."""
    result, meta = compile_with_meta(path)
    return export(result, fmt, meta=meta, **options)
