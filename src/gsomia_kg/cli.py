"""The ``gsomia-kg`` command line: a thin, lazily loaded layer over the library.

Each command lives in ``gsomia_kg.commands.<name>`` and imports rdflib, pyshacl or pyoxigraph only when it runs,
so ``gsomia-kg --help`` and ``--version`` stay fast.

Exit codes: 0 success (the graph conforms), 1 validation violations (or a failed ``--check``/ASK false),
2 bad input or usage, 3 internal error.
"""

from __future__ import annotations

import importlib
import importlib.util

import click

from gsomia_kg import __version__

COMMANDS: dict[str, str] = {
    "build": "gsomia_kg.commands.build:build",
    "validate": "gsomia_kg.commands.validate:validate",
    "export": "gsomia_kg.commands.export:export",
    "load": "gsomia_kg.commands.load:load",
    "query": "gsomia_kg.commands.query:query",
    "queries": "gsomia_kg.commands.query:queries",
}


class LazyGroup(click.Group):
    """A group whose commands are imported when first used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._spec_available(name)]

    @staticmethod
    def _spec_available(name: str) -> bool:
        module = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module) is not None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not self._spec_available(name):
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Exit codes: 0 success, 1 validation violations (or failed check), 2 bad input or usage, "
                    "3 internal error.")
@click.version_option(__version__, "-V", "--version", prog_name="gsomia-kg")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Compile, validate, export and query an evidence-backed knowledge graph of news sources."""
    ctx.obj = {"debug": debug}


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="gsomia-kg", standalone_mode=False)
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.Abort:
        click.echo("Aborted.", err=True)
        raise SystemExit(130) from None
    except click.ClickException as exc:  # usage errors: unknown option, bad value...
        exc.show()
        raise SystemExit(2) from None
