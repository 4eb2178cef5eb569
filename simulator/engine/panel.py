"""The patient panel: people made on first visit, each from their own seeded stream.

Names and addresses come from one Faker instance reseeded per person with
``seed_instance`` (never the class-level ``Faker.seed``); birth dates, payers and coverage
come from the person's ``patients`` stream, so a person is the same in every run of a seed.
Coverage changes (the payer's roster ends a coverage the practice still has on file) are
what eligibility denials grow from. The generated values are valid by construction, so people
are :func:`~simulator.engine.prebuilt.prebuilt` rather than validated (stripped of surrounding
whitespace as validation would), which keeps a person small and quick to make.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate

from faker import Faker

from simulator.engine.prebuilt import prebuilt
from simulator.models import Address, Coverage, Gender, Patient, Subscriber
from simulator.streams import Streams

__all__ = ["Panel", "Person"]

_MEDICARE_TYPES = ("medicare", "medicare_advantage")


class Person:
    """A patient: demographics, the coverage the payer holds and the one the practice has on file."""

    __slots__ = ("actual", "generation", "index", "on_file", "patient", "payer", "secondary")

    def __init__(self, index: int, patient: Patient, payer: str, coverage: Coverage, secondary) -> None:
        self.index = index
        self.patient = patient
        self.payer = payer
        self.actual = coverage
        self.on_file = coverage
        self.secondary = secondary
        self.generation = 0


class Panel:
    """Makes and remembers the people of the practice's panel."""

    def __init__(self, scenario, streams: Streams, desks: dict) -> None:
        self.scenario = scenario
        self.streams = streams
        self.desks = desks
        self.people: dict[int, Person] = {}
        self.fake = Faker("en_US", use_weighting=False)
        mix = scenario.patients.payer_mix
        self.payers = list(mix)
        self.weights = list(accumulate(mix[p] for p in self.payers))
        self.enrolled_since = scenario.start_date - timedelta(days=365 * 3)

    def person(self, index: int) -> Person:
        """Person ``index``, made on first use."""
        found = self.people.get(index)
        if found is None:
            found = self.people[index] = self._make(index)
        return found

    def _make(self, index: int) -> Person:
        rng = self.streams.stream("patients", index)
        payer = rng.choices(self.payers, cum_weights=self.weights)[0]
        patient = self._patient(index, rng, self.desks[payer].payer_type)
        coverage = self._coverage(patient, payer, f"M{index:09d}", rng)
        self.desks[payer].ledger.enroll(coverage)
        secondary = None
        spec = self.scenario.patients.secondary.get(payer)
        if spec is not None and rng.random() < spec.rate:
            secondary = self._coverage(patient, spec.profile, f"S{index:09d}", rng)
            self.desks[spec.profile].ledger.enroll(secondary)
        return Person(index, patient, payer, coverage, secondary)

    def _patient(self, index: int, rng: random.Random, payer_type: str) -> Patient:
        fake = self.fake
        fake.seed_instance(self.streams.seed("faker", index))
        low, high = (65, 95) if payer_type in _MEDICARE_TYPES else (0, 64)
        born = self.scenario.start_date - timedelta(days=rng.randint(low * 365 + 1, high * 365 + 300))
        gender = Gender.FEMALE if rng.random() < 0.55 else Gender.MALE
        first = fake.first_name_female() if gender == Gender.FEMALE else fake.first_name_male()
        address = prebuilt(
            Address,
            line1=fake.street_address()[:55].strip(),
            city=fake.city()[:30].strip(),
            state=fake.state_abbr(include_territories=False, include_freely_associated_states=False),
            postal_code=fake.zipcode(),
        )
        return prebuilt(
            Patient,
            patient_id=f"P{index:08d}",
            first_name=first[:35].strip(),
            last_name=fake.last_name()[:60].strip(),
            birth_date=born,
            gender=gender,
            address=address,
        )

    def _coverage(self, patient: Patient, payer: str, member_id: str, rng: random.Random) -> Coverage:
        plans = self.scenario.patients.plans.get(payer) or (f"{payer.upper()[:20]}-STD",)
        subscriber = prebuilt(
            Subscriber,
            member_id=member_id,
            first_name=patient.first_name,
            last_name=patient.last_name,
            birth_date=patient.birth_date,
            gender=patient.gender,
            address=patient.address,
        )
        return prebuilt(
            Coverage,
            payer_id=payer,
            plan_id=rng.choice(plans).strip(),
            member_id=member_id,
            effective_date=self.enrolled_since,
            subscriber=subscriber,
        )

    def change_coverage(self, person: Person, visit_day: date, rng: random.Random) -> None:
        """End the person's coverage before ``visit_day`` in the payer's roster and start a new one.

        The practice keeps the old coverage on file until a check or a denial tells it otherwise.
        """
        ended = visit_day - timedelta(days=rng.randint(1, 45))
        old = person.actual
        if old.effective_date >= ended:
            return
        desk = self.desks[person.payer]
        desk.ledger.roster[old.member_id] = [old.model_copy(update={"termination_date": ended})]
        person.generation += 1
        payer = rng.choices(self.payers, cum_weights=self.weights)[0]
        new = self._coverage(person.patient, payer, f"M{person.index:09d}G{person.generation}", rng)
        new = new.model_copy(update={"effective_date": ended + timedelta(days=1)})
        self.desks[payer].ledger.enroll(new)
        person.payer = payer
        person.actual = new
