"""``payersim serve``: run the fake payer server (FastAPI on uvicorn)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import socket
import sqlite3
from pathlib import Path

from simulator.errors import UserError

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` subcommand."""
    parser = subparsers.add_parser(
        "serve",
        help="run the fake payer server (X12 and JSON over HTTP, file mailbox)",
        description="Serve payers that really adjudicate: POST /x12, JSON claims, mailbox, clock. "
        "OpenAPI docs at /docs.",
    )
    parser.add_argument("--config", type=Path, help="server configuration YAML (default: the shipped one)")
    parser.add_argument(
        "--scenario",
        help="serve the payers of this scenario (name or YAML path): its profiles, overrides and "
        "dated changes, from its start date and seed",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path("payersim-server.db"),
        help="SQLite database path (default: payersim-server.db in the current folder)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    parser.add_argument("--mailbox", type=Path, help="folder for the file mailbox (inbound/ and outbound/)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start the server and serve until interrupted."""
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError as error:
        raise UserError(
            f"payersim serve needs the server extra ({error.name} is not installed): "
            "pip install 'payersim[server]'"
        ) from None

    from simulator.server import FakePayerService, create_app, load_config
    from simulator.server.runner import Background

    if not 0 < args.port < 65536:
        raise UserError(f"--port {args.port} is not a port number (1-65535)")
    try:
        ipaddress.ip_address(args.host)
    except ValueError:
        if args.host != "localhost":
            raise UserError(f"--host {args.host!r} is not an IP address") from None
    config = load_config(args.config)
    if args.scenario:
        from simulator.scenario import load_scenario
        from simulator.server.config import with_scenario_payers

        config = with_scenario_payers(config, load_scenario(args.scenario))
    if args.mailbox is not None and args.mailbox.exists() and not args.mailbox.is_dir():
        raise UserError(f"--mailbox {args.mailbox}: not a folder (give a folder for inbound/ and outbound/)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    listening = _listen(args.host, args.port)
    try:
        service = FakePayerService(config, str(args.db))
    except (sqlite3.Error, OSError) as error:
        listening.close()
        reason = getattr(error, "strerror", None) or error
        raise UserError(f"--db {args.db}: cannot open the SQLite database ({reason})") from None
    try:
        background = Background(service, args.mailbox)
    except OSError as error:
        listening.close()
        service.close()
        reason = error.strerror or error
        raise UserError(f"--mailbox {args.mailbox}: cannot use the folder ({reason})") from None
    background.start()
    logging.getLogger("payersim.serve").info(
        "fake payer on http://%s:%d (docs at /docs), database %s, clock %s at %s",
        args.host,
        args.port,
        args.db,
        service.clock.mode,
        service.clock.today(),
    )
    try:
        config = uvicorn.Config(
            create_app(service), host=args.host, port=args.port, log_level="info", access_log=False
        )
        uvicorn.Server(config).run(sockets=[listening])
    finally:
        listening.close()
        background.stop()
        service.close()
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port``, or a UserError naming why it cannot be."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, as getaddrinfo would: asyncio sets TCP_NODELAY only on such sockets'
    # connections, and without it every small answer waits for a delayed ACK (about 40 ms).
    listening = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(("127.0.0.1" if host == "localhost" else host, port))
    except OSError as error:
        listening.close()
        reason = error.strerror or error
        raise UserError(f"--host {host} --port {port}: cannot listen there ({reason})") from None
    return listening
