"""``payersim report RUN_OR_STUDY_DIR``: render a report again from a folder's saved outputs.

A run folder (``events.parquet`` or ``events.csv``, written by ``payersim run``) gets
``report/`` with report.html, summary.md, CSV tables and PNG figures. A study folder
(``study.json``, written by ``payersim study``) gets its report.html and figures again.
Nothing is simulated: the report comes from the files alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simulator.errors import UserError

__all__ = ["register", "report"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` subcommand."""
    parser = subparsers.add_parser(
        "report",
        help="render the HTML/markdown report of a run or study folder",
        description="Render a run folder's report (into RUN_DIR/report/) or a study folder's report "
        "from the saved outputs alone, and print the report's path.",
    )
    parser.add_argument("folder", type=Path, metavar="RUN_OR_STUDY_DIR", help="a run or study folder")
    parser.add_argument("--out", type=Path, default=None, help="write a run's report here instead")
    parser.set_defaults(handler=report)


def _render_study(folder: Path) -> Path:
    from pydantic import ValidationError

    from simulator.errors import describe_validation_error
    from simulator.studies.output import STUDY_JSON, read_study
    from simulator.studies.render import render_study_report

    path = folder / STUDY_JSON
    try:
        result = read_study(folder)
    except ValidationError as error:
        raise UserError(describe_validation_error(error, f"{path}: study")) from None
    except (KeyError, TypeError, AttributeError) as error:
        problem = f"{type(error).__name__}: {error}"
        raise UserError(f"{path}: not a complete payersim study file ({problem})") from None
    return render_study_report(result, folder)


def _render_run(folder: Path, out: Path | None) -> Path:
    from reports.render import MissingRunOutput, render_run_report
    from simulator.codes import carc_category

    try:
        return render_run_report(folder, carc_category, out)
    except MissingRunOutput as error:
        raise UserError(str(error)) from None
    except ValueError as error:
        raise UserError(f"{folder}: cannot render the report: {error}") from None
    except KeyError as error:
        raise UserError(
            f"{folder}: cannot render the report: the event log lacks a column ({error.args[0]}); "
            "was it written by `payersim run`?"
        ) from None
    except OSError as error:
        where = out if out is not None else folder / "report"
        raise UserError(f"{where}: cannot write the report: {error.strerror or error}") from None


def report(args: argparse.Namespace) -> int:
    """Render the folder's report and print its path."""
    from simulator.studies.output import is_study_dir

    folder: Path = args.folder
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder (give a run folder from `payersim run` or a study folder)")
    if is_study_dir(folder) and args.out is not None:
        raise UserError(f"{folder}: --out is for run folders; a study's report is written in its own folder")
    path = _render_study(folder) if is_study_dir(folder) else _render_run(folder, args.out)
    print(path)
    return 0
