"""Print benchmark results as plain-text tables, one per section."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f} ms"


def sec(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds >= 3600:
        return f"{seconds / 3600:.3g} h"
    return f"{seconds:.3g} s" if seconds < 100 else f"{seconds:.0f} s"


def ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(out: TextIO, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [list(header)] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    out.write(f"\n{title}\n")
    for n, row in enumerate(cells):
        out.write("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                  + "\n")
        if n == 0:
            out.write("  " + "  ".join("-" * w for w in widths) + "\n")


def print_latency(out: TextIO, r: dict[str, Any]) -> None:
    rows = [["ask, whole process", ms(r["ask_process"]["median"]), ms(r["ask_process"]["worst"]),
             r["ask_process"]["worst_question"]],
            ["ask, warm engine", ms(r["ask_in_process"]["median"]),
             ms(r["ask_in_process"]["worst"]), r["ask_in_process"]["worst_question"]],
            ["--help, whole process", ms(r["help_process"]["median"]),
             ms(r["help_process"]["worst"]), ""]]
    rows += [[f"check {spec}", ms(v["median"]), ms(v["worst"]), ""]
             for spec, v in r["check_process"].items()]
    table(out, "Latency (medians of runs; worst single run)", ["what", "median", "worst", "worst on"],
          rows)


def print_startup(out: TextIO, r: dict[str, Any]) -> None:
    rows = [[name, ms(c["cpu_median"]), f"{c['ratio']:.2f}x",
             f"<= {c['target']:g}x" if c["target"] else "",
             "" if c["met"] is None else ("met" if c["met"] else "missed")]
            for name, c in r["commands"].items()]
    bytecode = f"; bytecode {r['bytecode']}" if "bytecode" in r else ""
    table(out, f"Start-up: whole-process CPU, medians of {r['runs']} alternating rounds{bytecode}",
          ["command", "CPU", "/ import z3", "target", ""], rows)


def print_overhead(out: TextIO, r: dict[str, Any]) -> None:
    rows = []
    for spec, v in r.items():
        for name in ("answering", "whole_check"):
            s = v[name]
            rows.append([spec, name, sec(s["total"]), sec(s["python"]), sec(s["solver"]),
                         s["solver_calls"], ratio(s["ratio"])])
        rows.append([spec, "per question (median/worst)", "", "", "", "",
                     f"{ratio(v['question_ratio_median'])} / {ratio(v['question_ratio_worst'])}"])
    table(out, "Python against the solver (ratio = Python seconds / solver seconds)",
          ["spec", "part", "total", "python", "solver", "calls", "ratio"], rows)


def print_growth(out: TextIO, r: dict[str, Any]) -> None:
    for axis, v in r.items():
        rows = [[p[axis], p["checks"], p["combinations"], sec(p["seconds"]),
                 sec(p["solver_seconds"])] for p in v["points"]]
        if "loglog_slope" in v:
            rate = f"log-log slope {v['loglog_slope']:.2f}"
        else:
            rate = f"x{v['factor_per_reading']:.2f} per added reading"
        table(out, f"Growth with {axis} ({rate})",
              [axis, "checks", "combinations", "seconds", "solver"], rows)


def print_portfolio(out: TextIO, r: dict[str, Any]) -> None:
    rows = [[f"--jobs {j}", sec(s), ms(r["seconds_per_agreement"][j])]
            for j, s in r["seconds"].items()]
    table(out, f"Portfolio: {r['agreements']} generated agreements, one `check` "
          f"(speedup {ratio(r['speedup'])}, identical output: {r['identical_output']})",
          ["run", "seconds", "per agreement"], rows)


def print_brute(out: TextIO, r: dict[str, Any]) -> None:
    rows = []
    for q in r["questions"]:
        est = {s["k"]: s for s in q["steps"]}
        cells = []
        for k in range(r["max_k"] + 1):
            step = est.get(k)
            cells.append("-" if step is None else
                         (sec(step["seconds"]) if step["complete"] else
                          "~" + sec(step["estimated_seconds"])))
        rows.append([q["question"], q["events_per_slot"], *cells, q["brute_verdict"],
                     q["engine_verdict"], ms(q["engine_seconds"])])
    table(out, f"Brute force on a {r['grid_days']}-day grid (~ = extrapolated), against the engine",
          ["question", "events/slot", *[f"k={k}" for k in range(r["max_k"] + 1)],
           "brute force", "engine", "engine time"], rows)


def print_solvers(out: TextIO, r: dict[str, Any]) -> None:
    rows = [[q["question"], q["engine_verdict"], ms(q["engine_seconds"]),
             ms(q["engine_solver_seconds"]), ms(q["z3_alone_seconds"]), q["z3_alone"],
             ms(q.get("cvc5_seconds")), q.get("cvc5", "-")] for q in r["questions"]]
    t = r["total"]
    rows.append(["total", "", sec(t.get("engine_seconds")), sec(t.get("engine_solver_seconds")),
                 sec(t.get("z3_alone_seconds")), "", sec(t.get("cvc5_seconds")), ""])
    table(out, f"Same questions, other solvers (default readings; all agree: {r['all_agree']})",
          ["question", "engine", "engine time", "its solver", "z3 alone", "says", "cvc5", "says"],
          rows)


def print_explore(out: TextIO, r: dict[str, Any]) -> None:
    rows = []
    for spec, v in r.items():
        for part, what in (("ask", "POST /api/ask"), ("timeline", "POST /api/timeline"),
                           ("engine_alone", "the engine alone")):
            s = v[part]
            rows.append([spec, what, ms(s["median"]), ms(s["worst_median"]),
                         s["worst_question"], ms(s["worst_run"])])
    table(out, "Explorer over HTTP, warm (median of the items; the slowest item's median; "
          "the slowest single run)", ["spec", "request", "median", "slowest", "slowest item",
                                      "worst run"], rows)


def print_targets(out: TextIO, targets: list[dict[str, Any]]) -> None:
    rows = [[t["what"], t["target"], t["measured"], "met" if t["met"] else "MISSED"]
            for t in targets]
    table(out, "Targets", ["what", "target", "measured", ""], rows)
