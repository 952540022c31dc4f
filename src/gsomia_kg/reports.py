"""Render a ``ValidationReport`` for people and for CI: text, JSON, Turtle, GitHub annotations, JUnit XML."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from gsomia_kg.namespaces import PREFIXES, shorten
from gsomia_kg.validate import SHAPES_NS, Result, ValidationReport

DISPLAY_PREFIXES = {**PREFIXES, "gks": SHAPES_NS}
_LEVEL = {"violation": "error", "warning": "warning", "info": "notice"}


class Names:
    """Short, readable names for IRIs: project prefixes, and data IRIs relative to the corpus base."""

    def __init__(self, base: str | None = None):
        self.base = base

    def __call__(self, term) -> str:
        if term is None:
            return ""
        from rdflib import BNode, Literal

        if isinstance(term, Literal):
            text = str(term)
            return repr(text) if len(text) <= 80 else repr(text[:77] + "...")
        if isinstance(term, BNode):
            return f"_:{term}"
        iri = str(term)
        short = shorten(iri, DISPLAY_PREFIXES)
        if short.startswith("<") and self.base and iri.startswith(self.base) and len(iri) > len(self.base):
            return f"<{iri[len(self.base):]}>"
        return short


def _location(result: Result) -> str:
    if result.origin is None:
        return ""
    return f"{result.origin.path}:{result.origin.line}"


def summary(report: ValidationReport) -> str:
    """One line: counts per severity, and whether the graph conforms."""
    c = report.counts()
    parts = [f"{c['violation']} violation{'s' * (c['violation'] != 1)}",
             f"{c['warning']} warning{'s' * (c['warning'] != 1)}",
             f"{c['info']} info{'s' * (c['info'] != 1)}"]
    return ", ".join(parts) + (" (conforms)" if report.conforms else "")


def render_text(report: ValidationReport, base: str | None = None) -> str:
    """Results grouped by shape, each with the mapping file:line of its focus node; counts at the end."""
    name = Names(base)
    groups: dict[str, list[Result]] = {}
    for r in report.results:
        groups.setdefault(r.shape, []).append(r)
    lines: list[str] = []
    for shape in sorted(groups, key=lambda s: (min(r.sort_key() for r in groups[s])[0], name(_iri(s)))):
        results = groups[shape]
        title = report.shape_names.get(shape)
        counts = {}
        for r in results:
            counts[r.severity] = counts.get(r.severity, 0) + 1
        tally = ", ".join(f"{n} {sev}{'s' * (n != 1)}" for sev, n in counts.items())
        lines.append(f"{name(_iri(shape))}{f' — {title}' if title else ''} ({tally})")
        for r in results:
            where = _location(r) or "(no mapping line)"
            detail = name(r.focus)
            if r.path:
                detail += f"  {_short_path(r.path)}"
            if r.value is not None and r.value != r.focus:
                detail += f"  = {name(r.value)}"
            lines.append(f"  {where}: {r.severity}: {detail}")
            for m in r.messages:
                lines.append(f"      {m}")
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _iri(text: str):
    from rdflib import BNode, URIRef

    return URIRef(text) if "://" in text or text.startswith("urn:") else BNode(text)


def _short_path(path: str) -> str:
    """A result path with its IRIs shortened: ``gk:speakerRole/gk:holder`` for ``<...#speakerRole>/<...#holder>``."""
    if not path.startswith("<") and "://" in path:
        return shorten(path, DISPLAY_PREFIXES)
    return re.sub(r"<([^<>]*)>", lambda m: shorten(m.group(1), DISPLAY_PREFIXES), path)


def _term_json(term):
    if term is None:
        return None
    return term.n3()


