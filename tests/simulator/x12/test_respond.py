"""``payersim x12 respond``: an 837 in, the payer's TA1/999/277CA/835 out, all accepted by pyx12."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from payers import load_profile
from simulator.cli import main
from simulator.identifiers import npi_check_digit, npi_error
from simulator.models import Adjustment, ClaimStatus, OtherPayer, Relationship, Subscriber
from simulator.samples import sample_claim, sample_coverage, sample_line, sample_patient
from simulator.x12.ack277ca import read_277ca
from simulator.x12.balance import check_835
from simulator.x12.claim837 import write_837
from simulator.x12.envelope import ControlNumbers, Party, read_interchange
from simulator.x12.remit835 import read_835
from simulator.x12.respond import FILE_NAMES, respond
from simulator.x12.ta1 import read_ta1
from tests.simulator.x12.pyx12_harness import validate

SAMPLES = Path(__file__).resolve().parents[3] / "../shared/x12-samples"
SAMPLE_837S = sorted(SAMPLES.glob("837*.edi")) if SAMPLES.is_dir() else []
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"public X12 samples not found at {SAMPLES.resolve()}"
)


def _837(claims=None) -> str:
    claims = claims or [
        sample_claim(),
        sample_claim(
            claim_id="PCN2",
            lines=(sample_line(1, procedure_code="99214"), sample_line(2, procedure_code="71046")),
        ),
    ]
    return write_837(
        claims,
        sender=Party("ACME01"),
        receiver=Party("PPO01"),
        when=datetime(2026, 3, 2, 12, 0),
        numbers=ControlNumbers(),
    )


def _assert_valid(files) -> None:
    for item in files:
        result = validate(item.text)
        assert result.ok, f"{item.name}: {result.describe()}"
        if item.kind == "835":
            assert check_835(item.text) is None


def test_clean_837_gets_999_277ca_and_835_that_pyx12_accepts() -> None:
    """Two clean claims: a 999, a 277CA accepting both with payer claim numbers, and a paid 835."""
    response = respond(_837(), load_profile("commercial_ppo"))
    assert [f.name for f in response.files] == ["02-999.x12", "03-277ca.x12", "04-835.x12"]
    _assert_valid(response.files)
    acks = read_277ca(response.files[1].text)
    assert [a.accepted for a in acks] == [True, True]
    numbers = [e.payer_claim_number for e in response.entries]
    assert [a.payer_claim_number for a in acks] == numbers
    (payment,) = read_835(response.files[2].text)
    assert [c.adjudication.payer_claim_number for c in payment.claims] == numbers
    assert payment.amount == sum(e.paid for e in response.entries) > 0
    assert payment.trace_number == "000000001"


def test_every_answer_goes_from_the_payer_back_to_the_submitter() -> None:
    """The 999, 277CA and 835 are all sent by the 837's receiver (the payer) to its sender, and the
    277CA names the submitter, not the payer, as its information receiver (NM1*41)."""
    response = respond(_837(), load_profile("commercial_ppo"))
    assert [f.kind for f in response.files] == ["999", "277CA", "835"]
    for item in response.files:
        interchange = read_interchange(item.text)
        assert (interchange.sender.id, interchange.receiver.id) == ("PPO01", "ACME01"), item.name
        (group,) = interchange.groups
        assert (group.gs[2], group.gs[3]) == ("PPO01", "ACME01"), item.name
    receiver = re.search(r"NM1\*41\*2\*([^*~]*)\*{5}46\*([^*~]*)~", response.files[1].text)
    assert receiver is not None and receiver.groups() == ("ACME01", "ACME01")


def test_answers_are_deterministic() -> None:
    """The same 837 gives byte-identical answers."""
    first = respond(_837(), load_profile("commercial_ppo"))
    second = respond(_837(), load_profile("commercial_ppo"))
    assert [f.text for f in first.files] == [f.text for f in second.files]


@pytest.mark.parametrize("usage", ["T", "P"])
def test_every_answer_carries_the_usage_indicator_of_the_837(usage: str) -> None:
    """A test (T) interchange is answered with test interchanges, TA1 and 999 included; P with P."""
    text = _837().replace("*0*P*:~", f"*1*{usage}*:~", 1)
    response = respond(text, load_profile("commercial_ppo"))
    assert [f.kind for f in response.files] == ["TA1", "999", "277CA", "835"]
    assert [f.text[:106].split("*")[15] for f in response.files] == [usage] * 4


def test_payment_date_follows_the_profile_calendar() -> None:
    """The 835's payment date is the profile's payment run after the decision."""
    profile = load_profile("commercial_ppo")
    response = respond(_837(), profile)
    (payment,) = response.payments
    assert payment.payment_date.weekday() in profile.payment.weekdays
    assert payment.payment_date >= max(e.decided_date for e in response.entries)


def test_rejected_claim_goes_to_277ca_only() -> None:
    """A claim the front end rejects is rejected on the 277CA and never appears on the 835."""
    bad = sample_claim(claim_id="BADDX", diagnoses=("Q9999",))
    response = respond(_837([sample_claim(), bad]), load_profile("commercial_ppo"))
    _assert_valid(response.files)
    kinds = [f.kind for f in response.files]
    acks = read_277ca(response.files[kinds.index("277CA")].text)
    by_id = {a.claim_id: a for a in acks}
    assert by_id["PCN0001"].accepted
    assert not by_id["BADDX"].accepted
    assert by_id["BADDX"].statuses[0].category in ("A3", "A6", "A7", "A8")
    remitted = [
        c.adjudication.claim_id for p in read_835(response.files[kinds.index("835")].text) for c in p.claims
    ]
    assert remitted == ["PCN0001"]


def test_bad_envelope_gets_a_ta1() -> None:
    """An interchange whose IEA does not match its ISA is answered with 01-ta1.x12 first."""
    text = _837().replace("IEA*1*000000001~", "IEA*1*000000999~")
    response = respond(text, load_profile("commercial_ppo"))
    assert response.files[0].name == FILE_NAMES["ta1"]
    assert "TA1*000000001*" in response.files[0].text


def test_rejected_groups_and_sets_are_noted_with_their_reasons() -> None:
    """A group that is not claims, and a set whose SE is wrong, each get a note saying why."""
    text = _837()
    not_claims = respond(text.replace("GS*HC*", "GS*HP*"), load_profile("commercial_ppo"))
    assert not_claims.accepted == 0
    assert any("rejects functional group" in n and "GS01 must be HC" in n for n in not_claims.notes)
    miscounted = respond(_re_count(text), load_profile("commercial_ppo"))
    assert any("rejects transaction set 0001 (837)" in n and "SE01" in n for n in miscounted.notes)
    assert not any("rejects" in n for n in respond(text, load_profile("commercial_ppo")).notes)


def test_rejection_notes_stop_at_ten_with_a_count_of_the_rest() -> None:
    """Twelve rejected groups give ten notes and one saying how many more the 999 holds."""
    one = _837().replace("GS*HC*", "GS*HP*")
    text = "".join(one.replace("000000001", f"{n:09d}") for n in range(1, 13))
    notes = [n for n in respond(text, load_profile("commercial_ppo")).notes if "reject" in n]
    assert len(notes) == 11 and notes[-1] == "and 2 more rejections in the 999"


def _re_count(text: str) -> str:
    """``text`` with its SE01 one higher than the set's segment count."""
    return re.sub(r"~SE\*(\d+)\*", lambda m: f"~SE*{int(m.group(1)) + 1}*", text)


