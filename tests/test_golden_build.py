"""Golden test: the tiny corpus always builds to the same Turtle bytes, whatever the hash seed.

Regenerate after an intended change with ``GSOMIA_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_build.py``
and review the diff.
"""

from __future__ import annotations

import difflib
import os

from support import ROOT, TINY, run_cli

GOLDEN = ROOT / "tests" / "golden" / "build-tiny.ttl"


def _build(seed: str) -> bytes:
    proc = run_cli("build", "--corpus", str(TINY), "-q", env={"PYTHONHASHSEED": seed})
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_same_bytes_across_hash_seeds():
    assert _build("1") == _build("4242")


def test_matches_golden_file():
    actual = _build("0")
    if os.environ.get("GSOMIA_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(actual)
    expected = GOLDEN.read_bytes()
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.decode().splitlines(True), actual.decode().splitlines(True),
                                            "golden/build-tiny.ttl", "build output", n=2))
        raise AssertionError(f"build output differs from the golden file:\n{diff[:6000]}")
