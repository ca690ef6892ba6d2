"""The spec file's structure: what a spec author writes, validated by pydantic.

Types only, no logic. Formulas stay text here; :mod:`model.checker` parses
and checks them against the declarations.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

Id = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.()\-]*$")]
Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
DateText = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
TimeText = Annotated[str, Field(pattern=r"^\d{4}-\d{1,2}-\d{1,2}(T\d{1,2}:\d{2}(Z|[+-]\d{2}:\d{2})?)?$")]
ExpectedVerdict = Literal["yes", "no", "depends"]


class Strict(BaseModel):
    # Validators are built on first use (defer_build), and the docstrings under the fields
    # are read only by json_schema(): both would cost every command's start-up otherwise.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Agreement(Strict):
    id: Id
    """Short stable name of the agreement, used in test ids and reports."""
    title: str
    """The agreement's title as a lawyer would cite it."""
    date: DateText
    """The date the agreement is dated as of."""
    source: str | None = None
    """Where the verbatim text comes from (a file or an exhibit reference)."""
    summary: str | None = None
    """What the agreement does over time, in plain English: the opening of a report's memo."""


class CalendarDecl(Strict):
    financial: str | None = None
    """A market calendar of the `holidays` library (`NYSE`, `ECB`, …)."""
    country: str | None = None
    """A country calendar (ISO code such as `US`), instead of a market."""
    subdiv: str | None = None
    """A subdivision of the country (`NC`, `NY`, …)."""
    categories: tuple[str, ...] = ()
    """Holiday categories of the country (`public`, `government`, `bank` …); default public."""


class TimeDomain(Strict):
    unit: Literal["day", "minute"] = "day"
    """The unit of time: `day` (a time is a calendar day) or `minute` (a time of day, too)."""
    zone: str = "UTC"
    """IANA time zone of wall-clock times such as `2009-08-17T17:00` (unit `minute`)."""
    horizon: tuple[DateText, DateText] = ("1990-01-01", "2030-12-31")
    """First and last day any timeline may reach; witnesses are dated inside it."""
    calendars: dict[Name, CalendarDecl] = {}
    """Holiday calendars formulas name in `business_day(t, C)` and its kin."""
    fiscal_year_start: int = Field(default=1, ge=1, le=12)
    """The month (1-12) the fiscal year starts in, for `fiscal_quarter_end` and kin."""


class Actor(Strict):
    id: Name
    """The name formulas use for this party or actor (a value of type `Actor`)."""
    name: str
    """Who it is, in words."""
    role: str | None = None
    """Its role under the agreement (borrower, lender, holder …)."""


class Instrument(Strict):
    id: Name
    """The name formulas use for this instrument (a value of type `Instrument`)."""
    name: str
    """The instrument, as the agreement names it."""
    note: str | None = None
    """Anything a reader should know about it (maturity, parties)."""


class EnumDecl(Strict):
    doc: str | None = None
    """What the enumeration stands for."""
    values: dict[Name, str]
    """Each value's name, with a line of what it means."""


class EventKind(Strict):
    doc: str
    """What happens when an event of this kind occurs."""
    fields: dict[Name, str] = {}
    """Each field's type: `Actor`, `Instrument`, an enumeration, `set[Enum]`, `time`, `int`, `bool`,
    `amount[USD]`, `ratio`, `percent` (a ratio shown as a percentage), or an event kind."""


class OptionArgument(Strict):
    argument: str
    """The best argument for this option, as counsel would put it."""
    authority: str
    """What the argument rests on: a canon of construction, the governing law the agreement
    chooses, or the agreement's own words (never an invented case citation)."""


class Reading(Strict):
    question: str
    """The interpretive question this reading settles."""
    options: dict[Name, str]
    """Each option's name, with the reading it stands for."""
    default: Name
    """The option a reader takes when nothing else is said."""
    arguments: dict[Name, OptionArgument] = {}
    """For each option (by name), the argument for it and its authority; a report sets them
    side by side."""


class DefineRule(Strict):
    define: str
    """`name(param: type, …) := formula`: a predicate this clause defines."""
    note: str | None = None
    """Why the clause reads this way."""
    quote: str | None = None
    """A verbatim excerpt of the clause's text that this rule encodes: a report quotes the
    whole sentence(s) holding it when an answer cites the clause."""


class ForbidRule(Strict):
    forbid: str
    """`var: EventKind when formula`: an act the clause forbids when the formula holds."""
    note: str | None = None
    """Why the act is forbidden."""
    quote: str | None = None
    """A verbatim excerpt of the clause's text that this rule encodes: a report quotes the
    whole sentence(s) holding it when an answer cites the clause."""


