"""Feed dates to UTC epoch seconds, with the implausible ones set aside."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Dates before this are typos or placeholders ("1970-01-01"), not news.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC).timestamp()
# A clock a little fast is common; a story from next week is a broken feed.
FUTURE_SLACK = 24 * 3600.0


def parse_date(value: object) -> float | None:
    """Parse an ISO 8601 or RFC 822 date, a struct_time (taken as UTC) or epoch number."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, time.struct_time):
        return float(datetime(*value[:6], tzinfo=UTC).timestamp())
    text = str(value).strip()
    if not text:
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


def plausible(ts: float | None, now: float) -> tuple[float | None, str]:
    """The date if it is believable, else None with the reason."""
    if ts is None:
        return None, ""
    if ts < EARLIEST:
        return None, "date before 1990 ignored"
    if ts > now + FUTURE_SLACK:
        return None, "date in the future ignored"
    return ts, ""
