"""Money, ratios, totals and counts in the random specs (``spec_formulas.py`` hooks these in).

Atoms compare amounts (fields, literals, sums, differences, a percentage of an amount,
``greater_of``/``lesser_of``), divisions of amounts against ratios (divisors that may be
zero, so the zero-divisor rule of docs/semantics.md is exercised), ratio fields, and
totals and counts over the events so far, bounded by the judged time where a formula is
judged at one (and often by a bound time, so a total moves inside a time quantifier).
The exhaustive reference gives amount and ratio fields the small domains below.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import hypothesis.strategies as st

from model import ast
from model.money import Money

AMOUNT = "amount[USD]"
RATIO = "ratio"
PERCENT = "percent"
"""A ratio shown as a percentage: the same type, so it stands wherever a ratio field does."""
FIELD_TYPES = (AMOUNT, RATIO, PERCENT)
"""Field types the random vocabularies may draw, beside the others."""
AMOUNT_VALUES = (Fraction(0), Fraction(2))
RATIO_VALUES = (Fraction(0), Fraction(3, 2))
CMP = ("=", "!=", "<", "<=", ">", ">=")


def values(typ: ast.Type) -> list[Any] | None:
    """The small domain of an amount or ratio field (None for other types): what the
    exhaustive reference and the random timelines try."""
    if isinstance(typ, ast.AmountT):
        return [Money(v, typ.currency) for v in AMOUNT_VALUES]
    if isinstance(typ, ast.RatioT):
        return list(RATIO_VALUES)
    return None


def options(gen: Any, scope: Any) -> list[str]:
    """The money atoms possible in ``scope`` (weights as repetitions)."""
    if getattr(gen, "in_total", False):
        return []
    out = ["count"]
    if gen.fields_of(scope, AMOUNT):
        out += ["amount", "amount", "ratio"]
    if ratio_fields(gen, scope):
        out += ["ratio-field"]
    if any(AMOUNT in f.values() or "int" in f.values() for f in gen.vocab.kinds.values()):
        out += ["total", "total"]
    if any(AMOUNT in f.values() for f in gen.vocab.kinds.values()):
        out += ["bind", "bind"]
    return out


def ratio_fields(gen: Any, scope: Any) -> list[str]:
    """The ratio fields of the bound events, those declared ``percent`` too."""
    return [*gen.fields_of(scope, RATIO), *gen.fields_of(scope, PERCENT)]


def atom(gen: Any, scope: Any, shape: str) -> str:
    """One money atom of the given shape (see :func:`options`)."""
    match shape:
        case "bind":  # an event with an amount field, bound around an amount or ratio atom
            kind = gen.pick(sorted(k for k, f in gen.vocab.kinds.items() if AMOUNT in f.values()))
            var = gen.fresh("m")
            body = atom(gen, scope.plus(events=((var, kind),)), gen.pick(["amount", "ratio"]))
            return gen.bind(gen.pick(["exists", "forall"]), var, kind, body)
        case "amount":
            return f"({amount(gen, scope, 2)} {gen.pick(CMP)} {amount(gen, scope, 2)})"
        case "ratio":
            divisor = gen.pick([*gen.fields_of(scope, AMOUNT), "$0", "$2", "USD 1.50"])
            other = gen.pick(["1:1", "100%", "0.5:1", "150%", "2.0:1.0",
                              *ratio_fields(gen, scope)])
            if gen.chance(4):
                other = f"{amount(gen, scope, 1)} / {gen.pick(gen.fields_of(scope, AMOUNT))}"
            return f"({amount(gen, scope, 1)} / {divisor} {gen.pick(CMP)} {other})"
        case "ratio-field":
            r = gen.pick(ratio_fields(gen, scope))
            if gen.fields_of(scope, AMOUNT) and gen.chance(2):
                return (f"(({r} * {gen.pick(gen.fields_of(scope, AMOUNT))}) {gen.pick(CMP)} "
                        f"{amount(gen, scope, 1)})")
            return f"({r} {gen.pick(CMP)} {gen.pick(['0:1', '1:1', '150%', '1.5:1'])})"
        case "count":
            return f"({aggregate(gen, scope, None)} {gen.pick(CMP)} {gen.draw(st.integers(0, 2))})"
    kind, fname, ftype = gen.draw(st.sampled_from([
        (k, f, t) for k, fields in sorted(gen.vocab.kinds.items()) for f, t in fields.items()
        if t in (AMOUNT, "int")]))
    limit = gen.pick(["$0", "$2", "$4", "USD 3.50"]) if ftype == AMOUNT else str(gen.draw(st.integers(0, 4)))
    return f"({aggregate(gen, scope, (kind, fname))} {gen.pick(CMP)} {limit})"


def amount(gen: Any, scope: Any, depth: int) -> str:
    """An amount term: a field, a literal, or a sum, difference, percentage or extremum."""
    leaves = [*gen.fields_of(scope, AMOUNT)] * 2 + ["$0", "$1", "$2", "$1.50", "USD 3"]
    if depth <= 0 or gen.chance(2):
        return gen.pick(leaves)
    shape = gen.pick(["+", "-", "%", "greater_of", "lesser_of", "*"])
    a, b = amount(gen, scope, depth - 1), amount(gen, scope, depth - 1)
    if shape in ("+", "-"):
        return f"({a} {shape} {b})"
    if shape == "%":
        return f"({gen.pick(['50%', '150%', '0.5:1'])} * {a})"
    if shape == "*":
        return f"({a} * {gen.draw(st.integers(0, 2))})"
    return f"{shape}({a}, {b})"


def aggregate(gen: Any, scope: Any, field: tuple[str, str] | None) -> str:
    """``count(x: K where φ)`` or ``total(x.f for x: K where φ)``, bounded by the judged time
    where the formula is judged at one, often by the bound time of a quantifier."""
    kind = field[0] if field else gen.pick(sorted(gen.vocab.kinds))
    var = gen.fresh("x")
    inner = scope.plus(events=((var, kind),))
    parts = []
    if gen.judged_at is not None:
        bound = gen.pick([gen.judged_at, "now"]) if gen.judged_at != "now" else "now"
        parts.append(f"({var}.date <= {bound})")
    elif scope.inner is not None and gen.chance(2):
        parts.append(f"({var}.date {gen.pick(['<=', '<', '>='])} {scope.inner})")
    if gen.chance(2):
        gen.in_total = True
        try:
            parts.append(gen.atom(inner))
        finally:
            gen.in_total = False
    where = f" where {' and '.join(parts)}" if parts else ""
    if field is None:
        return f"count({var}: {kind}{where})"
    return f"total({var}.{field[1]} for {var}: {kind}{where})"
