"""An aiohttp resolver that drops refused addresses, so the connector can only
ever connect to an IP the guard accepted (no DNS rebinding between check and use)."""

from __future__ import annotations

import socket
from typing import Any

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from worldwire.errors import BlockedAddress
from worldwire.fetch.guard import NetworkGuard


class GuardedResolver(AbstractResolver):
    def __init__(self, guard: NetworkGuard, inner: AbstractResolver | None = None) -> None:
        self._guard = guard
        self._inner = inner or ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if self._guard.host_allowed(host):
            return results
        kept: list[ResolveResult] = []
        refused: BlockedAddress | None = None
        for result in results:
            try:
                self._guard.check_ip(result["host"], url=f"//{host}")
            except BlockedAddress as exc:
                refused = exc
                continue
            kept.append(result)
        if not kept:
            raise refused or BlockedAddress(f"refused: {host} has no allowed address")
        return kept

    async def close(self, *args: Any) -> None:
        await self._inner.close()
