"""The explorer's latency: what the page waits for, over HTTP to a real server on 127.0.0.1.

For each bundled spec, ``clausecheck explore``'s app is served by uvicorn on a free
loopback port (in a thread of this process) and asked as the page asks: every
question of the spec as ``POST /api/ask`` (answer, witness drawing and all), after
one warm-up pass, and every scenario as ``POST /api/timeline`` (what the page sends
on each keystroke of an edit); then the same questions asked of a warm engine directly,
for what the explorer itself adds.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from formal.engine import Engine
from formal.explore.app import create_app
from formal.explore.payload import event_json
from formal.explore.server import listen
from model.load import check_question, load_spec
from model.program import Program

from .clock import Runs, repeat


@contextmanager
def serving(spec: Path) -> Iterator[str]:
    """The explorer of ``spec`` on a free port; yields its address."""
    sock = listen(0)
    server = uvicorn.Server(uvicorn.Config(create_app(load_spec(spec), warm=False),
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(url, json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        data: dict[str, Any] = json.loads(response.read())
        return data


def _summary(per: dict[str, Runs]) -> dict[str, Any]:
    medians = sorted(r.median for r in per.values())
    worst_id = max(per, key=lambda k: per[k].median)
    return {"median": medians[len(medians) // 2], "worst_median": per[worst_id].median,
            "worst_question": worst_id, "worst_run": max(r.worst for r in per.values()),
            "items": {k: r.to_json() for k, r in per.items()}}


def explore(specs: list[Path], runs: int) -> dict[str, Any]:
    """Per spec: each question's answer and each scenario's timeline, warm, over HTTP."""
    out: dict[str, Any] = {}
    for spec in specs:
        program = load_spec(spec)
        with serving(spec) as base:
            asks = {q.id: {"formula": q.formula_text} for q in program.questions}
            for body in asks.values():
                post(f"{base}/api/ask", body)  # warm-up: each engine and template once
            answers = {qid: repeat(functools.partial(post, f"{base}/api/ask", body), runs)
                       for qid, body in asks.items()}
            alone = engine_alone(program, runs)
            sent = {s.id: {"events": [event_json(program, e) for e in s.events],
                           "readings": s.readings} for s in program.scenarios}
            timelines = {sid: repeat(functools.partial(post, f"{base}/api/timeline", body), runs)
                         for sid, body in sent.items()}
        out[str(spec)] = {"ask": _summary(answers), "timeline": _summary(timelines),
                          "engine_alone": _summary(alone)}
    return out


def engine_alone(program: Program, runs: int) -> dict[str, Runs]:
    """The same questions asked of a warm engine directly, in the same session: what the
    explorer's HTTP, JSON and thread hop add is the difference."""
    engine = Engine(program)

    def ask(text: str) -> None:
        _, query = check_question(program, text)  # the spec's own: no date the engine lacks
        engine.answer(query)

    for q in program.questions:
        ask(q.formula_text)
    return {q.id: repeat(functools.partial(ask, q.formula_text), runs) for q in program.questions}
