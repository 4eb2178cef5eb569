"""X12 837 throughput: payersim's parse + front-end edits (+ adjudication and 835) against pyx12.

Run with ``.venv/bin/python -m benchmarks.bench_x12 [--claims N]`` (default 10,000 claims).

One deterministic 837P interchange is written from generated office claims (1-4 lines each, all
to the ``commercial_ppo`` profile). In the same run it times:

1. payersim: tokenize, envelopes, loops, syntax and guide edits, business edits (NPI, ICD-10-CM,
   charges, dates) and building the claims (:func:`simulator.x12.frontend.receive_837`);
2. payersim end to end: the same, then adjudication with :class:`payers.Payer`, the 277CA and
   the 835 (:func:`simulator.x12.respond.respond_to`), when those modules are present, with a
   line splitting its CPU time into front end, adjudication (timed alone on the same claims) and
   the rest;
3. the floor: pyx12 validating the same file against its 837P map (no claims built, no
   business edits, no adjudication).

It prints claims per second for each and the ratios to pyx12 (target: end to end at least 20x),
by CPU time of this process (``time.process_time``, fair on a shared machine) and by wall time.
Garbage collection is off during each timed step, for payersim and pyx12 alike; a 20-claim file
goes through the front end first so that loading the ICD-10-CM table is not timed.
"""

from __future__ import annotations

import argparse
import gc
import io
import logging
import random
import time
from datetime import date, datetime, timedelta

from simulator.models import Claim
from simulator.samples import sample_claim, sample_coverage, sample_line, sample_provider
from simulator.x12.claim837 import write_837
from simulator.x12.envelope import ControlNumbers, Party
from simulator.x12.frontend import receive_837

__all__ = ["build_claims", "main"]

VISITS = ("99212", "99213", "99213", "99214", "99214", "99215", "99203", "99204")
EXTRAS = (("36415", "E11.9"), ("80053", "E78.5"), ("85025", "D64.9"), ("93000", "I10"), ("81002", "N39.0"))
RECEIVED = date(2026, 11, 2)


def build_claims(count: int, seed: int = 2026) -> list[Claim]:
    """A deterministic mix of ``count`` professional claims from 25 practices to commercial_ppo."""
    rng = random.Random(seed)
    providers = [sample_provider(serial) for serial in range(1, 26)]
    claims = []
    for number in range(count):
        day = date(2026, 1, 5) + timedelta(days=rng.randrange(290))
        codes = [(rng.choice(VISITS), "E11.9")]
        codes += rng.sample(EXTRAS, rng.choice((0, 0, 1, 1, 2, 3)))
        diagnoses = tuple(dict.fromkeys(dx for _, dx in codes))
        lines = tuple(
            sample_line(
                i,
                procedure_code=code,
                charge=rng.randrange(2000, 30000),
                service_date=day,
                diagnosis_pointers=(diagnoses.index(dx) + 1,),
            )
            for i, (code, dx) in enumerate(codes, start=1)
        )
        coverage = sample_coverage("commercial_ppo", member_id=f"M{number % 500:09d}", effective_date=day)
        claims.append(
            sample_claim(
                claim_id=f"B{number:07d}",
                billing_provider=providers[number % 25],
                coverage=coverage,
                diagnoses=diagnoses,
                lines=lines,
            )
        )
    return claims


def _timed(step):
    """Run ``step()`` with garbage collection off; return (result, cpu seconds, wall seconds)."""
    gc.collect()
    gc.disable()
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        result = step()
    finally:
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        gc.enable()
    return result, cpu, wall


def _pyx12(text: str) -> bool:
    """Validate ``text`` with pyx12's 837P map; True when valid."""
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").addHandler(logging.NullHandler())
    logging.getLogger("pyx12").propagate = False
    params = pyx12.params.params()
    return bool(pyx12.x12n_document.x12n_document(params, io.StringIO(text), None, None, None, io.StringIO()))


