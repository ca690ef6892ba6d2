"""Parse formula text into the AST of :mod:`model.ast` with the lark grammar ``formula.lark``."""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedInput

from model import ast
from model.errors import FormulaError
from model.money import parse_percent, parse_ratio
from model.money_syntax import money_literal, product, ratio_literal
from model.parsecache import cache_file
from model.syntax_errors import describe
from model.timecodec import DAYS, TimeCodec

_STARTS = ["question", "definition", "forbid_rule", "formula", "binding", "oblige_rule",
           "release_rule"]

@cache
def _lark() -> Lark:
    grammar = files("model").joinpath("formula.lark").read_text(encoding="utf-8")
    options = {"parser": "lalr", "start": _STARTS, "propagate_positions": True,
               "maybe_placeholders": True}
    # The tables are cached only in a directory of this user's alone (model.parsecache):
    # lark's cache is a pickle, never to be read from a place others can write.
    cached = cache_file(grammar, repr(sorted(options.items())))
    parser = Lark(grammar, cache=str(cached) if cached else False, **options)
    if cached is not None and cached.exists():
        os.chmod(cached, 0o600)
    return parser


def _pos(meta: Any) -> ast.Pos:
    return (getattr(meta, "line", 1), getattr(meta, "column", 1))


def _tok(token: Token) -> ast.Pos:
    return (token.line or 1, token.column or 1)


