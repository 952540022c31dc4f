"""Deterministic IRIs minted from readable keys (never random blank nodes)."""

from __future__ import annotations

import hashlib
import re

_KIND_PATH = {"state": "state", "organization": "organization", "person": "person", "group": "group",
              "place": "place", "agreement": "agreement", "event": "event", "concept": "concept", "role": "role"}


def slugify(text: str, limit: int = 48) -> str:
    """A readable, IRI-safe key for a literal; long or non-Latin text gets a short digest.

    >>> slugify("Moon Sang-gyun")
    'moon-sang-gyun'
    >>> slugify("P90D")
    'p90d'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > limit or not slug:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = (slug[:limit].rstrip("-") + "-" + digest).strip("-")
    return slug


class Minter:
    """Mints every IRI of a corpus from its base IRI."""

    def __init__(self, base: str):
        self.base = base

    def entity(self, kind: str, ident: str) -> str:
        return f"{self.base}{_KIND_PATH[kind]}/{ident}"

    def source(self, ident: str) -> str:
        return f"{self.base}source/{ident}"

    def statement(self, ident: str) -> str:
        return f"{self.base}statement/{ident}"

    def span(self, source: str, start: int, end: int) -> str:
        return f"{self.base}evidence/{source}/{start}-{end}"

    def date(self, source: str, owner: str) -> str:
        return f"{self.base}date/{source}/{owner}"

    def participation(self, event: str, agent: str, role: str) -> str:
        return f"{self.base}participation/{event}/{agent}/{role}"

    def claim(self, source: str, subject_key: str, prop: str, object_key: str) -> str:
        return f"{self.base}claim/{source}/{subject_key}/{prop}/{object_key}"

    def disagreement(self, ident: str) -> str:
        return f"{self.base}disagreement/{ident}"

    def dataset(self, ident: str) -> str:
        return f"{self.base}dataset/{ident}"