class AssumeRule(Strict):
    assume: str
    """A closed formula the clause makes true of every timeline."""
    note: str | None = None
    """Why every timeline satisfies it."""
    quote: str | None = None
    """A verbatim excerpt of the clause's text that this rule encodes: a report quotes the
    whole sentence(s) holding it when an answer cites the clause."""


class ObligeRule(Strict):
    oblige: str
    """`p: Kind [where formula] by DEADLINE [for x: Kind|time] [when formula]`: an act of that
    kind is due by the deadline (inclusive); a missed deadline is a breach of the clause."""
    note: str | None = None
    """Why the act is due."""
    quote: str | None = None
    """A verbatim excerpt of the clause's text that this rule encodes."""


class PermitRule(Strict):
    permit: str
    """`var: EventKind when formula`: an act the clause permits when the formula holds; a
    permitted act is never forbidden (a permission beats every prohibition)."""
    note: str | None = None
    """Why the act is permitted."""
    quote: str | None = None
    """A verbatim excerpt of the clause's text that this rule encodes."""


class ReleaseRule(Strict):
    release: str
    """`EventKind [when formula]`: removes every duty (of a clause or a background rule) to
    perform an act of that kind, where the formula holds when the duty is judged."""
    note: str | None = None
    """Why the duty is removed."""
    quote: str | None = None
    """A verbatim excerpt of the clause's text that this rule encodes."""


def _rule_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for tag in ("define", "forbid", "assume", "oblige", "permit", "release"):
            if tag in value:
                return tag
    return None


Rule = Annotated[
    Annotated[DefineRule, Tag("define")]
    | Annotated[ForbidRule, Tag("forbid")]
    | Annotated[AssumeRule, Tag("assume")]
    | Annotated[ObligeRule, Tag("oblige")]
    | Annotated[PermitRule, Tag("permit")]
    | Annotated[ReleaseRule, Tag("release")],
    Discriminator(_rule_tag),
]


class BackgroundRule(Strict):
    id: Id
    """A name for the rule, unlike every clause id: breaches of it are reported under it."""
    source: str
    """Where the duty comes from, in words (the law or custom that imposes it): a background
    rule is not a clause of the agreement and is never cited as one."""
    oblige: str | None = None
    """An obligation the law imposes, written as a clause's `oblige` rule."""
    forbid: str | None = None
    """A prohibition the law imposes, written as a clause's `forbid` rule."""
    note: str | None = None
    """Why the rule applies to this agreement."""


class Clause(Strict):
    id: Id
    """The clause's number as the agreement prints it: `1`, `6(b)`, `signatures`."""
    heading: str = ""
    """The clause's heading, verbatim (headings carry no meaning in the formulas)."""
    text: str
    """The clause's verbatim text."""
    rules: list[Rule] = []
    """What the clause means over time: definitions, forbidden acts, assumptions."""
    not_temporal: str | None = None
    """For a clause with nothing to model over time: why, in words."""
    dates: dict[Name, TimeText] = {}
    """Named dates this clause defines ("'Amendment Date' shall mean …"), as the top-level
    `dates:` (one namespace with them); an answer that rests on one cites the clause."""


class Definition(Strict):
    define: str
    """`name(param: type, …) := formula`: vocabulary that no single clause owns."""
    note: str | None = None
    """What the predicate stands for."""


class Status(Strict):
    id: Name
    """The status name used in scenario expectations."""
    label: str
    """How a report names the status."""
    formula: str
    """A formula with the free time `t`; with `for`, also over each event of one kind."""
    for_: str | None = Field(default=None, alias="for")
    """`var: EventKind`: report the events of that kind for which the formula holds."""


class Question(Strict):
    id: Id
    """Stable id of the question, used in tests and on the command line."""
    ask: str
    """The question in plain English."""
    formula: str
    """`can φ` or `must φ`; free variables are bound by `can` (some) or `must` (every)."""
    expect: ExpectedVerdict | None = None
    """The verdict the spec author expects across readings."""
    cites: list[Id] = []
    """Clauses that an answer of no (or a proved must) is expected to cite."""
    readings: dict[Name, Name] = {}
    """Readings this question is asked under (`{until: inclusive}`): it is answered only under
    the combinations that agree, instead of `reading until is inclusive implies …`."""


class Invariant(Strict):
    id: Id
    """Stable id of the invariant."""
    statement: str
    """The invariant in plain English."""
    formula: str
    """A formula that must hold on every timeline, under every reading."""
    cites: list[Id] = []
    """Clauses the proof is expected to rest on."""
    readings: dict[Name, Name] = {}
    """Readings this invariant is claimed under; it is proved only under the combinations
    that agree."""


