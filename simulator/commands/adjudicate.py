"""``payersim adjudicate``: adjudicate one claim file with a payer profile and show the decision.

Every adjustment is printed with the rule that produced it; ``--json`` prints the decision
entries as JSON (money as dollar strings). The payer starts with an empty ledger, so the
claim's own coverage stands for eligibility.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError

from payers import Payer, PayerLedger, ProfileError, load_profile
from simulator.codes import carc_codes
from simulator.errors import UserError, describe_validation_error
from simulator.models import Claim, ClaimAdjudication
from simulator.money import format_dollars
from simulator.userfiles import read_text

__all__ = ["load_claim", "register", "render"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``adjudicate`` subcommand."""
    parser = subparsers.add_parser(
        "adjudicate",
        help="adjudicate a claim JSON file with a payer profile",
        description="Adjudicate a claim (JSON) with a payer profile and print the decision with its rules.",
    )
    parser.add_argument("claim", type=Path, help="claim JSON file (see examples/)")
    parser.add_argument(
        "--payer", required=True, help="profile name (medicare, commercial_ppo, ...) or YAML path"
    )
    parser.add_argument(
        "--received",
        type=_date,
        default=None,
        help="date the payer received the claim, YYYY-MM-DD (default: the day after the last service)",
    )
    parser.add_argument("--json", action="store_true", help="print the decision entries as JSON")
    parser.set_defaults(handler=run)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def load_claim(path: Path) -> Claim:
    """Read and validate a claim JSON file; errors name the file and the field."""
    text = read_text(path, "claim")
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(
            f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    try:
        return Claim.model_validate_json(text)
    except ValidationError as error:
        raise UserError(describe_validation_error(error, str(path))) from None


def run(args: argparse.Namespace) -> int:
    """Adjudicate the claim and print the result."""
    claim = load_claim(args.claim)
    try:
        payer = Payer(load_profile(args.payer))
    except ProfileError as error:
        raise UserError(str(error)) from None
    except ValueError as error:
        raise UserError(f"{args.payer}: {error}") from None
    try:
        received = args.received or claim.last_service_date + timedelta(days=1)
        entries = payer.adjudicate(claim, received=received, ledger=PayerLedger())
    except OverflowError:
        shown = (
            f"received date {args.received}" if args.received else f"service date {claim.last_service_date}"
        )
        raise UserError(
            f"{args.claim}: {shown} is too near the end of the calendar for the payer's "
            "lags and deadlines (give --received or service dates before the year 9000)"
        ) from None
    if args.json:
        print(json.dumps([json.loads(entry.model_dump_json()) for entry in entries], indent=2))
    else:
        print("\n\n".join(render(entry, payer.profile.display_name) for entry in entries))
    return 0


def render(entry: ClaimAdjudication, payer_name: str = "") -> str:
    """A readable account of one decision: totals, then each line with its adjustments and rules."""
    names = carc_codes()
    out = [
        f"Claim {entry.claim_id} -> {entry.payer_id} ({payer_name or entry.payer_id})",
        f"  payer claim number {entry.payer_claim_number}   status {entry.status.value}"
        f"   received {entry.received_date}   decided {entry.decided_date}",
        f"  billed {format_dollars(entry.billed)}   allowed {format_dollars(entry.allowed)}"
        f"   paid {format_dollars(entry.paid)}   patient {format_dollars(entry.patient_responsibility)}",
    ]
    if entry.reverses:
        out.append(f"  reverses {entry.reverses}")
    if entry.documentation_due:
        out.append(f"  documentation due {entry.documentation_due}")
    for line in entry.lines:
        out.append(
            f"  line {line.line_number}  {line.procedure_code}{''.join('-' + m for m in line.modifiers)}"
            f" x{line.units}  {line.service_date}  billed {format_dollars(line.billed)}"
            f"  allowed {format_dollars(line.allowed)}  paid {format_dollars(line.paid)}"
            f"  [{line.status.value}]"
        )
        for adj in line.adjustments:
            wording = names[adj.carc].wording if adj.carc in names else ""
            rarcs = f" ({', '.join(adj.rarcs)})" if adj.rarcs else ""
            out.append(
                f"      {adj.group.value}-{adj.carc:<4} {format_dollars(adj.amount):>10}"
                f"  rule {adj.rule}{rarcs}  {wording}".rstrip()
            )
    for draw in entry.draws:
        out.append(f"  draw {draw.stream}/{draw.rule} = {draw.value:.6f}")
    return "\n".join(out)
