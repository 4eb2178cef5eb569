"""Adjudication throughput: claims adjudicated per second on one core, realistic 1-4 line claims.

Run with ``.venv/bin/python -m benchmarks.bench_adjudication [--claims N]``. Claims are built
once (a seeded mix of office visits, labs, ECGs and wellness visits over four payers); the
timed loop adjudicates them against each payer's ledger. Times are process CPU time (one core,
so other load on the machine matters less), best of ``--repeat`` runs. As a floor measured in
the same run it also times validating the same claims from Python dicts, and prints the ratio.

A second section, "ledger bytes per claim", measures with tracemalloc what the payers' ledgers
keep alive per adjudicated claim: each claim is built inside the traced window and dropped by
the caller after adjudication, so claims the ledger holds on to count, as in a long simulated run.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
import tracemalloc
from datetime import date, timedelta

from payers import Payer, PayerLedger, load_profile
from simulator.models import Claim
from simulator.samples import sample_claim, sample_coverage, sample_line

__all__ = ["build_claims", "ledger_bytes_per_claim", "main"]

VISITS = ("99212", "99213", "99213", "99214", "99214", "99215", "99203", "99204")
EXTRAS = (("36415", "E11.9"), ("80053", "E11.9"), ("85025", "E11.9"), ("93000", "I10"), ("81002", "N39.0"))
PAYERS = ("commercial_ppo", "medicare", "medicare_advantage", "medicaid")


def build_claims(count: int, seed: int = 2026) -> list[tuple[str, Claim, date]]:
    """A deterministic mix of ``count`` claims: (payer name, claim, received date)."""
    rng = random.Random(seed)
    claims = []
    for number in range(count):
        payer = PAYERS[number % len(PAYERS)]
        day = date(2026, 1, 5) + timedelta(days=rng.randrange(300))
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
        coverage = sample_coverage(payer, member_id=f"M{number % 500:09d}")
        claim = sample_claim(claim_id=f"B{number:07d}", coverage=coverage, diagnoses=diagnoses, lines=lines)
        claims.append((payer, claim, day + timedelta(days=rng.randrange(1, 20))))
    return claims


def _adjudicate(claims, payers) -> tuple[float, int]:
    ledgers = {name: PayerLedger() for name in payers}
    lines = 0
    start = time.process_time()
    for name, claim, received in claims:
        entries = payers[name].adjudicate(claim, received=received, ledger=ledgers[name])
        lines += len(entries[-1].lines)
    return time.process_time() - start, lines


def _validate(claims) -> float:
    dumped = [claim.model_dump() for _, claim, _ in claims]
    start = time.process_time()
    for data in dumped:
        Claim.model_validate(data)
    return time.process_time() - start


def ledger_bytes_per_claim(claims, payers) -> tuple[float, int]:
    """Bytes the ledgers keep alive per adjudicated claim (tracemalloc), and how many claims they hold."""
    dumped = [(name, claim.model_dump(), received) for name, claim, received in claims]
    ledgers = {name: PayerLedger() for name in payers}
    _adjudicate(claims[:50], payers)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for name, data, received in dumped:
            payers[name].adjudicate(Claim.model_validate(data), received=received, ledger=ledgers[name])
        gc.collect()
        retained = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    records = [record for ledger in ledgers.values() for record in ledger.decisions.values()]
    kept = sum(record.claim_json is not None for record in records)
    return retained / len(dumped), kept


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-claims", type=int, default=5000, help="claims for the ledger bytes section")
    args = parser.parse_args(argv)
    payers = {name: Payer(load_profile(name)) for name in PAYERS}
    claims = build_claims(args.claims)
    _adjudicate(claims[:200], payers)
    best, lines = min(_adjudicate(claims, payers) for _ in range(args.repeat))
    floor = min(_validate(claims) for _ in range(args.repeat))
    print(f"claims: {len(claims)} ({lines / len(claims):.2f} lines per claim, payers {', '.join(PAYERS)})")
    per_claim, per_floor = best / len(claims) * 1e6, floor / len(claims) * 1e6
    print(f"adjudication: {len(claims) / best:,.0f} claims/s on one core ({per_claim:.1f} us/claim)")
    print(f"floor (validate the same claims): {len(claims) / floor:,.0f} claims/s ({per_floor:.1f} us/claim)")
    print(f"ratio adjudicate / validate: {best / floor:.2f}")
    sample = claims[: args.memory_claims]
    per_claim_bytes, kept = ledger_bytes_per_claim(sample, payers)
    print(f"ledger bytes per claim: {per_claim_bytes:,.0f} (tracemalloc, {len(sample)} claims)")
    print(f"  claims kept (as JSON) for a possible re-run (pended or appealable): {kept} of {len(sample)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
