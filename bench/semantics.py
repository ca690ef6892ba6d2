"""Time semantics: shapes that once made answers bounded or slow, answered exactly.

Two measurements (issue "One semantics of time"): a spec whose effectiveness needs
"every condition met on some day s ≤ t" (``bench/specs/conditions-met.yaml``,
synthetic), each question with a fresh engine, whether its answer holds for every
timeline or only up to a bound; and ``k`` nested existential events of one kind on
the Lexington spec, for growing ``k``. The module uses only the public API, so the
same file times an older checkout (``PYTHONPATH=old/checkout python -m bench.semantics``)
for the before/after figures in docs/benchmarks.md.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from formal.engine import Engine
from model.load import check_question, load_spec

CONDITIONS = Path("bench/specs/conditions-met.yaml")
NESTED_SPEC = Path("specs/lexington-2003-waiver.yaml")
MONEY = Path("bench/specs/money-totals.yaml")
"""Questions with totals and counts (issue 11): each should answer under a second."""
NAMES = "abcdefgh"


def nested_question(k: int) -> str:
    """``k`` existential Notices in date order, whose first and last are judged alike."""
    binders = ", ".join(f"{n}: Notice" for n in NAMES[:k])
    order = " and ".join(f"{a}.date < {b}.date" for a, b in itertools.pairwise(NAMES[:k]))
    return f"can exists {binders}. {order} and forbidden(a) = forbidden({NAMES[k - 1]})"


def timed(program: Any, text: str) -> dict[str, Any]:
    program, query = check_question(program, text)
    engine = Engine(program)
    started = time.perf_counter()
    answer = engine.answer(query)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "verdict": str(answer.verdict),
            "bound": answer.bound, "complete": answer.bound is None}


def semantics(max_k: int = 6) -> dict[str, Any]:
    conditions = load_spec(CONDITIONS)
    per_question = {q.id: timed(conditions, q.formula_text) for q in conditions.questions}
    lexington = load_spec(NESTED_SPEC)
    nested = {str(k): timed(lexington, nested_question(k)) for k in range(2, max_k + 1)}
    money = load_spec(MONEY)
    totals = {q.id: timed(money, q.formula_text) for q in money.questions}
    return {"conditions_met": per_question, "nested_exists": nested, "money_totals": totals}


def print_semantics(out: TextIO, result: dict[str, Any]) -> None:
    out.write("\ntime semantics (fresh engine per question)\n")
    rows = [*(("conditions-met " + q, r) for q, r in result["conditions_met"].items()),
            *((f"{k} nested exists", r) for k, r in result["nested_exists"].items()),
            *(("money " + q, r) for q, r in result.get("money_totals", {}).items())]
    for name, r in rows:
        bound = "complete" if r["complete"] else f"bounded (<= {r['bound']} events)"
        out.write(f"  {name:<42} {r['verdict']:<8} {r['seconds'] * 1000:9.1f} ms  {bound}\n")


if __name__ == "__main__":
    json.dump(semantics(int(sys.argv[1]) if len(sys.argv) > 1 else 6), sys.stdout, indent=2)
    sys.stdout.write("\n")
