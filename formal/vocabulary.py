"""``clausecheck vocabulary``: every word a question about one spec may use, with a note and an example.

The words are the spec's declarations: predicates (defined by clauses or shared),
statuses (callable like predicates), event kinds with their fields, actors,
instruments, enumeration values, named dates and readings. Each comes with the
spec's own note and a question that uses it; every example is a question the
checker accepts (the tests ask each one), so a reader can copy it and change it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from model import ast
from model.duties import is_synthetic
from model.program import Program
from model.prose import rule_name

from .report.words import date_words

GROUPS = {"predicate": "predicates", "status": "statuses", "event kind": "event kinds",
          "actor": "actors", "instrument": "instruments", "enum value": "enumeration values",
          "named date": "named dates", "reading": "readings"}


@dataclass(frozen=True)
class Word:
    kind: str
    name: str
    signature: str
    note: str
    example: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def vocabulary(program: Program) -> list[Word]:
    """Every word of ``program``, grouped as :data:`GROUPS` orders them."""
    spec = program.spec
    notes = predicate_notes(program)
    status_ids = {s.id for s in program.statuses}
    words = [Word("predicate", name, f"{name}({_params(d.params)})", notes.get(name, ""),
                  call_example(program, name))
             for name, d in program.definitions.items() if (d.clause is not None
             or name not in status_ids) and not is_synthetic(name)]
    words += [Word("predicate", "missed", f"missed({kind}, t)", f"a duty to perform a {kind} "
                   "(of a clause or a background rule) has a breach dated at or before t",
                   f"can missed({kind}, t)")
              for kind in sorted({o.kind for o in program.obligations})]
    for s in program.statuses:
        if s.id in program.definitions:
            words.append(Word("status", s.id,
                              f"{s.id}({_params(program.definitions[s.id].params)})", s.label,
                              call_example(program, s.id)))
        else:  # its name is taken by a value or a date: a status of simulations only
            words.append(Word("status", s.id, s.id, f"{s.label} (shown by simulate; not "
                              f"callable, as the name {s.id!r} is taken)", ""))
    for kind, decl in spec.events.items():
        fields = ", ".join(f"{f}: {t}" for f, t in decl.fields.items())
        words.append(Word("event kind", kind, f"{kind}(date: time{', ' + fields if fields else ''})",
                          decl.doc, event_example(program, kind)))
    for a in spec.actors:
        words.append(Word("actor", a.id, "Actor", a.name + (f" ({a.role})" if a.role else ""),
                          value_example(program, "Actor", a.id)))
    for i in spec.instruments:
        words.append(Word("instrument", i.id, "Instrument", i.name + (f"; {i.note}" if i.note
                                                                        else ""),
                          value_example(program, "Instrument", i.id)))
    for enum, e in spec.enums.items():
        for value, meaning in e.values.items():
            words.append(Word("enum value", value, enum, meaning,
                              value_example(program, enum, value)))
    for name, text in spec.dates.items():
        day = date_words(program.codec, program.dates[name])
        words.append(Word("named date", name, f"time = {text}", day,
                          date_example(program, name)))
    for clause in spec.clauses:  # dates a clause defines: the clause says where they live
        for name, text in clause.dates.items():
            day = date_words(program.codec, program.dates[name])
            words.append(Word("named date", name, f"time = {text}", f"{day} (clause {clause.id})",
                              date_example(program, name)))
    for name, r in spec.readings.items():
        options = ", ".join(r.options)
        words.append(Word("reading", name, f"reading {name} is {{{options}}}", r.question,
                          reading_example(program, name, next(iter(r.options)))))
    return words


def predicate_notes(program: Program) -> dict[str, str]:
    """Each predicate's note, from the rule or shared definition that defines it."""
    notes: dict[str, str] = {}
    for d in program.spec.definitions:
        name = rule_name(d)
        if name and d.note:
            notes[name] = d.note
    for clause in program.spec.clauses:
        for rule in clause.rules:
            name = rule_name(rule)
            if name:
                notes[name] = (rule.note or "") + f" (clause {clause.id})"
    return {k: v.strip() for k, v in notes.items()}


