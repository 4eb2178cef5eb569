"""``payersim x12``: X12 tools. ``payersim x12 respond FILE`` answers an 837 as a payer would.

``respond`` reads an 837 interchange and writes the files the payer sends back (TA1 when the
envelope is bad, 999, 277CA and 835), named in the order they arrive, into ``--out`` (default:
a folder ``<FILE>.responses`` in the current directory, so a read-only input folder is fine).
It prints where each file went.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from payers import ProfileError, load_profile
from simulator.errors import UserError
from simulator.money import format_dollars
from simulator.x12.respond import FILE_NAMES, Response, respond, write_files

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``x12`` command and its ``respond`` subcommand."""
    parser = subparsers.add_parser("x12", help="X12 tools: answer an 837 as a payer would")
    commands = parser.add_subparsers(dest="x12_command", metavar="SUBCOMMAND")
    parser.set_defaults(handler=lambda args: _help(parser))
    respond_parser = commands.add_parser(
        "respond",
        help="write the TA1/999/277CA/835 a payer sends back for an 837",
        description="Read an 837 interchange and write the payer's answers: 01-ta1.x12 (envelope "
        "problems), 02-999.x12, 03-277ca.x12 and 04-835.x12.",
    )
    respond_parser.add_argument("file", type=Path, help="837P or 837I interchange")
    respond_parser.add_argument(
        "--payer", default="commercial_ppo", help="payer profile name or YAML path (default: commercial_ppo)"
    )
    respond_parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the answers (default: ./<FILE name>.responses); answers an earlier run left"
        " there are replaced (the run names them)",
    )
    respond_parser.add_argument(
        "--received",
        type=_date,
        default=None,
        help="received date YYYY-MM-DD (default: the 837's ISA09 date)",
    )
    respond_parser.set_defaults(handler=run_respond)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def run_respond(args: argparse.Namespace) -> int:
    """Answer the 837 in ``args.file`` and print where the answers went."""
    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        profile = load_profile(args.payer)
    except ProfileError as error:
        raise UserError(str(error)) from None
    try:
        response = respond(data, profile, received=args.received)
    except UserError as error:
        raise UserError(f"{path}: {error}") from None
    except OverflowError:
        raise UserError(
            f"{path}: received date {args.received or '(ISA09)'} is too near the end of the calendar for "
            "the payer's lags and deadlines (give a --received date before the year 9000)"
        ) from None
    out_dir = args.out if args.out is not None else Path.cwd() / (path.name + ".responses")
    earlier = _earlier_answers(out_dir)
    written = write_files(response, out_dir)
    print(_summary(response, profile.name))
    for item, where in zip(response.files, written, strict=True):
        print(f"  {item.kind:<6} {where}")
    if earlier:
        print(
            f"  note: answers an earlier run left in {out_dir} were replaced or removed: {', '.join(earlier)}"
        )
    for note in response.notes:
        print(f"  note: {note}")
    return 0


def _earlier_answers(out_dir: Path) -> list[str]:
    """The answer files already in ``out_dir`` (from an earlier run), in their order."""
    try:
        return [name for name in FILE_NAMES.values() if (out_dir / name).is_file()]
    except OSError:
        return []


def _summary(response: Response, payer: str) -> str:
    paid = sum(p.amount for p in response.payments)
    return (
        f"{payer}: {response.accepted} claim(s) accepted, {response.rejected} rejected; "
        f"{len(response.payments)} payment(s) totalling {format_dollars(paid)}; "
        f"{len(response.files)} file(s) written"
    )
