"""Export a compiled corpus in every standard RDF format, byte for byte the same on every run.

The library entry points are ``export(result, fmt, meta=...) -> bytes`` and ``export_corpus(path, fmt)``. The
export is a set of named graphs (``build_parts``): one per source, one of accepted facts, the ontology (optional)
and the dataset description. N-Quads and TriG keep the graphs; the other formats write their union.
"""

from __future__ import annotations

import re
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


def rebase(triples: list, old: str, new: str) -> list:
    """Replace the ``old`` base by ``new`` at the start of every IRI (literals are left alone)."""
    import pyoxigraph as ox

    if old == new:
        return list(triples)

    def term(t):
        if isinstance(t, ox.NamedNode) and t.value.startswith(old):
            return ox.NamedNode(new + t.value[len(old):])
        return t

    return [ox.Triple(term(t.subject), term(t.predicate), term(t.object)) for t in triples]


def build_parts(result, *, meta=None, with_ontology: bool = False, base: str | None = None,
                description: bool = True, queries_dir=DEFAULT_QUERIES) -> dict[str, list]:
    """The export as named graphs: graph IRI -> sorted pyoxigraph triples.

    ``meta`` is the corpus metadata (``model.CorpusMeta``; taken from ``result.meta`` when the result carries it);
    ``base`` rebases the data IRIs from the corpus base; ``queries_dir`` is where the example queries are read
    (default: the package's ``queries/``; ``None`` for none).
    """
    import pyoxigraph as ox

    from gsomia_kg import dataset, named_graphs
    from gsomia_kg.resources import ontology_file
    from gsomia_kg.serialize import ox_triples

    meta = meta if meta is not None else getattr(result, "meta", None)
    if meta is None:
        raise TypeError("build_parts needs the corpus metadata: pass meta= (see export_corpus)")
    new_base = check_base(base) if base else meta.base
    data = rebase(ox_triples(result.graph), meta.base, new_base)
    parts = named_graphs.partition(data, new_base)
    titles = {named_graphs.facts_graph(new_base): "Accepted facts: entities and the triples the corpus accepts"}
    for graph in parts:
        if graph.startswith(f"{new_base}graph/source/"):
            titles[graph] = f"What source {graph.rsplit('/', 1)[1]} says: its claims, statements, dates and evidence"
    if with_ontology:
        graph = named_graphs.ontology_graph(new_base)
        parts[graph] = sorted(set(ox.parse(path=str(ontology_file()))), key=str)
        titles[graph] = "The gsomia-kg ontology"
    if description:
        folder = dataset.default_queries_dir() if queries_dir is DEFAULT_QUERIES else queries_dir
        queries = dataset.read_queries(Path(folder) if folder is not None else None)
        about = dataset.describe(meta, new_base, parts, titles=titles, queries=queries)
        parts[named_graphs.description_graph(new_base)] = sorted(set(about), key=str)
    return dict(sorted(parts.items()))


def render(parts: dict[str, list], fmt: str, base: str, frame: str | None = None) -> bytes:
    """Serialize named graphs in ``fmt``: quads for N-Quads/TriG, the union of the graphs otherwise."""
    from gsomia_kg import jsonld, named_graphs
    from gsomia_kg.serialize import write

    fmt = resolve_format(fmt)
    if frame is not None and fmt != "jsonld":
        raise GsomiaError(Problem("--frame", None, None, "a frame applies to JSON-LD only", "add --format jsonld"))
    if FORMATS[fmt].datasets:
        return write(named_graphs.quads(parts), fmt)
    union = sorted({t for triples in parts.values() for t in triples}, key=str)
    if fmt == "jsonld":
        doc = jsonld.frame(union, frame, base) if frame else jsonld.compact(union, base)
        return jsonld.dumps(doc)
    return write(union, fmt)


def export(result, fmt: str = "turtle", *, meta=None, with_ontology: bool = False, base: str | None = None,
           frame: str | None = None, description: bool = True, queries_dir=DEFAULT_QUERIES) -> bytes:
    """The export of a compiled corpus in ``fmt`` as bytes (nothing is written)."""
    meta = meta if meta is not None else getattr(result, "meta", None)
    parts = build_parts(result, meta=meta, with_ontology=with_ontology, base=base, description=description,
                        queries_dir=queries_dir)
    return render(parts, fmt, base or meta.base, frame)


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
