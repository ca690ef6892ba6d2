"""Transformations of a spec's data that must leave every verdict as it was (metamorphic tests).

Each takes the plain data of a spec file (``model.yamlsource.load_yaml``) and
a random source, and returns new data; :func:`reload` turns data back into a
checked program (JSON is YAML, so the data is written out as JSON).

* :func:`new_headings`: paragraph 6(e) of the Lexington waiver: "The paragraph
  headings of this Agreement are for convenience of reference only";
* :func:`reorder_clauses`, :func:`reorder_events`: the order of declarations
  means nothing (scenario events on the same day keep their order, which does);
* :func:`rename`: every identifier (predicates, event kinds and fields,
  enumerations and their values, actors, instruments, named dates, readings and
  options, statuses, variables) renamed consistently;
* :func:`shift_dates`: every date and time moved by the same number of days,
  the horizon with them.
"""

from __future__ import annotations

import copy
import difflib
import json
import random
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from model.checker import KEYWORDS
from model.load import load_spec
from model.program import Program
from model.timecodec import TimeCodec

Data = dict[str, Any]
FORMULA_KEYS = ("define", "forbid", "assume", "formula", "for", "oblige", "permit", "release")
BUILTIN = {"time", "int", "bool", "set", "Actor", "Instrument", "forbidden", "date", "t",
           "missed"}
DUTY_WORDS = {"where", "by", "for"}
"""Words of an oblige rule (``p: K where … by … for x: T``) that may also name a field (``e.by``):
a keyword unless it follows a dot."""
"""Names the language gives meaning to (``t`` is the time of a status formula)."""
_TOKEN = re.compile(r"(\d{4}-\d{1,2}-\d{1,2}(?:T\d{1,2}:\d{2}(?:Z|[+-]\d{2}:\d{2})?)?)"
                    r"|([A-Za-z_][A-Za-z0-9_]*)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{1,2}:\d{2}(?:Z|[+-]\d{2}:\d{2})?)?")


def reload(data: Data, name: str) -> Program:
    return load_spec(name, json.dumps(data, indent=1))


def new_headings(data: Data, rnd: random.Random) -> Data:
    out = copy.deepcopy(data)
    for clause in out["clauses"]:
        clause["heading"] = rnd.choice(["", "Miscellaneous", "§", "Rescission of Waivers",
                                        "Waiver"]) + f" {rnd.randrange(1000)}"
    return out


def reorder_clauses(data: Data, rnd: random.Random) -> Data:
    out = copy.deepcopy(data)
    rnd.shuffle(out["clauses"])
    return out


def _shuffled(mapping: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    keys = list(mapping)
    rnd.shuffle(keys)
    return {k: mapping[k] for k in keys}


def reorder_events(data: Data, rnd: random.Random) -> Data:
    """Event kinds, their fields, and scenario events (same-day ones keep their order)."""
    out = copy.deepcopy(data)
    out["events"] = _shuffled(out.get("events", {}), rnd)
    for kind in out["events"].values():
        if "fields" in kind:
            kind["fields"] = _shuffled(kind["fields"], rnd)
    for scenario in out.get("scenarios", []):
        events = scenario["events"]
        order = list(range(len(events)))
        rnd.shuffle(order)
        same_time: dict[str, list[int]] = {}
        for i, event in enumerate(events):
            same_time.setdefault(str(event["date"]), []).append(i)
        # Each shuffled position takes the next of its time's events, in their written order.
        scenario["events"] = [events[same_time[str(events[i]["date"])].pop(0)] for i in order]
    return out


# ---------------------------------------------------------------- renaming


def identifiers(data: Data) -> set[str]:
    """Every name a spec declares or a formula uses, but not the keywords and built-ins."""
    found: set[str] = set()
    found.update(a["id"] for a in data.get("actors", []))
    found.update(i["id"] for i in data.get("instruments", []))
    for name, enum in data.get("enums", {}).items():
        found.add(name)
        found.update(enum["values"])
    found.update(data.get("dates", {}))
    for kind, decl in data.get("events", {}).items():
        found.add(kind)
        found.update(decl.get("fields", {}))
    for name, reading in data.get("readings", {}).items():
        found.add(name)
        found.update(reading["options"])
    found.update(s["id"] for s in data.get("statuses", []))
    for text in _formulas(data):
        found.update(m.group(2) for m in _TOKEN.finditer(text) if m.group(2))
    return found - KEYWORDS - BUILTIN


def _formulas(data: Data) -> list[str]:
    out = []
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in FORMULA_KEYS and isinstance(value, str):
                    out.append(value)
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return out


def renaming(data: Data, rnd: random.Random) -> dict[str, str]:
    """A consistent renaming to fresh random names, each far from the others.

    Far, because the checker takes an unknown name close to a declared one for
    a misspelling (``t2`` beside ``t12``), not for a free variable.
    """
    names = sorted(identifiers(data))
    taken = identifiers(data) | KEYWORDS | BUILTIN
    fresh: list[str] = []
    while len(fresh) < len(names):
        name = "".join(rnd.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))
        if name not in taken and not difflib.get_close_matches(name, fresh, cutoff=0.5):
            fresh.append(name)
    return dict(zip(names, fresh, strict=True))


