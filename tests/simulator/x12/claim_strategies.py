"""Hypothesis strategies for claims that an 837 carries in full (see simulator.x12.claim837).

Generated claims follow the reader's rules for what an 837 does not carry: secondary providers
share the billing provider's TIN (and a referring provider its taxonomy) and have no address,
coverage starts on the first date of service, a self-insured patient is the subscriber, and
institutional claims have a type of bill ending in the frequency digit.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from simulator.identifiers import make_npi
from simulator.models import (
    Address,
    Adjustment,
    Claim,
    ClaimKind,
    Coverage,
    Frequency,
    OtherPayer,
    Patient,
    Provider,
    Relationship,
    ServiceLine,
    Subscriber,
)

__all__ = ["claim_lists", "claims"]

ICD10 = ("E11.9", "I10", "J06.9", "M54.50", "Z00.00", "R51.9", "K21.9", "E78.5", "N39.0", "F41.1", "S93.401A")
PROCEDURES = ("99213", "99214", "99203", "80053", "85025", "93000", "71046", "J3301", "A0427", "G0439")
MODIFIERS = ("25", "59", "LT", "RT", "GT", "95")
REVENUE = ("0300", "0305", "0450", "0730", "0250", "0636")
TAXONOMIES = ("207Q00000X", "208D00000X", "207R00000X", "282N00000X", "261QM1300X")
CARCS = ("45", "1", "2", "3", "96", "97", "253")
START = date(2025, 1, 1)

_letters = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=12)
_ident = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=2, max_size=15)


@st.composite
def addresses(draw: st.DrawFn, nine_digit: bool = False) -> Address:
    """A US address (nine-digit ZIP when asked)."""
    zip_code = draw(st.from_regex(r"[0-9]{9}" if nine_digit else r"[0-9]{5}([0-9]{4})?", fullmatch=True))
    return Address(
        line1=f"{draw(st.integers(1, 9999))} {draw(_letters)} ST",
        line2=draw(st.none() | st.just("SUITE 2")),
        city=draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=15)),
        state=draw(st.sampled_from(("IL", "NY", "CA", "TX", "FL"))),
        postal_code=zip_code,
    )


@st.composite
def billing_providers(draw: st.DrawFn, institutional: bool) -> Provider:
    """A billing provider: an organisation, or for professional claims sometimes a person."""
    person = not institutional and draw(st.booleans())
    return Provider(
        npi=make_npi(draw(st.integers(1, 10**8 - 1))),
        name=draw(_letters) + ("" if person else " CLINIC"),
        first_name=draw(_letters) if person else None,
        is_organization=not person,
        tin=draw(st.from_regex(r"[0-9]{9}", fullmatch=True)),
        taxonomy=draw(st.sampled_from(TAXONOMIES)),
        address=draw(addresses(nine_digit=True)),
    )


@st.composite
def person_providers(draw: st.DrawFn, billing: Provider, own_taxonomy: bool) -> Provider:
    """A rendering or referring person with the billing provider's TIN and no address."""
    return Provider(
        npi=make_npi(draw(st.integers(1, 10**8 - 1))),
        name=draw(_letters),
        first_name=draw(_letters),
        is_organization=False,
        tin=billing.tin,
        taxonomy=draw(st.sampled_from(TAXONOMIES)) if own_taxonomy else billing.taxonomy,
    )


@st.composite
def lines(draw: st.DrawFn, institutional: bool, diagnoses: int) -> tuple[ServiceLine, ...]:
    """One to six service lines with distinct line numbers."""
    count = draw(st.integers(1, 6))
    numbers = draw(st.lists(st.integers(1, 50), min_size=count, max_size=count, unique=True))
    out = []
    for number in numbers:
        day = START + timedelta(days=draw(st.integers(0, 400)))
        end = draw(st.none() | st.integers(1, 5).map(lambda d, day=day: day + timedelta(days=d)))
        pointers = (1,)
        if not institutional:
            pointers = tuple(
                draw(st.lists(st.integers(1, diagnoses), min_size=1, max_size=min(4, diagnoses), unique=True))
            )
        out.append(
            ServiceLine(
                line_number=number,
                procedure_code=draw(st.sampled_from(PROCEDURES)),
                modifiers=tuple(draw(st.lists(st.sampled_from(MODIFIERS), max_size=2, unique=True))),
                units=draw(st.integers(1, 20)),
                charge=draw(st.integers(1, 500_000)),
                service_date=day,
                service_date_end=end,
                diagnosis_pointers=pointers,
                revenue_code=draw(st.sampled_from(REVENUE)) if institutional else None,
                place_of_service=None if institutional else draw(st.none() | st.sampled_from(("11", "22"))),
            )
        )
    return tuple(out)


