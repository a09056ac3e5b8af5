"""The single writer: one thread, one connection, a queue of operations.

Operations queued while a transaction runs are batched into the next one, so the
write rate grows with load instead of the commit rate. Each operation runs in its
own SAVEPOINT: one that fails is rolled back alone and its caller gets the error,
while the rest of the batch commits. Events emitted inside an operation are handed
to `on_commit` only once their transaction is durable."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson

from worldwire.errors import StoreError
from worldwire.model import Event

T = TypeVar("T")
log = logging.getLogger("worldwire.store")
MAX_BATCH = 2000


@dataclass
class Tx:
    """What an operation sees: the connection, the batch's clock, and emit()."""

    conn: sqlite3.Connection
    now: float
    events: list[Event] = field(default_factory=list)

    def emit(self, kind: str, data: dict[str, Any]) -> int:
        payload = orjson.dumps(data)
        cur = self.conn.execute(
            "INSERT INTO events (kind, data, created_at) VALUES (?, ?, ?)",
            (kind, payload, self.now),
        )
        event_id = int(cur.lastrowid or 0)
        self.events.append(Event(event_id, kind, payload, self.now))
        return event_id


Operation = Callable[[Tx], Any]


class _Aborted(Exception):
    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.cause = cause


_STOP = object()


@dataclass
class _Job:
    op: Operation
    loop: asyncio.AbstractEventLoop | None = None
    future: asyncio.Future[Any] | None = None
    # For callers without an event loop: set once the outcome is committed.
    done: threading.Event | None = None
    outcome: tuple[bool, Any] = (False, None)


class Writer:
    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        on_commit: Callable[[list[Event]], None] | None = None,
    ) -> None:
        self._connect = connect
        self._on_commit = on_commit
        self._queue: queue.SimpleQueue[_Job | object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="worldwire-writer", daemon=True)
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._closed = False

    def start(self) -> None:
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            raise StoreError(f"cannot open the database: {self._startup_error}")

    async def call(self, op: Callable[[Tx], T]) -> T:
        """Run `op` in the next write transaction and wait until it is committed."""
        if self._closed:
            raise StoreError("the store is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put(_Job(op, loop=loop, future=future))
        return await future

    def call_blocking(self, op: Callable[[Tx], T], timeout: float = 60.0) -> T:
        """The same from a thread without an event loop (CLI commands, tests)."""
        if self._closed:
            raise StoreError("the store is closed")
        job = _Job(op, done=threading.Event())
        self._queue.put(job)
        if not job.done.wait(timeout):  # type: ignore[union-attr]
            raise StoreError("the writer did not answer in time")
        ok, value = job.outcome
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def close(self) -> None:
        """Commit everything queued so far, then stop."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join()

    def _run(self) -> None:
        try:
            conn = self._connect()
        except BaseException as exc:
            self._startup_error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            while True:
                first = self._queue.get()
                if first is _STOP:
                    return
                batch: list[_Job] = [first]  # type: ignore[list-item]
                stop = False
                while len(batch) < MAX_BATCH:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is _STOP:
                        stop = True
                        break
                    batch.append(item)  # type: ignore[arg-type]
                self._run_batch(conn, batch)
                if stop:
                    return
        finally:
            conn.close()

    def _run_batch(self, conn: sqlite3.Connection, batch: list[_Job]) -> None:
        tx = Tx(conn, time.time())
        outcomes: list[tuple[bool, Any]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for job in batch:
                mark = len(tx.events)
                conn.execute("SAVEPOINT op")
                try:
                    result = job.op(tx)
                except Exception as exc:  # the operation's own failure, reported to it
                    if not conn.in_transaction:
                        # SQLite rolled the whole transaction back (disk full, I/O
                        # error): the batch is lost and every caller must hear why.
                        raise _Aborted(exc) from exc
                    conn.execute("ROLLBACK TO op")
                    conn.execute("RELEASE op")
                    del tx.events[mark:]
                    outcomes.append((False, exc))
                    continue
                conn.execute("RELEASE op")
                outcomes.append((True, result))
            conn.execute("COMMIT")
        except (sqlite3.Error, _Aborted) as exc:
            # Disk full, I/O error: nothing of this batch is kept, and every caller hears.
            cause = exc.cause if isinstance(exc, _Aborted) else exc
            log.error("write transaction failed: %s", cause, extra={"error": str(cause)})
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            failure = StoreError(f"write failed, nothing was changed: {cause}")
            outcomes = [(False, failure)] * len(batch)
            tx.events.clear()
        self._deliver(batch, outcomes, tx.events)

    def _deliver(
        self, batch: list[_Job], outcomes: list[tuple[bool, Any]], events: list[Event]
    ) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], bool, Any]]] = {}
        for job, (ok, value) in zip(batch, outcomes, strict=True):
            if job.loop is not None and job.future is not None:
                by_loop.setdefault(job.loop, []).append((job.future, ok, value))
            elif job.done is not None:
                job.outcome = (ok, value)
                job.done.set()
        if events and self._on_commit is not None:
            self._on_commit(events)
        for loop, items in by_loop.items():
            # A closed loop has nobody waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_resolve, items)


def _resolve(items: list[tuple[asyncio.Future[Any], bool, Any]]) -> None:
    for future, ok, value in items:
        if future.done():
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
