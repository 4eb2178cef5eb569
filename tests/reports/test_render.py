"""Tests for the run report: files written, HTML self-contained, markdown and CSV tables, errors."""

from __future__ import annotations

import base64
import csv
from html.parser import HTMLParser

import pytest

from reports import render_run_report
from reports.render import MissingRunOutput
from simulator.eventlog import write_events

FIGURES = ("cash_by_week", "ar_aging", "denials_pareto", "denials_by_payer", "resolution_cdf", "staff")


class _Links(HTMLParser):
    """Collects every tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


@pytest.fixture
def run_dir(tmp_path, synthetic_events):
    folder = tmp_path / "run"
    folder.mkdir()
    write_events(synthetic_events, folder / "events.parquet")
    (folder / "scenario.yaml").write_text("name: synthetic\nclaims_per_day: 4\n", encoding="utf-8")
    return folder


def test_report_folder_holds_every_output(run_dir):
    """report.html, summary.md, one PNG per figure and the CSV tables land in run/report/."""
    path = render_run_report(run_dir)
    assert path == run_dir / "report" / "report.html"
    names = {p.name for p in path.parent.iterdir()}
    assert {f"{f}.png" for f in FIGURES} <= names
    assert {
        "summary.md",
        "kpis.csv",
        "calibration.csv",
        "cash_by_week.csv",
        "ar_aging.csv",
        "initial_denials.csv",
        "resolution_times.csv",
        "staff.csv",
    } <= names


def test_html_links_nothing_outside_itself(run_dir):
    """No http(s) src or href, no script, no external stylesheet; every image is a PNG data URI."""
    page = render_run_report(run_dir).read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(page)
    assert not [t for t, _ in parser.tags if t in ("script", "link", "iframe", "object", "embed")]
    for tag, attrs in parser.tags:
        for name in ("src", "href"):
            value = attrs.get(name, "")
            assert not value.lower().startswith(("http:", "https:", "//", "file:")), (tag, value)
            if tag == "a" and name == "href" and value:
                assert value.startswith("#"), value
    images = [attrs["src"] for tag, attrs in parser.tags if tag == "img"]
    assert len(images) == len(FIGURES)
    assert all(src.startswith("data:image/png;base64,") for src in images)
    folder = run_dir / "report"
    decoded = [base64.b64decode(src.partition(",")[2]) for src in images]
    assert decoded == [(folder / f"{name}.png").read_bytes() for name in FIGURES]
    assert "url(" not in page and "@import" not in page


def test_html_shows_scenario_seed_version_kpis_and_calibration(run_dir):
    """The page names the scenario, its seed and payersim's version, and holds both tables."""
    page = render_run_report(run_dir).read_text(encoding="utf-8")
    assert "Scenario <b>synthetic</b>" in page
    assert "Seed <b>3</b>" in page
    assert "payersim <b>" in page
    assert "Initial denial rate" in page
    assert "Change Healthcare Denials Index" in page
    assert "claims_per_day: 4" in page
    assert "class='verdict within'" in page and "class='verdict outside'" in page
    assert "<th>Payer type</th>" in page and "<th>payer_type</th>" not in page


def test_render_twice_gives_the_same_bytes(run_dir, tmp_path):
    """Rendering again from the same folder reproduces every file byte for byte."""
    first = render_run_report(run_dir)
    files = {p.name: p.read_bytes() for p in first.parent.iterdir()}
    second = render_run_report(run_dir, out_dir=tmp_path / "again")
    assert {p.name: p.read_bytes() for p in second.parent.iterdir()} == files


def test_markdown_and_csv_tables(run_dir):
    """The markdown summary links the figures; CSV money columns are dollar strings."""
    folder = render_run_report(run_dir).parent
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# payersim run report: synthetic\n")
    assert "| Initial denial rate |" in summary
    assert all(f"]({name}.png)" in summary for name in FIGURES)
    with (folder / "cash_by_week.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["run", "week", "payer_type", "collected"]
    assert all(r["collected"].count(".") == 1 and len(r["collected"].split(".")[1]) == 2 for r in rows)
    with (folder / "kpis.csv").open(encoding="utf-8") as handle:
        kpis = {(r["kpi"], r["key"]): r["value"] for r in csv.DictReader(handle)}
    assert kpis[("claims", "")] == "120"


def test_csv_event_log_is_read_too(tmp_path, synthetic_events):
    """A run folder with events.csv renders like one with Parquet."""
    write_events(synthetic_events, tmp_path / "events.csv", "csv")
    assert render_run_report(tmp_path).is_file()


def test_missing_event_log_is_a_clear_error(tmp_path):
    """A run folder without its event log names the files looked for."""
    with pytest.raises(MissingRunOutput, match=r"no event log .*events\.parquet or events\.csv"):
        render_run_report(tmp_path)
    with pytest.raises(MissingRunOutput, match="no such run folder"):
        render_run_report(tmp_path / "absent")


def test_categorize_is_used_for_uncategorised_denials(tmp_path, build):
    """render_run_report passes the CARC table on to the KPIs."""
    build.created("C1", 0, 10000).submitted("C1", 1).adjudicated("C1", 14, "denied", "197")
    write_events(build.events, tmp_path / "events.parquet")
    folder = render_run_report(tmp_path, {"197": "prior_authorization"}.get).parent
    with (folder / "kpis.csv").open(encoding="utf-8") as handle:
        kpis = {(r["kpi"], r["key"]): r["value"] for r in csv.DictReader(handle)}
    assert kpis[("denial_reason_mix", "prior_authorization")] == "1.0000"


def test_a_one_day_run_renders(tmp_path, build):
    """A run whose events all fall on one day still renders every figure."""
    build.created("C1", 0, 10000).paid("C1", 0, 10000).closed("C1", 0)
    write_events(build.events, tmp_path / "events.parquet")
    folder = render_run_report(tmp_path).parent
    assert all((folder / f"{name}.png").stat().st_size > 1000 for name in FIGURES)


def test_report_bytes_do_not_depend_on_the_process(run_dir, tmp_path):
    """Two processes with different hash seeds write byte-identical report folders."""
    import os
    import subprocess
    import sys

    code = "import sys; from reports import render_run_report as r; r(sys.argv[1], out_dir=sys.argv[2])"
    folders = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", code, str(run_dir), str(out)], check=True, env=env)
        folders.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert folders[0] == folders[1]
    assert len(folders[0]) >= 15


def test_render_events_report_from_memory(tmp_path, synthetic_events, run_dir):
    """Events in memory give the same report as the same events read from the run folder."""
    from reports import render_events_report

    memory = render_events_report(synthetic_events, tmp_path / "memory", scenario_text="name: synthetic\n")
    folder = render_run_report(run_dir)
    assert memory.read_bytes() != b""
    assert (memory.parent / "summary.md").read_bytes() == (folder.parent / "summary.md").read_bytes()
    assert (memory.parent / "staff.png").read_bytes() == (folder.parent / "staff.png").read_bytes()


def test_column_labels_read_as_words():
    """Table headings are words: money columns say USD, abbreviations keep their capitals."""
    from reports.tables import column_label

    assert column_label("paid_cents") == "Paid (USD)"
    assert column_label("payer_type") == "Payer type"
    assert column_label("claim_id") == "Claim ID"
    assert column_label("carc") == "CARC"
    assert column_label("ar_over_90") == "A/R over 90"
