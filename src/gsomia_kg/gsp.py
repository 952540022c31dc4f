"""A small SPARQL 1.1 Graph Store HTTP Protocol client (stdlib ``urllib`` only).

``PUT`` replaces a graph, ``POST`` adds to it, ``GET`` reads it; the graph is named with ``?graph=<IRI>`` or
``?default``. Requests to a loopback host never go through an HTTP proxy from the environment.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from gsomia_kg.errors import GsomiaError, Problem

N_TRIPLES = "application/n-triples"
_LOOPBACK = ("localhost", "::1")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


def graph_url(endpoint: str, graph: str | None) -> str:
    """The request URL for ``graph`` (``None``: the default graph).

    >>> graph_url("http://127.0.0.1:7878/store", "https://ex.org/graph/facts")
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fex.org%2Fgraph%2Ffacts'
    >>> graph_url("http://127.0.0.1:7878/store?x=1", None)
    'http://127.0.0.1:7878/store?x=1&default'
    """
    sep = "&" if "?" in endpoint else "?"
    query = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
    return f"{endpoint}{sep}{query}"


def check_endpoint(endpoint: str) -> str:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise GsomiaError(Problem("--endpoint", None, None, f"endpoint {endpoint!r} is not an http(s) URL",
                                  "e.g. --endpoint http://127.0.0.1:7878/store"))
    return endpoint


def _opener(url: str) -> urllib.request.OpenerDirector:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host in _LOOPBACK or host.startswith("127."):
        return urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener()


def request(method: str, endpoint: str, graph: str | None, data: bytes | None = None,
            content_type: str = N_TRIPLES, accept: str | None = None, timeout: float = 60.0) -> Response:
    """Send one Graph Store Protocol request; any failure is a ``GsomiaError`` that says what went wrong."""
    url = graph_url(check_endpoint(endpoint), graph)
    headers = {"Content-Type": content_type} if data is not None else {}
    if accept:
        headers["Accept"] = accept
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    target = "the default graph" if graph is None else f"graph <{graph}>"
    try:
        with _opener(url).open(req, timeout=timeout) as resp:
            return Response(resp.status, resp.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()[:300].decode("utf-8", errors="replace").strip()
        raise GsomiaError(Problem(endpoint, None, None, f"{method} {target} failed: HTTP {exc.code} {exc.reason}"
                                  + (f": {body}" if body else ""),
                                  "is this the store's Graph Store Protocol URL (e.g. .../store), and writable?"))\
            from None
    except urllib.error.URLError as exc:
        reason = getattr(exc.reason, "strerror", None) or str(exc.reason)
        raise GsomiaError(Problem(endpoint, None, None, f"cannot reach the store: {reason}",
                                  "is the store running, and is the URL right?")) from None
    except (TimeoutError, OSError) as exc:
        raise GsomiaError(Problem(endpoint, None, None, f"{method} {target} failed: {exc}",
                                  "the store did not answer in time (see --timeout)")) from None


def put(endpoint: str, graph: str | None, data: bytes, timeout: float = 60.0) -> Response:
    """Replace ``graph`` with the N-Triples ``data``."""
    return request("PUT", endpoint, graph, data, timeout=timeout)


def post(endpoint: str, graph: str | None, data: bytes, timeout: float = 60.0) -> Response:
    """Add the N-Triples ``data`` to ``graph``."""
    return request("POST", endpoint, graph, data, timeout=timeout)


def get(endpoint: str, graph: str | None, accept: str = N_TRIPLES, timeout: float = 60.0) -> Response:
    """Read ``graph`` back."""
    return request("GET", endpoint, graph, accept=accept, timeout=timeout)