class ExpectedBreach(Strict):
    event: Id | None = None
    """The id of the scenario event that is a breach (of a forbid rule)."""
    clause: Id
    """The clause (or background rule) that forbids it, or whose obligation was missed."""
    missed: Name | None = None
    """For a missed deadline instead of an act: the kind of the act that was due."""
    at: TimeText | None = None
    """With `missed`: the date of the breach (the first unit after the deadline)."""


class Scenario(Strict):
    id: Id
    """Stable id of the scenario."""
    description: str
    """What happens, in words."""
    readings: dict[Name, Name] = {}
    """Readings fixed for this scenario; the others take their default."""
    events: list[dict[str, Any]]
    """Each event: `date`, `kind`, optional `id`, and the kind's fields."""
    expect: list[dict[str, Any]] = []
    """Each expectation: `at` a date, then status ids with their expected values."""
    breaches: list[ExpectedBreach] = []
    """Every breach the scenario must report, and no other."""


class Spec(Strict):
    agreement: Agreement
    """Which agreement this spec encodes."""
    time: TimeDomain = TimeDomain()
    """The unit of time and the horizon of every timeline."""
    actors: list[Actor] = []
    """Parties and other actors: the values of type `Actor`."""
    instruments: list[Instrument] = []
    """Agreements, notes and other instruments: the values of type `Instrument`."""
    enums: dict[Name, EnumDecl] = {}
    """Further enumerations, such as the causes of a default."""
    dates: dict[Name, TimeText] = {}
    """Named dates (or, with unit `minute`, date-times) that formulas use by name."""
    events: dict[Name, EventKind] = {}
    """The kinds of event a timeline may hold."""
    readings: dict[Name, Reading] = {}
    """Interpretive choice points; every question is answered under each combination."""
    definitions: list[Definition] = []
    """Vocabulary that belongs to no single clause."""
    clauses: list[Clause]
    """Every clause of the agreement, in order, with its verbatim text."""
    background: list[BackgroundRule] = []
    """Duties and prohibitions that law or custom imposes beside the agreement; a clause's
    `permit` or `release` may remove them."""
    statuses: list[Status] = []
    """What a simulation reports after each event."""
    questions: list[Question] = []
    """Questions with their expected verdicts."""
    invariants: list[Invariant] = []
    """Properties proved for every timeline."""
    scenarios: list[Scenario] = []
    """Concrete timelines with expected statuses and breaches."""
    limits: list[str] = []
    """What the model assumes or leaves out, in plain English (beside each clause's
    `not_temporal`): a report's reader must know where its answers stop."""


def field_docs() -> dict[str, dict[str, str]]:
    """The docstring under each field of each model of this module, by class and field name."""
    import ast
    import inspect
    import sys

    tree = ast.parse(inspect.getsource(sys.modules[__name__]))
    docs: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for field, doc in zip(node.body, node.body[1:], strict=False):
            if (isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
                    and isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
                    and isinstance(doc.value.value, str)):
                docs.setdefault(node.name, {})[field.target.id] = inspect.cleandoc(
                    doc.value.value)
    return docs


def _describe(schema: dict[str, Any]) -> None:
    """Give every property of every model in ``schema`` the docstring under its field."""
    models = {name: model for name, model in globals().items()
              if isinstance(model, type) and issubclass(model, BaseModel)}
    for name, docs in field_docs().items():
        target = schema if name == "Spec" else schema.get("$defs", {}).get(name)
        if target is None or name not in models:
            continue
        for field, doc in docs.items():
            key = models[name].model_fields[field].alias or field
            props = target.get("properties", {})
            if key in props and "description" not in props[key]:
                props[key] = _with_description(key, props[key], doc)


def _with_description(key: str, prop: dict[str, Any], doc: str) -> dict[str, Any]:
    """``prop`` with ``doc`` where pydantic would put it: before the title, and keys sorted,
    except under a property named ``default``, whose keys pydantic leaves unsorted."""
    out = {k: v for k, v in prop.items() if k != "title"}
    out["description"] = doc
    if "title" in prop:
        out["title"] = prop["title"]
    return out if key == "default" else dict(sorted(out.items()))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a spec file, every field described, for editors' YAML support."""
    schema = Spec.model_json_schema()
    _describe(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "clausecheck spec"
    schema["description"] = ("One agreement: its clauses with their verbatim text and rules, "
                             "and the questions, invariants and scenarios asked of it.")
    return schema
