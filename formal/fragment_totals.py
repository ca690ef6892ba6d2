"""Totals and counts in the small-model bound (the fragment's half of the money feature).

Removing events changes a total or a count, so a formula that reaches one is outside the
fragment of :mod:`formal.fragment`: its answers carry the slot bound. A count compared with
a literal ``k`` needs ``k + 1`` slots of its kind, so that the threshold can be reached and
passed within the bound (docs/semantics.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from model import ast


def totals_walk(expr: ast.Expr) -> Iterator[tuple[str, int, ast.Expr | None]]:
    """For a money node: each kind it totals or counts (with the slots that needs, 0 for
    none), and each child formula the fragment walk must still visit (in both polarities,
    under a universal, which is conservative)."""
    match expr:
        case ast.Total(kind=kind, value=value, where=where):
            yield kind, 0, value
            yield kind, 0, where
        case ast.Count(kind=kind, where=where):
            yield kind, 0, where
        case ast.Mul(left=left, right=right) | ast.Div(left=left, right=right) | \
                ast.Extremum(left=left, right=right):
            yield from _children(left, right)


def _children(*items: ast.Expr) -> Iterator[tuple[str, int, ast.Expr | None]]:
    for item in items:
        if isinstance(item, ast.Total | ast.Count | ast.Mul | ast.Div | ast.Extremum):
            yield from totals_walk(item)
        elif not isinstance(item, ast.MoneyLit | ast.RatioLit | ast.IntLit):
            yield "", 0, item


def count_thresholds(cmp: ast.Cmp | ast.Subset) -> Iterator[tuple[str, int]]:
    """``count(e: K …) ⋈ k`` (either side): the kind ``K`` needs ``k + 1`` slots.

    >>> c = ast.Cmp(">=", ast.Count("n", "Notice", ast.BoolLit(True)), ast.IntLit(3))
    >>> list(count_thresholds(c))
    [('Notice', 4)]
    """
    if not isinstance(cmp, ast.Cmp):
        return
    for a, b in ((cmp.left, cmp.right), (cmp.right, cmp.left)):
        if isinstance(a, ast.Count) and isinstance(b, ast.IntLit):
            yield a.kind, b.value + 1
