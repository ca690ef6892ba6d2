"""Metamorphic tests: changes that carry no meaning leave every verdict of every spec unchanged.

On every spec in ``specs/``, each transformation of ``spec_transforms.py``
(new headings, reordered clauses, reordered events, identifiers renamed,
every date shifted) is applied with random choices, the spec is reloaded, and
every check ``clausecheck check`` runs (sanity checks, questions, invariants,
scenarios) must come out as before: the same status and verdict, and the same
verdict under each reading combination. The headings case is paragraph 6(e)
of the Lexington waiver: "The paragraph headings of this Agreement are for
convenience of reference only and are not to be considered in construing
this Agreement"; there the cited clauses must not change either.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings
from hypothesis_profiles import examples
from spec_transforms import (
    Data,
    new_headings,
    reload,
    rename,
    renaming,
    reorder_clauses,
    reorder_events,
    shift_dates,
)

from formal.suite import CheckResult, check_program
from model.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(p.name for p in (ROOT / "specs").glob("*.yaml"))
RUNS = examples(dev=1, ci=4)
"""Random variants of each spec per transformation (each is a full check of the spec)."""

Verdicts = list[tuple[str, str, str, str, frozenset[tuple[frozenset[tuple[str, str]], str]]]]


@cache
def original(spec: str) -> tuple[Data, Verdicts, tuple[tuple[str, ...], ...]]:
    """The spec's data, its verdicts, and the clauses each result cites."""
    data, _ = load_yaml(ROOT / "specs" / spec)
    results = check_program(reload(data, f"specs/{spec}"))
    return data, verdicts(results), tuple(cited(r) for r in results)


def cited(result: CheckResult) -> tuple[str, ...]:
    return result.answer.clauses if result.answer is not None else ()


def verdicts(results: list[CheckResult], names: Callable[[str], str] = str) -> Verdicts:
    """Each result's kind, id, status and verdict, and its verdict under each reading."""
    out: Verdicts = []
    for r in results:
        per_reading = frozenset(
            (frozenset((names(k), names(v)) for k, v in a.readings), str(a.verdict))
            for a in (r.answer.by_reading if r.answer is not None else ()))
        out.append((r.kind, r.id, str(r.status), r.verdict, per_reading))
    return out


def check_same(spec: str, variant: Data, names: Callable[[str], str] = str,
               same_ids: bool = True) -> list[CheckResult]:
    """Check the variant; its verdicts must be the original's (by id, or in order if renamed)."""
    _, before, _ = original(spec)
    results = check_program(reload(variant, f"specs/{spec}"))
    after = verdicts(results)
    expected = verdicts_renamed(before, names)
    if same_ids:
        after, expected = sorted(after, key=repr), sorted(expected, key=repr)
    else:  # sanity checks are named after the predicates they check: compare in order
        after = [(k, i if k != "sanity" else "", s, v, r) for k, i, s, v, r in after]
        expected = [(k, i if k != "sanity" else "", s, v, r) for k, i, s, v, r in expected]
    changed = [f"{b[0]} {b[1]}: {b[3]} → {a[3]}" for a, b in zip(after, expected, strict=True)
               if a != b]
    assert after == expected, f"{spec}: verdicts changed: {'; '.join(changed)}"
    return results


def verdicts_renamed(before: Verdicts, names: Callable[[str], str]) -> Verdicts:
    return [(k, i, s, v, frozenset((frozenset((names(a), names(b)) for a, b in combo), verdict)
                                   for combo, verdict in r))
            for k, i, s, v, r in before]


def seeded(data: st.DataObject) -> random.Random:
    return random.Random(data.draw(st.integers(0, 2**32), label="seed"))


@pytest.mark.parametrize("spec", SPECS)
@settings(max_examples=RUNS)
@given(data=st.data())
def test_headings_carry_no_meaning(spec: str, data: st.DataObject) -> None:
    """Paragraph 6(e): headings are not considered in construing; verdicts and citations stay."""
    results = check_same(spec, new_headings(original(spec)[0], seeded(data)))
    assert tuple(cited(r) for r in results) == original(spec)[2]


@pytest.mark.parametrize("spec", SPECS)
@settings(max_examples=RUNS)
@given(data=st.data())
def test_clause_order_carries_no_meaning(spec: str, data: st.DataObject) -> None:
    check_same(spec, reorder_clauses(original(spec)[0], seeded(data)))


@pytest.mark.parametrize("spec", SPECS)
@settings(max_examples=RUNS)
@given(data=st.data())
def test_event_order_carries_no_meaning(spec: str, data: st.DataObject) -> None:
    """Event kinds, their fields and scenario events (same-time ones keep their written order)."""
    check_same(spec, reorder_events(original(spec)[0], seeded(data)))


@pytest.mark.parametrize("spec", SPECS)
@settings(max_examples=RUNS)
@given(data=st.data())
def test_names_carry_no_meaning(spec: str, data: st.DataObject) -> None:
    """Every identifier renamed consistently; readings are compared through the renaming."""
    source = original(spec)[0]
    mapping = renaming(source, seeded(data))
    check_same(spec, rename(source, mapping), lambda name: mapping.get(name, name),
               same_ids=False)


@pytest.mark.parametrize("spec", SPECS)
@settings(max_examples=RUNS)
@given(days=st.integers(-3650, 3650).filter(lambda d: d != 0))
def test_dates_can_shift_together(spec: str, days: int) -> None:
    """Every date of the spec and its questions, the horizon with them, moved by ``days``."""
    check_same(spec, shift_dates(original(spec)[0], days))


def test_transformations_change_the_spec() -> None:
    """Each transformation really changes what it claims to (else the tests above prove nothing)."""
    data: Any = original(SPECS[0])[0]
    rnd = random.Random(7)
    assert [c["heading"] for c in new_headings(data, rnd)["clauses"]] != [
        c["heading"] for c in data["clauses"]]
    assert [c["id"] for c in reorder_clauses(data, rnd)["clauses"]] != [
        c["id"] for c in data["clauses"]]
    assert list(reorder_events(data, rnd)["events"]) != list(data["events"])
    mapping = renaming(data, rnd)
    renamed = rename(data, mapping)
    assert set(renamed["events"]) == {mapping[k] for k in data["events"]}
    assert renamed["dates"].keys() != data["dates"].keys()
    shifted = shift_dates(data, 10)
    assert shifted["dates"] != data["dates"]
    assert shifted["time"]["horizon"] != data.get("time", {}).get("horizon")
