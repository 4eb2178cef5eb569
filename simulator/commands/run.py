"""``payersim run SCENARIO``: simulate a scenario and write its run folder.

The folder (default ``runs/<scenario>-seed<N>``) holds ``events.parquet`` (or ``.csv``), the
claims table ``claims.parquet`` (or ``.csv``, one row per claim) and ``summary.json`` (the KPIs
of :func:`reports.kpis.summarize`, computed from the event log alone) and ``report/`` (the HTML
report, its figures and CSV tables; ``payersim report`` renders it again from the folder, with
``scenario.yaml``, a copy of the scenario file). A KPI table is printed. With ``--x12`` the folder
also gets ``x12/``: the run's interchanges (:mod:`simulator.engine.x12files`). What an earlier
run left that this one does not write again (its tables in the other format, its X12 files on a
run without ``--x12``) is removed.

The event log is written to the folder while the run goes (not held in memory), and the KPIs
and the report share one fold of that file, read a batch at a time.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from simulator.commands import whole_number
from simulator.engine import CLAIM_COLUMNS, run_scenario
from simulator.errors import UserError
from simulator.scenario import load_scenario, scenario_path

__all__ = ["kpi_table", "register", "run", "write_claims"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` subcommand."""
    parser = subparsers.add_parser(
        "run",
        help="simulate a scenario and write its run folder",
        description="Simulate a scenario (a shipped name or a YAML path) and write events, claims and KPIs.",
    )
    parser.add_argument("scenario", help="shipped scenario name (see `payersim scenarios`) or YAML path")
    parser.add_argument(
        "--seed", type=whole_number(0), default=None, help="root seed (default: the scenario's)"
    )
    parser.add_argument("--out", type=Path, default=None, help="run folder (default runs/<scenario>-seed<N>)")
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="table file format")
    parser.add_argument(
        "--x12",
        action="store_true",
        help="also write the run's interchanges into <run folder>/x12: 837s, 999s, 277CAs and 835s",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no KPI table")
    parser.set_defaults(handler=run)


def _columns(rows: Sequence[tuple]) -> Iterator[list]:
    """The table's columns one at a time (a ClaimTable unpacks one column at a time)."""
    if hasattr(rows, "column"):
        for k in range(len(CLAIM_COLUMNS)):
            yield rows.column(k)
        return
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(CLAIM_COLUMNS)
    for values in columns:
        yield list(values)


def write_claims(rows: Sequence[tuple], path: Path, fmt: str) -> Path:
    """Write the claims table (dates as ISO text in CSV, date columns in Parquet)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CLAIM_COLUMNS)
        for row in rows:
            writer.writerow(
                ["" if v is None else v.isoformat() if hasattr(v, "isoformat") else v for v in row]
            )
        path.write_bytes(buffer.getvalue().encode("utf-8"))
        return path
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = {name: pa.array(values) for name, values in zip(CLAIM_COLUMNS, _columns(rows), strict=True)}
    table = pa.table(arrays)
    pq.write_table(table, path, compression="zstd")
    return path


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if value <= 1 else f"{value:.2f}"
    if value is None:
        return "-"
    return str(value)


def kpi_table(summary: dict) -> str:
    """The summary as a two-column text table; nested mappings are indented below their key."""
    lines = []
    for key, value in summary.items():
        if key == "cash_by_week":
            lines.append(f"{key:<40} {len(value)} weeks")
        elif isinstance(value, dict):
            lines.append(key)
            lines.extend(f"  {sub:<38} {_cell(v)}" for sub, v in value.items())
        else:
            lines.append(f"{key:<40} {_cell(value)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the scenario, write the folder and print the KPI table."""
    scenario = load_scenario(args.scenario)
    seed = scenario.seed if args.seed is None else args.seed
    out = args.out or Path("runs") / f"{scenario.name}-seed{seed}"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"{out}: cannot create the run folder: {error.strerror or error}") from None
    try:
        _remove_stale_outputs(out, args.format, args.x12)
        result, x12_files, summary, report = _write_run(args, scenario, seed, out)
    except OSError as error:
        where = error.filename or out
        raise UserError(f"{where}: {error.strerror or error} (while writing the run folder {out})") from None
    if not args.quiet:
        print(kpi_table(summary))
        print(f"\nwrote {out}/ ({len(result.claims)} claims, {len(result.events)} events)")
        print(f"report: {report}")
        if args.x12:
            print(f"x12: {len(x12_files)} files in {out / 'x12'}")
    return 0


def _remove_stale_outputs(out: Path, fmt: str, x12: bool) -> None:
    """Remove what an earlier run left that this one will not write again.

    Its tables in the other format (``payersim report`` would read them instead) and, on a run
    without ``--x12``, its X12 files (a run with ``--x12`` replaces them itself).
    """
    other = "csv" if fmt == "parquet" else "parquet"
    for stem in ("events", "claims"):
        (out / f"{stem}.{other}").unlink(missing_ok=True)
    folder = out / "x12"
    if not x12 and folder.is_dir():
        for stale in folder.glob("*.x12"):
            stale.unlink()
        if not any(folder.iterdir()):
            folder.rmdir()


def _write_run(args: argparse.Namespace, scenario, seed: int, out: Path):
    """Simulate and write the run folder; return the result, X12 files, KPI summary and report path."""
    from reports.render import build_run_content, write_report

    try:
        result = run_scenario(
            scenario,
            seed,
            progress=not args.quiet and sys.stderr.isatty(),
            events_path=out / f"events.{args.format}",
            fmt=args.format,
            x12_folder=out if args.x12 else None,
        )
    except UserError as error:
        raise UserError(f"{scenario_path(args.scenario)}: {error}") from None
    x12_files = _write_x12(result, out, not args.quiet and sys.stderr.isatty()) if args.x12 else []
    write_claims(result.claims, out / f"claims.{args.format}", args.format)
    scenario_text = scenario_path(args.scenario).read_text(encoding="utf-8")
    content, tables = build_run_content(result.events, scenario_text)
    summary = content.summary
    text = json.dumps(summary, indent=2, sort_keys=True, default=str) + "\n"
    (out / "summary.json").write_bytes(text.encode("utf-8"))
    (out / "scenario.yaml").write_bytes(scenario_text.encode("utf-8"))
    report = write_report(content, tables, out / "report")
    return result, x12_files, summary, report


def _write_x12(result, out: Path, progress: bool) -> list[Path]:
    """Write the rest of the run's X12 files (with a progress bar on a terminal)."""
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(result.x12.steps(result.last_day)), unit="batch", desc="x12 files", leave=False)
    try:
        return result.x12.finish(result.last_day, bar.update if bar is not None else None)
    except OSError as error:
        raise UserError(f"{out / 'x12'}: cannot write the X12 files: {error.strerror or error}") from None
    finally:
        if bar is not None:
            bar.close()