@st.composite
def other_payers(draw: st.DrawFn, claim_lines: tuple[ServiceLine, ...]) -> tuple[OtherPayer, ...]:
    """Zero to two earlier payers, each with optional per-line adjustments that keep paid >= 0."""
    ids = draw(st.lists(_ident, max_size=2, unique=True))
    out = []
    for payer_id in ids:
        adjusted = []
        for line in claim_lines:
            if not draw(st.booleans()):
                continue
            room = line.charge
            adjustments = []
            for _ in range(draw(st.integers(1, 3))):
                amount = draw(st.integers(0, room))
                room -= amount
                adjustments.append(
                    Adjustment(
                        group=draw(st.sampled_from(("CO", "PR", "OA"))),
                        carc=draw(st.sampled_from(CARCS)),
                        amount=amount,
                        quantity=draw(st.none() | st.integers(1, 5)),
                        rule="other_payer",
                    )
                )
            adjusted.append((line.line_number, tuple(adjustments)))
        out.append(
            OtherPayer(
                payer_id=payer_id,
                paid=draw(st.integers(0, 1_000_000)),
                patient_responsibility=draw(st.integers(0, 50_000)),
                adjudication_date=START + timedelta(days=draw(st.integers(0, 500))),
                line_adjustments=tuple(adjusted),
            )
        )
    return tuple(out)


@st.composite
def claims(draw: st.DrawFn, kind: ClaimKind | None = None) -> Claim:
    """A professional or institutional claim that survives an 837 round trip unchanged."""
    kind = kind or draw(st.sampled_from(list(ClaimKind)))
    institutional = kind == ClaimKind.INSTITUTIONAL
    diagnoses = tuple(draw(st.lists(st.sampled_from(ICD10), min_size=1, max_size=12, unique=True)))
    claim_lines = draw(lines(institutional, len(diagnoses)))
    first = min(line.service_date for line in claim_lines)
    billing = draw(billing_providers(institutional))
    gender = draw(st.sampled_from("FMU"))
    subscriber = Subscriber(
        member_id=draw(_ident),
        first_name=draw(_letters),
        last_name=draw(_letters),
        birth_date=date(1940, 1, 1) + timedelta(days=draw(st.integers(0, 20000))),
        gender=gender,
        address=draw(st.none() | addresses()),
    )
    relationship = draw(st.sampled_from(list(Relationship)))
    if relationship == Relationship.SELF:
        patient = Patient(
            patient_id=draw(_ident),
            first_name=subscriber.first_name,
            last_name=subscriber.last_name,
            birth_date=subscriber.birth_date,
            gender=subscriber.gender,
            address=subscriber.address,
        )
    else:
        patient = Patient(
            patient_id=draw(_ident),
            first_name=draw(_letters),
            last_name=draw(_letters),
            birth_date=date(1950, 1, 1) + timedelta(days=draw(st.integers(0, 20000))),
            gender=draw(st.sampled_from("FMU")),
            address=draw(addresses()),
        )
    coverage = Coverage(
        payer_id=draw(st.sampled_from(("commercial_ppo", "medicare", "medicaid", "PAYER01"))),
        plan_id=draw(_ident),
        member_id=subscriber.member_id,
        group_number=draw(st.none() | _ident),
        effective_date=first,
        relationship=relationship,
        subscriber=subscriber,
    )
    frequency = draw(st.sampled_from(list(Frequency)))
    return Claim(
        claim_id=draw(_ident),
        kind=kind,
        frequency=frequency,
        payer_claim_number=None if frequency == Frequency.ORIGINAL else draw(_ident),
        billing_provider=billing,
        rendering_provider=draw(st.none() | person_providers(billing, own_taxonomy=True)),
        referring_provider=draw(st.none() | person_providers(billing, own_taxonomy=False)),
        patient=patient,
        coverage=coverage,
        other_payers=draw(other_payers(claim_lines)),
        place_of_service="11" if institutional else draw(st.sampled_from(("11", "21", "22", "23"))),
        type_of_bill=draw(st.sampled_from(("11", "13", "14", "85"))) + frequency.value
        if institutional
        else None,
        diagnoses=diagnoses,
        prior_authorization=draw(st.none() | _ident),
        referral_number=draw(st.none() | _ident),
        lines=claim_lines,
    )


def claim_lists(max_size: int = 4) -> st.SearchStrategy[list[Claim]]:
    """One to ``max_size`` claims, professional and institutional mixed."""
    return st.lists(claims(), min_size=1, max_size=max_size)
