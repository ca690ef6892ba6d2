"""The simulator on the Lexington waiver (``specs/lexington-2003-waiver.yaml``).

Each test names the clause, question or scenario of the spec it mirrors. The
timelines are built by hand, so a test reads like the facts a lawyer would be given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from model.program import Program
from model.simulate import Simulation, run_scenario, simulate
from model.timecodec import parse_time
from model.timeline import Event

SCENARIOS = ["quiet-summer", "trustee-accelerates", "premature-remedies"]
COVERED = "lpc_unpaid_senior_note"


def day(text: str) -> int:
    return parse_time(text)


def default(on: str = "2003-07-01", cause: str = COVERED) -> Event:
    return Event("default", "EventOfDefault", day(on), (("causes", frozenset({cause})),))


def remedies(on: str, by: str = "congress", cause: str = COVERED) -> Event:
    return Event("remedies", "ExercisesRemedies", day(on), (("by", by),
                                                             ("causes", frozenset({cause}))))


def acceleration(on: str, by: str = "trustee", of: str = "senior_note") -> Event:
    return Event("acceleration", "SeeksAcceleration", day(on), (("by", by), ("of", of)))


def run(program: Program, events: list[Event], checkpoints: Sequence[str] = (),
        **readings: str) -> Simulation:
    chosen: Mapping[str, str] = {**program.default_readings(), **readings}
    return simulate(program, events, chosen, [day(c) for c in checkpoints])


def breaches(sim: Simulation) -> set[tuple[str, str]]:
    return {(b.event, b.clause) for b in sim.breaches}


def status_on(sim: Simulation, when: str) -> dict[str, object]:
    """The statuses at a checkpoint date."""
    [step] = [s for s in sim.steps if s.event is None and s.date == day(when)]
    return dict(step.statuses)


def status_after(sim: Simulation, event_id: str) -> dict[str, object]:
    [step] = [s for s in sim.steps if s.event is not None and s.event.id == event_id]
    return dict(step.statuses)


# ------------------------------------------------------------ the spec's own scenarios

def test_the_table_names_every_scenario_of_the_spec(lexington: Program) -> None:
    assert [s.id for s in lexington.scenarios] == SCENARIOS


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_spec_scenario_runs_as_it_expects(lexington: Program, scenario_id: str) -> None:
    [scenario] = [s for s in lexington.scenarios if s.id == scenario_id]
    sim = run_scenario(lexington, scenario)
    assert sim.mismatches == ()
    assert breaches(sim) == set(scenario.breaches)


# ------------------------------------------------------------ clause 1 forbids, clause 2 rescinds

def test_congress_exercising_remedies_inside_the_window_breaches_clause_1(
        lexington: Program) -> None:
    """Clause 1: "Congress hereby waives, until August 11, 2003, any Event of Default resulting
    solely from the failure of the LPC to pay"; question remedies-jul-20-quiet expects no."""
    sim = run(lexington, [default(), remedies("2003-07-20")])
    assert breaches(sim) == {("remedies", "1")}
    assert status_after(sim, "remedies") == {
        "waiver_active": True, "rescinded": False, "waived_defaults": ("default",),
        "remedies_open": False}


def test_an_assignee_of_congress_is_bound_as_congress_is(lexington: Program) -> None:
    """Clause 6(d): binding upon "the successors and assigns"; question assignee-jul-20-quiet."""
    sim = run(lexington, [default(), remedies("2003-07-20", by="congress_assignee")])
    assert breaches(sim) == {("remedies", "1")}


def test_after_a_trustee_accelerates_remedies_are_no_breach(lexington: Program) -> None:
    """Clause 2: the waivers "shall be automatically rescinded, without notice" when a trustee
    "seeks to accelerate the maturity of any such Other Indebtedness"."""
    sim = run(lexington, [default(), acceleration("2003-07-15"), remedies("2003-07-20")])
    assert breaches(sim) == set()
    assert status_after(sim, "acceleration")["rescinded"] is True
    assert status_after(sim, "acceleration")["waiver_active"] is False
    assert status_after(sim, "remedies")["remedies_open"] is True


