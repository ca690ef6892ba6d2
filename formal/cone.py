"""Which readings a question's problem can depend on: its semantic cone of readings.

A question is answered under every combination of the readings it reaches
(:func:`formal.engine.readings_used`, through its formula, the definitions and
forbid rules it calls, and the spec's assumptions). Many of those combinations
pose the same problem: ``if reading until is inclusive then t <= x else t < x``
with ``t`` and ``x`` both fixed dates compiles to the same truth either way.
The engine solves once per combination of the readings left in the problem
once Z3 has simplified it, and gives that answer for every combination that
agrees on them (it is the same problem, so the same answer, the same witness
and the same minimal set of clauses).

Why it is exact: :func:`z3.simplify` returns a term equivalent to its input for
every value of every constant, the clause and reading literals included. A
reading none of whose literals is left in that term cannot change whether the
problem is satisfiable, nor which models it has, under any clause assumptions.

>>> import z3
>>> zc = z3.Context()
>>> lit, t = z3.Bool("reading until=inclusive", zc), z3.IntVal(5, zc)
>>> z3.simplify(z3.If(lit, t <= 10, t < 10))
True
"""

from __future__ import annotations

import z3

from model.program import Program

from .compile import reading_literal


def reading_cone(terms: list[z3.BoolRef], program: Program,
                 scratch: z3.Context) -> tuple[str, ...]:
    """The readings (in the spec's order) whose literals survive simplification of ``terms``.

    The work is done in ``scratch``, a context apart from the engine's: terms made in the
    engine's context would change the numbering of its terms, and with it the witnesses Z3
    picks later. A literal is absent when substituting a value for it leaves the term unchanged (Z3's
    terms are hash-consed, so that is a pointer comparison, and the walk is Z3's own)."""
    if not program.readings or not terms:
        return ()
    whole = z3.simplify(z3.And(*[t.translate(scratch) for t in terms]))
    true = z3.BoolVal(True, scratch)
    return tuple(name for name, r in program.readings.items()
                 if any(not z3.substitute(whole, (reading_literal(name, o, scratch), true))
                        .eq(whole) for o in r.options))
