"""Plain data for push: a source's WebSub subscription, and a subscription to our hub.

A source's push moves through these states:

    discovered ──subscribe──> subscribing ──verified──> active ──renew at 80%──> active
        ^                          │                      │
        │                 hub error, timeout,      lease ran out (expired), a poll
        │                 denial (failed/denied)   found an item push never sent
        │                          │               (broken), denial
        └──── retried later <──────┴──────────────────────┘

    source removed: unsubscribing ──verified or timed out──> (forgotten)

Only `active` with an unexpired lease is healthy; every other state is polled as
usual, so no push failure ever stops a source."""

from __future__ import annotations

from dataclasses import dataclass

DISCOVERED = "discovered"
SUBSCRIBING = "subscribing"
ACTIVE = "active"
FAILED = "failed"
DENIED = "denied"
EXPIRED = "expired"
BROKEN = "broken"
UNSUBSCRIBING = "unsubscribing"
STATES = (DISCOVERED, SUBSCRIBING, ACTIVE, FAILED, DENIED, EXPIRED, BROKEN, UNSUBSCRIBING)


@dataclass(slots=True)
class PushState:
    """One source's subscription at its hub, with what push has done for it."""

    source_id: int
    hub: str
    topic: str
    token: str  # the unguessable last segment of our callback URL
    secret: str = ""  # hub.secret: 32 random bytes, hex
    state: str = DISCOVERED
    pending: str = ""  # "subscribe" or "unsubscribe": a request awaiting verification
    requested_at: float | None = None
    lease_seconds: int | None = None  # as granted by the hub
    lease_expires_at: float | None = None
    active_since: float | None = None
    due_at: float = 0.0  # when the subscriber next acts (subscribe, renew, retry)
    attempts: int = 0  # failed requests in a row, for backoff
    last_push_at: float | None = None
    push_arrivals: int = 0  # new items that came by push
    poll_arrivals: int = 0  # new items that a poll found first
    pushes: int = 0  # verified deliveries
    rejected: int = 0  # deliveries ignored: bad or missing signature, too large
    last_error: str = ""
    last_error_at: float | None = None
    updated_at: float = 0.0

    def healthy(self, now: float) -> bool:
        return (
            self.state == ACTIVE
            and self.lease_expires_at is not None
            and self.lease_expires_at > now
        )


@dataclass(slots=True, frozen=True)
class HubSubscription:
    """A verified subscriber of one of our output feeds."""

    topic: str
    callback: str
    secret: str  # "" when the subscriber gave none: deliveries are then unsigned
    lease_seconds: int
    expires_at: float
    created_at: float