def _end_to_end(text: str):
    """A step running parse + edits + adjudication + 277CA + 835, or None when those modules are absent."""
    try:
        from payers import load_profile
        from simulator.x12.respond import respond_to
    except ImportError:
        return None
    profile = load_profile("commercial_ppo")

    def step() -> str:
        numbers = ControlNumbers()
        result = receive_837(text, RECEIVED, numbers=numbers)
        response = respond_to(result, profile, received=RECEIVED, numbers=numbers)
        kinds = ",".join(f.kind for f in response.files)
        return f"{response.accepted} accepted, {response.rejected} rejected, files {kinds}"

    return step


def _adjudication(claims):
    """A step adjudicating ``claims`` as :func:`respond_to` does (fresh ledger, no randomness)."""
    from payers import Payer, PayerLedger, load_profile

    payer = Payer(load_profile("commercial_ppo"))

    def step() -> None:
        ledger = PayerLedger()
        for claim in claims:
            payer.adjudicate(claim, received=RECEIVED, ledger=ledger, rng=None)

    return step


def _line(label: str, count: int, cpu: float, wall: float, note: str = "") -> str:
    return (
        f"{label:<36} cpu {cpu:7.2f} s {count / cpu:9,.0f} claims/s | wall {wall:7.2f} s "
        f"{count / wall:9,.0f} claims/s {note}"
    ).rstrip()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--skip-pyx12", action="store_true", help="do not time pyx12 (no ratio)")
    args = parser.parse_args(argv)
    claims = build_claims(args.claims)
    text = write_837(
        claims,
        sender=Party("BILLER01"),
        receiver=Party("PAYERSIM"),
        when=datetime(2026, 11, 1, 18, 0),
        numbers=ControlNumbers(),
    )
    print(
        f"837P: {len(claims):,} claims, {sum(len(c.lines) for c in claims):,} lines, "
        f"{text.count('~'):,} segments, {len(text) / 1e6:.1f} MB"
    )
    warm = write_837(
        claims[:20],
        sender=Party("BILLER01"),
        receiver=Party("PAYERSIM"),
        when=datetime(2026, 11, 1, 18, 0),
        numbers=ControlNumbers(),
    )
    receive_837(warm, RECEIVED)  # loads the ICD-10-CM table once, as a running payer would have it
    result, cpu, wall = _timed(lambda: receive_837(text, RECEIVED))
    assert result.internal_error is None and len(result.accepted) == len(claims), result.problems[:5]
    print(_line("payersim parse + front-end edits", len(claims), cpu, wall))
    step = _end_to_end(text)
    full = None
    if step is not None:
        note, full_cpu, full_wall = _timed(step)
        full = (full_cpu, full_wall)
        print(_line("payersim + adjudicate + 277CA + 835", len(claims), full_cpu, full_wall, f"({note})"))
        _, adjudication_cpu, _ = _timed(_adjudication(result.accepted))
        per_claim = 1e6 / len(claims)
        print(
            f"where the time goes (cpu us per claim): front end {cpu * per_claim:.0f}, adjudication "
            f"{adjudication_cpu * per_claim:.0f}, 277CA + 835 and the rest "
            f"{(full_cpu - cpu - adjudication_cpu) * per_claim:.0f}"
        )
    else:
        print("payersim end to end: skipped (payers or simulator.x12.respond not importable)")
    if args.skip_pyx12:
        return 0
    valid, floor_cpu, floor_wall = _timed(lambda: _pyx12(text))
    print(_line("pyx12 validation (floor)", len(claims), floor_cpu, floor_wall, f"(valid: {valid})"))
    print(f"ratio parse + edits / pyx12: cpu {floor_cpu / cpu:5.1f}x, wall {floor_wall / wall:5.1f}x")
    if full is not None:
        print(
            f"ratio end to end / pyx12   : cpu {floor_cpu / full[0]:5.1f}x, wall {floor_wall / full[1]:5.1f}x"
            "  (target 20x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
