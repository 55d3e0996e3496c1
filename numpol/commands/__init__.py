"""Subcommands of ``numpol``: each module defines ``register(subparsers)`` and sets ``func``."""
