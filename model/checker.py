"""Resolve names and check types: turn raw formula trees into the typed AST.

Every formula of a spec passes through :class:`Checker` before anything runs.
Errors are :class:`FormulaError` located inside the formula's text; the loader
turns them into ``FILE:LINE:COL`` messages.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from model import ast
from model.ast import BOOL, INT, TIME, EnumT, EventT, SetT, Type
from model.calendars import FUNCTIONS as CALENDAR_FUNCTIONS
from model.check_calendar import check_call, check_shift, refuse_period
from model.errors import FormulaError
from model.money_check import (
    EXTREMA,
    amount_type,
    arith_type,
    check_div,
    check_extremum,
    check_mul,
    check_total,
    is_money,
    misplaced_div,
    mixed,
)

BUILTIN_TYPES: dict[str, Type] = {"time": TIME, "int": INT, "bool": BOOL}
BUILTIN_PREDICATES = {"forbidden", "missed"}
KEYWORDS = {
    "exists", "forall", "not", "and", "or", "implies", "iff", "in", "subset", "if", "then",
    "else", "true", "false", "reading", "is", "can", "must", "when", "set", "day", "days",
    "hour", "hours", "minute", "minutes", "now", "seen", "from", "earliest", "latest",
    "total", "count", "for", "where",
}


def suggest(name: str, candidates: Iterable[str]) -> str:
    """``; did you mean 'x'?`` when a close name exists, else nothing."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


@dataclass(frozen=True)
class Signature:
    name: str
    params: tuple[tuple[str, Type], ...]


@dataclass
class Vocabulary:
    """The declarations formulas may name."""

    enums: dict[str, tuple[str, ...]]
    value_enum: dict[str, str]
    dates: dict[str, int]
    kinds: dict[str, dict[str, Type]]
    readings: dict[str, tuple[str, ...]]
    predicates: dict[str, Signature] = field(default_factory=dict)
    calendars: tuple[str, ...] = ()
    """The holiday calendars declared under ``time.calendars``."""
    obliged: set[str] = field(default_factory=set)
    """The event kinds some obligation makes due (``missed(Kind, t)`` names one)."""

    def names(self) -> set[str]:
        return {*self.value_enum, *self.dates, *self.predicates}


class _Untyped(Exception):
    """A free variable met where nothing tells its type yet."""

    def __init__(self, name: str, pos: ast.Pos) -> None:
        super().__init__(name)
        self.name = name
        self.pos = pos


