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
# Scanning for numbers first is cheap (the regex engine skips to the digits); the words
# around each number of one or two digits then say whether it is a day of a month.
_NUMBER = re.compile(r"\d+(?:[-.,:/]\d+)*")
_ISO = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
_WORD_BEFORE = re.compile(r"([^\W\d_]{3,10})\.?\s+$")  # "June 24", "jun. 24"
_YEAR_AFTER = re.compile(r"(?:st|nd|rd|th)?,?\s+(?:de\s+)?((?:19|20)\d\d)(?!\d)")  # ", 2005"
# "24 June 2005", "24. Juni", "1er mai", "24 de junio de 2005", "24th of June"
_MONTH_AFTER = re.compile(
    r"(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+|of\s+)?([^\W\d_]{3,10})\b\.?"
    r"(?:,?\s+(?:de\s+)?((?:19|20)\d\d)(?!\d))?"
)
_SLACK = timedelta(days=1)  # a publication time zone away


def mentioned_days(text: str, published: float, limit: int = 8) -> tuple[float, ...]:
    """UTC midnights (epoch seconds) of the days `text` names, at most `limit`, sorted."""
    found: set[tuple[int | None, int, int]] = set()
    for match in _NUMBER.finditer(text):
        number = match.group()
        if len(number) > 2:
            iso = _ISO.fullmatch(number)
            if iso:
                found.add((int(iso[1]), int(iso[2]), int(iso[3])))
            continue
        start, end = match.span()
        before = _WORD_BEFORE.search(text, max(0, start - 16), start)
        month = _month(before.group(1)) if before else None
        if month is not None:
            year_after = _YEAR_AFTER.match(text, end)
            found.add((int(year_after[1]) if year_after else None, month, int(number)))
            continue
        after = _MONTH_AFTER.match(text, end)
        month = _month(after.group(1)) if after else None
        if after is not None and month is not None:
            year_text = after.group(2)
            found.add((int(year_text) if year_text else None, month, int(number)))
    if not found:
        return ()
    today = datetime.fromtimestamp(published, UTC).date() if published else None
    days: set[float] = set()
    for year, month, day in found:
        moment = _resolve(year, month, day, today)
        if moment is not None and (today is None or moment <= today + _SLACK):
            days.add(datetime(moment.year, moment.month, moment.day, tzinfo=UTC).timestamp())
    return tuple(sorted(days)[-limit:])


def _month(word: str) -> int | None:
    # "may" is a month only with its capital ("they may 5 times ..." is not).
    return None if word == "may" else _MONTH_OF.get(word.lower())


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
