"""WebSub over HTTP: the subscriber's callback `/websub/{token}` (intent verification
by GET, content by POST) and our own hub `/hub` for the output feeds; plus the push
state of a source as the API and the sources page show it.

The service `attach`es its WebSub to the app, which adds these routes: a process
without one (web only) has none of them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, FastAPI, Path, Request
from starlette.responses import Response
from starlette.types import Message

from worldwire.model import Source
from worldwire.store import Store
from worldwire.timefmt import iso
from worldwire.web.state import state
from worldwire.websub.hub import Content
from worldwire.websub.runtime import WebSub
from worldwire.websub.state import ACTIVE, DISCOVERED, PushState
from worldwire.websub.subscriber import MAX_BODY

router = APIRouter(include_in_schema=False)
Token = Annotated[str, Path(min_length=8, max_length=100)]
FORM_MAX = 64 * 1024
TEXT = "text/plain; charset=utf-8"
PUSH_OFF = (
    "Push is off: this WorldWire has no public URL (set public_url, WORLDWIRE_PUBLIC_URL "
    "or --public-url), so no hub can call it back; sources are polled"
)


def attach(app: FastAPI, websub: WebSub) -> None:
    """Route hubs' requests to `websub`, and let its hub render our feeds."""
    app.state.websub = websub
    app.include_router(router)
    # Behind a proxy at https://example.org/news, our topics are /news/feeds/...
    prefix = urlsplit(websub.subscriber.settings.public_url).path.rstrip("/")

    async def render(topic: str) -> Content | None:
        return await render_topic(app, topic, prefix)

    websub.hub.bind(render)


def _websub(request: Request) -> WebSub:
    found: WebSub = request.app.state.websub
    return found


@router.get("/websub/{token}")
async def verify_intent(request: Request, token: Token) -> Response:
    q = request.query_params
    answer = await _websub(request).subscriber.verify(
        token,
        q.get("hub.mode", ""),
        q.get("hub.topic", ""),
        q.get("hub.challenge", ""),
        q.get("hub.lease_seconds", ""),
        q.get("hub.reason", ""),
    )
    if answer is None:
        return Response("no such subscription request\n", 404, media_type=TEXT)
    return Response(answer, 200, media_type=TEXT)


@router.post("/websub/{token}")
async def receive_content(request: Request, token: Token) -> Response:
    body = await read_capped(request, MAX_BODY)
    signature = request.headers.get("x-hub-signature")
    status = await _websub(request).subscriber.deliver(token, body, signature)
    headers = {"connection": "close"} if body is None else None  # the rest goes unread
    return Response(status_code=status, headers=headers)


@router.get("/hub")
async def hub_info() -> Response:
    return Response(
        "WorldWire's WebSub hub for its output feeds (/feeds/…): "
        "POST hub.mode, hub.topic, hub.callback (and hub.secret, hub.lease_seconds).\n",
        media_type=TEXT,
    )


@router.post("/hub")
async def hub_request(request: Request) -> Response:
    raw = await read_capped(request, FORM_MAX)
    if raw is None:
        return Response("request too large\n", 413, media_type=TEXT)
    form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    status, message = await _websub(request).hub.request(form, state(request).base_url(request))
    return Response(message + "\n", status, media_type=TEXT)


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The request body, or None once it passes `limit` bytes (not read further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def render_topic(app: FastAPI, topic: str, prefix: str = "") -> Content | None:
    """What a GET of one of our feed URLs answers, asked of the app in process (no
    socket, and the same code path and cache as any reader); None unless a feed.
    `prefix` is the path our public URL adds in front of the app's own paths."""
    parts = urlsplit(topic)
    path = parts.path.removeprefix(prefix) if prefix else parts.path
    if not path.startswith("/feeds/") or not parts.netloc:
        return None
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": parts.scheme,
        "path": path,
        "raw_path": path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [(b"host", parts.netloc.encode())],
        "client": ("127.0.0.1", 0),
        "server": (parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)),
    }
    sent: list[Message] = []
    done = asyncio.Event()
    asked = False

    async def receive() -> Message:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    await app(scope, receive, send)
    start = next((m for m in sent if m["type"] == "http.response.start"), None)
    if start is None or start["status"] != 200:
        return None
    headers = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Content(body, headers.get("content-type", "application/octet-stream"))


async def push_context(store: Store, public_url: str, sources: Sequence[Source]) -> dict[str, Any]:
    """What the sources page shows about push: per source, and whether it is off."""
    states = {p.source_id: p for p in await store.push_states()}
    now = time.time()
    return {
        "push": {s.id: push_json(states.get(s.id), public_url, now) for s in sources},
        "push_off": "" if public_url else PUSH_OFF,
    }


def push_json(push: PushState | None, public_url: str, now: float) -> dict[str, Any]:
    """A source's push state for the API and the sources page."""
    if push is None:
        return {
            "state": "none",
            "healthy": False,
            "note": PUSH_OFF if not public_url else "the source names no WebSub hub; polled",
        }
    off = not public_url
    healthy = push.healthy(now)
    if off and not healthy:
        shown, note = "off", PUSH_OFF
    elif healthy:
        shown, note = ACTIVE, "news is pushed; polled rarely as a backup"
    else:
        shown = push.state
        note = "subscribing soon" if push.state == DISCOVERED else "polled until push works"
    return {
        "state": shown,
        "healthy": healthy,
        "note": note,
        "hub": push.hub,
        "topic": push.topic,
        "lease_expires_at": iso(push.lease_expires_at),
        "last_push_at": iso(push.last_push_at),
        "arrivals": {"push": push.push_arrivals, "poll": push.poll_arrivals},
        "pushes": push.pushes,
        "rejected": push.rejected,
        "last_error": push.last_error or None,
        "last_error_at": iso(push.last_error_at),
    }