class Checker:
    """Checks formulas against one vocabulary; collects the calls each one makes."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.calls: dict[str, ast.Pos] = {}
        """Each predicate the last checked formula calls, with the place of its first call."""
        self.free: dict[str, Type | None] | None = None

    # ------------------------------------------------------------ types

    def type_of(self, t: ast.TypeName, *, events: bool = True) -> Type:
        """The type a written type name denotes."""
        money = amount_type(t)
        if money is not None:
            return money
        if t.elem is not None:
            if t.name != "set":
                raise FormulaError(f"unknown type {t.name}[…]; only set[Enum] takes a parameter",
                                   *t.pos)
            if t.elem not in self.vocab.enums:
                raise FormulaError(f"unknown enumeration {t.elem!r} in set[…]"
                                   f"{suggest(t.elem, self.vocab.enums)}", *t.pos)
            return SetT(EnumT(t.elem))
        if t.name in BUILTIN_TYPES:
            return BUILTIN_TYPES[t.name]
        if t.name in self.vocab.enums:
            return EnumT(t.name)
        if events and t.name in self.vocab.kinds:
            return EventT(t.name)
        known = [*BUILTIN_TYPES, *self.vocab.enums, *(self.vocab.kinds if events else [])]
        close = difflib.get_close_matches(t.name, known, n=1, cutoff=0.6)
        what = "event kind" if events and close and close[0] in self.vocab.kinds else "type"
        kinds = f" (the event kinds: {', '.join(self.vocab.kinds)})" if events and not close \
            and self.vocab.kinds else ""
        raise FormulaError(f"unknown {what} {t.name!r}{suggest(t.name, known)}{kinds}", *t.pos)

    # ------------------------------------------------------------ entry points

    def formula(self, raw: ast.Expr, scope: Mapping[str, Type]) -> ast.Expr:
        """Check a boolean formula whose variables are all in ``scope``."""
        expr, _ = self.expr(raw, dict(scope), BOOL)
        return expr

    def open_formula(
        self, raw: ast.Expr, scope: Mapping[str, Type]
    ) -> tuple[ast.Expr, tuple[tuple[str, Type], ...]]:
        """Check a formula whose unknown names are free variables, inferring their types."""
        self.free = {}
        try:
            while True:
                known = sum(t is not None for t in self.free.values())
                try:
                    expr, _ = self.expr(raw, dict(scope), BOOL)
                except _Untyped as pending:
                    if sum(t is not None for t in self.free.values()) > known:
                        continue  # learned a type this pass: try again
                    raise FormulaError(
                        f"cannot tell the type of {pending.name!r}; bind it, as in "
                        f"'exists {pending.name}: time. …'", *pending.pos) from None
                free = tuple((n, t) for n, t in self.free.items() if t is not None)
                return expr, free
        finally:
            self.free = None

    # ------------------------------------------------------------ expressions

    def expr(self, raw: ast.Expr, scope: dict[str, Type], want: Type | None) -> tuple[ast.Expr, Type]:
        expr, typ = self._expr(raw, scope, want)
        if want is not None and typ != want:
            one = f"; a set of one is written {{{_quoted(raw)[3:-2]}}}" if isinstance(
                want, SetT) and typ == want.elem and _quoted(raw) else ""
            raise FormulaError(f"expected {_a(want)}, found {_a(typ)}{_quoted(raw)}{one}",
                               *raw.pos)
        return expr, typ

    def _expr(self, raw: ast.Expr, scope: dict[str, Type], want: Type | None) -> tuple[ast.Expr, Type]:
        match raw:
            case ast.BoolLit() | ast.IntLit():
                return raw, BOOL if isinstance(raw, ast.BoolLit) else INT
            case ast.TimeLit() | ast.Now():
                return raw, TIME
            case ast.SeenFrom(at=at, body=body, pos=pos):
                when, _ = self.expr(at, scope, TIME)
                return ast.SeenFrom(when, self.expr(body, scope, BOOL)[0], pos), BOOL
            case ast.Name(name=name, pos=pos):
                return self._name(name, pos, scope, want)
            case ast.Apply(name=name, args=args, pos=pos):
                return self._apply(name, args, pos, scope)
            case ast.Field(target=target, field=fname, pos=pos):
                inner, ttype = self.expr(target, scope, None)
                if not isinstance(ttype, EventT):
                    raise FormulaError(f"{fname!r} is a field of an event, but this is {_a(ttype)}",
                                       *pos)
                if fname == "date":
                    return ast.Field(inner, "date", TIME, pos), TIME
                fields = self.vocab.kinds[ttype.kind]
                if fname not in fields:
                    raise FormulaError(
                        f"event kind {ttype.kind!r} has no field {fname!r}"
                        f"{suggest(fname, [*fields, 'date'])}", *pos)
                return ast.Field(inner, fname, fields[fname], pos), fields[fname]
            case ast.Not(arg=arg, pos=pos):
                return ast.Not(self.expr(arg, scope, BOOL)[0], pos), BOOL
            case ast.And(args=args, pos=pos):
                return ast.And(self._all_bool(args, scope), pos), BOOL
            case ast.Or(args=args, pos=pos):
                return ast.Or(self._all_bool(args, scope), pos), BOOL
            case ast.Implies(left=left, right=right, pos=pos):
                a, b = self._all_bool((left, right), scope)
                return ast.Implies(a, b, pos), BOOL
            case ast.Iff(left=left, right=right, pos=pos):
                a, b = self._all_bool((left, right), scope)
                return ast.Iff(a, b, pos), BOOL
            case ast.Ite(cond=cond, then=then, other=other, pos=pos):
                c, _ = self.expr(cond, scope, BOOL)
                a, atype = self._pair_first(then, other, scope, want)
                b, _ = self.expr(other, scope, atype)
                return ast.Ite(c, a, b, pos), atype
            case ast.RawQuant(kind=kind, var=var, type=tname, body=body, pos=pos):
                vtype = self.type_of(tname)
                if not isinstance(vtype, EventT | ast.TimeT | ast.BoolT):
                    raise FormulaError(f"quantifiers range over times, events or bool, not "
                                       f"{vtype}", *tname.pos)
                self._fresh(var, pos, scope)
                bound = {**scope, var: vtype}
                return ast.Quant(kind, var, vtype, self.expr(body, bound, BOOL)[0], pos), BOOL
            case ast.RawTimeExtremum(kind=kind, var=var, type=tname, body=body, pos=pos):
                return self._extremum(kind, var, tname, body, pos, scope), TIME
            case ast.RawCmp(op=op, left=left, right=right, pos=pos):
                return self._cmp(op, left, right, pos, scope)
            case ast.Arith(op=op, left=left, right=ast.Months() as months, pos=pos):
                return check_shift(self, op, left, months, pos, scope)
            case ast.Arith(op=op, left=left, right=right, pos=pos):
                return self._arith(op, left, right, pos, scope)
            case ast.Months():
                raise refuse_period(raw)
            case ast.SetLit(items=items, pos=pos):
                if isinstance(want, SetT):
                    elem = want.elem
                elif items:
                    _, first = self.expr(items[0], scope, None)
                    if not isinstance(first, EnumT):
                        raise FormulaError(f"set members must be enumeration values, "
                                           f"not {_a(first)}", *items[0].pos)
                    elem = first
                else:
                    raise FormulaError("cannot tell the type of the empty set {} here", *pos)
                checked = tuple(self.expr(i, scope, elem)[0] for i in items)
                return ast.SetLit(checked, elem.name, pos), SetT(elem)
            case ast.MoneyLit(currency=currency):
                return raw, ast.AmountT(currency)
            case ast.RatioLit():
                return raw, ast.RatioT()
            case ast.Mul():
                return check_mul(self, raw, scope)
            case ast.Div():
                raise misplaced_div(raw)
            case ast.RawTotal():
                return check_total(self, raw, scope)
            case ast.ReadingIs(reading=name, option=option, pos=pos, option_pos=option_pos):
                if name not in self.vocab.readings:
                    raise FormulaError(f"unknown reading {name!r}"
                                       f"{suggest(name, self.vocab.readings)}", *pos)
                options = self.vocab.readings[name]
                if option not in options:
                    raise FormulaError(f"reading {name!r} has no option {option!r} (its "
                                       f"options: {', '.join(options)})"
                                       f"{suggest(option, options)}", *option_pos)
                return raw, BOOL
            case _:
                raise FormulaError(f"unexpected formula node {type(raw).__name__}", *raw.pos)

    def _extremum(self, kind: str, var: str, tname: ast.TypeName, body: ast.Expr,
                  pos: ast.Pos, scope: dict[str, Type]) -> ast.Expr:
        """``earliest v: time. φ`` / ``latest v: time. φ``: a time (docs/semantics.md)."""
        vtype = self.type_of(tname)
        if vtype != TIME:
            raise FormulaError(f"{kind} ranges over times, not {vtype}", *tname.pos)
        self._fresh(var, pos, scope)
        checked, _ = self.expr(body, {**scope, var: TIME}, BOOL)
        return ast.TimeExtremum(kind, var, checked, pos)  # type: ignore[arg-type]

    def _all_bool(self, args: tuple[ast.Expr, ...], scope: dict[str, Type]) -> tuple[ast.Expr, ...]:
        """Check every operand, so that one operand can teach a free variable's type to another."""
        out: list[ast.Expr] = []
        pending: _Untyped | None = None
        for arg in args:
            try:
                out.append(self.expr(arg, scope, BOOL)[0])
            except _Untyped as exc:
                pending = pending or exc
        if pending is not None:
            raise pending
        return tuple(out)

    def _pair_first(
        self, a: ast.Expr, b: ast.Expr, scope: dict[str, Type], want: Type | None
    ) -> tuple[ast.Expr, Type]:
        """Check ``a``; when its type is not yet known, learn it from ``b``."""
        try:
            return self.expr(a, scope, want)
        except _Untyped:
            _, btype = self.expr(b, scope, want)
            return self.expr(a, scope, btype)

    def check_fresh(self, var: str, pos: ast.Pos, scope: Mapping[str, Type]) -> None:
        """Refuse a bound variable named like a keyword or a declared name."""
        self._fresh(var, pos, scope)

    def _fresh(self, var: str, pos: ast.Pos, scope: Mapping[str, Type]) -> None:
        if var in KEYWORDS:
            raise FormulaError(f"{var!r} is a keyword and cannot name a variable", *pos)
        if var in self.vocab.names():
            raise FormulaError(f"variable {var!r} would hide the declared name {var!r}", *pos)

    def _name(
        self, name: str, pos: ast.Pos, scope: dict[str, Type], want: Type | None
    ) -> tuple[ast.Expr, Type]:
        if name in scope:
            return ast.Var(name, scope[name], pos), scope[name]
        if name in self.vocab.dates:
            return ast.TimeLit(self.vocab.dates[name], name, pos), TIME
        if name in self.vocab.value_enum:
            enum = self.vocab.value_enum[name]
            return ast.EnumLit(enum, name, pos), EnumT(enum)
        if name in self.vocab.predicates:
            return self._apply(name, (), pos, scope)
        if self.free is not None and name not in KEYWORDS:
            close = suggest(name, self.vocab.names())
            if close and name not in self.free:
                raise FormulaError(f"unknown name {name!r}{close} (a free variable needs a name "
                                   "unlike any declared one)", *pos)
            known = self.free.get(name)
            if known is None and want is not None:
                self.free[name] = known = want  # a name used as a formula is a free bool
            if known is None:
                self.free.setdefault(name, None)
                raise _Untyped(name, pos)
            return ast.Var(name, known, pos), known
        raise FormulaError(f"unknown name {name!r}{suggest(name, self._all(scope))}", *pos)

    def _all(self, scope: Mapping[str, Type]) -> list[str]:
        return [*scope, *self.vocab.names(), *BUILTIN_PREDICATES]

    def _apply(
        self, name: str, args: tuple[ast.Expr, ...], pos: ast.Pos, scope: dict[str, Type]
    ) -> tuple[ast.Expr, Type]:
        if name == "forbidden":
            if len(args) != 1:
                raise FormulaError("forbidden(e) takes one event", *pos)
            event, etype = self.expr(args[0], scope, None)
            if not isinstance(etype, EventT):
                raise FormulaError(f"forbidden(e) takes an event, not {_a(etype)}", *args[0].pos)
            return ast.Forbidden(event, pos), BOOL
        if name == "missed":
            from model.duties import check_missed  # the duties module needs this one

            return check_missed(self, args, pos, scope), BOOL
        if name in CALENDAR_FUNCTIONS:
            return check_call(self, name, args, pos, scope)
        if name in EXTREMA and name not in self.vocab.predicates:
            return check_extremum(self, name, args, pos, scope)
        if name not in self.vocab.predicates:
            known = [*self.vocab.predicates, *BUILTIN_PREDICATES, *CALENDAR_FUNCTIONS, *EXTREMA]
            raise FormulaError(f"unknown predicate {name!r}{suggest(name, known)}", *pos)
        sig = self.vocab.predicates[name]
        if len(args) != len(sig.params):
            raise FormulaError(f"{name} takes {len(sig.params)} argument(s) "
                               f"({_params(sig)}), given {len(args)}", *pos)
        checked = tuple(self.expr(a, scope, ptype)[0] for a, (_, ptype) in zip(args, sig.params,
                                                                               strict=True))
        self.calls.setdefault(name, pos)
        return ast.Call(name, checked, pos), BOOL

    def _cmp(
        self, op: str, left: ast.Expr, right: ast.Expr, pos: ast.Pos, scope: dict[str, Type]
    ) -> tuple[ast.Expr, Type]:
        if op == "in":
            if isinstance(right, ast.SetLit):
                try:
                    e, etype = self.expr(left, scope, None)
                except _Untyped:
                    _, stype = self.expr(right, scope, None)
                    e, etype = self.expr(left, scope, stype.elem)  # type: ignore[union-attr]
                if not isinstance(etype, EnumT):
                    raise FormulaError(f"'in' tests an enumeration value, not {_a(etype)}", *pos)
                s, _ = self.expr(right, scope, SetT(etype))
            else:
                s, stype = self.expr(right, scope, None)
                if not isinstance(stype, SetT):
                    raise FormulaError(f"the right of 'in' must be a set, not {_a(stype)}", *pos)
                e, _ = self.expr(left, scope, stype.elem)
            return ast.In(e, s, pos), BOOL
        if op == "subset":
            a, atype = self._pair_first(left, right, scope, None)
            if not isinstance(atype, SetT):
                raise FormulaError(f"'subset' compares sets, not {_a(atype)}", *pos)
            b, _ = self.expr(right, scope, atype)
            return ast.Subset(a, b, pos), BOOL
        if isinstance(left, ast.Div) or isinstance(right, ast.Div):
            return self._ratio_cmp(op, left, right, pos, scope)
        if isinstance(left, ast.SetLit) and not isinstance(right, ast.SetLit):
            b, atype = self._pair_first(right, left, scope, None)
            a, _ = self.expr(left, scope, atype)
        else:
            a, atype = self._pair_first(left, right, scope, None)
            b = self._other_side(right, atype, pos, scope)
        if op in ("<", "<=", ">", ">=") and not isinstance(
                atype, ast.TimeT | ast.IntT | ast.AmountT | ast.RatioT):
            raise FormulaError(f"{op!r} compares times or day counts, not {_a(atype)}", *pos)
        return ast.Cmp(op, a, b, pos), BOOL  # type: ignore[arg-type]

    def _other_side(self, right: ast.Expr, atype: Type, pos: ast.Pos,
                    scope: dict[str, Type]) -> ast.Expr:
        """The right side of a comparison, of the left side's type; amounts, ratios and
        days that meet are refused with both types named."""
        try:
            return self.expr(right, scope, atype)[0]
        except FormulaError:
            if isinstance(right, ast.SetLit):
                raise
            try:
                _, btype = self.expr(right, scope, None)
            except (_Untyped, FormulaError):
                btype = atype
            if btype != atype and (is_money(atype) or is_money(btype)):
                raise mixed("compare", atype, btype, pos, _quoted(right)) from None
            raise

    def _ratio_cmp(self, op: str, left: ast.Expr, right: ast.Expr, pos: ast.Pos,
                   scope: dict[str, Type]) -> tuple[ast.Expr, Type]:
        """A comparison with a division on a side: both sides are ratios."""
        sides = []
        for side in (left, right):
            e, etype = (check_div(self, side, scope) if isinstance(side, ast.Div)
                        else self.expr(side, scope, None))
            if etype != ast.RatioT():
                raise mixed("compare", ast.RatioT(), etype, pos, _quoted(side))
            sides.append(e)
        if op not in ("=", "!=", "<", "<=", ">", ">="):
            raise FormulaError(f"{op!r} does not apply to ratios", *pos)
        return ast.Cmp(op, sides[0], sides[1], pos), BOOL  # type: ignore[arg-type]

    def _arith(
        self, op: str, left: ast.Expr, right: ast.Expr, pos: ast.Pos, scope: dict[str, Type]
    ) -> tuple[ast.Expr, Type]:
        try:
            a, atype = self.expr(left, scope, None)
        except _Untyped:
            b, btype = self.expr(right, scope, None)
            a, atype = self.expr(left, scope, TIME)
        else:
            if atype == TIME:
                try:
                    b, btype = self.expr(right, scope, None)
                except _Untyped:
                    b, btype = self.expr(right, scope, INT if op == "+" else TIME)
            else:
                b, btype = self.expr(right, scope, None)
        result: Type
        money = arith_type(op, atype, btype, pos)
        if money is not None:
            result = money
        elif (atype == TIME and btype == INT) or (atype == INT and btype == TIME and op == "+"):
            result = TIME
        elif (atype == TIME and btype == TIME and op == "-") or (atype == INT and btype == INT):
            result = INT
        else:
            raise FormulaError(f"cannot compute {atype} {op} {btype}; days add to times, "
                               "and a time minus a time is a duration", *pos)
        return ast.Arith(op, a, b, pos), result  # type: ignore[arg-type]


def _a(t: Type) -> str:
    if isinstance(t, EventT):
        return f"an event of kind {t.kind}"
    if isinstance(t, EnumT):
        return f"a value of {t.name}"
    if isinstance(t, SetT):
        return f"a set of {t.elem.name}"
    if isinstance(t, ast.AmountT):
        return f"an amount in {t.currency}"
    if isinstance(t, ast.RatioT):
        return "a ratio"
    return {"bool": "a truth value (a formula)", "int": "a duration (a whole number of time units)",
            "time": "a time"}[str(t)]


def _quoted(raw: ast.Expr) -> str:
    """`` ('holder')``: the offending name or value, when it is a simple one."""
    match raw:
        case ast.Name(name=name) | ast.Var(name=name):
            return f" ({name!r})"
        case ast.Field(target=ast.Name(name=target), field=fname):
            return f" ('{target}.{fname}')"
        case ast.Apply(name=name):
            return f" ({name}(…))"
        case ast.IntLit(value=value):
            return f" ({value})"
        case ast.TimeLit(name=name) if name:
            return f" ({name!r})"
    return ""


def _params(sig: Signature) -> str:
    return ", ".join(f"{n}: {t}" for n, t in sig.params)
