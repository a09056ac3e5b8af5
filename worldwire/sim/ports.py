"""Listening sockets for thousands of sites, and the file descriptors they need."""

from __future__ import annotations

import contextlib
import random
import resource
import socket

# Where sites listen when no port base is given: below Linux's ephemeral range.
FREE_PORTS = range(10_000, 32_768)


def raise_fd_limit() -> int:
    """Raise RLIMIT_NOFILE to its hard limit; returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def bind_ports(host: str, count: int, base: int = 0) -> list[socket.socket]:
    """`count` listening sockets: on base, base+1... or, with base 0, on free ports
    below the ephemeral range. Asking the kernel for port 0 ten thousand times
    takes seconds and eats the ports that clients need to connect."""
    socks: list[socket.socket] = []
    try:
        if base:
            for port in range(base, base + count):
                try:
                    socks.append(_bind(host, port))
                except OSError as exc:
                    raise OSError(f"cannot listen on {host}:{port}: {exc}") from exc
            return socks
        span = FREE_PORTS.stop - FREE_PORTS.start
        first = random.randrange(span)
        for k in range(span):
            if len(socks) == count:
                break
            with contextlib.suppress(OSError):
                socks.append(_bind(host, FREE_PORTS.start + (first + k) % span))
        if len(socks) < count:
            raise OSError(f"only {len(socks)} free ports for {count} listeners on {host}")
    except OSError:
        for sock in socks:
            sock.close()
        raise
    return socks
