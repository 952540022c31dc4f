"""Helpers shared by the tests: paths and a subprocess runner for the CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny"
SHIPPED = ROOT / "corpus"


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None, input: bytes | None = None):
    """Run ``python -m gsomia_kg`` in a subprocess (real exit codes, real streams)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "gsomia_kg", *args], capture_output=True, env=full_env,
                          cwd=cwd or ROOT, input=input, timeout=300)


def count_connections(server: socket.socket) -> int:
    """How many connections a non-blocking listening socket has received (and accepts them)."""
    count = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1