def _repaired(text: str) -> str:
    """The sample with what a real front end rightly rejects put right, in memory only.

    The public samples use made-up NPIs that fail the check digit (or start with 9), and one
    has a single date where an RD8 range belongs; the claims are otherwise usable.
    """

    def npi(match: re.Match[str]) -> str:
        value = match.group(2)
        if npi_error(value) is None:
            return match.group(0)
        first = value[:9] if value[0] in "12" else "1" + value[1:9]
        return f"{match.group(1)}{first}{npi_check_digit(first)}"

    text = re.sub(r"(\*XX\*)(\d{10})", npi, text)
    return re.sub(r"RD8\*(\d{8})~", r"RD8*\1-\1~", text)


def _answers(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}


def _check_answers(source: str, answers: dict[str, str]) -> None:
    """pyx12 accepts every answer but a TA1 (it cannot read an interchange with no GS); TA1s read back."""
    for name, text in answers.items():
        if name == FILE_NAMES["ta1"]:
            assert read_ta1(text), f"{source} -> {name}: no TA1 segment"
            continue
        result = validate(text)
        assert result.ok, f"{source} -> {name}: {result.describe()}"


@needs_samples
@pytest.mark.parametrize("path", SAMPLE_837S, ids=[p.name for p in SAMPLE_837S])
def test_every_public_837_as_sent_is_answered_and_pyx12_accepts_the_answers(
    path: Path, tmp_path: Path
) -> None:
    """As sent, each sample gets a valid 999 and, for claims that reach the claim edits, a valid 277CA.

    The samples' NPIs fail the check digit, so their claims are rejected on the 277CA (A7:562)
    and get no 835; one sample's syntax error rejects its transaction set in the 999.
    """
    out = tmp_path / "answers"
    assert main(["x12", "respond", str(path), "--out", str(out)]) == 0
    answers = _answers(out)
    assert "02-999.x12" in answers and "04-835.x12" not in answers
    _check_answers(path.name, answers)
    if "03-277ca.x12" in answers:
        acks = read_277ca(answers["03-277ca.x12"])
        assert acks and all(not a.accepted for a in acks)
        assert all(any(s.status == "562" for s in a.statuses) for a in acks)
    else:
        assert "IK5*R" in answers["02-999.x12"]


