"""The explorer as an ASGI app (Starlette): the page, its files, and four JSON routes.

``GET /api/spec`` the agreement and the forms' vocabulary; ``POST /api/timeline``
a timeline simulated; ``POST /api/ask`` a question (typed, or built by pointing)
answered by the warm engine; ``POST /api/build`` a built question's formula alone.

Safe by construction: it serves 127.0.0.1 only (see :mod:`.server`), and refuses
with 403 any request whose ``Host`` or ``Origin`` is not this machine's loopback
name, so a web page elsewhere cannot reach it by rebinding its DNS name to
127.0.0.1; a POST must be JSON (which a cross-site form cannot send without the
browser asking first); every response forbids scripts, styles and connections
from anywhere else.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from model.errors import ClauseCheckError, ReplayMismatch, SpecError, UsageError
from model.program import Program

from ..engine import RLIMIT
from .host import EngineHost
from .payload import EventProblem, answer_json, parse_events, spec_json, timeline_json
from .questions import Build, build, check

STATIC = Path(__file__).with_name("static")
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost"})
MAX_BODY = 256 * 1024
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; connect-src 'self'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class Mark(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: str = Field(max_length=40)
    label: str = Field(max_length=80)


class TimelineRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: list[Any] = []
    """Events as a timeline file writes them: date, kind, optional id, the kind's fields."""
    readings: dict[str, str] = {}
    """Readings chosen; the others take their default."""
    marks: list[Mark] = Field(default=[], max_length=20)
    """Times to mark on the drawing (a witness's values, the dates in its question)."""


class AskRequest(TimelineRequest):
    formula: str | None = Field(default=None, max_length=4000)
    """A question typed as ``ask`` takes it."""
    build: Build | None = None
    """Or a question built by pointing (its premise reads ``events``)."""


def local_host(host: str) -> bool:
    """Whether a ``Host`` header names this machine's loopback (any port)."""
    if any(c in host for c in "@/\\ "):
        return False
    return urlsplit(f"//{host}").hostname in LOCAL_NAMES


def local_origin(origin: str) -> bool:
    """Whether an ``Origin`` header is a page served from this machine's loopback."""
    parts = urlsplit(origin)
    return parts.scheme == "http" and "@" not in parts.netloc and parts.hostname in LOCAL_NAMES


class LocalOnly:
    """Refuses (403) a request whose Host or Origin names anything but this machine."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            host, origin = headers.get("host", ""), headers.get("origin")
            if not local_host(host) or (origin is not None and not local_origin(origin)):
                await PlainTextResponse("refused: this explorer answers only pages served "
                                        "from 127.0.0.1", 403, headers=HEADERS)(
                    scope, receive, send)
                return

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    present = {k.decode("latin-1").lower() for k, _ in message["headers"]}
                    message["headers"] = [*message["headers"], *(
                        (k.lower().encode(), v.encode()) for k, v in HEADERS.items()
                        if k.lower() not in present)]
                await send(message)
            await self.app(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send)


def problem(message: str, status: int = 422, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status)


async def body_of(request: Request, model: type[BaseModel]) -> Any:
    """The request's JSON as ``model``; a response instead when it is not acceptable."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return problem("send JSON (Content-Type: application/json)", 415)
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return problem("request too large", 413)
    try:
        return model.model_validate(json.loads(raw or b"{}"))
    except (ValueError, ValidationError) as exc:
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            return problem(f"{where}: {first['msg']}" if where else first["msg"])
        return problem(f"not JSON: {exc}")


def readings_of(program: Program, chosen: Mapping[str, str]) -> dict[str, str]:
    """Readings the page fixed, checked against the spec (as ``--reading`` is)."""
    for name, option in chosen.items():
        if name not in program.readings:
            raise UsageError(f"this agreement has no reading {name!r}")
        if option not in program.readings[name].options:
            raise UsageError(f"reading {name!r} has no option {option!r} (its options: "
                             f"{', '.join(program.readings[name].options)})")
    return dict(chosen)


def create_app(program: Program, *, rlimit: int = RLIMIT, warm: bool = True) -> Starlette:
    """The explorer of one loaded spec; its engine is warmed on the spec's questions at start.
    Each question has ``ask``'s budget: the one in force (:mod:`formal.budget`) and ``rlimit``."""
    host = EngineHost(program, rlimit=rlimit)
    about = spec_json(program)

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    async def spec(request: Request) -> Response:
        return JSONResponse(about)

    async def timeline(request: Request) -> Response:
        body = await body_of(request, TimelineRequest)
        if isinstance(body, Response):
            return body
        try:
            events = parse_events(program, body.events)
            readings = readings_of(program, body.readings)
            marks: dict[int, list[str]] = {}
            for mark in body.marks:
                marks.setdefault(program.codec.parse(mark.date), []).append(mark.label)
            return JSONResponse(await run_in_threadpool(timeline_json, program, events,
                                                        readings, marks))
        except EventProblem as exc:
            return JSONResponse(exc.to_json(), 422)
        except (UsageError, ValueError) as exc:
            return problem(str(exc))

    def question_of(body: AskRequest) -> tuple[str, str]:
        """The formula to ask, and the question in words."""
        if body.build is not None:
            built = build(program, body.build, parse_events(program, body.events))
            return built.formula, built.sentence
        if not body.formula or not body.formula.strip():
            raise UsageError("type a question: 'can …' or 'must …'")
        return body.formula.strip(), body.formula.strip()

    async def built(request: Request) -> Response:
        return await answering(request, answer=False)

    async def ask(request: Request) -> Response:
        return await answering(request, answer=True)

    async def answering(request: Request, answer: bool) -> Response:
        body = await body_of(request, AskRequest)
        if isinstance(body, Response):
            return body
        try:
            formula, sentence = question_of(body)
            fixed = readings_of(program, body.readings)
            extended, query = check(program, formula)
            if not answer:
                return JSONResponse({"formula": formula, "question": sentence})

            def work() -> dict[str, Any]:
                result = host.answer_now(extended, query, fixed)
                return answer_json(extended, query, result, sentence)
            return JSONResponse(await host.run(work))
        except EventProblem as exc:
            return JSONResponse(exc.to_json(), 422)
        except SpecError as exc:
            return problem(str(exc), line=exc.location.line, col=exc.location.col)
        except (UsageError, ValueError) as exc:
            return problem(str(exc))
        except ReplayMismatch as exc:
            return problem(str(exc), 500)
        except ClauseCheckError as exc:
            return problem(f"error: {exc}")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if warm:
            host.warm()
        try:
            yield
        finally:
            host.close()

    app = Starlette(routes=[
        Route("/", index),
        Route("/favicon.ico", no_icon),
        Route("/api/spec", spec),
        Route("/api/timeline", timeline, methods=["POST"]),
        Route("/api/ask", ask, methods=["POST"]),
        Route("/api/build", built, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ], lifespan=lifespan)
    app.state.host = host
    app.add_middleware(LocalOnly)
    return app

