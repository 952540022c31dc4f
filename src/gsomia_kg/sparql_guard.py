"""Read-only, offline checks on SPARQL text, made before any engine sees the query.

``scan`` is a SPARQL tokenizer (strings, IRIs, comments, prefixed names and language tags are recognised, so
``"service"`` in a literal or ``<http://x/from>`` is harmless) that refuses updates, ``SERVICE`` and dataset
clauses (``FROM``/``FROM NAMED``) with their line and column, for every query and both engines; it costs about a
millisecond and needs no RDF library. A keyword cannot hide from it: the only token it can over-read is an IRI, and
an IRI cannot contain the space, ``<`` or ``{`` that must follow a working keyword. The text is scanned as written
(as pyoxigraph reads it) and with ``\\uXXXX`` escapes applied (as rdflib reads it). ``check_algebra`` walks rdflib's
parsed algebra for the same things: the rdflib engine evaluates the very object it checked. Nothing here evaluates
anything, so a refused query never reaches the network.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from gsomia_kg.errors import GsomiaError, Problem

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
PROLOGUE = frozenset({"BASE", "PREFIX"})

# One alternative per token kind; order matters (IRIs before '<' operators, long strings before short ones).
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:[\w.-]*)
  | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%.-]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[^\W\d_]\w*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|[{}()\[\];,.*/+\-=<>!|^])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class QueryInfo:
    """What the scan learnt: the query form, the variables it mentions, whether it orders its results."""

    form: str  # SELECT | CONSTRUCT | DESCRIBE | ASK
    variables: frozenset[str]
    ordered: bool


def tokens(text: str) -> list[Token]:
    """Tokenize SPARQL text (whitespace and comments dropped), with 1-based line and column.

    >>> [t.text for t in tokens('SELECT ?s { ?s <http://x/#from> "from" } # FROM')]
    ['SELECT', '?s', '{', '?s', '<http://x/#from>', '"from"', '}']
    """
    out: list[Token] = []
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        kind, value = m.lastgroup or "other", m.group()
        if kind not in ("ws", "comment"):
            out.append(Token(kind, value, line, m.start() - line_start + 1))
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = m.start() + value.rindex("\n") + 1
    return out


def _problem(token: Token | None, message: str, hint: str = "", source: str = "<query>") -> GsomiaError:
    line, column = (token.line, token.column) if token else (None, None)
    return GsomiaError(Problem(source, line, column, message, hint))


def unescape_codepoints(text: str) -> str:
    r"""Apply SPARQL's ``\uXXXX`` / ``\UXXXXXXXX`` escapes, which rdflib processes before parsing.

    >>> unescape_codepoints(r"SERVIC\u0045")
    'SERVICE'
    """

    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group()

    return _CODEPOINT.sub(char, text)


def scan(text: str, source: str = "<query>") -> QueryInfo:
    """Refuse anything but a read-only, local query; return its form. Raises ``GsomiaError`` (exit 2).

    The text is scanned as written (as pyoxigraph reads it) and, if it holds codepoint escapes, once more with
    them applied (as rdflib reads it), so ``SERVIC\u0045`` cannot slip through.

    >>> scan("ASK { ?s ?p 'SERVICE' }").form
    'ASK'
    """
    unescaped = unescape_codepoints(text)
    if unescaped != text:
        _scan(unescaped, source)
    return _scan(text, source)


def _scan(text: str, source: str) -> QueryInfo:
    toks = tokens(text)
    words = [t for t in toks if t.kind == "word"]
    for t in words:
        upper = t.text.upper()
        if upper in UPDATE_KEYWORDS:
            raise _problem(t, f"SPARQL Update ({upper}) is refused: gsomia-kg query is read-only",
                           "use SELECT, CONSTRUCT, DESCRIBE or ASK; rebuild the corpus to change the graph", source)
        if upper == "SERVICE":
            raise _problem(t, "SERVICE (a federated query) is refused: queries never reach the network",
                           "query the built corpus, or download the other data and pass it with --data FILE", source)
        if upper == "FROM":
            raise _problem(t, "FROM / FROM NAMED is refused: queries run on the built corpus or on --data FILE, "
                              "and never load graphs from elsewhere",
                           "remove the FROM clause; pass another RDF file with --data FILE", source)
    form = None
    for t in words:
        upper = t.text.upper()
        if upper in PROLOGUE:
            continue
        if upper in QUERY_FORMS:
            form = upper
        break
    if form is None:
        first = next((t for t in toks if not (t.kind == "word" and t.text.upper() in PROLOGUE)
                      and t.kind not in ("pname", "iri")), None)
        raise _problem(first, "not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK", "", source)
    ordered = any(a.kind == "word" and a.text.upper() == "ORDER" and b.kind == "word" and b.text.upper() == "BY"
                  for a, b in itertools.pairwise(toks))
    return QueryInfo(form, frozenset(t.text[1:] for t in toks if t.kind == "var"), ordered)


def check_algebra(query, source: str = "<query>") -> str:
    """Refuse service patterns, dataset clauses and non-query forms in a parsed rdflib ``Query``; return its form.

    The rdflib engine runs exactly the object checked here, so what is checked is what runs.
    """
    from rdflib.plugins.sparql.parserutils import CompValue

    form = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE",
            "AskQuery": "ASK"}.get(query.algebra.name)
    if form is None:
        raise _problem(None, f"not a read-only query ({query.algebra.name})", "", source)
    if query.algebra.get("datasetClause"):
        raise _problem(None, "FROM / FROM NAMED is refused: queries never load graphs from elsewhere", "", source)
    stack: list[object] = [query.algebra]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise _problem(None, "SERVICE (a federated query) is refused: queries never reach the network",
                               "", source)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return form


def parse_with_rdflib(text: str, prefixes: dict[str, str]):
    """rdflib's parse and algebra translation of ``text``, or ``None`` if rdflib cannot read it."""
    from rdflib.plugins.sparql.processor import prepareQuery

    try:
        return prepareQuery(text, initNs=prefixes)
    except Exception:
        return None


def walk_algebra(text: str, prefixes: dict[str, str], source: str = "<query>") -> str | None:
    """Parse with rdflib and ``check_algebra``; ``None`` when rdflib cannot parse the text."""
    query = parse_with_rdflib(text, prefixes)
    return None if query is None else check_algebra(query, source)
