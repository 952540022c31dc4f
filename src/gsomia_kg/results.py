"""Query results, engine-neutral, and their writers: table, CSV, TSV, JSON, XML, and RDF for graph results.

Both engines' answers are converted to the same plain ``Term`` tuples, so formatting and cross-engine comparison
never depend on the engine. Writers keep the row order they are given (ORDER BY is respected).
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from dataclasses import dataclass, field

from gsomia_kg.namespaces import PREFIXES, XSD, shorten

RDF_LANGSTRING = PREFIXES["rdf"] + "langString"
XSD_STRING = XSD + "string"
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
_BARE_TSV = {XSD + "integer": str.isdigit, XSD + "boolean": lambda v: v in ("true", "false")}


@dataclass(frozen=True, order=True)
class Term:
    """An RDF term: ``kind`` is ``iri``, ``literal`` or ``bnode``; literals carry a datatype (and a language)."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    def n3(self) -> str:
        """N-Triples syntax.

        >>> Term("literal", 'say "hi"', RDF_LANGSTRING, "en").n3()
        '"say \\\\"hi\\\\""@en'
        """
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = '"' + _escape_literal(self.value) + '"'
        if self.language:
            return f"{text}@{self.language}"
        if self.datatype and self.datatype != XSD_STRING:
            return f"{text}^^<{self.datatype}>"
        return text


@dataclass
class QueryResult:
    """The answer to one query: rows for SELECT, a boolean for ASK, triples for CONSTRUCT and DESCRIBE."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)


def escape(text: str) -> str:
    """XML character data.

    >>> escape("a < b & c")
    'a &lt; b &amp; c'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    return '"' + escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;") + '"'


def _escape_literal(value: str) -> str:
    return (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            .replace("\t", "\\t"))


# ---- SELECT / ASK ------------------------------------------------------------------------------------------------
def to_csv(result: QueryResult) -> bytes:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends, quoted where needed."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if t is None else (f"_:{t.value}" if t.kind == "bnode" else t.value) for t in row])
    return buf.getvalue().encode("utf-8")


def to_tsv(result: QueryResult) -> bytes:
    """SPARQL 1.1 Query Results TSV: terms in N-Triples syntax (integers and booleans bare)."""
    if result.form == "ASK":
        return f"?boolean\n{'true' if result.boolean else 'false'}\n".encode()
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        cells = []
        for t in row:
            if t is None:
                cells.append("")
            elif t.kind == "literal" and t.datatype in _BARE_TSV and _BARE_TSV[t.datatype](t.value):
                cells.append(t.value)
            else:
                cells.append(t.n3())
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _json_term(t: Term) -> dict[str, str]:
    if t.kind == "iri":
        return {"type": "uri", "value": t.value}
    if t.kind == "bnode":
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype and t.datatype != XSD_STRING:
        out["datatype"] = t.datatype
    return out


