"""Shared fixtures, and a suite-wide guard: no test may open a network connection outside 127.0.0.1."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import sys
from pathlib import Path

import pytest

from support import SHIPPED, TINY


def _is_local(address) -> bool:
    if not isinstance(address, tuple):  # AF_UNIX paths
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _audit(event: str, args: tuple) -> None:
    # An audit hook sees every connect, including ones made by C extensions that go through Python's socket module.
    if event == "socket.connect" and not _is_local(args[1]):
        raise ConnectionRefusedError(f"test tried to reach the network: {args[1]!r} (only 127.0.0.1 is allowed)")
    if event == "socket.getaddrinfo" and args[0] not in (None, "localhost", "127.0.0.1", "::1", b"localhost"):
        try:
            ipaddress.ip_address(args[0])
        except ValueError:
            raise ConnectionRefusedError(f"test tried to resolve {args[0]!r} (no network in tests)") from None


sys.addaudithook(_audit)


@pytest.fixture
def listener():
    """A real server socket on 127.0.0.1 that counts the connections it receives (see support.count_connections)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture(scope="session")
def tiny_corpus() -> Path:
    return TINY


@pytest.fixture(scope="session")
def shipped_corpus() -> Path:
    return SHIPPED


@pytest.fixture(scope="session")
def tiny_build():
    from gsomia_kg.graph import compile_corpus

    return compile_corpus(TINY)


@pytest.fixture(scope="session")
def shipped_build():
    from gsomia_kg.graph import compile_corpus

    return compile_corpus(SHIPPED)


@pytest.fixture(scope="session")
def core_shapes():
    """The shipped shapes without their SHACL-SPARQL constraints (the SHACL Core part)."""
    from rdflib import Graph, URIRef

    from gsomia_kg.validate import SH, load_shapes

    g = Graph()
    g += load_shapes()
    g.remove((None, URIRef(SH + "sparql"), None))
    return g


@pytest.fixture(scope="session")
def built_fixture():
    """The validation fixture corpus, compiled (tests copy its graph before they change it)."""
    from gsomia_kg.graph import compile_corpus

    return compile_corpus(Path(__file__).parent / "fixtures" / "validate")


@pytest.fixture
def corpus_copy(tmp_path: Path):
    """Copy a corpus into a temp folder so a test can break it."""

    def make(source: Path = TINY) -> Path:
        dest = tmp_path / source.name
        shutil.copytree(source, dest)
        return dest

    return make


def test_network_guard_blocks_remote_connections():
    with pytest.raises(ConnectionRefusedError), socket.socket() as s:
        s.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed
