"""Coding: a visit becomes a real :class:`~simulator.models.Claim`, with the defects coders make.

A defect is put into the claim's content so that the payer's own rules catch it: a code on the
payer's prior-authorization list with no authorization on file, a non-covered code, an NCCI
pair without a bypass modifier, units over the MUE, a diagnosis that does not support the
procedure, a non-billable diagnosis, a code that always needs records, a rendering provider
(a locum tenens clinician) not enrolled with the payer. Some missing-data
defects are caught before the payer: a missing patient address (277CA rejection) or an X12
delimiter typed into a name (999 rejection). What a defect can be
for a payer is worked out once from its profile and tables (:class:`DefectKit`).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate

from simulator.codes import is_billable_icd10
from simulator.engine.prebuilt import prebuilt
from simulator.identifiers import make_npi
from simulator.models import Address, Claim, Provider, ServiceLine
from simulator.scenario import Defect

__all__ = ["Coder", "DefectKit"]

# Billable ICD-10-CM codes (CDC/NCHS, public) used to support or fail a procedure's policy.
_DIAGNOSES = (
    "E11.9",
    "E78.5",
    "I10",
    "R53.83",
    "Z79.899",
    "Z13.1",
    "D64.9",
    "N39.0",
    "I48.91",
    "R07.9",
    "I50.9",
    "J06.9",
    "R05.9",
    "M25.561",
    "M17.11",
    "M54.50",
    "S93.401A",
    "B35.1",
    "L60.0",
    "L57.0",
    "L82.1",
    "K21.9",
    "F41.1",
    "H10.9",
    "L30.9",
    "Z23",
    "Z00.00",
)
_ENROLLED_SINCE = date(2000, 1, 1)
"""The groups' own NPIs are enrolled with every payer from long before any run starts."""
_TAXONOMY = {
    "family_medicine": "207Q00000X",
    "internal_medicine": "207R00000X",
    "orthopedics": "207X00000X",
    "cardiology": "207RC0000X",
    "dermatology": "207N00000X",
    "physical_therapy": "225100000X",
    "pediatrics": "208000000X",
}


class DefectKit:
    """What each defect can look like for one payer, from its profile and tables."""

    __slots__ = ("auth", "documentation", "mue", "non_covered", "pairs", "policy", "referral")

    def __init__(self, payer) -> None:
        profile, tables = payer.profile, payer.tables
        self.auth = tuple(sorted(profile.authorization.prior_auth_codes))
        self.referral = frozenset(profile.authorization.referral_codes)
        self.non_covered = tuple(sorted(c for rule in profile.non_covered for c in rule.codes))
        self.documentation = tuple(sorted(profile.documentation.required_codes))
        self.pairs = tuple(
            sorted(
                (e.column1, e.column2)
                for edits in tables.ptp.values()
                for e in edits
                if e.modifier_indicator == "1" and e.deletion is None
            )
        )
        self.mue = tuple(sorted((code, limit) for code, (limit, _) in tables.mue.items() if limit < 10))
        self.policy = {code: prefixes for code, (prefixes, _, _) in sorted(tables.policy.items())}

    def diagnosis(self, code: str, supports: bool) -> str:
        """A billable diagnosis that does (or does not) satisfy ``code``'s medical policy."""
        prefixes = self.policy.get(code)
        for dx in _DIAGNOSES:
            if prefixes is None or dx.startswith(prefixes) == supports:
                return dx
        return _DIAGNOSES[0]


def _group_address(index: int) -> Address:
    """A provider group's (synthetic) practice address, which its 837s carry in loop 2010AA."""
    return Address(line1=f"{100 + 10 * index} Main St", city="Springfield", state="IL", postal_code="62701")


