"""The pyx12 harness: in-process validation, readable errors, and the 277CA map override."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.simulator.x12.pyx12_harness import OVERRIDE_DIR, map_folder, validate

SAMPLES = Path(__file__).resolve().parents[3] / "../shared/x12-samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"public X12 samples not found at {SAMPLES.resolve()}"
)


@needs_samples
@pytest.mark.parametrize(
    "name", ["835-era-sample.edi", "835-multiple-claims-single-check.edi", "835-secondary-payments.edi"]
)
def test_public_835_samples_validate(name: str) -> None:
    """pyx12 accepts the public 835 samples through the harness."""
    result = validate((SAMPLES / name).read_text(encoding="utf-8"))
    assert result.ok, result.describe()


@needs_samples
def test_bad_code_value_is_reported_with_line_and_segment() -> None:
    """An invalid CLP02 status code comes back as an error naming the CLP segment."""
    text = (SAMPLES / "835-era-sample.edi").read_text(encoding="utf-8")
    result = validate(text.replace("CLP*7722337*1*", "CLP*7722337*99*", 1))
    assert not result.ok
    assert any("CLP" in line for line in result.errors), result.describe()


def test_not_x12_is_an_error_not_an_exception() -> None:
    """Text that is not X12 gives a failed result, not a crash."""
    result = validate("hello, world")
    assert not result.ok


def test_map_folder_uses_the_277ca_override() -> None:
    """The map folder links our 277CA map in place of the package's and keeps the others."""
    folder = Path(map_folder())
    assert (folder / "277.5010.X214.xml").resolve() == (OVERRIDE_DIR / "277.5010.X214.xml").resolve()
    assert (folder / "835.5010.X221.A1.xml").exists()
    assert (folder / "maps.xml").exists()
    text = (OVERRIDE_DIR / "277.5010.X214.xml").read_text(encoding="utf-8")
    for loop in ("2200C", "2000D"):
        start = text.index(f'<loop xid="{loop}">')
        assert "<usage>S</usage>" in text[start : start + 200]