@needs_samples
@pytest.mark.parametrize("path", SAMPLE_837S, ids=[p.name for p in SAMPLE_837S])
def test_every_public_837_repaired_gets_999_277ca_and_835_accepted_by_pyx12(
    path: Path, tmp_path: Path
) -> None:
    """With valid NPIs, each sample gets a 999, a 277CA accepting every claim and a balanced 835."""
    source = tmp_path / path.name
    source.write_text(_repaired(path.read_text(encoding="utf-8-sig")), encoding="utf-8")
    out = tmp_path / "answers"
    assert main(["x12", "respond", str(source), "--out", str(out)]) == 0
    answers = _answers(out)
    assert sorted(set(answers) - {FILE_NAMES["ta1"]}) == ["02-999.x12", "03-277ca.x12", "04-835.x12"]
    _check_answers(path.name, answers)
    if FILE_NAMES["ta1"] in answers:
        assert [t.ack_code for t in read_ta1(answers[FILE_NAMES["ta1"]])] == ["A"]
    assert check_835(answers["04-835.x12"]) is None
    acks = read_277ca(answers["03-277ca.x12"])
    assert acks and all(a.accepted for a in acks)
    remitted = [c.adjudication for p in read_835(answers["04-835.x12"]) for c in p.claims]
    assert sorted(c.claim_id for c in remitted) == sorted(a.claim_id for a in acks)
    assert [c.payer_claim_number for c in remitted] == [a.payer_claim_number for a in acks]


