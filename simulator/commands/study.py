"""``payersim study STUDY.yaml``: run a what-if study and write its folder.

Also home of the options and the run-and-report steps ``payersim compare`` shares.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.errors import UserError
from simulator.studies.runner import run_study
from simulator.studies.spec import StudySpec, load_study

__all__ = ["add_execution_arguments", "execute_study", "register"]

DEFAULT_OUT = Path("runs") / "studies"


def add_execution_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every study command takes: output folder, workers, Dask, events, progress."""
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="study folder (default: runs/studies/<study name>)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="local worker processes (default: all cores; 1 runs in this process; not with --dask)",
    )
    parser.add_argument(
        "--dask", metavar="ADDRESS", help="run on the Dask cluster whose scheduler is at ADDRESS"
    )
    parser.add_argument(
        "--keep-events",
        action="store_true",
        help="also write each replication's event log as "
        "DIR/events/<variant>/replication-NNNN/events.parquet "
        "(each such folder renders with payersim report)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``study`` to the command line."""
    parser = subparsers.add_parser(
        "study",
        help="run a what-if study: variants of a scenario, many replications, paired differences",
        description=(
            "Run every variant of a study for its replications (common random numbers: replication r of "
            "every variant uses the same seed), compare each variant with the first with paired 95% "
            "confidence intervals, and write study.json, replications.csv, summary.csv, differences.csv "
            "and the report to the study folder."
        ),
    )
    parser.add_argument("study", type=Path, metavar="STUDY.yaml", help="the study file")
    add_execution_arguments(parser)
    parser.set_defaults(handler=run)


def execute_study(spec: StudySpec, args: argparse.Namespace, *, study_dir: Path, source: str) -> int:
    """Run ``spec`` as the options say, write the study folder, print the comparison; 1 if any failed."""
    from simulator.studies.output import write_study
    from simulator.studies.render import render_study_report
    from simulator.studies.simulation import SIMULATION
    from simulator.studies.text import describe_differences, describe_failures

    if args.dask and args.workers is not None:
        raise UserError("--workers and --dask do not go together: a Dask cluster brings its own workers")
    out_dir = args.out or DEFAULT_OUT / spec.name
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"{out_dir}: cannot create the study folder: {error.strerror or error}") from None
    result = run_study(
        spec,
        SIMULATION,
        study_dir=study_dir,
        source=source,
        workers=args.workers,
        dask_address=args.dask,
        events_dir=out_dir / "events" if args.keep_events else None,
        variants_dir=out_dir / "variants",
        progress=not args.no_progress,
    )
    write_study(result, out_dir)
    try:
        report = render_study_report(result, out_dir)
    except ImportError:
        report = None
    print(describe_differences(result))
    print(f"study folder: {out_dir}" + (f" (report: {report})" if report else ""))
    if result.failures:
        print(f"payersim: {len(result.failures)} replication(s) failed", file=sys.stderr)
        print(describe_failures(result), file=sys.stderr)
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    """Handle ``payersim study``."""
    spec = load_study(args.study)
    return execute_study(spec, args, study_dir=args.study.resolve().parent, source=str(args.study))
