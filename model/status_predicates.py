"""Statuses as predicates: a status a simulation reports is also a word a question may use.

``remedies_open`` is shown by ``simulate`` after every event; a reader who sees it will
ask ``can remedies_open(2003-07-20)``. A status ``s`` whose formula is over the time ``t``
becomes the predicate ``s(t)``; one with ``for: d: Kind`` becomes ``s(d, t)``, the event
first. A status named like a predicate already is that predicate, and one whose name
another declaration takes stays a status only. So that a spec's own answers do not move
because its statuses became callable, a spec's program keeps only the status predicates
its questions call; an ad-hoc question adds the ones it calls.
"""

from __future__ import annotations

from model import ast
from model.checker import Signature, Vocabulary
from model.program import Definition, Program, StatusDef


def status_predicate(vocab: Vocabulary, definitions: dict[str, Definition],
                     status: StatusDef) -> bool:
    """Make a status callable in questions like a predicate: ``remedies_open(t)``, and with
    ``for: d: Kind`` the event first: ``waived_defaults(d, t)``.

    A status named like a predicate already is that predicate; a status whose name is taken
    by another declaration stays a status only. True when the status became a predicate.
    """
    if status.id in vocab.names() or status.id in vocab.kinds:
        return False
    definition = status_definition(status)
    vocab.predicates[status.id] = Signature(status.id, definition.params)
    definitions[status.id] = definition
    return True


def status_definition(status: StatusDef) -> Definition:
    """The predicate a status stands for: ``s(t)``, or ``s(d, t)`` over its ``for`` events."""
    params: tuple[tuple[str, ast.Type], ...] = (("t", ast.TIME),)
    if status.for_var is not None:
        var, kind = status.for_var
        params = ((var, ast.EventT(kind)), *params)
    return Definition(status.id, params, status.formula, None)


def status_predicates(program: Program) -> dict[str, Definition]:
    """The statuses callable as predicates: those whose name no other declaration takes."""
    taken = {*program.definitions, *program.dates, *program.kinds,
             *(v for values in program.enums.values() for v in values)}
    return {s.id: status_definition(s) for s in program.statuses if s.id not in taken}


def used_only(program: Program, added: set[str]) -> dict[str, Definition]:
    """The program's definitions without the status predicates no question or invariant calls,
    so that a spec's answers do not change because its statuses became callable."""
    roots = [q.body for q in (*program.questions, *program.invariants)]
    used = {n.pred for n in program.reachable(roots) if isinstance(n, ast.Call)}
    return {k: d for k, d in program.definitions.items() if k not in added or k in used}
