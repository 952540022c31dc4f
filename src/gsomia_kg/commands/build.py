"""``gsomia-kg build``: compile the corpus, check every quote, write Turtle."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gsomia_kg.commands.options import corpus_dir, corpus_option, handle_errors, quiet_option


@click.command()
@corpus_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the Turtle here (atomically) instead of stdout.")
@quiet_option
@handle_errors
def build(corpus: Path | None, output: Path | None, quiet: bool) -> None:
    """Compile the mapping files into RDF, checking every evidence quote against its document.

    Writes sorted Turtle to stdout (or -o FILE) and a summary to stderr. Exit 0 on success, 2 on bad input
    (each problem as path:line:column: message); a failed build writes nothing.
    """
    from gsomia_kg import progress
    from gsomia_kg.atomic import write_atomic
    from gsomia_kg.graph import compile_corpus
    from gsomia_kg.serialize import to_turtle_chunks

    with progress.reporting(enabled=not quiet):
        result = compile_corpus(corpus_dir(corpus))
        with progress.stage("writing Turtle"):
            chunks = to_turtle_chunks(result.compiled)
            if output is None:
                for chunk in chunks:
                    sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()
            else:
                write_atomic(output, chunks)  # written as it is made; a failure leaves the previous file
    if not quiet:
        click.echo(summary(result), err=True)


def summary(result) -> str:
    """A short human summary of a build."""
    c = result.counts
    lines = [f"built {c['triples']} triples: {c['sources']} sources, {c['entities']} entities, "
             f"{c['claims']} claims, {c['statements']} statements, {c['evidence spans']} evidence spans"]
    lines.append("  entities by kind: " + ", ".join(f"{k} {n}" for k, n in result.entities_by_kind.items()))
    lines.append("  evidence spans by source: " + ", ".join(f"{k} {n}" for k, n in result.spans_per_source.items()))
    return "\n".join(lines)