class Coder:
    """Turns visits into claims for a provider group's charge master."""

    def __init__(self, scenario, desks: dict) -> None:
        self.scenario = scenario
        self.desks = desks
        self.kits = {name: DefectKit(desk.payer) for name, desk in desks.items()}
        self.providers: list[Provider] = []
        self.locums: list[Provider] = []
        self.masters = []
        for index, group in enumerate(scenario.providers):
            self.providers.append(
                Provider(
                    npi=make_npi(1000 + index),
                    name=f"{group.specialty.replace('_', ' ').title()} Group"[:60],
                    tin=f"{370000000 + index:09d}",
                    taxonomy=_TAXONOMY.get(group.specialty, "208D00000X"),
                    address=_group_address(index),
                )
            )
            self.locums.append(
                Provider(
                    npi=make_npi(2000 + index),
                    name=f"Locum {index + 1}",
                    first_name="Tenens",
                    is_organization=False,
                    tin=f"{370000000 + index:09d}",
                    taxonomy=_TAXONOMY.get(group.specialty, "208D00000X"),
                )
            )
            items = group.charge_master
            self.masters.append(
                (items, list(accumulate(item.weight for item in items)), {i.code: i for i in items})
            )
        for desk in desks.values():
            for provider in self.providers:
                desk.ledger.enroll_provider(provider.npi, _ENROLLED_SINCE)
        self.rates = {}
        for payer in desks:
            rates = scenario.coding.defect_rates | scenario.coding.by_payer.get(payer, {})
            self.rates[payer] = [(Defect(k), v) for k, v in rates.items() if k != Defect.ELIGIBILITY]

    def defect(self, payer: str, draw: float) -> str:
        """The defect (or ``""``) a coding draw lands on for claims to ``payer``."""
        edge = 0.0
        for defect, rate in self.rates[payer]:
            edge += rate
            if draw < edge:
                return defect.value
        return ""

    def code(
        self, claim_id: str, group: int, day: date, person, coverage, defect: str, rng: random.Random
    ) -> tuple[Claim, str]:
        """The claim for one visit with ``defect`` applied; the defect is ``""`` when it cannot apply."""
        items, weights, by_code = self.masters[group]
        item = rng.choices(items, cum_weights=weights)[0]
        lines = [(item.code, item.units, (), item.charge * item.units, item.diagnoses[0])]
        for extra in item.with_codes:
            other = by_code.get(extra)
            lines.append((extra, 1, (), other.charge if other else item.charge, item.diagnoses[0]))
        kit = self.kits[coverage.payer_id]
        patient = person.patient
        lines, defect, patient = self._apply(defect, lines, kit, rng, patient, by_code)
        return self._claim(claim_id, group, day, patient, coverage, lines, defect, kit), defect

    def _apply(self, defect, lines, kit, rng, patient, by_code):
        if defect == Defect.CODING and (kit.pairs or kit.mue):
            if kit.pairs and (not kit.mue or rng.random() < 0.5):
                first, second = rng.choice(kit.pairs)
                extra = [(c, 1, (), _charge(by_code, c), kit.diagnosis(c, True)) for c in (first, second)]
            else:
                code, limit = rng.choice(kit.mue)
                extra = [
                    (code, limit + 1, (), _charge(by_code, code) * (limit + 1), kit.diagnosis(code, True))
                ]
            return lines[:1] + extra, defect, patient
        if defect == Defect.MEDICAL_NECESSITY and kit.policy:
            code = rng.choice(sorted(kit.policy))
            return (
                [*lines, (code, 1, (), _charge(by_code, code), kit.diagnosis(code, False))],
                defect,
                patient,
            )
        choices = {
            Defect.PRIOR_AUTH: kit.auth,
            Defect.NOT_COVERED: kit.non_covered,
            Defect.DOCUMENTATION: kit.documentation,
        }.get(defect)
        if choices:
            code = rng.choice(choices)
            return [*lines, (code, 1, (), _charge(by_code, code), kit.diagnosis(code, True))], defect, patient
        if defect == Defect.MISSING_DATA:
            draw = rng.random()
            if draw < 0.1:
                broken = patient.model_copy(update={"last_name": patient.last_name + "*"})
                return lines, "syntax_error", broken
            if draw < 0.3:
                return lines, "missing_address", patient.model_copy(update={"address": None})
            code, units, mods, charge, dx = lines[0]
            return [(code, units, mods, charge, dx.split(".")[0]), *lines[1:]], defect, patient
        if defect in (Defect.DUPLICATE, Defect.PROVIDER_ENROLLMENT):
            return lines, defect, patient
        return lines, "", patient

    def _claim(self, claim_id, group, day, patient, coverage, lines, defect, kit) -> Claim:
        diagnoses: list[str] = []
        service_lines = []
        for number, (code, units, mods, charge, dx) in enumerate(lines, start=1):
            if dx not in diagnoses:
                diagnoses.append(dx)
            service_lines.append(
                prebuilt(
                    ServiceLine,
                    line_number=number,
                    procedure_code=code,
                    modifiers=mods,
                    units=units,
                    charge=charge,
                    service_date=day,
                    diagnosis_pointers=(diagnoses.index(dx) + 1,),
                )
            )
        if defect == Defect.MISSING_DATA and not any(not is_billable_icd10(dx) for dx in diagnoses):
            defect = ""
        referral = "R" + claim_id if any(line[0] in kit.referral for line in lines) else None
        return prebuilt(
            Claim,
            {"total_charge": sum(line[3] for line in lines)},
            claim_id=claim_id,
            billing_provider=self.providers[group],
            rendering_provider=self.locums[group] if defect == Defect.PROVIDER_ENROLLMENT else None,
            patient=patient,
            coverage=coverage,
            diagnoses=tuple(diagnoses[:12]),
            lines=tuple(service_lines),
            referral_number=referral,
        )

    def authorize(self, claim: Claim, desk, defect: str, window: tuple[int, int] = (7, 90)) -> None:
        """Get the prior authorizations the practice knows the payer needs (not for the defect line).

        ``window`` is (days before, days after) the date of service the authorization covers; one
        obtained after the fact covers the date of service only.
        """
        needed = [
            line.procedure_code for line in claim.lines if line.procedure_code in self.kits[desk.name].auth
        ]
        if defect == Defect.PRIOR_AUTH and needed:
            needed = needed[:-1]
        if needed:
            day = claim.first_service_date
            desk.ledger.add_authorization(
                claim.coverage.member_id,
                "A" + claim.claim_id,
                needed,
                day - timedelta(days=window[0]),
                day + timedelta(days=window[1]),
            )


def _charge(by_code: dict, code: str) -> int:
    item = by_code.get(code)
    return item.charge if item else 12500
