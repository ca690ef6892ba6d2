"""Bounds on how deep a formula reaches once its definitions are expanded, checked at load.

Both interpreters expand a call into its definition's body and walk the result
recursively, so a chain of definitions each calling the next costs them stack in
proportion to the whole chain. The loader refuses a formula whose expansion nests
deeper than :data:`MAX_EXPANDED` levels (with a message, never a ``RecursionError``);
finding that out, and finding cycles among definitions, is done here without
recursion, so a chain of any length is measured safely.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping

from model import ast

MAX_EXPANDED = 200
"""Nesting levels of a formula with every call expanded (the bundled specs reach about 20)."""


def too_deep(what: str) -> str:
    """The message for a formula whose expansion passes :data:`MAX_EXPANDED` levels."""
    return (f"{what} nests more than {MAX_EXPANDED} levels deep once the definitions it calls "
            "are expanded; shorten the chain of definitions")


def find_cycle(calls: Mapping[str, Mapping[str, ast.Pos]]) -> tuple[str, list[str], ast.Pos] | None:
    """The first cycle among definitions, depth first in declaration order, as
    ``(caller, cycle, position of the call that closes it)``; ``None`` when there is none.

    >>> find_cycle({"a": {"b": (1, 5)}, "b": {"a": (1, 9)}})
    ('b', ['a', 'b', 'a'], (1, 9))
    """
    state: dict[str, int] = {}
    for root in calls:
        if root in state:
            continue
        state[root] = 1
        trail = [root]
        stack = [iter(sorted(calls.get(root, {}).items()))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[trail.pop()] = 2
                stack.pop()
                continue
            callee, pos = step
            if state.get(callee) == 1:
                return trail[-1], [*trail[trail.index(callee):], callee], pos
            if callee not in state:
                state[callee] = 1
                trail.append(callee)
                stack.append(iter(sorted(calls.get(callee, {}).items())))
    return None


def expanded_depth(expr: ast.Expr, known: Mapping[str, int]) -> int:
    """How deep ``expr`` nests with each call replaced by its definition (depths in ``known``).

    >>> expanded_depth(ast.Not(ast.Call("p", ())), {"p": 10})
    12
    """
    deepest = 0
    stack: list[tuple[ast.Expr, int]] = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        reach = level + (known.get(node.pred, 0) if isinstance(node, ast.Call) else 0)
        deepest = max(deepest, reach)
        for name in node.__slots__:
            child = getattr(node, name)
            for item in child if isinstance(child, tuple) else (child,):
                if isinstance(item, ast.EXPR_TYPES):
                    stack.append((typing.cast(ast.Expr, item), level + 1))
    return deepest


def definition_depths(bodies: Mapping[str, ast.Expr],
                      calls: Mapping[str, Mapping[str, ast.Pos]]) -> dict[str, int]:
    """Each definition's expanded depth, callees first; ``calls`` must have no cycle."""
    depths: dict[str, int] = {}
    for root in bodies:
        stack = [root]
        while stack:
            name = stack[-1]
            waiting = [c for c in sorted(calls.get(name, {})) if c not in depths and c in bodies]
            if waiting and name not in depths:
                stack.extend(waiting)
                continue
            stack.pop()
            if name not in depths:
                depths[name] = expanded_depth(bodies[name], depths)
    return depths
