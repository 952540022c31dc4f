"""Namespace IRIs and the prefixes the project binds everywhere (exports, queries, reports)."""

from __future__ import annotations

GK = "https://w3id.org/gsomia-kg/ns#"

PREFIXES: dict[str, str] = {
    "gk": GK,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "http://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "time": "http://www.w3.org/2006/time#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "wd": "http://www.wikidata.org/entity/",
}

RDF, RDFS, XSD, SKOS = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"], PREFIXES["skos"]
OA, PROV, SCHEMA, TIME = PREFIXES["oa"], PREFIXES["prov"], PREFIXES["schema"], PREFIXES["time"]


def shorten(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """A prefixed name for ``iri`` where a prefix fits, else ``<iri>``.

    >>> shorten("https://w3id.org/gsomia-kg/ns#Signing")
    'gk:Signing'
    """
    best = ""
    for prefix, ns in (prefixes or PREFIXES).items():
        if iri.startswith(ns) and len(ns) > len(best):
            local = iri[len(ns):]
            if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
                best, name = ns, f"{prefix}:{local}"
    return name if best else f"<{iri}>"
