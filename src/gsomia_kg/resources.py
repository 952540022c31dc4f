"""Locate the package data (ontology, shapes, queries, JSON-LD context, shipped corpus).

In a wheel they live in ``gsomia_kg/data/``; in an editable install or a source checkout,
``importlib.resources`` resolves to ``src/gsomia_kg`` where they are absent, so we fall back to the top-level
folders of the checkout. One function, used everywhere, so both layouts behave the same.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]
_TOP_LEVEL = {"ontology": "ontology", "shapes": "shapes", "corpus": "corpus"}


def data_path(name: str) -> Path:
    """Path of a packaged data folder: ``ontology``, ``shapes``, ``corpus``, ``queries`` or ``context``."""
    packaged = resources.files("gsomia_kg") / "data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    inside = resources.files("gsomia_kg") / name
    if inside.is_dir():
        return Path(str(inside))
    fallback = _CHECKOUT / _TOP_LEVEL.get(name, name)
    if fallback.is_dir():
        return fallback
    raise FileNotFoundError(f"package data folder {name!r} not found (broken installation?)")


def ontology_file() -> Path:
    return data_path("ontology") / "gsomia.ttl"


def default_corpus() -> Path:
    return data_path("corpus")
