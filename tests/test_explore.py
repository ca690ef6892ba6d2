"""The explorer's API through Starlette's test client (``formal/explore/``).

Mirrors issue 15: the page's timeline comes from the same simulator as ``simulate``
(statuses, breaches, and a scenario YAML that checks as the spec's own); questions,
typed or built by pointing, get the same answers and the same errors as ``ask``
(the shared table in ``examples.py``); a status change is explained by the clauses
that force it; requests whose Host or Origin is not local are refused; a question
past its budget is ``unknown``; a busy engine never holds up the page.
"""

from __future__ import annotations

import io
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from examples import EXAMPLES, SPEC, Example
from starlette.testclient import TestClient

from bench.generate import Size, write_agreement
from formal import budget
from formal.cli import main
from formal.engine import RLIMIT
from formal.explore.app import create_app
from formal.explore.lanes import drawn_view
from formal.explore.payload import anchors
from formal.explore.questions import Build, build
from formal.report.timelines import status_text, timeline_view
from formal.suite import check_program
from model.load import load_spec
from model.program import Program
from model.simulate import run_scenario, simulate

BASE = "http://127.0.0.1:8765"
ACCELERATION = {"date": "2003-07-15", "kind": "SeeksAcceleration", "by": "holder",
                "of": "senior_subordinated_notes"}
SPECS = sorted(str(p) for p in Path("specs").glob("*.yaml"))


@pytest.fixture(scope="module")
def client(lexington: Program) -> Iterator[TestClient]:
    with TestClient(create_app(lexington, warm=False), base_url=BASE) as c:
        yield c


