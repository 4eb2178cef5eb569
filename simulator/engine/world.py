"""The world of one run: clock, event log, payers, panel, coder, staff and policies."""

from __future__ import annotations

import simpy

from simulator import policies as registry
from simulator.engine.coding import Coder
from simulator.engine.panel import Panel
from simulator.engine.payerdesk import PayerDesk
from simulator.engine.workqueue import WorkQueue
from simulator.eventlog import EventKind
from simulator.policies.types import Task
from simulator.streams import Streams

__all__ = ["World"]


class World:
    """Everything a run's processes share.

    ``writer`` (an :class:`~simulator.eventlog.EventWriter`) streams the event log to a file as
    the run goes; without it the log is kept in memory. Closed claims' rows go to ``closed``.
    """

    def __init__(self, scenario, seed: int | None = None, make_payer=None, writer=None) -> None:
        from simulator.engine.claimtable import ClaimTable
        from simulator.engine.recorder import Recorder

        self.scenario = scenario
        self.seed = scenario.seed if seed is None else seed
        self.env = simpy.Environment()
        self.streams = Streams(self.seed)
        self.log = Recorder(self.env, scenario.start_date, writer)
        self.emit = self.log.emit
        self.desks = {spec.name: PayerDesk(spec, make_payer) for spec in scenario.payers}
        self.panel = Panel(scenario, self.streams, self.desks)
        self.coder = Coder(scenario, self.desks)
        choice = scenario.policies
        self.scrubbing = registry.make("scrubbing", choice.scrubbing)
        self.eligibility = registry.make("eligibility", choice.eligibility)
        self.follow_up = registry.make("follow_up", choice.follow_up)
        self.triage = registry.make("denial_triage", choice.denial_triage)
        self.order = registry.make("work_order", choice.work_order)
        self.statements = registry.make("statements", choice.statements)
        self.small_balance = registry.make("small_balance", choice.small_balance)
        staff = scenario.staff
        self.billers = registry.make("staffing", choice.staffing).billers(staff.billers)
        self.days_per_minute = 7 / staff.workdays_per_week / (60 * staff.hours_per_day)
        self.staff = WorkQueue(self.env, self.billers, self.days_per_minute)
        self.cost_per_minute = staff.hourly_cost / 60
        self.batch = self.env.event()
        self.open: dict[str, object] = {}
        self.closed = ClaimTable()
        self.visits = 0
        self.x12 = None  # an X12Traffic when the run writes its X12 files

    def work(self, st, kind: str, minutes: float, deadline: float = float("inf")):
        """Process step: wait for a biller by the work-order policy, spend ``minutes``; -> (cost, hours)."""
        task = Task(kind, st.created, st.balance, deadline)
        yield self.staff.submit(self.order.priority(task), minutes)
        return round(minutes * self.cost_per_minute), round(minutes / 60, 4)

    def at_day(self, day: int, hour: float = 0.0) -> float:
        """Simulated time of ``hour`` o'clock on day ``day``."""
        return day + hour / 24

    def wait_until(self, when: float):
        """A timeout event firing at simulated time ``when`` (now if already past)."""
        return self.env.timeout(max(0.0, when - self.env.now))

    def desk_of(self, claim):
        """The payer desk a claim's coverage points at."""
        return self.desks[claim.coverage.payer_id]

    def start(self) -> None:
        """Log the run's start."""
        self.emit(
            EventKind.RUN_STARTED,
            actor="system",
            detail=(
                f"scenario={self.scenario.name} seed={self.seed} billers={self.billers} "
                f"hours_per_week={self._biller_hours_per_week():g} "
                f"hourly_cost={self.scenario.staff.hourly_cost} horizon_days={self.scenario.horizon_days}"
            ),
        )

    def _biller_hours_per_week(self) -> float:
        """Paid hours of one biller in a week, so reports can compute staff utilisation."""
        staff = self.scenario.staff
        return staff.hours_per_day * staff.workdays_per_week
