"""Dates an article mentions: when the event it reports happened.

A report of a trial two years on names the day of the crime ("on June 24, 2005"); the
clusterer measures the time between an article and a story from those days as well as
from the publication date. Only whole days are read (a month and a day, with or without
the year), in the main news languages; a day without a year is the latest such day on
or before publication, and a day after publication is a plan, not the event.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_MONTHS = {
    # en, de, fr, es, it, pt; abbreviations that are also words ("may", "mar") are left out
    1: "january jan januar janvier enero gennaio janeiro",
    2: "february feb februar février febrero febbraio fevereiro",
    3: "march märz mars marzo março",
    4: "april apr avril abril aprile",
    5: "may mai mayo maggio maio",
    6: "june jun juni juin junio giugno junho",
    7: "july jul juli juillet julio luglio julho",
    8: "august aug août agosto",
    9: "september sep sept septembre septiembre settembre setembro",
    10: "october oct oktober octobre octubre ottobre outubro",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember décembre diciembre dicembre dezembro",
}
_MONTH_OF = {name: number for number, names in _MONTHS.items() for name in names.split()}
_MONTH = "(" + "|".join(sorted(_MONTH_OF, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:,?\s+(?:de\s+)?((?:19|20)\d\d))?(?!\d)"
# "June 24, 2005", "June 24"; "24 June 2005", "24. Juni", "24 de junio de 2005"
_MONTH_DAY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b" + _YEAR, re.IGNORECASE)
_DAY_MONTH = re.compile(
    r"(?<![\d.])(\d{1,2})(?:st|nd|rd|th|\.|er|º)?\s+(?:de\s+|of\s+)?" + _MONTH + _YEAR,
    re.IGNORECASE,
)
_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_SLACK = timedelta(days=1)  # a publication time zone away


def mentioned_days(text: str, published: float, limit: int = 8) -> tuple[float, ...]:
    """UTC midnights (epoch seconds) of the days `text` names, at most `limit`, sorted."""
    found: set[tuple[int | None, int, int]] = set()
    for month, day, year in _MONTH_DAY.findall(text):
        found.add((int(year) if year else None, _MONTH_OF[month.lower()], int(day)))
    for day, month, year in _DAY_MONTH.findall(text):
        found.add((int(year) if year else None, _MONTH_OF[month.lower()], int(day)))
    for year, month, day in _ISO.findall(text):
        found.add((int(year), int(month), int(day)))
    if not found:
        return ()
    today = datetime.fromtimestamp(published, UTC).date() if published else None
    days: set[float] = set()
    for year, month, day in found:
        moment = _resolve(year, month, day, today)
        if moment is not None and (today is None or moment <= today + _SLACK):
            days.add(datetime(moment.year, moment.month, moment.day, tzinfo=UTC).timestamp())
    return tuple(sorted(days)[-limit:])


def _resolve(year: int | None, month: int, day: int, today: date | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        if today is None:
            return None
        moment = date(today.year, month, day)
        return moment if moment <= today + _SLACK else date(today.year - 1, month, day)
    except ValueError:
        return None