def render_json(report: ValidationReport, base: str | None = None) -> str:
    """Stable JSON: keys sorted, results in a fixed order, terms in N-Triples form."""
    results = [{
        "severity": r.severity,
        "shape": r.shape,
        "shapeName": report.shape_names.get(r.shape),
        "focusNode": str(r.focus),
        "path": r.path,
        "value": _term_json(r.value),
        "constraintComponent": r.component,
        "messages": list(r.messages),
        "file": r.origin.path if r.origin else None,
        "line": r.origin.line if r.origin else None,
    } for r in report.results]
    doc = {"conforms": report.conforms, "counts": report.counts(), "results": results}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_turtle(report: ValidationReport, base: str | None = None) -> str:
    """The standard SHACL validation report, with blank nodes relabelled so the same report gives the same bytes."""
    from rdflib import BNode, Graph

    from gsomia_kg.serialize import ox_triples, write

    g = report.graph
    signatures: dict = {}

    def signature(node, path=()) -> str:
        """A blank node's content (recursively), independent of its label."""
        if not isinstance(node, BNode):
            return node.n3()
        if node in path:
            return "_:cycle"
        if node not in signatures:
            parts = sorted(f"{p.n3()} {signature(o, (*path, node))}" for p, o in g.predicate_objects(node))
            signatures[node] = "[" + "; ".join(parts) + "]"
        return signatures[node]

    order: dict = {}

    def visit(node) -> None:
        if isinstance(node, BNode) and node not in order:
            order[node] = BNode(f"b{len(order)}")
            for _, o in sorted(g.predicate_objects(node), key=lambda po: (po[0].n3(), signature(po[1]))):
                visit(o)

    blank = {t for triple in g for t in triple if isinstance(t, BNode)}
    is_report = lambda n: (n, _rdf("type"), _sh("ValidationReport")) in g  # noqa: E731
    for node in sorted(blank, key=lambda n: (not is_report(n), signature(n))):
        visit(node)
    relabelled = Graph()
    relabelled.addN((order.get(s, s), p, order.get(o, o), relabelled) for s, p, o in g)
    return write(ox_triples(relabelled), "turtle", {**PREFIXES, "gks": SHAPES_NS}).decode("utf-8")


def _sh(local: str):
    from rdflib import URIRef

    return URIRef(PREFIXES["sh"] + local)


def _rdf(local: str):
    from rdflib import URIRef

    return URIRef(PREFIXES["rdf"] + local)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(report: ValidationReport, base: str | None = None) -> str:
    """GitHub workflow commands: ``::error file=F,line=N,title=SHAPE::message`` per result."""
    name = Names(base)
    lines = []
    for r in report.results:
        props = []
        if r.origin is not None:
            props.append(f"file={_gh_escape(r.origin.path, True)}")
            props.append(f"line={r.origin.line}")
        props.append(f"title={_gh_escape(name(_iri(r.shape)), True)}")
        text = " ".join(r.messages) or r.component
        text += f" [{name(r.focus)}{' ' + _short_path(r.path) if r.path else ''}]"
        lines.append(f"::{_LEVEL.get(r.severity, 'error')} {','.join(props)}::{_gh_escape(text)}")
    lines.append(f"{summary(report)}")
    return "\n".join(lines) + "\n"


def render_junit(report: ValidationReport, base: str | None = None) -> str:
    """JUnit XML: one test case per shape; its violations (and, with warnings, warnings) as failures."""
    name = Names(base)
    by_shape: dict[str, list[Result]] = {}
    for r in report.results:
        by_shape.setdefault(r.shape, []).append(r)
    shapes = sorted(set(by_shape) | {s for s in report.shape_names if s.startswith(SHAPES_NS)})
    cases = []
    failures = 0
    for shape in shapes:
        results = by_shape.get(shape, [])
        label = name(_iri(shape))
        title = report.shape_names.get(shape, "")
        body = []
        for r in results:
            where = _location(r)
            text = f"{where + ': ' if where else ''}{name(r.focus)}: {' '.join(r.messages)}"
            tag = "failure" if r.severity == "violation" else "system-out"
            if tag == "failure":
                body.append(f'      <failure type="{r.severity}" message={quoteattr(" ".join(r.messages))}>'
                            f"{escape(text)}</failure>")
            else:
                body.append(f"      <system-out>{escape(r.severity + ': ' + text)}</system-out>")
        failed = any(r.severity == "violation" for r in results)
        failures += failed
        attrs = f"classname=\"gsomia-kg.shapes\" name={quoteattr(label + (' — ' + title if title else ''))}"
        if body:
            cases.append(f"    <testcase {attrs}>\n" + "\n".join(body) + "\n    </testcase>")
        else:
            cases.append(f"    <testcase {attrs}/>")
    head = (f'<testsuites name="gsomia-kg validate" tests="{len(shapes)}" failures="{failures}">\n'
            f'  <testsuite name="shapes" tests="{len(shapes)}" failures="{failures}" errors="0">')
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + head + "\n" + "\n".join(cases) + \
        "\n  </testsuite>\n</testsuites>\n"


RENDERERS: dict[str, Callable[[ValidationReport, str | None], str]] = {
    "text": render_text,
    "json": render_json,
    "turtle": render_turtle,
    "github": render_github,
    "junit": render_junit,
}


def render(report: ValidationReport, fmt: str, base: str | None = None) -> str:
    """Render ``report`` in one of ``RENDERERS`` (text, json, turtle, github, junit)."""
    return RENDERERS[fmt](report, base)
