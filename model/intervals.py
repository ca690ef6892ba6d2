"""Sets of whole time units as sorted runs, and linear constraints solved into them.

The concrete model (:mod:`model.concrete`) decides a time quantifier by computing the
set of units of the horizon where its body holds, instead of trying them one by one:
a comparison that is linear in the quantified time is a run (or two, or none), and the
connectives are set operations. Exact for every integer coefficient.

>>> Runs.solve(2, -10, "=", 0, 20).runs   # 2·x − 10 = 0 on 0..20
((5, 5),)
>>> Runs.solve(1, -3, "<", 0, 20).complement().runs   # not x − 3 < 0
((3, 20),)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Lin:
    """``coef·x + const``: a time or duration that depends on the quantified unit ``x``."""

    coef: int
    const: int

    def plus(self, other: Lin | int, sign: int = 1) -> Lin | int:
        o = other if isinstance(other, Lin) else Lin(0, other)
        coef, const = self.coef + sign * o.coef, self.const + sign * o.const
        return Lin(coef, const) if coef else const


def lin_arith(a: Lin | int, b: Lin | int, op: str) -> Lin | int:
    """``a + b`` or ``a - b`` where either side may depend on ``x``."""
    sign = 1 if op == "+" else -1
    if isinstance(a, Lin):
        return a.plus(b, sign)
    if isinstance(b, Lin):
        return Lin(sign * b.coef, a + sign * b.const)
    return a + sign * b


@dataclass(frozen=True)
class Runs:
    """A set of units within ``[lo, hi]``: disjoint, sorted, inclusive runs."""

    lo: int
    hi: int
    runs: tuple[tuple[int, int], ...]

    @staticmethod
    def full(lo: int, hi: int) -> Runs:
        return Runs(lo, hi, ((lo, hi),) if lo <= hi else ())

    @staticmethod
    def empty(lo: int, hi: int) -> Runs:
        return Runs(lo, hi, ())

    @staticmethod
    def of(truth: bool, lo: int, hi: int) -> Runs:
        return Runs.full(lo, hi) if truth else Runs.empty(lo, hi)

    @staticmethod
    def between(a: int | None, b: int | None, lo: int, hi: int) -> Runs:
        """Units from ``a`` to ``b`` (``None``: unbounded), clipped to the horizon."""
        start, end = max(lo, lo if a is None else a), min(hi, hi if b is None else b)
        return Runs(lo, hi, ((start, end),) if start <= end else ())

    @staticmethod
    def solve(coef: int, const: int, op: str, lo: int, hi: int) -> Runs:
        """The units ``x`` where ``coef·x + const ⋈ 0``, for a non-zero ``coef``."""
        if coef < 0:
            coef, const = -coef, -const
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
        target = -const  # coef·x ⋈ target, coef > 0
        if op == "<=":
            return Runs.between(None, target // coef, lo, hi)
        if op == "<":
            return Runs.between(None, (target - 1) // coef, lo, hi)
        if op == ">=":
            return Runs.between(-(-target // coef), None, lo, hi)
        if op == ">":
            return Runs.between(-(-(target + 1) // coef), None, lo, hi)
        point = Runs.between(target // coef, target // coef, lo, hi) if target % coef == 0 \
            else Runs.empty(lo, hi)
        if op == "=":
            return point
        if op == "!=":
            return point.complement()
        raise ValueError(f"unknown comparison {op!r}")

    def complement(self) -> Runs:
        out: list[tuple[int, int]] = []
        start = self.lo
        for a, b in self.runs:
            if a > start:
                out.append((start, a - 1))
            start = b + 1
        if start <= self.hi:
            out.append((start, self.hi))
        return Runs(self.lo, self.hi, tuple(out))

    def union(self, other: Runs) -> Runs:
        merged: list[tuple[int, int]] = []
        for a, b in sorted(self.runs + other.runs):
            if merged and a <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return Runs(self.lo, self.hi, tuple(merged))

    def intersect(self, other: Runs) -> Runs:
        out: list[tuple[int, int]] = []
        i = j = 0
        while i < len(self.runs) and j < len(other.runs):
            a, b = self.runs[i]
            c, d = other.runs[j]
            start, end = max(a, c), min(b, d)
            if start <= end:
                out.append((start, end))
            if b < d:
                i += 1
            else:
                j += 1
        return Runs(self.lo, self.hi, tuple(out))

    def is_empty(self) -> bool:
        return not self.runs

    def is_full(self) -> bool:
        return self.runs == ((self.lo, self.hi),) or self.lo > self.hi

    def __contains__(self, x: int) -> bool:
        i = bisect.bisect_right(self.runs, (x, self.hi + 1)) - 1
        return i >= 0 and self.runs[i][0] <= x <= self.runs[i][1]

    def first(self) -> int | None:
        return self.runs[0][0] if self.runs else None

    def starts(self) -> list[int]:
        """Where the set changes: the first unit of each run and of each gap."""
        out = []
        for a, b in self.runs:
            out += [a, b + 1]
        return [x for x in out if self.lo <= x <= self.hi]
