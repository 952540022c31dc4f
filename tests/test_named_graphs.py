"""The split into named graphs: which subject goes where, and graph sizes computed without the lines."""

from __future__ import annotations

from gsomia_kg.compiled import Summary, split
from gsomia_kg.graph import compile_corpus
from gsomia_kg.named_graphs import OWNER_CLASSES, OWNER_PREDICATES, owner_keys, partition, sizes, summary_options
from gsomia_kg.namespaces import GK, OA, RDF
from support import SHIPPED

B = "https://ex.org/"
TYPE = f"<{RDF}type>"


def _line(s: str, p: str, o: str) -> str:
    return f"<{B}{s}> <{p}> {o} .\n"


LINES = sorted([
    _line("source/a", f"{RDF}type", f"<{GK}Source>"),
    _line("source/b", f"{RDF}type", f"<{GK}Source>"),
    _line("claim/1", f"{GK}accordingTo", f"<{B}source/a>"),
    _line("claim/1", f"{GK}accordingTo", f"<{B}source/b>"),  # two sources: in both graphs
    _line("claim/2", f"{GK}accordingTo", f"<{B}source/b>"),
    _line("span/1", f"{RDF}type", f"<{GK}EvidenceSpan>"),
    _line("span/1", f"{OA}hasSource", f"<{B}source/a>"),
    _line("span/1", f"{OA}hasSelector", f"<{B}selector/1>"),
    _line("selector/1", f"{OA}start", '"3"'),
    _line("thing/1", f"{OA}hasSource", f"<{B}source/a>"),  # not a span: stays with the facts
    _line("entity/x", f"{RDF}type", f"<{GK}Agreement>"),
])


def test_owners_follow_sources_spans_and_selectors():
    triples = [split(line) for line in LINES]
    found = owner_keys({p: [t for t in triples if t[1] == p] for p in OWNER_PREDICATES},
                       {c: [t[0] for t in triples if t[1] == TYPE and t[2] == c] for c in OWNER_CLASSES})
    a, b = f"<{B}source/a>", f"<{B}source/b>"
    assert found == {a: (a,), b: (b,), f"<{B}claim/1>": (a, b), f"<{B}claim/2>": (b,), f"<{B}span/1>": (a,),
                     f"<{B}selector/1>": (a,)}


def test_sizes_are_the_partition_sizes():
    summary = Summary.of_lines(LINES, **summary_options())
    parts = partition(LINES, B)
    assert parts[f"{B}graph/facts"] == [line for line in LINES if "/thing/" in line or "/entity/" in line]
    assert len(parts[f"{B}graph/source/b"]) == 4
    assert sizes(summary, B) == {g: len(lines) for g, lines in parts.items()}


def test_the_compiler_summary_sizes_the_graphs_of_the_shipped_corpus():
    built = compile_corpus(SHIPPED)
    base = built.meta.base
    lines = built.compiled.lines
    parts = partition(lines, base)
    assert sizes(built.compiled.summary, base) == {g: len(ls) for g, ls in parts.items()}
    assert len(parts) > 5


def test_merge_places_small_graphs_into_a_large_one():
    from gsomia_kg.compiled import merge

    big = [f"<{B}{i:04d}> <{B}p> \"x\" .\n" for i in range(0, 400, 2)]
    small = [big[10], f"<{B}0001> <{B}p> \"x\" .\n", f"<{B}9999> <{B}p> \"x\" .\n"]
    other = [f"<{B}0001> <{B}p> \"x\" .\n", f"<{B}0000> <{B}p> \"a\" .\n"]
    expected = sorted(set(big) | set(small) | set(other))
    assert merge(big, sorted(small), sorted(other)) == expected
    assert merge(sorted(small), big) == sorted(set(big) | set(small))
    assert merge(big[:5], big[3:]) == big  # two large lists: the sorting path


def test_the_compiler_counts_each_distinct_triple_once():
    """The builder counts triples as it makes them (some it makes twice); a summary of its lines agrees."""
    built = compile_corpus(SHIPPED)
    from_lines = Summary.of_lines(built.compiled.lines, **summary_options())
    assert built.compiled.summary == from_lines
    assert from_lines.groups and sum(from_lines.groups.values()) == len(built.compiled.lines)
    assert from_lines.subjects == len({line.split(" ", 1)[0] for line in built.compiled.lines})


def test_union_statistics_count_what_the_extra_graph_repeats_once():
    from gsomia_kg.dataset import union_stats

    extra = sorted({
        LINES[0],  # a data triple again
        _line("source/a", f"{RDF}type", f"<{GK}Other>"),  # a known subject, a new class
        _line("onto/x", f"{RDF}type", f"<{GK}Source>"),  # a new subject, a known object
        _line("onto/x", f"{GK}label", '"new"'),  # a new object
    })
    stats = union_stats(LINES, Summary.of_lines(LINES, **summary_options()), extra)
    union = {split(line) for line in LINES + extra}
    assert stats.triples == len(union)
    assert stats.subjects == len({s for s, _, _ in union})
    assert stats.objects == len({o for _, _, o in union})
    assert stats.predicates == {p[1:-1] for _, p, _ in union}
    assert stats.classes == {o[1:-1]: sum(1 for _, p, o2 in union if p == TYPE and o2 == o)
                             for _, p, o in union if p == TYPE}
    assert stats.sources == sorted(s[1:-1] for s, p, o in union if p == TYPE and o == f"<{GK}Source>")
