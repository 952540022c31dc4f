"""Write files atomically: a temp file beside the target, fsync, rename; the target is never partly written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from gsomia_kg.errors import GsomiaError, Problem


def write_atomic(path: str | Path, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` so that readers see the old file or the new one, never a partial one.

    ``data`` may be a sequence of chunks (e.g. a serializer's generator), written as they come: a failure while
    making them, as any other, leaves the previous file as it was.

    A symbolic link is followed (its target is replaced, the link stays). On any failure, including an interrupt,
    the temp file is removed and the previous file is untouched; an ``OSError`` becomes a ``GsomiaError``.
    """
    shown = str(path)
    path = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise GsomiaError(Problem(shown, None, None, f"cannot write: {exc.strerror}",
                                  "check that the folder exists and is writable")) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            try:
                os.chmod(tmp, path.stat().st_mode & 0o777)
            except OSError:
                pass
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise GsomiaError(Problem(shown, None, None, f"cannot write: {exc.strerror or exc}",
                                      "the previous file, if any, is unchanged")) from None
        raise
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