def to_json(result: QueryResult) -> bytes:
    """SPARQL 1.1 Query Results JSON."""
    if result.form == "ASK":
        doc: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
        doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def to_xml(result: QueryResult) -> bytes:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.form == "ASK":
        out += ["  <head/>", f"  <boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out.append("  <head>")
        out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
        out += ["  </head>", "  <results>"]
        for row in result.rows:
            out.append("    <result>")
            for v, t in zip(result.variables, row):
                if t is None:
                    continue
                if t.kind == "iri":
                    inner = f"<uri>{escape(t.value)}</uri>"
                elif t.kind == "bnode":
                    inner = f"<bnode>{escape(t.value)}</bnode>"
                elif t.language:
                    inner = f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
                elif t.datatype and t.datatype != XSD_STRING:
                    inner = f"<literal datatype={quoteattr(t.datatype)}>{escape(t.value)}</literal>"
                else:
                    inner = f"<literal>{escape(t.value)}</literal>"
                out.append(f"      <binding name={quoteattr(v)}>{inner}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return ("\n".join(out) + "\n").encode("utf-8")


# ---- the human table ---------------------------------------------------------------------------------------------
def display(term: Term | None, prefixes: dict[str, str]) -> str:
    """How a term reads in a table: IRIs as prefixed names, literals as their text.

    >>> display(Term("iri", "https://w3id.org/gsomia-kg/ns#Signing"), PREFIXES)
    'gk:Signing'
    """
    if term is None:
        return ""
    if term.kind == "iri":
        short = shorten(term.value, prefixes)
        if short.startswith("<"):  # a local name with '/' (entity IRIs under the corpus base): prefix it anyway
            best = max((p for p, ns in prefixes.items() if term.value.startswith(ns) and term.value != ns),
                       key=lambda p: len(prefixes[p]), default=None)
            if best is not None:
                return f"{best}:{term.value[len(prefixes[best]):]}"
        return short
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _fit(natural: list[int], budget: int, floor: int = 4) -> list[int]:
    """Column widths that fit ``budget`` by water-filling: narrow columns keep their width, the wide ones share
    what is left equally (and wrap).

    >>> _fit([4, 30, 200], 60)
    [4, 28, 28]
    """
    widths = list(natural)
    if sum(widths) <= budget:
        return widths
    left, order = budget, sorted(range(len(widths)), key=lambda k: natural[k])
    for n, k in enumerate(order):
        share = max(floor, left // (len(order) - n))
        widths[k] = min(natural[k], share)
        left -= widths[k]
    return widths


def to_table(result: QueryResult, prefixes: dict[str, str] | None = None, width: int | None = None) -> bytes:
    """An aligned text table: IRIs shortened, long text wrapped to the terminal width, rows in query order."""
    prefixes = prefixes or PREFIXES
    if result.form == "ASK":
        return b"true\n" if result.boolean else b"false\n"
    width = width or shutil.get_terminal_size((120, 24)).columns  # honours $COLUMNS
    header = result.variables
    cells = [[display(t, prefixes).replace("\r\n", "\n") for t in row] for row in result.rows]
    gap = 2
    natural = [max([_width(h)] + [max((_width(x) for x in c[i].split("\n")), default=0) for c in cells])
               for i, h in enumerate(header)]
    widths = _fit(natural, max(width - gap * (len(header) - 1), len(header)))
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        wrapped = [_wrap(text, w) for text, w in zip(row, widths)]
        for k in range(max((len(c) for c in wrapped), default=1)):
            lines.append("  ".join(_pad(c[k] if k < len(c) else "", w) for c, w in zip(wrapped, widths)).rstrip())
    n = len(result.rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    out: list[str] = []
    for para in text.split("\n"):
        if _width(para) <= width:
            out.append(para)
        else:
            out.extend(textwrap.wrap(para, width, break_long_words=True, break_on_hyphens=True) or [""])
    return out or [""]


# ---- CONSTRUCT / DESCRIBE ----------------------------------------------------------------------------------------
def _ox_term(t: Term, ox):
    if t.kind == "iri":
        return ox.NamedNode(t.value)
    if t.kind == "bnode":
        return ox.BlankNode(t.value)
    if t.language:
        return ox.Literal(t.value, language=t.language)
    return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype or XSD_STRING))


def to_rdf(result: QueryResult, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Graph results with the project's deterministic writers: sorted Turtle or N-Triples, or JSON-LD compacted
    against the shipped context (data IRIs relative to the corpus base, the ``""`` prefix)."""
    import pyoxigraph as ox

    from gsomia_kg import jsonld, serialize

    prefixes = prefixes or PREFIXES
    triples = list({ox.Triple(*(_ox_term(t, ox) for t in spo)) for spo in result.triples})
    if fmt in ("turtle", "ntriples"):
        return serialize.write(triples, fmt, prefixes)
    if fmt == "jsonld":
        return jsonld.dumps(jsonld.compact(triples, base=prefixes.get("") or None))
    raise ValueError(f"unknown graph format {fmt!r}")


WRITERS = {"csv": to_csv, "tsv": to_tsv, "json": to_json, "xml": to_xml}


def write(result: QueryResult, fmt: str, prefixes: dict[str, str] | None = None, width: int | None = None) -> bytes:
    """Serialize ``result`` in ``fmt`` (one of ``SELECT_FORMATS`` or, for graph results, ``GRAPH_FORMATS``)."""
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return to_rdf(result, fmt, prefixes)
    if fmt == "table":
        return to_table(result, prefixes, width)
    return WRITERS[fmt](result)
