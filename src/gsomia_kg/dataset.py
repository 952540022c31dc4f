"""The dataset description (VoID + DCAT): metadata, counts, classes, sources, named graphs and example queries.

Everything is computed from the exported triples and the corpus metadata, never from the clock, so the same corpus
always gives the same description. The named SPARQL queries shipped in the package (``queries/*.rq``) are
described as SHACL-SPARQL executables (``sh:select`` ...), the convention of public SPARQL example collections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gsomia_kg.iris import slugify
from gsomia_kg.namespaces import GK, PREFIXES, RDF, RDFS, SCHEMA, XSD, shorten

DCTERMS, VOID, DCAT, SH, OWL = PREFIXES["dcterms"], PREFIXES["void"], PREFIXES["dcat"], PREFIXES["sh"], PREFIXES["owl"]
FORMATS_NS = "http://www.w3.org/ns/formats/"
FEATURES = ("JSON-LD", "N-Quads", "N-Triples", "RDF_XML", "TriG", "Turtle")
_FORMS = ("select", "construct", "ask", "describe")
_HEADER_KEY = re.compile(r"^([A-Za-z][\w-]*)\s*:\s*(.*)$")


@dataclass(frozen=True)
class ExampleQuery:
    """A named query file: its name (file stem), title, description, text and form (select, ask...)."""

    name: str
    title: str
    description: str
    text: str
    form: str | None


def query_form(text: str) -> str | None:
    """The query form (``select``, ``construct``, ``ask``, ``describe``), ignoring comments and prologue.

    >>> query_form("# list\\nPREFIX gk: <https://w3id.org/gsomia-kg/ns#>\\nSELECT ?s WHERE { ?s a gk:Source }")
    'select'
    """
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r"(?is)\b(PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)", " ", body)
    match = re.search(r"(?i)\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body)
    return match.group(1).lower() if match else None


def parse_header(text: str) -> tuple[str, str]:
    """Title and description from a query's leading comment lines.

    ``# title: ...`` / ``# description: ...`` lines are used when present; otherwise the first comment line is the
    title and the following plain comment lines the description. Other ``# key: value`` lines are ignored.

    >>> parse_header("# title: Sources\\n# description: Every source\\n#   with its genre.\\nSELECT * {}")
    ('Sources', 'Every source with its genre.')
    """
    keyed: dict[str, str] = {}
    plain: list[str] = []
    last = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        content = stripped.lstrip("#").strip()
        if not content:
            last = None
            continue
        if (m := _HEADER_KEY.match(content)) and not content.lower().startswith(("http:", "https:")):
            last = m.group(1).lower()
            keyed[last] = m.group(2).strip()
        elif last is not None:  # a continuation line of the last key
            keyed[last] = f"{keyed[last]} {content}".strip()
        else:
            plain.append(content)
    title = keyed.get("title") or (plain[0] if plain else "")
    description = keyed.get("description") or " ".join(plain[1:] if "title" not in keyed else plain)
    return title, description


def read_queries(folder: Path | None) -> list[ExampleQuery]:
    """The ``*.rq`` files of ``folder`` in name order (none if the folder is missing)."""
    if folder is None or not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title, description = parse_header(text)
        out.append(ExampleQuery(path.stem, title or path.stem, description, text, query_form(text)))
    return out


def default_queries_dir() -> Path | None:
    from gsomia_kg.resources import data_path

    try:
        return data_path("queries")
    except FileNotFoundError:
        return None


def dataset_iri(base: str, ident: str) -> str:
    return f"{base}dataset/{ident}"


def _partition_key(iri: str) -> str:
    short = shorten(iri)
    return slugify(iri) if short.startswith("<") else short.replace(":", "-")


@dataclass(frozen=True)
class Stats:
    """The VoID statistics of a graph (IRIs without angle brackets)."""

    triples: int
    subjects: int
    objects: int
    predicates: frozenset[str]
    classes: dict[str, int]  # class IRI -> number of instances
    sources: list[str]  # the gk:Source IRIs


def union_stats(data: list[str], summary, more: list[str]) -> Stats:
    """The VoID statistics of sorted ``data`` (summarized by ``summary``) together with the lines ``more``
    (the ontology: small). Exact: what ``more`` repeats of ``data`` is counted once."""
    from collections import Counter

    from gsomia_kg.compiled import split

    new = [split(line) for line in sorted(set(more)) if not _holds(data, line)]
    subjects = {s for s, _, _ in new if not _has_subject(data, s)}
    objects = {o for _, _, o in new}
    if objects:  # which of them data already has as objects: one pass over the data, only with extra graphs
        objects -= {o for o in (line[:-3].split(" ", 2)[2] for line in data) if o in objects}
    typed = f"<{RDF}type>"
    classes = Counter(summary.classes) + Counter(o for _, p, o in new if p == typed)
    source = f"<{GK}Source>"
    sources = set(summary.members.get(source, ())) | {s for s, p, o in new if p == typed and o == source}
    return Stats(len(data) + len(new), summary.subjects + len(subjects), summary.objects + len(objects),
                 frozenset(p[1:-1] for p in summary.predicates | {p for _, p, _ in new}),
                 {c[1:-1]: n for c, n in classes.items() if c[0] == "<"}, sorted(s[1:-1] for s in sources))


def _holds(lines: list[str], line: str) -> bool:
    """Whether sorted ``lines`` hold ``line``."""
    import bisect

    i = bisect.bisect_left(lines, line)
    return i < len(lines) and lines[i] == line


def _has_subject(lines: list[str], subject: str) -> bool:
    """Whether sorted ``lines`` hold a triple with this subject spelling."""
    import bisect

    i = bisect.bisect_left(lines, subject + " ")
    return i < len(lines) and lines[i].startswith(subject + " ")


def describe(meta, base: str, sizes: dict[str, int], stats: Stats, *, titles: dict[str, str] | None = None,
             queries: list[ExampleQuery] = ()) -> list:
    """VoID/DCAT triples (pyoxigraph) describing the dataset whose named graphs have ``sizes`` (graph IRI -> number
    of triples) and whose union has the statistics ``stats``.

    ``meta`` is the corpus metadata (id, title, description, license, version); ``titles`` gives a title per graph
    IRI. Counts cover the data and ontology graphs, not the description itself.
    """
    import pyoxigraph as ox

    out: list = []

    def iri(value: str):
        return ox.NamedNode(value)

    def add(s: str, p: str, o) -> None:
        out.append(ox.Triple(iri(s), iri(p), iri(o) if isinstance(o, str) else o))

    def text(value: str):
        return ox.Literal(value)

    def integer(n: int):
        return ox.Literal(str(n), datatype=iri(XSD + "integer"))

    d = dataset_iri(base, meta.id)
    instances, predicates, sources = stats.classes, stats.predicates, stats.sources
    add(d, RDF + "type", VOID + "Dataset")
    add(d, RDF + "type", DCAT + "Dataset")
    add(d, DCTERMS + "identifier", text(meta.id))
    add(d, DCTERMS + "title", text(meta.title))
    add(d, DCTERMS + "description", text(meta.description))
    add(d, DCTERMS + "license", meta.license if re.match(r"^https?://\S+$", meta.license) else text(meta.license))
    add(d, OWL + "versionInfo", text(meta.version))
    add(d, DCAT + "version", text(meta.version))
    add(d, VOID + "uriSpace", text(base))
    for feature in FEATURES:
        add(d, VOID + "feature", FORMATS_NS + feature)
    add(d, VOID + "triples", integer(stats.triples))
    add(d, VOID + "distinctSubjects", integer(stats.subjects))
    add(d, VOID + "distinctObjects", integer(stats.objects))
    add(d, VOID + "properties", integer(len(predicates)))
    add(d, VOID + "classes", integer(len(instances)))
    for cls, n in sorted(instances.items()):
        node = f"{d}/class/{_partition_key(cls)}"
        add(d, VOID + "classPartition", node)
        add(node, VOID + "class", cls)
        add(node, VOID + "entities", integer(n))
    used = predicates | set(instances)
    for ns in sorted(set(PREFIXES.values())):
        if ns != base and any(u.startswith(ns) for u in used):
            add(d, VOID + "vocabulary", ns)
    for source in sources:
        add(d, DCTERMS + "source", source)
    for graph, n in sizes.items():
        add(d, VOID + "subset", graph)
        add(graph, RDF + "type", VOID + "Dataset")
        add(graph, VOID + "triples", integer(n))
        if titles and graph in titles:
            add(graph, DCTERMS + "title", text(titles[graph]))
    if queries:
        prefixes = f"{d}/prefixes"
        for prefix, ns in sorted(PREFIXES.items()):
            decl = f"{prefixes}/{prefix}"
            add(prefixes, SH + "declare", decl)
            add(decl, SH + "prefix", text(prefix))
            add(decl, SH + "namespace", ox.Literal(ns, datatype=iri(XSD + "anyURI")))
        for q in queries:
            node = f"{d}/query/{slugify(q.name)}"
            add(d, RDFS + "seeAlso", node)
            add(node, RDF + "type", SH + "SPARQLExecutable")
            add(node, DCTERMS + "identifier", text(q.name))
            add(node, RDFS + "label", text(q.title))
            if q.description:
                add(node, RDFS + "comment", text(q.description))
            if q.form in _FORMS:
                add(node, RDF + "type", SH + f"SPARQL{q.form.capitalize()}Executable")
                add(node, SH + q.form, text(q.text))
            add(node, SH + "prefixes", prefixes)
            add(node, SCHEMA + "target", d)
    return out
