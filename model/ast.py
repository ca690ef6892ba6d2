"""The formula AST: one tree that both interpreters walk.

The parser produces these nodes with bare names (:class:`Name`, :class:`Apply`);
the checker replaces every name by what it denotes, so the concrete model
(:mod:`model.concrete`) and the Z3 compiler (:mod:`formal.compile`) see only
resolved nodes. Positions are 1-based, within the formula's text.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

# ---------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class BoolT:
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True, slots=True)
class IntT:
    def __str__(self) -> str:
        return "int"


@dataclass(frozen=True, slots=True)
class TimeT:
    def __str__(self) -> str:
        return "time"


@dataclass(frozen=True, slots=True)
class EnumT:
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class SetT:
    elem: EnumT

    def __str__(self) -> str:
        return f"set[{self.elem.name}]"


@dataclass(frozen=True, slots=True)
class EventT:
    kind: str

    def __str__(self) -> str:
        return self.kind


@dataclass(frozen=True, slots=True)
class AmountT:
    """An amount of money in one currency (an ISO 4217 code): ``amount[USD]``."""

    currency: str

    def __str__(self) -> str:
        return f"amount[{self.currency}]"


@dataclass(frozen=True, slots=True)
class RatioT:
    """A ratio or a percentage: an exact rational number (``4.25:1``, ``0.15%``)."""

    def __str__(self) -> str:
        return "ratio"


Type = BoolT | IntT | TimeT | EnumT | SetT | EventT | AmountT | RatioT
BOOL, INT, TIME = BoolT(), IntT(), TimeT()

# ---------------------------------------------------------------- nodes

Pos = tuple[int, int]
NOPOS: Pos = (1, 1)


def _pos() -> Any:
    """A node's position: kept for messages, ignored when nodes are compared."""
    return dataclasses.field(default=NOPOS, compare=False)


@dataclass(frozen=True, slots=True)
class BoolLit:
    value: bool
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class IntLit:
    value: int
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class TimeLit:
    """A fixed time: a date literal or a named date (``name`` keeps which)."""

    value: int
    name: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class EnumLit:
    enum: str
    value: str
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class SetLit:
    """``{a, b}``; ``enum`` is filled in by the checker (empty until then)."""

    items: tuple[Expr, ...]
    enum: str = ""
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Var:
    """A bound variable: a quantifier's, a definition parameter or a free question variable."""

    name: str
    type: Type
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Field:
    """``e.field`` on an event; ``date`` is every event's time."""

    target: Expr
    field: str
    type: Type | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Call:
    """A defined predicate applied to arguments (expanded by both interpreters)."""

    pred: str
    args: tuple[Expr, ...]
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Forbidden:
    """``forbidden(e)``: some clause forbids the act ``e`` at its date."""

    event: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Not:
    arg: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class And:
    args: tuple[Expr, ...]
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Or:
    args: tuple[Expr, ...]
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Implies:
    left: Expr
    right: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Iff:
    left: Expr
    right: Expr
    pos: Pos = _pos()


CmpOp = Literal["=", "!=", "<", "<=", ">", ">="]


@dataclass(frozen=True, slots=True)
class Cmp:
    op: CmpOp
    left: Expr
    right: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class In:
    """``x in S``: membership of an enumeration value in a set."""

    elem: Expr
    set: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Subset:
    """``A subset B``: every member of A is in B (not necessarily proper)."""

    left: Expr
    right: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Arith:
    """``a + b`` / ``a - b`` in days: time ± int is a time, time − time is an int."""

    op: Literal["+", "-"]
    left: Expr
    right: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Ite:
    cond: Expr
    then: Expr
    other: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Quant:
    """``exists v: T. body`` / ``forall v: T. body`` over events of a kind or over times."""

    kind: Literal["exists", "forall"]
    var: str
    type: Type
    body: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class ReadingIs:
    """``reading NAME is OPTION``: true under the readings that choose OPTION."""

    reading: str
    option: str
    pos: Pos = _pos()
    option_pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Now:
    """``now``: the time the enclosing formula is judged from (see docs/semantics.md)."""

    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class SeenFrom:
    """``seen from at: body``: ``body`` judged from the time ``at`` (hindsight).

    The viewpoint becomes the earlier of ``at`` and the current one, so hindsight never
    sees past what the enclosing formula may see; under it, ``forbidden(e)`` judges the act
    from the viewpoint instead of from the act's own date.
    """

    at: Expr
    body: Expr
    pos: Pos = _pos()
    hindsight: bool = True
    """False: only the viewpoint moves and ``forbidden`` is judged as around it (how an
    obligation is judged at its deadline, :mod:`model.duties`); no surface syntax writes it."""


