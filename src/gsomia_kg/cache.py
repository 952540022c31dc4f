"""A cache of compiled corpora as sorted N-Triples, so a query need not recompile (or import rdflib).

The key hashes every file under the corpus folder (path and bytes), the ontology, the package version and the
package's own modules, so any change to the corpus, the ontology or the compiler gives a new key. Entries are written
atomically (temp file + rename): two processes that miss at once both compile and the last rename wins with
identical bytes; a reader never sees half a file. Each entry ends with a comment line holding its triple count, so
a damaged entry is detected and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from gsomia_kg import __version__
from gsomia_kg.resources import ontology_file

KEEP_ENTRIES = 8  # older entries are removed when a new one is written
_TRAILER = b"# gsomia-kg cache: "


def cache_dir() -> Path:
    """``$GSOMIA_KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/gsomia-kg``, else ``~/.cache/gsomia-kg``."""
    explicit = os.environ.get("GSOMIA_KG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gsomia-kg"


def corpus_key(corpus: Path, ontology: Path | None = None) -> str:
    """A digest of everything the compiled graph depends on."""
    h = hashlib.sha256(f"gsomia-kg {__version__}\n".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        h.update(b"code " + path.name.encode() + b"\n" + path.read_bytes())
    h.update(b"ontology\n" + Path(ontology or ontology_file()).read_bytes())
    root = Path(corpus)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        h.update(f"file {path.relative_to(root).as_posix()} {len(data)}\n".encode() + data)
    return h.hexdigest()[:32]


def _read_entry(path: Path) -> tuple[bytes, str] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    cut = data.rfind(_TRAILER)
    if cut < 0 or not data.endswith(b"\n"):
        return None
    body, trailer = data[:cut], data[cut + len(_TRAILER):].decode("utf-8", "replace").split()
    try:
        expected, base = int(trailer[0]), trailer[2]
    except (ValueError, IndexError):
        return None
    return (body, "" if base == "-" else base) if body.count(b"\n") == expected else None


def _prune(directory: Path) -> None:
    entries = sorted(directory.glob("*.nt"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        try:
            old.unlink()
        except OSError:
            pass


def compiled_ntriples(corpus: Path, *, use_cache: bool = True) -> tuple[bytes, str]:
    """The corpus compiled to sorted N-Triples, from the cache when possible.

    Returns ``(ntriples, base)``: each query engine loads ``ntriples`` its own way; ``base`` is the corpus's base
    IRI. Raises
    ``GsomiaError`` if the corpus does not compile.
    """
    corpus = Path(corpus)
    entry = None
    if use_cache:
        entry = cache_dir() / f"{corpus_key(corpus)}.nt"
        cached = _read_entry(entry)
        if cached is not None:
            return cached
    from gsomia_kg.graph import compile_corpus

    built = compile_corpus(corpus)
    base = built.meta.base
    data = built.compiled.ntriples()
    if entry is not None:
        _store(entry, data, base)
    return data, base


def _store(entry: Path, data: bytes, base: str) -> None:
    """Write a cache entry; a cache that cannot be written is skipped silently (the query still runs)."""
    from gsomia_kg.atomic import write_atomic
    from gsomia_kg.errors import GsomiaError

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        lines = data.count(b"\n")
        write_atomic(entry, data + _TRAILER + f"{lines} triples {base or '-'}\n".encode())
        _prune(entry.parent)
    except (OSError, GsomiaError):
        pass