def rename_text(text: str, mapping: dict[str, str]) -> str:
    """A formula with every identifier renamed; date literals stay as written."""
    def one(m: re.Match[str]) -> str:
        word = m.group(2)
        if m.group(1) or (word in DUTY_WORDS and not text[:m.start()].rstrip().endswith(".")):
            return m.group(0)
        return mapping.get(word, word)

    return _TOKEN.sub(one, text)


def rename(data: Data, mapping: dict[str, str]) -> Data:
    out = copy.deepcopy(data)

    def keys(d: dict[str, Any]) -> dict[str, Any]:
        return {mapping.get(k, k): v for k, v in d.items()}

    for group in ("actors", "instruments", "statuses"):
        for item in out.get(group, []):
            item["id"] = mapping.get(item["id"], item["id"])
    out["enums"] = keys(out.get("enums", {}))
    for enum in out["enums"].values():
        enum["values"] = keys(enum["values"])
    out["dates"] = keys(out.get("dates", {}))
    out["events"] = keys(out.get("events", {}))
    for kind in out["events"].values():
        kind["fields"] = {mapping.get(f, f): rename_text(t, mapping)
                          for f, t in kind.get("fields", {}).items()}
    out["readings"] = keys(out.get("readings", {}))
    for reading in out["readings"].values():
        reading["options"] = keys(reading["options"])
        reading["default"] = mapping[reading["default"]]
        if "arguments" in reading:  # each option's argument, under the option's new name
            reading["arguments"] = keys(reading["arguments"])
    _rename_formulas(out, mapping)
    for scenario in out.get("scenarios", []):
        scenario["readings"] = {mapping[k]: mapping[v]
                                for k, v in scenario.get("readings", {}).items()}
        for event in scenario["events"]:
            renamed = {}
            for key, value in event.items():
                if key == "kind":
                    renamed[key] = mapping[value]
                elif key in ("id", "date"):
                    renamed[key] = value
                elif isinstance(value, list):
                    renamed[mapping.get(key, key)] = [mapping.get(v, v) for v in value]
                else:
                    renamed[mapping.get(key, key)] = mapping.get(value, value) \
                        if isinstance(value, str) else value
            event.clear()
            event.update(renamed)
        scenario["expect"] = [{k if k == "at" else mapping.get(k, k): v for k, v in x.items()}
                              for x in scenario.get("expect", [])]
        for breach in scenario.get("breaches", []):
            if "missed" in breach:  # a missed deadline names the kind of act that was due
                breach["missed"] = mapping.get(breach["missed"], breach["missed"])
    return out


def _rename_formulas(node: Any, mapping: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FORMULA_KEYS and isinstance(value, str):
                node[key] = rename_text(value, mapping)
            else:
                _rename_formulas(value, mapping)
    elif isinstance(node, list):
        for item in node:
            _rename_formulas(item, mapping)


# ---------------------------------------------------------------- shifting dates


def shift_dates(data: Data, days: int) -> Data:
    """Every date and time in the spec moved by ``days`` (the horizon too).

    A spec in days moves each date. A spec in minutes moves each instant by
    ``days`` × 1440 minutes, written in UTC, so that a change of daylight
    saving time between the old and the new dates cannot stretch or shrink
    the distance between two of them. Only the agreement's date and the
    horizon stay calendar days (the horizon's ends may then move by the
    zone's offset change, an hour at most).
    """
    out = copy.deepcopy(data)
    time = out.get("time", {})
    codec = TimeCodec(time.get("unit", "day"), time.get("zone", "UTC"))

    def day(text: str) -> str:
        return (date.fromisoformat(text) + timedelta(days=days)).isoformat()

    def moment(match: re.Match[str]) -> str:
        text = match.group(0)
        if codec.unit == "day":
            return day(text[:10]) + text[10:]
        minutes = codec.parse(text) + days * 24 * 60
        utc = datetime.fromordinal(minutes // 1440).replace(tzinfo=UTC) + timedelta(
            minutes=minutes % 1440)
        return utc.strftime("%Y-%m-%dT%H:%MZ")

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return _DATE.sub(moment, node) if isinstance(node, str) else node

    out = walk(out)
    out["agreement"]["date"] = day(data["agreement"]["date"])
    horizon = data.get("time", {}).get("horizon", ["1990-01-01", "2030-12-31"])
    out.setdefault("time", {})["horizon"] = [day(h) for h in horizon]
    return out
