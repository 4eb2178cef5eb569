"""Subcommands of ``payersim``: one module each, each with ``register(subparsers)``.

A handler is set with ``parser.set_defaults(handler=function)``; it receives the parsed
arguments and returns an exit status."""
