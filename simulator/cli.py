"""The ``payersim`` command line.

Each subcommand lives in its own module under :mod:`simulator.commands` and exposes
``register(subparsers)``; this module finds them, parses the arguments and turns a
:class:`~simulator.errors.UserError` or a validation error into a clear message and exit
status 2, never a traceback. Output cut short by its reader (``payersim ... | head``) ends
quietly with status 141, as a shell reports a command stopped by SIGPIPE.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from simulator import __version__, commands
from simulator.errors import UserError, describe_validation_error

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered, in name order."""
    parser = argparse.ArgumentParser(
        prog="payersim",
        description="Simulate payers that really adjudicate, and the revenue cycle around them.",
    )
    parser.add_argument("--version", action="version", version=f"payersim {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``payersim`` with ``argv`` (default: the process arguments); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except UserError as error:
        print(f"payersim: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:
        print(f"payersim: {describe_validation_error(error, 'input')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("payersim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 141


def _silence_stdout() -> None:
    """Point stdout at /dev/null once its reader is gone (``payersim ... | head``), so exit is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
