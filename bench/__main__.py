"""``python -m bench``: run the benchmarks, print a table per section, write the figures as JSON.

    python -m bench                  # everything (about four minutes on two cores)
    python -m bench --quick          # a short run (20 s): fewer repeats, smaller sizes
    python -m bench --only latency,overhead --runs 9

Sections: latency (``ask`` and ``check`` as whole processes, ``ask`` in a warm
process), startup (whole-process CPU of ``ask``, ``--help`` and ``check`` as multiples of
``import z3``), overhead (Python against the solver), growth (generated agreements of
growing size), portfolio (many agreements, ``check --jobs``), brute (enumerating
timelines instead of solving), solvers (Z3 alone and cvc5 on the SMT-LIB2 export),
semantics (shapes that once made answers bounded: conditions met on some day, nested
existential events), explore (the browser explorer's answers and timelines over HTTP, warm),
calendars (questions over business days, fiscal quarter ends and month arithmetic);
references ("every remedy is for some default" as a quantifier and as a reference field).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from formal.engine import unchecked_z3py

from . import machine, table
from .brute import brute_force
from .calendars import calendars, print_calendars
from .explore import explore
from .growth import growth
from .latency import ask_in_process, ask_process, check_process, help_process
from .overhead import overhead
from .portfolio import portfolio
from .references import print_references, references
from .semantics import print_semantics, semantics
from .solvers import solvers
from .startup import startup

ROOT = Path(__file__).resolve().parents[1]
SPEC = Path("specs/lexington-2003-waiver.yaml")
SECTIONS = ("latency", "startup", "overhead", "growth", "portfolio", "brute", "solvers",
            "semantics", "explore", "calendars",
            "references")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats and smaller sizes (about 20 s)")
    parser.add_argument("--runs", type=int, help="repeats per measurement (default 5, quick 3)")
    parser.add_argument("--only", help=f"comma-separated sections (of {', '.join(SECTIONS)})")
    parser.add_argument("--spec", type=Path, default=SPEC,
                        help=f"the spec whose questions are timed (default {SPEC})")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for the portfolio")
    parser.add_argument("--agreements", type=int,
                        help="agreements in the portfolio (default 1000, quick 20)")
    parser.add_argument("--out", type=Path, help="JSON file to write (default "
                        "bench/results/latest.json, quick: bench/results/quick.json)")
    args = parser.parse_args(argv)
    only = args.only.split(",") if args.only else list(SECTIONS)
    unknown = [s for s in only if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    args.sections = only
    args.runs = args.runs or (3 if args.quick else 5)
    args.agreements = args.agreements or (20 if args.quick else 1000)
    args.out = args.out or ROOT / "bench" / "results" / ("quick.json" if args.quick else
                                                        "latest.json")
    return args


def run_section(name: str, args: argparse.Namespace) -> dict[str, Any]:
    quick, runs, spec = args.quick, args.runs, args.spec
    limit = 5 if quick else None
    specs = sorted(Path("specs").glob("*.yaml"))
    if name == "latency":
        return {"ask_process": ask_process(spec, runs, limit),
                "ask_in_process": ask_in_process(spec, runs * 3),
                "check_process": check_process(specs, runs),
                "help_process": help_process(runs)}
    if name == "startup":
        return startup(spec, runs)
    if name == "overhead":
        return {str(s): overhead(s, runs) for s in specs}
    if name == "growth":
        return growth(1 if quick else 3, quick)
    if name == "portfolio":
        return portfolio(args.agreements, args.jobs)
    if name == "brute":
        return brute_force(spec, max_k=2 if quick else 3, budget=0.3 if quick else 3.0,
                           limit=3 if quick else None)
    if name == "solvers":
        return solvers(spec, runs, limit)
    if name == "semantics":
        return semantics(4 if quick else 6)
    if name == "explore":
        return explore(specs, runs)
    if name == "calendars":
        return calendars()
    if name == "references":
        return references()
    raise ValueError(name)


PRINTERS: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "latency": table.print_latency, "startup": table.print_startup,
    "overhead": table.print_overhead,
    "growth": table.print_growth, "portfolio": table.print_portfolio,
    "brute": table.print_brute, "solvers": table.print_solvers, "semantics": print_semantics,
    "explore": table.print_explore, "calendars": print_calendars,
    "references": print_references,
}


def targets(results: dict[str, Any], spec: Path) -> list[dict[str, Any]]:
    """The project's speed targets, each with the figure measured in this run."""
    out = []

    def target(what: str, goal: str, value: float, shown: str, met: bool) -> None:
        out.append({"what": what, "target": goal, "value": value, "measured": shown, "met": met})

    if "latency" in results:
        lat = results["latency"]
        check = lat["check_process"].get(str(spec))
        if check:
            target(f"check {spec.name}, whole process", "< 1 s", check["median"],
                   table.sec(check["median"]), check["median"] < 1.0)
        target("one ask, whole process (median)", "< 0.4 s", lat["ask_process"]["median"],
               table.ms(lat["ask_process"]["median"]), lat["ask_process"]["median"] < 0.4)
        target("one ask, warm engine (median)", "< 30 ms", lat["ask_in_process"]["median"],
               table.ms(lat["ask_in_process"]["median"]), lat["ask_in_process"]["median"] < 0.03)
    if "startup" in results:
        for name, c in results["startup"]["commands"].items():
            if c["target"] is not None:
                target(f"{name}, whole-process CPU / import z3", f"<= {c['target']:g}x",
                       c["ratio"], f"{c['ratio']:.1f}x", c["met"])
    if "overhead" in results and str(spec) in results["overhead"]:
        ratio = results["overhead"][str(spec)]["answering"]["ratio"]
        target("Python / solver time, answering", "<= 1", ratio, table.ratio(ratio), ratio <= 1)
    if "growth" in results:
        s = results["growth"]["questions"]["loglog_slope"]
        target("growth in the number of questions", "linear (slope <= 1.1)", s, f"{s:.2f}",
               s <= 1.1)
    if "explore" in results:
        worst = max(v["ask"]["worst_median"] for v in results["explore"].values())
        target("explorer: slowest bundled question, warm, over HTTP (median)", "< 50 ms", worst,
               table.ms(worst), worst < 0.05)
    if "portfolio" in results:
        p = results["portfolio"]
        seconds = p["seconds"][str(p["jobs"])]
        target(f"portfolio of {p['agreements']}, --jobs {p['jobs']}", "< 600 s for 1,000",
               seconds, table.sec(seconds), seconds * 1000 / p["agreements"] < 600)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    os.chdir(ROOT)  # specs and the generated files are found from the repository root
    out = sys.stdout
    document: dict[str, Any] = {"machine": machine.describe(),
                                "settings": {"quick": args.quick, "runs": args.runs,
                                             "spec": str(args.spec), "jobs": args.jobs,
                                             "agreements": args.agreements},
                                "results": {}, "seconds": {}}
    info = document["machine"]
    out.write(f"clausecheck benchmarks: {info['nproc']} cores ({info['cpu']}), Python "
              f"{info['python']}, Z3 {info['z3']}, cvc5 {info['cvc5'] or 'not installed'}; "
              f"load {info['load_average'][0]:.2f}\n")
    for name in args.sections:
        started = time.perf_counter()
        with unchecked_z3py():  # in-process figures run as the command line runs
            result = run_section(name, args)
        document["seconds"][name] = time.perf_counter() - started
        document["results"][name] = result
        PRINTERS[name](out, result)
        out.flush()
    document["targets"] = targets(document["results"], args.spec)
    document["machine"]["load_average_after"] = list(os.getloadavg())
    if document["targets"]:
        table.print_targets(out, document["targets"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    out.write(f"\nwrote {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