@dataclass(frozen=True, slots=True)
class CalFn:
    """A calendar function applied (:mod:`model.calendar` lists them): ``month_end(t)``,
    ``business_day(t, C)`` with ``calendar`` the declared calendar ``C``, and ``t + 1 month``
    as ``add_months(t, 1)``."""

    fn: str
    args: tuple[Expr, ...]
    calendar: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class MoneyLit:
    """``$50,000,000`` / ``GBP 500,000``: an exact amount in the currency's major unit."""

    value: Fraction
    currency: str
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class RatioLit:
    """``0.15%`` / ``4.25:1``: an exact rational."""

    value: Fraction
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Mul:
    """``a * b``: an amount scaled by a ratio (either order), a ratio times a ratio, or days
    times an int."""

    left: Expr
    right: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Div:
    """``a / b`` of two amounts of one currency: a ratio, allowed only as a side of a
    comparison (which is decided by cross-multiplication; see docs/semantics.md)."""

    left: Expr
    right: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Extremum:
    """``greater_of(a, b)`` / ``lesser_of(a, b)`` of two amounts, ratios or ints."""

    op: Literal["greater", "lesser"]
    left: Expr
    right: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Total:
    """``total(e.f for e: K where φ)``: the sum of ``value`` over the visible events of ``K``
    for which ``where`` holds (``value`` is an amount or an int)."""

    var: str
    kind: str
    value: Expr
    where: Expr
    type: AmountT | IntT = INT
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Count:
    """``count(e: K where φ)``: how many visible events of ``K`` satisfy ``where``."""

    var: str
    kind: str
    where: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class TimeExtremum:
    """``earliest v: time. body`` / ``latest v: time. body``: the first (last) unit of the
    horizon at which ``body`` holds, judged from the current viewpoint; when it holds at none,
    the unit after the horizon's end (before its start), so the value is always defined
    (docs/semantics.md, "Earliest and latest")."""

    kind: Literal["earliest", "latest"]
    var: str
    body: Expr
    pos: Pos = _pos()


# Parser-only nodes: the checker replaces them.


@dataclass(frozen=True, slots=True)
class Months:
    """``2 quarters`` as written: a count of calendar months, allowed only in ``t ± …``."""

    count: int
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class Apply:
    name: str
    args: tuple[Expr, ...]
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class TypeName:
    """A type as written: ``time``, ``Cause``, ``set[Cause]``, an event kind."""

    name: str
    elem: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class RawQuant:
    kind: Literal["exists", "forall"]
    var: str
    type: TypeName
    body: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class RawTotal:
    """``total(value for var: T where φ)``, or ``count(var: T where φ)`` when ``value`` is None."""

    value: Expr | None
    var: str
    type: TypeName
    where: Expr | None
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class RawTimeExtremum:
    kind: Literal["earliest", "latest"]
    var: str
    type: TypeName
    body: Expr
    pos: Pos = _pos()


@dataclass(frozen=True, slots=True)
class RawCmp:
    """Any binary comparison as written, including ``in`` and ``subset``."""

    op: str
    left: Expr
    right: Expr
    pos: Pos = _pos()


Expr = (
    BoolLit | IntLit | TimeLit | EnumLit | SetLit | Var | Field | Call | Forbidden
    | Not | And | Or | Implies | Iff | Cmp | In | Subset | Arith | Ite | Quant | ReadingIs
    | Now | SeenFrom | CalFn | MoneyLit | RatioLit | Mul | Div | Extremum | Total | Count
    | TimeExtremum | Name | Apply | RawQuant | RawCmp | RawTotal | Months | RawTimeExtremum
)


EXPR_TYPES: tuple[type, ...] = typing.get_args(Expr)


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of a formula, itself first; calls are not expanded into their definitions.

    >>> [type(n).__name__ for n in walk(Not(BoolLit(True)))]
    ['Not', 'BoolLit']
    """
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        for name in node.__slots__:
            child = getattr(node, name)
            children = reversed(child) if isinstance(child, tuple) else (child,)
            stack.extend(typing.cast(Expr, c) for c in children if isinstance(c, EXPR_TYPES))


@dataclass(frozen=True, slots=True)
class RawDefinition:
    name: str
    params: tuple[tuple[str, TypeName], ...]
    body: Expr
    pos: Pos = NOPOS


@dataclass(frozen=True, slots=True)
class RawForbid:
    var: str
    kind: TypeName
    when: Expr
    pos: Pos = NOPOS


@dataclass(frozen=True, slots=True)
class RawQuestion:
    mode: Literal["can", "must"]
    body: Expr
    pos: Pos = NOPOS


@dataclass(frozen=True, slots=True)
class RawOblige:
    """``p: Kind [where cond] by deadline [for x: T] [when trigger]`` as written."""

    var: str
    kind: TypeName
    where: Expr | None
    deadline: Expr
    trigger: tuple[str, TypeName] | None
    when: Expr | None
    pos: Pos = NOPOS


@dataclass(frozen=True, slots=True)
class RawRelease:
    """``Kind [when cond]`` as written: removes the duties to perform acts of that kind."""

    kind: TypeName
    when: Expr | None
    pos: Pos = NOPOS
