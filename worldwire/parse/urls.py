"""URL canonicalisation: one article, one URL, however a feed spells it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Parameters that identify a campaign or a click, never the article.
_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "twclid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ocid",
        "cmpid",
        "ref_src",
        "ref_url",
        "spm",
        "xtor",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "ito",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "cid",
        "src",
        "s_cid",
        "smid",
        "sr_share",
        "CMP",
        "ftag",
        "rss",
        "feed",
        "rssfeed",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_", "vero_", "__twitter")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_WS = re.compile(r"\s+")


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return (
        name in _TRACKING_EXACT
        or lowered in _TRACKING_EXACT
        or lowered.startswith(_TRACKING_PREFIXES)
    )


_SIMPLE = re.compile(
    r"(https?)://([A-Za-z0-9.-]+)(?::(\d{1,5}))?(/[^?#]*)?(?:\?([^#]*))?", re.IGNORECASE
)


def canonicalize(url: str, base: str = "") -> str:
    """Absolute, http(s), host lower-cased, default port and fragment dropped,
    tracking parameters removed. Returns "" when the URL cannot be an article link."""
    url = url.strip() if url else ""
    if not url:
        return ""
    if _WS.search(url):
        url = _WS.sub("", url)
    # Most feed links are plain absolute URLs: take them apart with one regex, and keep
    # their query as written. Anything else (relative, ports, IPv6, userinfo) goes
    # through urllib.
    match = _SIMPLE.fullmatch(url.split("#", 1)[0])
    if match is None:
        return _canonicalize_slowly(url, base)
    scheme, host, port, path, query = match.groups()
    scheme = scheme.lower()
    if port is not None:
        if int(port) > 65535:
            return ""
        port = "" if int(port) == _DEFAULT_PORTS[scheme] else f":{int(port)}"
    if query:
        query = "&".join(
            p for p in query.split("&") if p and not is_tracking_param(p.split("=", 1)[0])
        )
    host = host.lower().rstrip(".")
    return f"{scheme}://{host}{port or ''}{path or '/'}" + (f"?{query}" if query else "")


def _canonicalize_slowly(url: str, base: str) -> str:
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = ""
    if parts.query:
        kept = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not is_tracking_param(k)
        ]
        query = urlencode(kept, doseq=True)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def host_of(url: str) -> str:
    """The netloc that politeness limits apply to (host, and port when not default)."""
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""
