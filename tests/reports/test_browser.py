"""A headless Chromium check that the HTML report shows every figure.

Chromium loads a copy of the report with a probe script added (the report itself has no
script); the probe lists each image's decoded and laid-out size. Skipped without ``chromium``.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from reports import render_run_report
from reports.render import RUN_FIGURES
from simulator.eventlog import write_events

CHROMIUM = shutil.which("chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,4000",
]
PROBE = """<script>window.addEventListener('load', function () {
  var rows = Array.prototype.map.call(document.images, function (img) {
    var box = img.getBoundingClientRect();
    return [img.alt, img.complete, img.naturalWidth, img.naturalHeight, Math.round(box.height)].join('|');
  });
  var out = document.createElement('pre'); out.id = 'probe'; out.textContent = rows.join(';');
  document.body.appendChild(out);
});</script>"""

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium) so the page is not rendered",
)


@pytest.fixture(scope="module")
def report(tmp_path_factory, make_log):
    folder = tmp_path_factory.mktemp("run")
    write_events(make_log(), folder / "events.parquet")
    return render_run_report(folder)


def _chromium(*args: str) -> str:
    done = subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_every_figure_is_decoded_and_laid_out(report, tmp_path):
    """Each figure's image decodes to its full size and takes room on the page."""
    probe = tmp_path / "probe.html"
    probe.write_text(
        report.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8"
    )
    dom = _chromium("--dump-dom", probe.as_uri())
    marker = dom.split('<pre id="probe">', 1)[1].split("</pre>", 1)[0]
    rows = [row.split("|") for row in marker.split(";")]
    assert [row[0] for row in rows] == [title for _, _, _, title, _ in RUN_FIGURES]
    for alt, complete, width, height, shown in rows:
        assert complete == "true", alt
        assert int(width) == 1000 and int(height) >= 400, alt
        assert int(shown) >= 400, alt


def test_screenshot_is_written(report, tmp_path):
    """The page renders to a screenshot of the requested size."""
    shot = tmp_path / "report.png"
    _chromium(f"--screenshot={shot}", report.as_uri())
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 4000)