@v_args(meta=True)
class _ToAst(Transformer[Token, Any]):
    def __init__(self, codec: TimeCodec) -> None:
        super().__init__()
        self.codec = codec

    def question(self, meta: Any, children: list[Any]) -> ast.RawQuestion:
        mode, body = children
        return ast.RawQuestion(mode, body, _pos(meta))

    def mode(self, meta: Any, children: list[Token]) -> str:
        return str(children[0])

    def quantifier(self, meta: Any, children: list[Token]) -> str:
        return str(children[0])

    def cmp_op(self, meta: Any, children: list[Token]) -> str:
        return str(children[0])

    def add_op(self, meta: Any, children: list[Token]) -> str:
        return str(children[0])

    def definition(self, meta: Any, children: list[Any]) -> ast.RawDefinition:
        name, *params, body = children
        real = tuple(p for p in params if p is not None)
        return ast.RawDefinition(str(name), real, body, _tok(name))

    def forbid_rule(self, meta: Any, children: list[Any]) -> ast.RawForbid:
        var, kind, when = children
        return ast.RawForbid(str(var), kind, when, _tok(var))

    def oblige_rule(self, meta: Any, children: list[Any]) -> ast.RawOblige:
        var, kind, where, deadline, trigger, when = children
        return ast.RawOblige(str(var), kind, where, deadline, trigger, when, _tok(var))

    def release_rule(self, meta: Any, children: list[Any]) -> ast.RawRelease:
        kind, when = children
        return ast.RawRelease(kind, when, kind.pos)

    def binding(self, meta: Any, children: list[Any]) -> tuple[str, ast.TypeName]:
        return (str(children[0]), children[1])

    def formula(self, meta: Any, children: list[Any]) -> ast.Expr:
        return children[0]  # type: ignore[no-any-return]

    def param(self, meta: Any, children: list[Any]) -> tuple[str, ast.TypeName]:
        return (str(children[0]), children[1])

    binder = param

    def type(self, meta: Any, children: list[Token | None]) -> ast.TypeName:
        name = children[0]
        assert name is not None
        elem = str(children[1]) if len(children) > 1 and children[1] is not None else None
        return ast.TypeName(str(name), elem, _tok(name))

    def implies(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.Implies(children[0], children[1], _pos(meta))

    def iff(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.Iff(children[0], children[1], _pos(meta))

    def or_(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.Or(tuple(children), _pos(meta))

    def and_(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.And(tuple(children), _pos(meta))

    def not_(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.Not(children[0], _pos(meta))

    def quant(self, meta: Any, children: list[Any]) -> ast.Expr:
        kind, *binders, body = children
        for var, typ in reversed(binders):
            body = ast.RawQuant(kind, var, typ, body, typ.pos)
        return ast.RawQuant(body.kind, body.var, body.type, body.body, _pos(meta))

    def extremum(self, meta: Any, children: list[Token]) -> str:
        return str(children[0])

    def extremum_of(self, meta: Any, children: list[Any]) -> ast.Expr:
        kind, (var, typ), body = children
        return ast.RawTimeExtremum(kind, var, typ, body, _pos(meta))

    def ite(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.Ite(children[0], children[1], children[2], _pos(meta))

    def seen_from(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.SeenFrom(children[0], children[1], _pos(meta))

    def now(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.Now(_pos(meta))

    def cmp(self, meta: Any, children: list[Any]) -> ast.Expr:
        left, op, right = children
        return ast.RawCmp(op, left, right, _pos(meta))

    def sum(self, meta: Any, children: list[Any]) -> ast.Expr:
        out = children[0]
        for i in range(1, len(children), 2):
            out = ast.Arith(children[i], out, children[i + 1], _pos(meta))
        return out  # type: ignore[no-any-return]

    def field(self, meta: Any, children: list[Any]) -> ast.Expr:
        out = children[0]
        for name in children[1:]:
            out = ast.Field(out, str(name), None, _tok(name))
        return out  # type: ignore[no-any-return]

    def apply(self, meta: Any, children: list[Any]) -> ast.Expr:
        name, *args = children
        return ast.Apply(str(name), tuple(a for a in args if a is not None), _tok(name))

    def name(self, meta: Any, children: list[Token]) -> ast.Expr:
        return ast.Name(str(children[0]), _tok(children[0]))

    def date(self, meta: Any, children: list[Token]) -> ast.Expr:
        token = children[0]
        try:
            return ast.TimeLit(self.codec.parse(str(token)), None, _tok(token))
        except ValueError as exc:
            raise FormulaError(str(exc), *_tok(token)) from None

    def int(self, meta: Any, children: list[Token]) -> ast.Expr:
        return ast.IntLit(int(children[0]), _tok(children[0]))

    def duration(self, meta: Any, children: list[Token]) -> ast.Expr:
        count, word = children
        try:
            return ast.IntLit(self.codec.duration(int(count), str(word)), _tok(count))
        except ValueError as exc:
            raise FormulaError(str(exc), *_tok(count)) from None

    def period(self, meta: Any, children: list[Token]) -> ast.Expr:
        count, word = children
        per = {"month": 1, "quarter": 3, "year": 12}[str(word).rstrip("s")]
        return ast.Months(int(count) * per, _tok(count))
    def money(self, meta: Any, children: list[Token]) -> ast.Expr:
        return money_literal(children[0])

    def percent(self, meta: Any, children: list[Token]) -> ast.Expr:
        return ratio_literal(children[0], parse_percent)

    def ratio(self, meta: Any, children: list[Token]) -> ast.Expr:
        return ratio_literal(children[0], parse_ratio)

    def mul_op(self, meta: Any, children: list[Token]) -> str:
        return str(children[0])

    def product(self, meta: Any, children: list[Any]) -> ast.Expr:
        return product(children, _pos(meta))

    def total(self, meta: Any, children: list[Any]) -> ast.Expr:
        value, var, typ, where = children
        return ast.RawTotal(value, str(var), typ, where, _pos(meta))

    def count(self, meta: Any, children: list[Any]) -> ast.Expr:
        var, typ, where = children
        return ast.RawTotal(None, str(var), typ, where, _pos(meta))

    def true(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.BoolLit(True, _pos(meta))

    def false(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.BoolLit(False, _pos(meta))

    def setlit(self, meta: Any, children: list[Any]) -> ast.Expr:
        return ast.SetLit(tuple(c for c in children if c is not None), "", _pos(meta))

    def reading(self, meta: Any, children: list[Token]) -> ast.Expr:
        name, option = children
        return ast.ReadingIs(str(name), str(option), _tok(name), _tok(option))


MAX_DEPTH = 100
"""How deep a formula may nest (parentheses, ``not``, quantifiers, sums): every walker of a
formula recurses on its depth, so the limit is checked, without recursion, before any does."""
MAX_INT_DIGITS = 12
"""Digits of a number in a formula: enough for any duration in minutes over ten thousand years."""


def _too_deep(pos: ast.Pos) -> FormulaError:
    return FormulaError(f"the formula nests more than {MAX_DEPTH} levels deep; split it into "
                        "definitions", *pos)


def _check_tree_depth(tree: Tree[Token]) -> None:
    """Refuse a parse tree deeper than :data:`MAX_DEPTH`, found without recursion."""
    stack: list[tuple[Tree[Token], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(_pos(node.meta))
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth + 1))
            elif isinstance(child, Token) and child.type == "INT" and len(child) > MAX_INT_DIGITS:
                raise FormulaError(f"the number {child[:8]}… has more than {MAX_INT_DIGITS} "
                                   "digits", *_tok(child))


_NODES = (*ast.EXPR_TYPES, ast.RawQuestion, ast.RawDefinition, ast.RawForbid, ast.RawOblige,
          ast.RawRelease)


def depth(expr: Any) -> tuple[int, ast.Pos]:
    """The nesting depth of an AST node (1 for a leaf) and where its deepest node stands,
    computed without recursion."""
    deepest, where = 0, ast.NOPOS
    stack: list[tuple[Any, int]] = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        if level > deepest:
            deepest, where = level, getattr(node, "pos", where)
        for name in getattr(node, "__slots__", ()):
            child = getattr(node, name)
            for item in child if isinstance(child, tuple) else (child,):
                if isinstance(item, _NODES):
                    stack.append((item, level + 1))
    return deepest, where


def parse(text: str, start: str, codec: TimeCodec = DAYS) -> Any:
    """Parse ``text`` from one of the grammar's start rules into raw AST nodes.

    >>> parse("t < 2003-08-11", "formula").op
    '<'
    """
    try:
        tree: Tree[Token] = _lark().parse(text, start=start)
    except UnexpectedInput as exc:
        raise describe(exc, text, _lark(), start) from None
    _check_tree_depth(tree)
    try:
        raw = _ToAst(codec).transform(tree)
        levels, where = depth(raw)
        if levels > MAX_DEPTH:
            raise _too_deep(where)
        return raw
    except Exception as exc:  # lark wraps errors raised inside callbacks
        inner = getattr(exc, "orig_exc", exc)
        if isinstance(inner, FormulaError):
            raise inner from None
        raise
