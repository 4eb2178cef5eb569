"""Reference tables: the shipped synthetic ones, and CMS-format PTP and MUE files a user supplies."""

from __future__ import annotations

from datetime import date

import pytest

from payers import Payer, PayerLedger, load_profile
from payers.profile import EditTables
from payers.tables import TableError, load_cms_mue, load_cms_ptp, load_tables
from simulator.samples import sample_claim, sample_coverage, sample_line

PTP_TEXT = (
    "CPT only copyright 2025 American Medical Association. All rights reserved.\n"
    "Column 1\tColumn 2\t* = In existence prior to 1996\tEffective Date\tDeletion Date *=no data\t"
    "Modifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale\n"
    "99213\t36415\t\t20200101\t*\t0\tMisuse of column two code with column one code\n"
    "93000\t99213\t*\t19960101\t20990101\t1\tStandards of medical / surgical practice\n"
    "80053\t85025\t\t20200101\t20210101\t0\tDeleted edit\n"
)
MUE_TEXT = (
    "Practitioner Services MUE Table - Effective 01/01/2026\n"
    '"HCPCS/CPT Code","Practitioner Services MUE Values","MUE Adjudication Indicator","MUE Rationale"\n'
    '"36415","1","3 Date of Service Edit: Clinical","Nature of Service/Procedure"\n'
    '"93000","2","1 Line Edit","Clinical: Data"\n'
)


def test_shipped_tables_are_small_and_consistent():
    """The synthetic tables cover 30-40 codes and every edited code has a fee weight."""
    tables = load_tables("rvu.csv", "ptp.csv", "mue.csv", "policy.csv")
    assert 30 <= len(tables.weights) <= 40
    edited = set(tables.mue) | set(tables.policy) | {e.column1 for es in tables.ptp.values() for e in es}
    assert edited <= set(tables.weights)


def test_cms_ptp_file_is_read_by_column_position(tmp_path):
    """Header lines are skipped; dates, '*' deletion and the modifier indicator are read."""
    path = tmp_path / "ccipra.txt"
    path.write_text(PTP_TEXT, encoding="utf-8")
    ptp = load_cms_ptp(str(path))
    (edit,) = ptp["36415"]
    assert (edit.column1, edit.modifier_indicator, edit.deletion) == ("99213", "0", None)
    assert edit.in_force(date(2026, 1, 1)) and not edit.in_force(date(2019, 12, 31))
    assert not ptp["85025"][0].in_force(date(2026, 1, 1))
    assert ptp["99213"][0].effective == date(1996, 1, 1)


def test_cms_mue_file_reads_value_and_indicator(tmp_path):
    """MUE rows give the unit limit and the leading digit of the adjudication indicator."""
    path = tmp_path / "mue.csv"
    path.write_text(MUE_TEXT, encoding="utf-8")
    assert load_cms_mue(str(path)) == {"36415": (1, "3"), "93000": (2, "1")}


def test_a_profile_uses_user_cms_files(tmp_path):
    """Pointed at CMS-format files with the cms: prefix, the pipeline applies their edits."""
    (tmp_path / "ptp.txt").write_text(PTP_TEXT, encoding="utf-8")
    (tmp_path / "mue.csv").write_text(MUE_TEXT, encoding="utf-8")
    edits = EditTables(ptp_file=f"cms:{tmp_path / 'ptp.txt'}", mue_file=f"cms:{tmp_path / 'mue.csv'}")
    payer = Payer(load_profile("medicare").model_copy(update={"edits": edits}))
    lines = (
        sample_line(1, procedure_code="99213", charge=15000),
        sample_line(2, procedure_code="36415", charge=2500),
        sample_line(3, procedure_code="93000", charge=9000, units=3, diagnosis_pointers=(2,)),
    )
    claim = sample_claim(coverage=sample_coverage("medicare"), diagnoses=("E11.9", "I10"), lines=lines)
    (decision,) = payer.adjudicate(claim, received=date(2026, 3, 10), ledger=PayerLedger())
    by_line = {
        line.line_number: {f"{a.group.value}-{a.carc}" for a in line.adjustments} for line in decision.lines
    }
    assert by_line == {1: {"CO-236"}, 2: {"CO-97"}, 3: {"CO-151"}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("99213\t36415\t\t2020-01-01\t*\t0\tx\n", "row 1: date '2020-01-01' is not YYYYMMDD"),
        ("99213\t36415\t\t20200101\t*\t5\tx\n", "row 1: modifier indicator '5' is not 0, 1 or 9"),
        ("99213\t36415\t\t20201301\t*\t0\tx\n", "is not a real date"),
    ],
)
def test_bad_cms_ptp_rows_name_file_and_row(tmp_path, text, expected):
    """A malformed PTP row is refused with the file and row named."""
    path = tmp_path / "bad.txt"
    path.write_text("header\n" + text, encoding="utf-8")
    with pytest.raises(TableError) as raised:
        load_cms_ptp(str(path))
    assert str(path) in str(raised.value)
    assert expected.replace("row 1", "row 2") in str(raised.value) or expected in str(raised.value)


def test_bad_mue_and_missing_tables(tmp_path):
    """A bad MUE indicator, a missing column and a missing file are each named."""
    path = tmp_path / "mue.csv"
    path.write_text('"36415","1","7 Something"\n', encoding="utf-8")
    with pytest.raises(TableError, match="does not start with 1, 2 or 3"):
        load_cms_mue(str(path))
    weights = tmp_path / "w.csv"
    weights.write_text("code,rvu\n99213,1\n", encoding="utf-8")
    with pytest.raises(TableError, match="missing column"):
        load_tables(str(weights), None, None, None)
    with pytest.raises(TableError, match="no such table"):
        load_tables("nope.csv", None, None, None)