def test_command_prints_where_files_went(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command writes into --out, prints each path, and removes stale answers from an earlier run,
    saying so."""
    source = tmp_path / "claims.837"
    source.write_text(_837(), encoding="utf-8")
    out = tmp_path / "answers"
    out.mkdir()
    (out / "01-ta1.x12").write_text("stale", encoding="utf-8")
    assert main(["x12", "respond", str(source), "--out", str(out), "--payer", "commercial_ppo"]) == 0
    printed = capsys.readouterr().out
    assert "2 claim(s) accepted" in printed
    assert str(out / "04-835.x12") in printed
    assert not (out / "01-ta1.x12").exists()
    assert f"answers an earlier run left in {out} were replaced or removed: 01-ta1.x12" in printed
    assert main(["x12", "respond", str(source), "--out", str(out), "--payer", "commercial_ppo"]) == 0
    again = capsys.readouterr().out
    assert "were replaced or removed: 02-999.x12, 03-277ca.x12, 04-835.x12" in again
    assert (
        main(["x12", "respond", str(source), "--out", str(tmp_path / "new"), "--payer", "commercial_ppo"])
        == 0
    )
    assert "earlier run" not in capsys.readouterr().out


def test_default_out_dir_is_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --out the answers go to ./<FILE>.responses, never into the input's folder."""
    inbox, work = tmp_path / "inbox", tmp_path / "work"
    inbox.mkdir()
    work.mkdir()
    source = inbox / "claims.837"
    source.write_text(_837(), encoding="utf-8")
    monkeypatch.chdir(work)
    assert main(["x12", "respond", str(source), "--received", "2026-03-03"]) == 0
    assert (work / "claims.837.responses" / "04-835.x12").exists()
    assert not (inbox / "claims.837.responses").exists()
    capsys.readouterr()


def test_unknown_payer_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown payer profile is a one-line error with exit status 2, not a traceback."""
    source = tmp_path / "claims.837"
    source.write_text(_837(), encoding="utf-8")
    assert main(["x12", "respond", str(source), "--out", str(tmp_path / "o"), "--payer", "nobody"]) == 2
    err = capsys.readouterr().err
    assert "unknown payer profile 'nobody'" in err and "Traceback" not in err


def test_bad_received_date_is_refused_by_the_parser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed --received date stops at argument parsing with a message naming it."""
    with pytest.raises(SystemExit) as stopped:
        main(["x12", "respond", str(tmp_path / "x.837"), "--received", "2026-13-01"])
    assert stopped.value.code == 2
    assert "not a date in YYYY-MM-DD form: '2026-13-01'" in capsys.readouterr().err


def test_missing_and_non_x12_files_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing file or a file that is not X12 gives exit status 2 and a message naming the file."""
    assert main(["x12", "respond", str(tmp_path / "nope.837")]) == 2
    assert "nope.837" in capsys.readouterr().err
    junk = tmp_path / "junk.txt"
    junk.write_text("hello, this is not X12", encoding="utf-8")
    code = main(["x12", "respond", str(junk), "--out", str(tmp_path / "o"), "--received", "2026-03-02"])
    err = capsys.readouterr().err
    if code == 0:
        assert (tmp_path / "o" / "01-ta1.x12").exists()
    else:
        assert code == 2 and "X12" in err and "Traceback" not in err


def test_statuses_cover_paid_and_denied_lines() -> None:
    """The commercial profile pays the visit and denies the unauthorized imaging line (CO-197)."""
    response = respond(_837(), load_profile("commercial_ppo"), received=date(2026, 3, 2))
    statuses = [e.status for e in response.entries]
    assert statuses == [ClaimStatus.PAID, ClaimStatus.PARTLY_PAID]
    assert "CO-197" in response.entries[1].carcs


def test_replacement_in_the_same_file_is_reversed_and_corrected_on_the_835() -> None:
    """An original and its replacement (frequency 7): the 835 shows it paid, reversed (22), re-paid."""
    original = sample_claim()
    replacement = sample_claim(
        frequency="7", payer_claim_number="PPO20260302000001", lines=(sample_line(1, procedure_code="99214"),)
    )
    response = respond(_837([original, replacement]), load_profile("commercial_ppo"))
    _assert_valid(response.files)
    assert [e.status for e in response.entries] == [ClaimStatus.PAID, ClaimStatus.REVERSED, ClaimStatus.PAID]
    (payment,) = read_835(response.files[-1].text)
    decisions = [c.adjudication for c in payment.claims]
    assert [d.status for d in decisions] == [ClaimStatus.PAID, ClaimStatus.REVERSED, ClaimStatus.PAID]
    assert decisions[1].reverses == "PPO20260302000001" and decisions[1].paid == -decisions[0].paid
    assert payment.claims[2].original_reference == "PPO20260302000001"
    assert payment.amount == decisions[2].paid


def test_secondary_claim_is_remitted_as_processed_as_secondary() -> None:
    """A claim carrying the primary payer's decision is paid as secondary: CLP02 is 2, OA-23 shown."""
    primary = OtherPayer(
        payer_id="commercial_ppo",
        paid=8000,
        patient_responsibility=2500,
        adjudication_date=date(2026, 2, 25),
        line_adjustments=(
            (
                1,
                (
                    Adjustment(group="CO", carc="45", amount=4500, rule="primary"),
                    Adjustment(group="PR", carc="2", amount=2500, rule="primary"),
                ),
            ),
        ),
    )
    claim = sample_claim(claim_id="SEC1", coverage=sample_coverage("medicaid"), other_payers=(primary,))
    response = respond(_837([claim]), load_profile("medicaid"))
    _assert_valid(response.files)
    (entry,) = response.entries
    assert entry.coordination_order == 2 and "OA-23" in entry.carcs
    assert "CLP*SEC1*2*150*" in response.files[-1].text
    (payment,) = read_835(response.files[-1].text)
    assert payment.claims[0].adjudication.coordination_order == 2


def test_835_lines_echo_the_line_item_control_numbers_the_837_sent() -> None:
    """REF*6R on each 835 service line is the provider's line item control number from the 837
    (2400 REF*6R), so a posting system can find its charge; lines the 837 numbered plainly keep
    their numbers."""
    claim = sample_claim(
        claim_id="LIC1",
        lines=(sample_line(1, procedure_code="99214"), sample_line(2, procedure_code="71046")),
    )
    text = _837([claim]).replace("REF*6R*1~", "REF*6R*CHG-88120~").replace("REF*6R*2~", "REF*6R*CHG-88121~")
    response = respond(text, load_profile("commercial_ppo"))
    _assert_valid(response.files)
    remittance = response.files[-1].text
    assert re.findall(r"REF\*6R\*([^~]*)~", remittance) == ["CHG-88120", "CHG-88121"]
    plain = respond(_837([claim]), load_profile("commercial_ppo")).files[-1].text
    assert re.findall(r"REF\*6R\*([^~]*)~", plain) == ["1", "2"]


def test_835_names_the_subscriber_when_the_patient_is_a_dependent() -> None:
    """A dependent's claim (the 837's 2000C patient loop) is remitted with NM1*IL naming the
    subscriber beside NM1*QC naming the patient; a subscriber's own claim has no NM1*IL."""
    parent = Subscriber(
        member_id="M555000111", first_name="Robert", last_name="Roe", birth_date=date(1970, 1, 5), gender="M"
    )
    coverage = sample_coverage(member_id="M555000111").model_copy(
        update={"subscriber": parent, "relationship": Relationship.CHILD}
    )
    child = sample_patient(patient_id="P0002", first_name="Amy", last_name="Roe", birth_date=date(2012, 6, 1))
    dependent = sample_claim(claim_id="DEP1", patient=child, coverage=coverage)
    response = respond(_837([dependent, sample_claim()]), load_profile("commercial_ppo"))
    _assert_valid(response.files)
    first, second = response.files[-1].text.split("CLP*")[1:]
    assert "~NM1*QC*1*Roe*Amy****MI*M555000111~NM1*IL*1*Roe*Robert****MI*M555000111~" in first
    assert "NM1*IL" not in second
    (payment,) = read_835(response.files[-1].text)
    read_back = [(c.subscriber_last_name, c.subscriber_first_name, c.member_id) for c in payment.claims]
    assert read_back == [("Roe", "Robert", "M555000111"), (None, None, "M123456789")]


def test_835_line_spanning_days_is_dated_with_its_service_period() -> None:
    """A line billed for several days (837 DTP*472 RD8) keeps its period on the 835: DTM*150 and
    DTM*151, not a DTM*472 naming its first day only; a one-day line keeps DTM*472."""
    span = sample_line(1, service_date=date(2026, 2, 20), service_date_end=date(2026, 2, 24))
    claim = sample_claim(claim_id="SPAN1", lines=(span, sample_line(2, procedure_code="36415")))
    response = respond(_837([claim]), load_profile("commercial_ppo"))
    _assert_valid(response.files)
    remittance = response.files[-1].text
    first, second = remittance.split("SVC*")[1:]
    assert "~DTM*150*20260220~DTM*151*20260224~" in first and "DTM*472" not in first
    assert "~DTM*472*20260302~" in second and "DTM*15" not in second


def test_277ca_rejection_message_reads_as_written() -> None:
    """STC12 names the code once and keeps the message's sense where a colon cannot go."""
    claim = sample_claim(claim_id="CAT", diagnoses=("E11",))
    answers = {f.name: f.text for f in respond(_837([claim]), load_profile("commercial_ppo")).files}
    (stc,) = [s for s in answers["03-277ca.x12"].split("~") if s.startswith("STC*A7:254")]
    message = stc.split("*")[-1]
    assert (
        message
        == "principal diagnosis ICD-10-CM 'E11' is a category, not a billable code; it needs more characters"
    )


def _sets_of(text: str) -> list[list[str]]:
    """The segments of each transaction set of an interchange, ST to SE."""
    sets: list[list[str]] = []
    for segment in text.split("~"):
        if segment.startswith("ST*"):
            sets.append([])
        if sets:
            sets[-1].append(segment)
    return sets


def test_each_837_transaction_set_gets_a_277ca_echoing_its_bht03() -> None:
    """A 277CA answers one 837 transaction set: its 2200B TRN02 is that set's BHT03 (X12 RFI 2815),
    and it lists that set's claims, accepted and rejected."""
    claims = [sample_claim(claim_id=f"PCN{n}") for n in range(3)]
    bad = sample_claim(claim_id="BADDX", diagnoses=("E11",))
    text = write_837(
        [claims[0], claims[1], bad, claims[2]],
        sender=Party("ACME01"),
        receiver=Party("PPO01"),
        when=datetime(2026, 3, 2, 12, 0),
        numbers=ControlNumbers(),
        max_claims_per_transaction=2,
    )
    bhts = [s.split("*")[3] for s in text.split("~") if s.startswith("BHT*")]
    assert len(set(bhts)) == 2
    answer = {f.name: f.text for f in respond(text, load_profile("commercial_ppo")).files}["03-277ca.x12"]
    sets = _sets_of(answer)
    assert len(sets) == 2
    for bht, members, segments in zip(bhts, (["PCN0", "PCN1"], ["BADDX", "PCN2"]), sets, strict=True):
        traces = [s.split("*")[2] for s in segments if s.startswith("TRN*2*")]
        assert traces[0] == bht and sorted(traces[1:]) == members
    assert validate(answer).ok, validate(answer).describe()
