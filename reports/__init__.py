"""Reports: event log -> metrics tables -> matplotlib figures -> HTML and markdown.

:func:`render_run_report` renders a run folder's saved outputs into its ``report/`` folder,
:func:`render_events_report` a run's events in memory;
:func:`reports.kpis.summarize` computes a run's KPIs from its event log.

The rendering functions are imported on first use, so code that only needs KPIs or metric
tables (a study's worker process, say) does not pay for importing matplotlib.
"""

from __future__ import annotations

from typing import Any

from reports.kpis import summarize

__all__ = ["render_events_report", "render_run_report", "summarize"]

_LAZY = {"render_events_report", "render_run_report"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from reports import render

        return getattr(render, name)
    raise AttributeError(f"module 'reports' has no attribute {name!r}")
