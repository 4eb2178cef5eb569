"""The study folder: study.json (everything), replications.csv, summary.csv, differences.csv.

Files hold no wall-clock time, so the same study writes the same bytes wherever it ran.
``read_study`` loads study.json back into a :class:`StudyResult` so the report can be
rendered again from the folder alone.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from simulator.errors import UserError
from simulator.studies.analysis import DifferenceRow, SummaryRow
from simulator.studies.runner import StudyResult
from simulator.studies.spec import StudySpec
from simulator.studies.tasks import ReplicationOutcome
from simulator.userfiles import not_utf8

__all__ = [
    "DIFFERENCES_CSV",
    "REPLICATIONS_CSV",
    "STUDY_JSON",
    "SUMMARY_CSV",
    "is_study_dir",
    "read_study",
    "write_study",
]

STUDY_JSON = "study.json"
REPLICATIONS_CSV = "replications.csv"
SUMMARY_CSV = "summary.csv"
DIFFERENCES_CSV = "differences.csv"
FORMAT = "payersim-study/1"


def _plain(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _outcome_record(result: StudyResult, outcome: ReplicationOutcome) -> dict[str, Any]:
    record: dict[str, Any] = {
        "variant": outcome.variant,
        "replication": outcome.replication,
        "seed": outcome.seed,
        "status": "ok" if outcome.ok else "failed",
        "metrics": {name: _plain(value) for name, value in outcome.metrics.items()},
        "series": outcome.series,
        "tables": outcome.tables,
    }
    if not outcome.ok:
        record["error"] = outcome.error
        record["rerun"] = result.rerun_command(outcome)
    return record


def study_document(result: StudyResult) -> dict[str, Any]:
    """study.json's content: the study, every replication's metrics, summaries and differences."""
    spec = result.spec.model_dump(by_alias=True)
    return {
        "format": FORMAT,
        "study": spec,
        "scenario": result.scenario,
        "reference": result.spec.reference.name,
        "kpis": list(result.kpis),
        "variant_files": {name: path for name, path in result.variant_files},
        "replications": [_outcome_record(result, outcome) for outcome in result.outcomes],
        "failures": [
            {
                "variant": o.variant,
                "replication": o.replication,
                "seed": o.seed,
                "error": o.error,
                "rerun": result.rerun_command(o),
            }
            for o in result.failures
        ],
        "summary": [{k: _plain(v) for k, v in asdict(row).items()} for row in result.summary],
        "differences": [{k: _plain(v) for k, v in asdict(row).items()} for row in result.differences],
    }


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([_cell(value) for value in row] for row in rows)


def write_study(result: StudyResult, out_dir: Path) -> list[Path]:
    """Write the study folder's data files; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    document = study_document(result)
    (out_dir / STUDY_JSON).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    metric_names = sorted({name for outcome in result.outcomes for name in outcome.metrics})
    _write_csv(
        out_dir / REPLICATIONS_CSV,
        ["variant", "replication", "seed", "status", *metric_names],
        [
            [
                o.variant,
                o.replication,
                o.seed,
                "ok" if o.ok else "failed",
                *(o.metrics.get(m) for m in metric_names),
            ]
            for o in result.outcomes
        ],
    )
    summary_columns = [f.name for f in fields(SummaryRow)]
    _write_csv(
        out_dir / SUMMARY_CSV,
        summary_columns,
        [[getattr(row, name) for name in summary_columns] for row in result.summary],
    )
    difference_columns = [f.name for f in fields(DifferenceRow)]
    _write_csv(
        out_dir / DIFFERENCES_CSV,
        difference_columns,
        [[getattr(row, name) for name in difference_columns] for row in result.differences],
    )
    return [out_dir / name for name in (STUDY_JSON, REPLICATIONS_CSV, SUMMARY_CSV, DIFFERENCES_CSV)]


def is_study_dir(path: Path) -> bool:
    """True when ``path`` is a folder holding a study.json."""
    return path.is_dir() and (path / STUDY_JSON).is_file()


def _number(value: Any) -> float:
    return math.nan if value is None else value


def read_study(out_dir: Path) -> StudyResult:
    """The study result saved in a study folder."""
    path = out_dir / STUDY_JSON
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{out_dir}: not a study folder (no {STUDY_JSON})") from None
    except UnicodeDecodeError as error:
        raise UserError(not_utf8(path, error)) from None
    except json.JSONDecodeError as error:
        raise UserError(f"{path}: not valid JSON ({error.msg} at line {error.lineno})") from None
    if document.get("format") != FORMAT:
        raise UserError(f"{path}: not a payersim study file (format {document.get('format')!r})")
    spec = StudySpec.model_validate(document["study"])
    index = {variant.name: i for i, variant in enumerate(spec.variants)}
    outcomes = tuple(
        ReplicationOutcome(
            index[r["variant"]],
            r["variant"],
            r["replication"],
            r["seed"],
            metrics={k: v for k, v in r["metrics"].items() if v is not None},
            series=r.get("series", {}),
            tables=r.get("tables", {}),
            error=r.get("error", ""),
        )
        for r in document["replications"]
    )
    summary = tuple(
        SummaryRow(**{k: _number(v) if k not in ("variant", "kpi", "n") else v for k, v in row.items()})
        for row in document["summary"]
    )
    differences = tuple(
        DifferenceRow(
            **{
                k: _number(v)
                if k in ("reference_mean", "variant_mean", "difference", "ci_low", "ci_high")
                else v
                for k, v in row.items()
            }
        )
        for row in document["differences"]
    )
    paths = document.get("variant_files", {})
    files = tuple((v.name, paths[v.name]) for v in spec.variants if v.name in paths)
    return StudyResult(
        spec, document["scenario"], outcomes, tuple(document["kpis"]), summary, differences, files
    )
