"""Reports: event log -> metrics tables -> matplotlib figures -> HTML and markdown.

:func:`render_run_report` renders a run folder's saved outputs into its ``report/`` folder,
:func:`render_events_report` a run's events in memory;
:func:`reports.kpis.summarize` computes a run's KPIs from its event log.
"""

from reports.kpis import summarize
from reports.render import render_events_report, render_run_report

__all__ = ["render_events_report", "render_run_report", "summarize"]