def test_the_same_remedies_before_the_acceleration_are_still_a_breach(lexington: Program) -> None:
    """Clause 2 rescinds from the trigger on: an act before it was forbidden when it was done."""
    sim = run(lexington, [default(), remedies("2003-07-12"), acceleration("2003-07-15")])
    assert breaches(sim) == {("remedies", "1")}


def test_congress_accelerating_its_own_loan_does_not_rescind(lexington: Program) -> None:
    """Question congress-acceleration: only a holder or trustee of Other Indebtedness rescinds."""
    sim = run(lexington, [default(), acceleration("2003-07-15", by="congress",
                                                  of="financing_agreements"),
                          remedies("2003-07-20")])
    assert breaches(sim) == {("remedies", "1")}
    assert status_after(sim, "acceleration")["rescinded"] is False


def test_remedies_for_an_uncovered_default_are_no_breach(lexington: Program) -> None:
    """Clause 1 waives defaults "resulting solely from" non-payment; clause 5 implies no more."""
    sim = run(lexington, [default(cause="other_cause"),
                          remedies("2003-07-20", cause="other_cause")])
    assert breaches(sim) == set()


# ------------------------------------------------------------ readings

@pytest.mark.parametrize(("until", "active"), [("exclusive", False), ("inclusive", True)])
def test_the_until_reading_decides_august_11(lexington: Program, until: str,
                                             active: bool) -> None:
    """Reading `until` (question active-on-aug-11 expects depends): "until August 11, 2003"."""
    sim = run(lexington, [default()], ["2003-08-10", "2003-08-11", "2003-08-12"], until=until)
    assert status_on(sim, "2003-08-10")["waiver_active"] is True
    assert status_on(sim, "2003-08-11")["waiver_active"] is active
    assert status_on(sim, "2003-08-11")["remedies_open"] is not active
    assert status_on(sim, "2003-08-12")["waiver_active"] is False


@pytest.mark.parametrize(("until", "expected"), [("exclusive", set()),
                                                 ("inclusive", {("remedies", "1")})])
def test_remedies_on_august_11_breach_only_if_until_is_inclusive(
        lexington: Program, until: str, expected: set[tuple[str, str]]) -> None:
    sim = run(lexington, [default(), remedies("2003-08-11")], until=until)
    assert breaches(sim) == expected


@pytest.mark.parametrize(("prior_acts", "active"), [("ignored", True), ("count", False)])
def test_an_acceleration_before_july_9_rescinds_only_if_prior_acts_count(
        lexington: Program, prior_acts: str, active: bool) -> None:
    """Reading `prior_acts` (question pre-effective-act expects depends)."""
    sim = run(lexington, [default(), acceleration("2003-07-01", by="holder")], ["2003-07-20"],
              prior_acts=prior_acts)
    assert status_on(sim, "2003-07-20")["waiver_active"] is active


@pytest.mark.parametrize(("lrg_failure", "expected"), [("excluded", set()),
                                                       ("covered", {("remedies", "1")})])
def test_lrg_only_default_is_waived_only_if_lrg_failure_is_covered(
        lexington: Program, lrg_failure: str, expected: set[tuple[str, str]]) -> None:
    """Reading `lrg_failure` (question lrg-default expects depends): "the failure of the LPC"."""
    cause = "lrg_unpaid_senior_note"
    sim = run(lexington, [default(cause=cause), remedies("2003-07-20", cause=cause)],
              lrg_failure=lrg_failure)
    assert breaches(sim) == expected


# ------------------------------------------------------------ the shape of a simulation

def test_one_step_per_event_in_date_order_then_checkpoints_in_place(lexington: Program) -> None:
    sim = run(lexington, [remedies("2003-07-20"), default()], ["2003-07-10", "2003-08-12"])
    assert [(s.date, s.event.id if s.event else None) for s in sim.steps] == [
        (day("2003-07-01"), "default"), (day("2003-07-10"), None),
        (day("2003-07-20"), "remedies"), (day("2003-08-12"), None)]
    assert sim.readings == lexington.default_readings()
