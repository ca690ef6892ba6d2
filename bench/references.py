"""Events that refer to events: "every remedy is for some default", two ways.

The Lexington spec's questions and invariants (``specs/lexington-2003-waiver.yaml``,
scenarios left out), each with a fresh engine, as it is (``neither``) and in two variants
that add the same fact:

* ``quantifier``: an assumption ``forall r: ExercisesRemedies. exists d: EventOfDefault.
  d.date <= r.date and r.causes subset d.causes`` (an existential under a universal: every
  answer that reaches remedies is bounded, docs/semantics.md);
* ``reference``: a field ``default: EventOfDefault`` on remedies and the assumption
  ``forall r: ExercisesRemedies. r.causes subset r.default.causes`` (the default is the
  event the field names, dated at or before the remedy by the semantics of references).

The module uses only the public API (``python -m bench.references`` prints the JSON).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from formal.engine import Engine
from model.load import load_spec

LEXINGTON = Path("specs/lexington-2003-waiver.yaml")
FORBID = '      - forbid: "r: ExercisesRemedies when acts_for(r.by, congress) and waived(r.causes, r.date)"\n'
FIELDS = "      by: Actor\n      causes: set[Cause]\n  Notice:"
ASSUME = {
    "neither": "",
    "quantifier": "forall r: ExercisesRemedies. exists d: EventOfDefault. d.date <= r.date and "
                  "r.causes subset d.causes",
    "reference": "forall r: ExercisesRemedies. r.causes subset r.default.causes",
}


def variant(name: str) -> str:
    """The Lexington spec without its scenarios, with the fact added as ``name`` says."""
    text = LEXINGTON.read_text(encoding="utf-8")
    text = text[:text.index("\nscenarios:")] + "\n"
    assert FORBID in text and FIELDS in text, "the Lexington spec changed: update bench/references.py"
    if ASSUME[name]:
        text = text.replace(FORBID, f'{FORBID}      - assume: "{ASSUME[name]}"\n')
    if name == "reference":
        text = text.replace(FIELDS, FIELDS.replace("set[Cause]\n", "set[Cause]\n      default: "
                                                   "EventOfDefault\n"))
    return text


def run(name: str) -> dict[str, Any]:
    path = Path(f"/tmp/clausecheck-bench-{name}.yaml")
    path.write_text(variant(name), encoding="utf-8")
    program = load_spec(path)
    out: dict[str, Any] = {}
    for query in (*program.questions, *program.invariants):
        started = time.perf_counter()
        answer = Engine(program).answer(query)
        out[query.id] = {"seconds": time.perf_counter() - started, "verdict": str(answer.verdict),
                         "bound": answer.bound}
    return out


def references() -> dict[str, Any]:
    result = {name: run(name) for name in ASSUME}
    for name in ASSUME:
        rows = result[name].values()
        result[name + "_total"] = {"seconds": sum(r["seconds"] for r in rows),
                                   "bounded": sum(r["bound"] is not None for r in rows),
                                   "questions": len(rows)}
    return result


def print_references(out: TextIO, result: dict[str, Any]) -> None:
    out.write("\nevent references (Lexington, every remedy is for some default)\n")
    for name in ASSUME:
        total = result[name + "_total"]
        out.write(f"  {name:<12} {total['seconds'] * 1000:9.1f} ms for {total['questions']} "
                  f"questions and invariants, {total['bounded']} bounded\n")


if __name__ == "__main__":
    json.dump(references(), sys.stdout, indent=2)
    sys.stdout.write("\n")
