"""CLI commands, one module each; shared options and error handling live in ``options``."""
