"""``payersim compare SCENARIO --vary PATH=V1,V2,...``: a study written on the command line.

Each ``--vary`` gives a scenario field by its dotted path and the values to try; several
``--vary`` options make every combination. The first combination is the reference. ``--set``
overrides a field in every variant.
"""

from __future__ import annotations

import argparse
import itertools
import re
from pathlib import Path
from typing import Any

from simulator.commands import whole_number
from simulator.commands.study import add_execution_arguments, execute_study
from simulator.errors import UserError
from simulator.studies.spec import StudySpec, parse_value

__all__ = ["build_spec", "parse_vary", "register"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.=+-]")


def parse_vary(text: str) -> tuple[str, list[Any]]:
    """``"staff.billers=2,3,4"`` -> ``("staff.billers", [2, 3, 4])``."""
    path, sep, values = text.partition("=")
    path = path.strip()
    if not sep or not path or not values.strip():
        raise UserError(f"--vary {text!r}: expected PATH=VALUE,VALUE,... such as staff.billers=2,3,4")
    if any(not part for part in path.split(".")):
        raise UserError(f"--vary {text!r}: {path!r} is not a dotted field path")
    return path, [parse_value(value.strip()) for value in values.split(",")]


def _parse_set(text: str) -> tuple[str, Any]:
    """``"staff.hours_per_day=2"`` -> ``("staff.hours_per_day", 2)``."""
    path, sep, value = text.partition("=")
    if not sep or not path.strip() or any(not part for part in path.strip().split(".")):
        raise UserError(f"--set {text!r}: expected PATH=VALUE such as staff.hours_per_day=2")
    return path.strip(), parse_value(value.strip())


def _variant_name(assignments: list[tuple[str, Any]]) -> str:
    words = [f"{path}={value}" for path, value in assignments]
    return _UNSAFE.sub("_", "+".join(words))[:80] or "base"


def build_spec(
    scenario: str,
    varies: list[str],
    *,
    replications: int,
    seed: int,
    kpis: list[str],
    sets: list[str] = (),
) -> StudySpec:
    """The study that ``payersim compare`` runs: every combination of the ``--vary`` values."""
    if not varies:
        raise UserError("give at least one --vary PATH=VALUE,VALUE,...")
    axes = [parse_vary(text) for text in varies]
    paths = [path for path, _ in axes]
    if len(set(paths)) != len(paths):
        raise UserError("each field may be varied by one --vary only")
    variants = []
    for values in itertools.product(*(values for _, values in axes)):
        assignments = list(zip(paths, values, strict=True))
        variants.append({"name": _variant_name(assignments), "set": dict(assignments)})
    names = [v["name"] for v in variants]
    if len(set(names)) != len(names):
        raise UserError("--vary values repeat: each combination must be different")
    stem = Path(scenario).stem if scenario.endswith((".yaml", ".yml")) else scenario
    return StudySpec.model_validate(
        {
            "name": _UNSAFE.sub("_", f"compare-{stem}")[:80],
            "question": "How do " + ", ".join(paths) + " change the KPIs?",
            "scenario": scenario,
            "seed": seed,
            "replications": replications,
            "kpis": kpis,
            "set": dict(_parse_set(text) for text in sets),
            "variants": variants,
        }
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``compare`` to the command line."""
    parser = subparsers.add_parser(
        "compare",
        help="compare values of scenario fields over many replications (a study without a file)",
        description=(
            "Run a scenario once per combination of the --vary values, for --replications replications each "
            "with common random numbers, and compare each combination with the first "
            "(paired 95% intervals). "
            "Example: payersim compare quick --vary staff.billers=2,3,4 --replications 20"
        ),
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="a shipped scenario name or a scenario file")
    parser.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="PATH=V1,V2,...",
        help="a field by dotted path and its values",
    )
    parser.add_argument(
        "--replications", type=whole_number(1), default=20, metavar="N", help="replications per variant (20)"
    )
    parser.add_argument(
        "--set", action="append", default=[], metavar="PATH=VALUE", help="override a field in every variant"
    )
    parser.add_argument("--seed", type=whole_number(0), default=0, metavar="N", help="study seed (0)")
    parser.add_argument(
        "--kpi", action="append", default=[], metavar="NAME", help="a KPI of interest (default: all)"
    )
    add_execution_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``payersim compare``."""
    spec = build_spec(
        args.scenario, args.vary, replications=args.replications, seed=args.seed, kpis=args.kpi, sets=args.set
    )
    return execute_study(spec, args, study_dir=Path.cwd(), source="payersim compare")