def _params(params: tuple[tuple[str, ast.Type], ...]) -> str:
    return ", ".join(f"{n}: {t}" for n, t in params)


def _time_arg(program: Program) -> str:
    return next(iter(program.dates), "t")


def call_example(program: Program, name: str) -> str:
    """``can waived({lpc_unpaid_senior_note}, agreement_date)``: a call with one value per param."""
    binders, args = [], []
    for pname, ptype in program.definitions[name].params:
        if isinstance(ptype, ast.EventT):
            binders.append(f"exists {pname}: {ptype.kind}. ")
            args.append(pname)
        else:
            args.append(_value(program, ptype))
    return f"can {''.join(binders)}{name}({', '.join(args)})"


def _value(program: Program, typ: ast.Type) -> str:
    if isinstance(typ, ast.SetT):
        return "{" + program.enums[typ.elem.name][0] + "}"
    if isinstance(typ, ast.EnumT):
        return program.enums[typ.name][0]
    if isinstance(typ, ast.TimeT):
        return _time_arg(program)
    if isinstance(typ, ast.IntT):
        return "1"
    if isinstance(typ, ast.AmountT):
        return f"{typ.currency} 1,000"
    if isinstance(typ, ast.RatioT):
        return "1:1"
    return "true"


def event_example(program: Program, kind: str) -> str:
    fields = program.kinds[kind]
    for fname, ftype in fields.items():
        if isinstance(ftype, ast.EnumT):
            return f"can exists e: {kind}. e.{fname} = {program.enums[ftype.name][0]}"
        if isinstance(ftype, ast.SetT):
            return f"can exists e: {kind}. {program.enums[ftype.elem.name][0]} in e.{fname}"
    return f"can exists e: {kind}. e.date <= {_time_arg(program)}"


def value_example(program: Program, enum: str, value: str) -> str:
    for kind, fields in program.kinds.items():
        for fname, ftype in fields.items():
            if ftype == ast.EnumT(enum):
                return f"can exists e: {kind}. e.{fname} = {value}"
            if ftype == ast.SetT(ast.EnumT(enum)):
                return f"can exists e: {kind}. {value} in e.{fname}"
    return f"can {value} = {value}"


def date_example(program: Program, name: str) -> str:
    for pred, d in program.definitions.items():
        if [t for _, t in d.params] == [ast.TIME] and not is_synthetic(pred):
            return f"can {pred}({name})"
    return f"can exists e: {next(iter(program.kinds))}. e.date <= {name}" if program.kinds \
        else f"can {name} <= {name}"


def reading_example(program: Program, name: str, option: str) -> str:
    return f"can reading {name} is {option} and {date_example(program, _time_arg(program))[4:]}" \
        if program.dates else f"can reading {name} is {option}"


def vocabulary_text(program: Program) -> str:
    """The vocabulary for people: a section per group, each word with its note and example."""
    words = vocabulary(program)
    lines = [f"{program.file}: the words a question about {program.name} may use",
             "(a question is 'can φ' or 'must φ'; ask it with: clausecheck ask SPEC \"can …\")"]
    for group, heading in GROUPS.items():
        mine = [w for w in words if w.kind == group]
        if not mine:
            continue
        lines += ["", f"{heading}:"]
        for w in mine:
            lines.append(f"  {w.signature if group in ('predicate', 'status', 'event kind') else w.name}"
                         + ("" if group in ("predicate", "status", "event kind")
                            else f"  ({w.signature})"))
            if w.note:
                lines.append(f"      {w.note}")
            if w.example:
                lines.append(f"      e.g. {w.example}")
    return "\n".join(lines) + "\n"


def vocabulary_json(program: Program) -> dict[str, Any]:
    return {"spec": program.file, "agreement": program.name,
            "words": [w.to_json() for w in vocabulary(program)]}
