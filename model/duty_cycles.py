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

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from model import ast
from model.errors import FormulaError, SpecError
from model.limits import MAX_EXPANDED, definition_depths, find_cycle, too_deep
from model.program import Definition, Obligation

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
    return name


def check_duty_cycles(calls: Calls, paths: Mapping[str, PathKey],
                      obligations: tuple[Obligation, ...] | list[Obligation],
                      releases: Mapping[str, list[tuple[str, str]]],
                      background: Mapping[str, str],
                      formula_error: Callable[[PathKey, FormulaError], SpecError]) -> None:
    """Refuse a duty that depends on whether it was missed, at the ``missed`` call."""
    found = find_cycle(calls)
    if found is None:
        return
    _, trail, _ = found
    ring = trail[:-1]
    # Start the cycle at a formula that calls missed(K): that call is what to change.
    start = next((i for i, n in enumerate(ring) if ring[(i + 1) % len(ring)].count("!") == 1
                  and ring[(i + 1) % len(ring)].startswith("missed!")), 0)
    ring = ring[start:] + ring[:start]
    caller, callee = ring[0], ring[1 % len(ring)]
    owners = {o.definition: o for o in obligations}
    release_owners = {name: owner for rs in releases.values() for owner, name in rs}
    words = [shown_name(n, owners, background, release_owners) for n in [*ring, ring[0]]]
    if not any(n.startswith("missed!") for n in ring):
        message = f"definition {trail[0]!r} refers to itself: {' -> '.join(trail)}"
    else:
        kind = next(n for n in ring if n.startswith("missed!")).split("!")[1]
        message = (f"missed({kind}, …) here is circular: {' -> '.join(words)}; a duty cannot "
                   f"depend on whether it was itself missed (use missed({kind}, …) only in "
                   "formulas the duty does not reach)")
    raise formula_error(paths[caller], FormulaError(message, *calls[caller][callee]))


def check_expanded_depths(definitions: Mapping[str, Definition], calls: Calls,
                          paths: Mapping[str, PathKey],
                          fail: Callable[[PathKey, str], SpecError]) -> dict[str, int]:
    """Every definition's expanded depth over the joined graph, refused past the limit."""
    depths = definition_depths({n: d.body for n, d in definitions.items()}, calls)
    for name, levels in depths.items():
        if levels > MAX_EXPANDED:
            raise fail(paths[name], too_deep(f"definition {name!r}"))
    return depths


def joined_depths(loader: Any, definitions: Mapping[str, Definition],
                  duties: Duties) -> dict[str, int]:
    """The spec's definitions and its duties' predicates as one graph: refused if a duty
    depends on itself, else each one's expanded depth (``loader`` is the spec loader)."""
    calls = {**loader.def_calls, **duties.calls}
    check_duty_cycles(calls, loader.def_paths, duties.obligations, duties.releases,
                      duties.background, loader.formula_error)
    return check_expanded_depths(definitions, calls, loader.def_paths, loader.fail)