def ask(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/ask", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


# ---------------------------------------------------------------- the agreement


def test_the_spec_is_served_verbatim_with_its_vocabulary(client: TestClient,
                                                         lexington: Program) -> None:
    data = client.get("/api/spec").json()
    assert [(c["id"], c["text"]) for c in data["clauses"]] == [
        (c.id, c.text.strip()) for c in lexington.clauses]
    kinds = {k["name"]: k for k in data["kinds"]}
    assert set(kinds) == set(lexington.kinds)
    by = next(f for f in kinds["SeeksAcceleration"]["fields"] if f["name"] == "by")
    assert by["type"] == "enum" and [v["id"] for v in by["values"]] == list(
        lexington.enums["Actor"])
    subjects = {(s["kind"], s["id"]): s for s in data["subjects"]}
    assert subjects[("status", "waiver_active")]["label"] == "Waiver in force"
    assert subjects[("predicate", "waiver_active")]["clause"] == "2"
    assert subjects[("predicate", "triggering_acceleration")]["note"].startswith("A holder or trustee")
    assert subjects[("predicate", "other_indebtedness")]["clause"] == "1"
    assert data["date"] == "July 9, 2003"


@pytest.mark.parametrize("spec", SPECS)
def test_every_scenario_of_every_spec_round_trips(spec: str) -> None:
    """Each bundled scenario, sent as the page sends it, has the simulator's breaches, and its
    YAML pasted into the spec is a scenario that checks (time-valued fields included)."""
    program = load_spec(spec)
    text = Path(spec).read_text(encoding="utf-8").rstrip("\n") + "\n"
    with TestClient(create_app(program, warm=False), base_url=BASE) as c:
        assert c.get("/").status_code == 200
        data = c.get("/api/spec").json()
        for i, (sent, scenario) in enumerate(zip(data["scenarios"], program.scenarios,
                                                 strict=True)):
            timeline = c.post("/api/timeline", json={"events": sent["events"],
                                                     "readings": sent["readings"]}).json()
            expected = run_scenario(program, scenario)
            # The page simulates up to the last event; the scenario also up to its checkpoints,
            # where a missed deadline may lie beyond it.
            last = max(e.date for e in scenario.events)
            assert [(b["event"], b["clause"]) for b in timeline["breaches"]] == [
                (b.event, b.clause) for b in expected.breaches
                if b.missed is None or b.date <= last]
            text += timeline["yaml"].replace("id: my-timeline", f"id: page-{i}")
    pasted = load_spec(spec, text)
    for i in range(len(program.scenarios)):
        scenario = next(s for s in pasted.scenarios if s.id == f"page-{i}")
        assert run_scenario(pasted, scenario).mismatches == ()


def test_a_generated_agreement_is_explored_like_a_bundled_one(tmp_path: Path) -> None:
    """Nothing in the explorer is about one agreement: a generated spec (bench/generate.py)
    gets its forms, its scenario's breach, and check's verdicts for its questions."""
    program = load_spec(write_agreement(tmp_path, Size(clauses=3, kinds=2, readings=2,
                                                       questions=6, seed=5)))
    expected = {r.id: r.verdict for r in check_program(program) if r.kind == "question"}
    with TestClient(create_app(program, warm=False), base_url=BASE) as c:
        data = c.get("/api/spec").json()
        assert [k["name"] for k in data["kinds"]] == list(program.kinds)
        for scenario, sent in zip(program.scenarios, data["scenarios"], strict=True):
            timeline = c.post("/api/timeline", json={"events": sent["events"],
                                                     "readings": sent["readings"]}).json()
            assert [(b["event"], b["clause"]) for b in timeline["breaches"]] == [
                (b.event, b.clause) for b in run_scenario(program, scenario).breaches]
        for q in program.questions:
            assert ask(c, formula=q.formula_text)["verdict"] == expected[q.id]
        built = ask(c, build={"subject": data["subjects"][0]["id"], "day": "some"})
        assert built["verdict"] in ("yes", "no", "depends")


# ---------------------------------------------------------------- the timeline


def test_statuses_and_breaches_come_from_the_simulator(client: TestClient,
                                                       lexington: Program) -> None:
    """Scenario premature-remedies: remedies on July 15 breach paragraph 1."""
    scenario = next(s for s in lexington.scenarios if s.id == "premature-remedies")
    events = [e.to_json() for e in scenario.events]
    data = client.post("/api/timeline", json={"events": events}).json()
    sim = simulate(lexington, scenario.events, lexington.default_readings())
    assert [(b["event"], b["clause"]) for b in data["breaches"]] == [
        (b.event, b.clause) for b in sim.breaches] == [("remedies", "1")]
    assert data["breached"] == ["1"]
    assert data["breaches"][0]["words"] == "July 15, 2003"


def test_an_acceleration_ends_the_waiver_that_day(client: TestClient) -> None:
    """Paragraph 2: the waiver is "automatically rescinded" when a holder seeks acceleration."""
    data = client.post("/api/timeline", json={"events": [ACCELERATION]}).json()
    changes = {(c["date"], c["status"]): c["value"] for c in data["changes"]}
    assert changes[("2003-07-15", "waiver_active")] == "no"
    assert changes[("2003-07-15", "rescinded")] == "yes"
    lane = next(lane for lane in data["drawing"]["lanes"] if lane["label"] == "Waiver in force")
    assert any("yes from 2003-07-09 to 2003-07-14" in b["title"] for b in lane["bands"])


def test_the_change_is_explained_by_paragraph_2(client: TestClient) -> None:
    """What the page asks on a change: given exactly these events, must it hold then?"""
    why = ask(client, build={"mode": "must", "subject": "waiver_active", "value": False,
                             "day": "2003-07-15", "premise": "only"},
              events=[ACCELERATION], readings={})
    assert why["verdict"] == "yes"
    assert "2" in why["clauses"]


def test_the_timeline_as_scenario_yaml_checks_as_the_spec_s_own(client: TestClient) -> None:
    events = [ACCELERATION, {"date": "2003-07-20", "kind": "ExercisesRemedies",
                             "by": "congress", "causes": ["lpc_unpaid_senior_note"]}]
    data = client.post("/api/timeline", json={"events": events,
                                              "readings": {"until": "inclusive"}}).json()
    text = Path(SPEC).read_text(encoding="utf-8").rstrip("\n") + "\n" + data["yaml"]
    program = load_spec(SPEC, text)
    scenario = next(s for s in program.scenarios if s.id == "my-timeline")
    assert scenario.readings == {"until": "inclusive"}
    assert len(scenario.expect) >= 4
    assert run_scenario(program, scenario).mismatches == ()


@pytest.mark.parametrize("spec", SPECS)
def test_drawn_lanes_agree_with_the_simulator_at_every_event(spec: str) -> None:
    """Exact or sampled, a lane's value at each event's time is the simulator's after it."""
    program = load_spec(spec)
    for scenario in program.scenarios:
        full = {**program.default_readings(), **scenario.readings}
        view, named = drawn_view(program, "k", "t", scenario.events, full, anchors(program), {})
        sim = simulate(program, scenario.events, full)
        after = {step.date: dict(step.statuses) for step in sim.steps if step.event}
        assert named is None or {e.date for e in scenario.events} <= named
        for lane in view.lanes:
            for time, statuses in after.items():
                run = next(r for r in lane.runs if r.start <= time < r.end)
                assert run.text == status_text(statuses[lane.status]), (scenario.id, lane.label)


def test_sampled_lanes_catch_a_change_an_offset_after_an_event() -> None:
    """Tietek's late-meeting: a meeting requested on August 3, 2009 at 9:00 is overdue 48
    hours later (an offset from the event's date). The explorer's drawing (sampled while the
    simulator cannot place Tietek's changes) shows every run the report's, evaluated at every
    minute of the axis, does."""
    program = load_spec("specs/tietek-opus-2009-limited-waiver.yaml")
    scenario = next(s for s in program.scenarios if s.id == "late-meeting")
    full = {**program.default_readings(), **scenario.readings}
    sampled, _ = drawn_view(program, "k", "t", scenario.events, full, anchors(program), {})
    exact = timeline_view(program, "k", "t", scenario.events, full, anchors(program))
    assert [lane.runs for lane in sampled.lanes] == [lane.runs for lane in exact.lanes]


@pytest.mark.parametrize(("event", "field", "message"), [
    ({"date": "2003-07-15", "kind": "SeeksAccel", "by": "holder", "of": "senior_note"},
     "kind", "did you mean 'SeeksAcceleration'"),
    ({**ACCELERATION, "by": "nobody"}, "by", "'nobody' is not a value of Actor"),
    ({**ACCELERATION, "date": "2003-07-32"}, "date", "not a real date"),
])
def test_a_bad_event_names_its_field(client: TestClient, event: dict[str, Any], field: str,
                                     message: str) -> None:
    response = client.post("/api/timeline", json={"events": [ACCELERATION, event]})
    assert response.status_code == 422
    assert response.json()["event"] == 1 and response.json()["field"] == field
    assert message in response.json()["error"]


# ---------------------------------------------------------------- questions


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_answers_are_ask_s(client: TestClient, lexington: Program, example: Example) -> None:
    """The shared table of examples, asked through the page's route (the spec's own questions
    and invariants by id, as ``ask`` takes them)."""
    data = ask(client, formula=example.formula or example.id, readings=example.readings)
    assert data["verdict"] == example.verdict
    assert set(example.cites) <= set(data["clauses"])
    if example.turns_on is not None:
        assert data["turns"] == [example.turns_on[0]]
        question = lexington.readings[example.turns_on[0]].question
        assert data["sentence"] == f"It depends on how the agreement is read: {question}"


def test_a_built_question_is_a_formula_ask_takes(lexington: Program) -> None:
    built = build(lexington, Build(mode="can", subject="waiver_active", day="2003-07-20",
                                   premise="these"), [])
    assert built.formula == "can waiver_active(2003-07-20)"
    events = [lexington.scenarios[1].events[1]]  # trustee-accelerates: the acceleration
    built = build(lexington, Build(mode="must", subject="waived_defaults", value=False,
                                   day="every", premise="only"), events)
    assert built.formula.startswith("must ((exists e1: SeeksAcceleration. e1.date = 2003-07-25 "
                                    "and e1.by = trustee and e1.of = senior_subordinated_notes)")
    assert "not (exists x: EventOfDefault. true)" in built.formula
    assert built.formula.endswith("implies (not (exists d: EventOfDefault. "
                                  "(d.date <= t and waived(d.causes, t))))")
    assert built.sentence == ("Must “Events of Default waived” list nothing on every day, given "
                              "the 1 event on the timeline and no others?")


def test_a_status_and_a_predicate_of_one_name_are_told_apart(lexington: Program) -> None:
    """Lexington has both a status and a predicate named waiver_active (defined in ¶2)."""
    as_status = build(lexington, Build(subject="waiver_active", kind="status", day="some"), [])
    as_predicate = build(lexington, Build(subject="waiver_active", kind="predicate",
                                          value=False, mode="must", day="some"), [])
    assert as_status.sentence == "Can “Waiver in force” be yes on some day?"
    assert as_predicate.formula == "must exists t: time. (not (waiver_active(t)))"
    assert as_predicate.sentence == "Must “waiver_active” fail on some day?"
    with pytest.raises(ValueError, match="neither a status nor a predicate"):
        build(lexington, Build(subject="remedies_open", kind="predicate"), [])


def test_the_build_route_shows_the_formula_without_asking(client: TestClient) -> None:
    response = client.post("/api/build", json={"build": {
        "mode": "can", "subject": "rescinded", "kind": "status", "day": "2003-07-08"}})
    assert response.json() == {"formula": "can rescinded(2003-07-08)",
                               "question": "Can “Waiver rescinded” be yes on July 8, 2003?"}
    bad = client.post("/api/build", json={"build": {"subject": "waiver_active", "day": "soon"}})
    assert bad.status_code == 422
    assert bad.json()["error"] == "the day: 'soon' is not a date of the form YYYY-MM-DD"


def test_a_predicate_s_parameters_are_bound_as_ask_requires(client: TestClient) -> None:
    """``ask`` leaves only times free; a set of causes is bound to an event's field."""
    data = ask(client, build={"subject": "covered", "kind": "predicate", "day": "some"})
    assert data["formula"] == "can exists c: EventOfDefault. covered(c.causes)"
    assert data["question"] == "Can “covered” hold, for some EventOfDefault c?"
    assert data["verdict"] == "yes"
    data = ask(client, build={"subject": "triggering_acceleration", "kind": "predicate",
                              "mode": "must", "value": False})
    assert data["formula"] == "must forall e: SeeksAcceleration. not (triggering_acceleration(e))"
    assert data["verdict"] == "no"


def test_can_the_waiver_be_active_after_the_acceleration(client: TestClient) -> None:
    """Question active-after-acceleration, built by pointing on the page's timeline."""
    data = ask(client, build={"mode": "can", "subject": "waiver_active", "day": "2003-07-20",
                              "premise": "these"}, events=[ACCELERATION])
    assert data["verdict"] == "no"
    assert "2" in data["clauses"]
    assert data["sentence"] == "No: under every reading, it cannot happen."
    assert data["question"] == ("Can “Waiver in force” be yes on July 20, 2003, given the "
                                "1 event on the timeline?")


def test_a_witness_comes_with_events_to_load_and_its_times_to_mark(client: TestClient) -> None:
    """Question congress-acceleration: its example is Congress's own acceleration."""
    data = ask(client, formula="can exists e: SeeksAcceleration. e.by = congress and "
               "e.of = financing_agreements and e.date <= t and waiver_active(t)")
    witness = data["by_reading"][0]["witness"]
    assert witness["events"][0]["kind"] == "SeeksAcceleration"
    assert witness["events"][0]["by"] == "congress"
    assert [m["label"] for m in witness["marks"]] == ["t"]
    drawn = client.post("/api/timeline", json={key: witness[key] for key in (
        "events", "readings", "marks")})
    assert drawn.status_code == 200
    marks = drawn.json()["drawing"]["marks"]
    assert [m["label"] for m in marks if m["kind"] == "time"] == ["t"]
    assert [m["detail"] for m in marks if m["kind"] == "event"] == [
        f"{witness['events'][0]['date']} SeeksAcceleration(by=congress, of=financing_agreements)"]


@pytest.mark.parametrize("text", ["can waiver_active(2003-07-1x)", "can waiver_actve(t)",
                                  "maybe waiver_active(t)"])
def test_a_typed_formula_fails_as_ask_fails(client: TestClient, text: str) -> None:
    err = io.StringIO()
    assert main(["ask", SPEC, text], out=io.StringIO(), err=err) == 2
    response = client.post("/api/ask", json={"formula": text})
    assert response.status_code == 422
    assert response.json()["error"] == err.getvalue().rstrip("\n")


def test_an_unknown_reading_is_refused(client: TestClient) -> None:
    response = client.post("/api/ask", json={"formula": "can true", "readings": {"until": "x"}})
    assert response.status_code == 422 and "no option 'x'" in response.json()["error"]


@pytest.fixture
def tiny_budget() -> Iterator[None]:
    """``--timeout 0.001`` for every engine made while the test runs."""
    budget.configure(budget.Budget(seconds=0.001))
    try:
        yield
    finally:
        budget.configure(budget.DEFAULT)


@pytest.mark.parametrize("how", ["timeout", "rlimit"])
def test_past_the_budget_the_answer_is_unknown(lexington: Program, request: pytest.FixtureRequest,
                                               how: str) -> None:
    """DESIGN.md, "Verdicts": unknown is an answer, with its reason; never a pass or a crash."""
    if how == "timeout":
        request.getfixturevalue("tiny_budget")
    app = create_app(lexington, warm=False, rlimit=1 if how == "rlimit" else RLIMIT)
    with TestClient(app, base_url=BASE) as c:
        data = ask(c, formula="can waiver_active(2003-08-11)")
    assert data["verdict"] == "unknown"
    assert data["sentence"] == "Unknown: the solver could not decide within its budget."
    for r in data["by_reading"]:
        assert r["sentence"] == f"Unknown: the solver could not decide ({r['reason']})."
        if how == "timeout":
            assert "0.001 s" in r["reason"]


def test_a_busy_engine_does_not_hold_up_the_page(lexington: Program) -> None:
    app = create_app(lexington, warm=False)
    release = threading.Event()
    with TestClient(app, base_url=BASE) as c:
        busy = app.state.host.submit(lambda: release.wait(30))  # the engine's only thread
        answered: list[int] = []
        asker = threading.Thread(target=lambda: answered.append(
            c.post("/api/ask", json={"formula": "can waiver_active(t)"}).status_code))
        asker.start()
        assert c.get("/api/spec").status_code == 200
        assert c.post("/api/timeline", json={"events": [ACCELERATION]}).status_code == 200
        assert answered == [] and asker.is_alive()  # the question waits its turn
        release.set()
        asker.join(30)
        assert busy.result() is True and answered == [200]


# ---------------------------------------------------------------- safety


@pytest.mark.parametrize("headers", [
    {"host": "evil.example:8765"}, {"host": "127.0.0.1.evil.example"},
    {"origin": "http://evil.example"}, {"origin": "null"}, {"origin": "https://127.0.0.1:8765"},
    {"host": "evil.example@127.0.0.1"},
])
def test_requests_from_elsewhere_are_refused(client: TestClient, headers: dict[str, str]) -> None:
    """DNS rebinding: a page on another name that resolves to 127.0.0.1 gets 403."""
    assert client.get("/api/spec", headers=headers).status_code == 403
    assert client.post("/api/ask", json={"formula": "can true"},
                       headers=headers).status_code == 403


def test_local_requests_get_a_strict_policy(client: TestClient) -> None:
    for host in ("127.0.0.1:8765", "localhost:8765"):
        response = client.get("/", headers={"host": host, "origin": f"http://{host}"})
        assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_post_must_be_json(client: TestClient) -> None:
    response = client.post("/api/ask", content=b"formula=can+true",
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415


def test_the_page_builds_no_markup_from_data() -> None:
    """Everything reaches the DOM as text: no innerHTML and friends, nothing from elsewhere."""
    static = Path("formal/explore/static")
    for script in static.glob("*.js"):
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(",
                             script.read_text(encoding="utf-8")), script
    for page in static.iterdir():
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", page.read_text("utf-8"))


# ---------------------------------------------------------------- the command


def test_the_command_line_starts_without_the_web_stack() -> None:
    probe = ("import sys, formal.cli; print(sorted(m for m in ('starlette', 'uvicorn', "
             "'formal.explore') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_the_command_serves_loopback_until_ctrl_c() -> None:
    command = [sys.executable, "-c", "from formal.cli import main; raise SystemExit(main())",
               "explore", SPEC, "--port", "0"]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as process:
        assert process.stderr is not None
        found = re.search(r"at http://127\.0\.0\.1:(\d+)/", process.stderr.readline())
        assert found
        with socket.create_connection(("127.0.0.1", int(found.group(1))), timeout=10) as conn:
            conn.sendall(b"GET /api/spec HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert conn.recv(12) == b"HTTP/1.1 200"
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
        assert process.stderr.read().strip() == "stopped"


def test_a_busy_port_is_a_usage_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        err = io.StringIO()
        assert main(["explore", SPEC, "--port", str(port)], out=io.StringIO(), err=err) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in err.getvalue()


def test_a_bad_spec_is_reported_before_serving(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("agreement: {id: x, title: t, date: 2003-07-09}\nclauses: 3\n")
    err = io.StringIO()
    assert main(["explore", str(bad)], out=io.StringIO(), err=err) == 2
    assert re.match(rf"{re.escape(str(bad))}:\d+:\d+: error: ", err.getvalue())
