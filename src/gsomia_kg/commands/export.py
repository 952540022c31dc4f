"""``gsomia-kg export``: write the graph in a standard RDF format, or check a published export is up to date."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from gsomia_kg.commands.options import EXIT_VIOLATIONS, corpus_dir, corpus_option, handle_errors, quiet_option
from gsomia_kg.errors import GsomiaError, Problem
from gsomia_kg.export import ALIASES, FORMAT_NAMES, FORMATS, resolve_format
from gsomia_kg.jsonld import FRAMES

MAX_DIFF_LINES = 40

with_ontology_option = click.option("--with-ontology", is_flag=True,
                                    help="Include the ontology (in a named graph of its own where graphs are kept).")
base_option = click.option("--base", metavar="IRI", default=None,
                           help="Rebase the data IRIs: replace the corpus base (corpus.yaml) by IRI (ending in '/').")
no_description_option = click.option("--no-description", is_flag=True,
                                     help="Leave out the VoID/DCAT dataset description.")


@click.command()
@corpus_option
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_NAMES, case_sensitive=False), default=None,
              metavar="FORMAT", help=f"{'|'.join(FORMATS)} (or {', '.join(sorted(ALIASES))}). "
                                     "Default: from the extension of -o/--check, else turtle.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (atomically) instead of stdout.")
@click.option("--check", "check", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Write nothing; exit 1 (with a diff) if FILE is not what export would write now.")
@with_ontology_option
@base_option
@no_description_option
@click.option("--frame", type=click.Choice(sorted(FRAMES)), default=None,
              help="JSON-LD only: a framed, nested view (e.g. each agreement with its parties, events, "
                   "statements and evidence inside).")
@click.option("--context-file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="PATH",
              help="JSON-LD only: also write the shipped @context to PATH.")
@quiet_option
@handle_errors
def export(corpus: Path | None, fmt: str | None, output: Path | None, check: Path | None, with_ontology: bool,
           base: str | None, no_description: bool, frame: str | None, context_file: Path | None,
           quiet: bool) -> None:
    """Export the graph as turtle (ttl), ntriples (nt), nquads (nq), trig, jsonld (json-ld) or rdfxml (xml).

    The output is deterministic: the same corpus gives the same bytes in every format, sorted so that one new
    fact changes only nearby lines. N-Quads and TriG put each source's claims and evidence in a named graph of
    their own (<base>graph/source/<id>), the accepted facts in <base>graph/facts, the ontology in
    <base>graph/ontology and the dataset description in <base>graph/description; the other formats write their
    union. Exit 0 on success (or an up-to-date --check), 1 if --check finds a difference, 2 on bad input.
    """
    from gsomia_kg.atomic import write_atomic
    from gsomia_kg.export import compile_with_meta, export_data

    if output is not None and check is not None:
        raise click.UsageError("give -o/--output or --check, not both")
    name = resolve_format(fmt, output or check)
    if frame is not None and name != "jsonld":
        raise click.UsageError(f"--frame applies to JSON-LD only (the format is {name})")
    if context_file is not None and name != "jsonld":
        raise click.UsageError(f"--context-file applies to JSON-LD only (the format is {name})")
    result, meta = compile_with_meta(corpus_dir(corpus))
    done = export_data(result, name, meta=meta, with_ontology=with_ontology, base=base, frame=frame,
                       description=not no_description)
    if check is not None:
        sys.exit(_check(check, b"".join(done.chunks), quiet))
    if context_file is not None:
        from gsomia_kg.jsonld import context_bytes

        write_atomic(context_file, context_bytes())
    if output is None:
        stdout = sys.stdout.buffer
        for chunk in done.chunks:
            stdout.write(chunk)
        stdout.flush()
    else:
        write_atomic(output, done.chunks)  # written as it is made: a large graph is never held as one bytes
    if not quiet:
        where = f" to {output}" if output else ""
        graphs = f" in {done.graphs} named graphs" if done.graphs else ""
        click.echo(f"exported {done.triples} triples{graphs} as {name}{where}", err=True)


def _check(path: Path, data: bytes, quiet: bool) -> int:
    """Compare ``path`` with ``data``: 0 if identical, 1 (with a short unified diff on stderr) if not."""
    try:
        current = path.read_bytes()
    except OSError as exc:
        raise GsomiaError(Problem(str(path), None, None, f"cannot read: {exc.strerror}",
                                  "export it first with -o")) from None
    if current == data:
        if not quiet:
            click.echo(f"{path} is up to date", err=True)
        return 0
    old = current.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = data.decode("utf-8").splitlines(keepends=True)
    diff = list(difflib.unified_diff(old, new, fromfile=str(path), tofile="export now", n=2))
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in diff[:MAX_DIFF_LINES])
    more = len(diff) - MAX_DIFF_LINES
    click.echo(f"{path} differs from what export writes now:", err=True)
    click.echo(shown + (f"... ({more} more diff lines)\n" if more > 0 else ""), err=True, nl=False)
    return EXIT_VIOLATIONS
