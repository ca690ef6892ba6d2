"""``missed(K, t)`` where a formula may use it: anywhere, unless a duty would depend on itself.

A definition (or an obligation's or a release's formula) may ask whether a deadline was
missed: "the waiver is active while no report was missed" is well-founded, because the
duty to report does not depend on the waiver. It is circular when the duty to perform
``K`` itself depends, through its deadline, its ``where``, its ``when``, a release of
``K`` or the definitions they call, on ``missed(K, …)``: the duty would exist only if it
was missed. Both interpreters expand definitions where they are called, so such a cycle
has no meaning in either; it is refused at load, at the ``missed`` call that closes it,
with the cycle named in the spec's words.

The call graph joins the user's definitions with the predicates :mod:`model.duties`
builds (``missed!K`` calls each obligation's ``missed!K!n``, which calls what its
formulas call and the releases ``released!K!m`` of ``K``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from model import ast
from model.errors import FormulaError, SpecError
from model.limits import MAX_EXPANDED, definition_depths, too_deep
from model.program import Definition, Forbid, Obligation, Permit

if TYPE_CHECKING:
    from model.duties import Duties
    from model.yamlsource import PathKey

Calls = Mapping[str, Mapping[str, ast.Pos]]


def shown_name(name: str, owners: Mapping[str, Obligation], background: Mapping[str, str],
               release_owners: Mapping[str, str]) -> str:
    """A node of the call graph as the spec names it.

    >>> shown_name("missed!Report", {}, {}, {})
    'missed(Report)'
    """
    if name in owners:
        ob = owners[name]
        who = f"background rule {ob.clause!r}" if ob.background else f"clause {ob.clause!r}"
        return f"the {ob.kind} due under {who}"
    if name in release_owners:
        owner = release_owners[name]
        who = f"background rule {owner!r}" if owner in background else f"clause {owner!r}"
        return f"the release of {name.split('!')[1]} by {who}"
    if name.startswith("missed!"):
        return f"missed({name.split('!')[1]})"
    if name == FORBIDDEN:
        return "forbidden(…)"
    if name.startswith("rule!"):
        _, what, owner, _ = name.split("!")
        who = f"background rule {owner!r}" if owner in background else f"clause {owner!r}"
        return f"the {what} rule of {who}"
    return name


FORBIDDEN = "forbidden!"
"""The node of ``forbidden(e)``: it reaches every forbid and permit rule."""


def cycle_through(calls: Calls, start: str) -> list[str] | None:
    """The nodes of a shortest cycle from ``start`` back to it, ``start`` first, or None.

    >>> cycle_through({"m": {"d": (1, 1)}, "d": {"p": (1, 1)}, "p": {"m": (1, 1)}}, "m")
    ['m', 'd', 'p']
    """
    parent: dict[str, str] = {}
    queue, seen = deque([start]), {start}
    while queue:
        node = queue.popleft()
        for callee in sorted(calls.get(node, {})):
            if callee == start:
                chain = [node]
                while chain[-1] != start:
                    chain.append(parent[chain[-1]])
                return chain[::-1]
            if callee not in seen:
                seen.add(callee)
                parent[callee] = node
                queue.append(callee)
    return None


def _caller(ring: list[str], calls: Calls, paths: Mapping[str, PathKey]) -> int:
    """Where to report the cycle: at a ``missed`` call of a formula with a place in the file,
    else at a ``forbidden`` call that leads to the rule calling ``missed``."""
    for target in ("missed!", FORBIDDEN):
        for i, node in enumerate(ring):
            nxt = ring[(i + 1) % len(ring)]
            if nxt.startswith(target) and nxt.count("!") <= 1 and node in paths \
                    and nxt in calls.get(node, {}):
                return i
    return 0


def check_duty_cycles(calls: Calls, paths: Mapping[str, PathKey],
                      obligations: tuple[Obligation, ...] | list[Obligation],
                      releases: Mapping[str, list[tuple[str, str]]],
                      background: Mapping[str, str],
                      formula_error: Callable[[PathKey, FormulaError], SpecError]) -> None:
    """Refuse a duty that depends on whether it was missed, at the ``missed`` call (or the
    ``forbidden`` call through whose rules it does)."""
    for kind in sorted(n for n in calls if n.startswith("missed!") and n.count("!") == 1):
        found = cycle_through(calls, kind)
        if found is None:
            continue
        start = _caller(found, calls, paths)
        ring = found[start:] + found[:start]
        caller, callee = ring[0], ring[1 % len(ring)]
        owners = {o.definition: o for o in obligations}
        release_owners = {name: owner for rs in releases.values() for owner, name in rs}
        words = [shown_name(n, owners, background, release_owners) for n in [*ring, ring[0]]]
        name = kind.split("!")[1]
        message = (f"missed({name}, …) is circular: {' -> '.join(words)}; a duty cannot "
                   f"depend on whether it was itself missed (use missed({name}, …) only in "
                   "formulas the duty does not reach)")
        raise formula_error(paths[caller], FormulaError(message, *calls[caller][callee]))


def rule_calls(forbids: Mapping[str, tuple[Forbid, ...]],
               permits: list[Permit]) -> dict[str, dict[str, ast.Pos]]:
    """``forbidden(e)`` as a node calling every forbid and permit rule, and each rule's node
    calling what its formula calls."""
    rules = [("forbid", f.clause, f.when) for fs in forbids.values() for f in fs]
    rules += [("permit", p.clause, p.when) for p in permits]
    out: dict[str, dict[str, ast.Pos]] = {FORBIDDEN: {}}
    for i, (what, owner, when) in enumerate(rules):
        node = f"rule!{what}!{owner}!{i}"
        out[FORBIDDEN][node] = ast.NOPOS
        out[node] = formula_calls(when)
    return out


def formula_calls(expr: ast.Expr) -> dict[str, ast.Pos]:
    """The predicates a checked formula calls, and ``forbidden`` as :data:`FORBIDDEN`."""
    out: dict[str, ast.Pos] = {}
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            out.setdefault(node.pred, node.pos)
        elif isinstance(node, ast.Forbidden):
            out.setdefault(FORBIDDEN, node.pos)
    return out


def check_expanded_depths(definitions: Mapping[str, Definition], calls: Calls,
                          paths: Mapping[str, PathKey],
                          fail: Callable[[PathKey, str], SpecError]) -> dict[str, int]:
    """Every definition's expanded depth over the joined graph, refused past the limit."""
    depths = definition_depths({n: d.body for n, d in definitions.items()}, calls)
    for name, levels in depths.items():
        if levels > MAX_EXPANDED:
            raise fail(paths[name], too_deep(f"definition {name!r}"))
    return depths


def joined_depths(loader: Any, definitions: Mapping[str, Definition], duties: Duties,
                  forbids: Mapping[str, tuple[Forbid, ...]]) -> dict[str, int]:
    """The spec's definitions, its duties' predicates and its forbid and permit rules as one
    graph: refused if a duty depends on itself, else each definition's expanded depth
    (``loader`` is the spec loader)."""
    calls = {name: dict(c) for name, c in {**loader.def_calls, **duties.calls}.items()}
    for name, d in definitions.items():  # forbidden(e), which the checker does not record
        if FORBIDDEN in (found := formula_calls(d.body)):
            calls.setdefault(name, {})[FORBIDDEN] = found[FORBIDDEN]
    calls.update(rule_calls(forbids, duties.permits))
    check_duty_cycles(calls, loader.def_paths, duties.obligations, duties.releases,
                      duties.background, loader.formula_error)
    return check_expanded_depths(definitions, calls, loader.def_paths, loader.fail)
