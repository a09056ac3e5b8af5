"""The one outbound HTTP client: SSRF guard, caps, deadlines, conditional GET."""

from worldwire.fetch.client import FEED_ACCEPT, HTML_ACCEPT, Fetcher, retry_after
from worldwire.fetch.guard import NetworkGuard

__all__ = ["FEED_ACCEPT", "HTML_ACCEPT", "Fetcher", "NetworkGuard", "retry_after"]
