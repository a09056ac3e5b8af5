"""Dates as pages write them, turned into ISO 8601.

A full timestamp keeps its time and offset ("2019-11-18T12:34:56+00:00"); a bare day
stays a day ("2019-11-18"). Anything implausible (before 1995, or more than two days
in the future of the clock the caller passes) is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

_MONTHS = {
    # English, German, French, Spanish, Italian, Portuguese, Dutch, Polish (genitive)
    **dict.fromkeys(("jan", "january", "januar", "janvier", "enero", "gennaio"), 1),
    **dict.fromkeys(("janeiro", "januari", "stycznia", "jänner", "jaenner"), 1),
    **dict.fromkeys(("feb", "february", "februar", "février", "fevrier", "febrero"), 2),
    **dict.fromkeys(("febbraio", "fevereiro", "februari", "lutego"), 2),
    **dict.fromkeys(("mar", "march", "märz", "maerz", "mars", "marzo", "março", "maart"), 3),
    **dict.fromkeys(("marca",), 3),
    **dict.fromkeys(("apr", "april", "avril", "abril", "aprile", "kwietnia"), 4),
    **dict.fromkeys(("may", "mai", "mayo", "maggio", "maio", "mei", "maja"), 5),
    **dict.fromkeys(("jun", "june", "juni", "juin", "junio", "giugno", "junho", "czerwca"), 6),
    **dict.fromkeys(("jul", "july", "juli", "juillet", "julio", "luglio", "julho", "lipca"), 7),
    **dict.fromkeys(("aug", "august", "août", "aout", "agosto", "augustus", "sierpnia"), 8),
    **dict.fromkeys(("sep", "sept", "september", "septembre", "septiembre"), 9),
    **dict.fromkeys(("settembre", "setembro", "września", "wrzesnia"), 9),
    **dict.fromkeys(("oct", "october", "oktober", "octobre", "octubre", "ottobre"), 10),
    **dict.fromkeys(("outubro", "października", "pazdziernika"), 10),
    **dict.fromkeys(("nov", "november", "novembre", "noviembre", "novembro", "listopada"), 11),
    **dict.fromkeys(("dec", "december", "dezember", "décembre", "decembre", "diciembre"), 12),
    **dict.fromkeys(("dicembre", "dezembro", "grudnia"), 12),
}
_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur "
    "fri sat sun montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do "
    "fr sa so lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles "
    "jueves viernes sábado domingo lunedì martedì mercoledì giovedì venerdì sabato "
    "segunda terça quarta quinta sexta"
)
_GLUE = "am pm at on um uhr den der le el de del di da du of the et h hrs gmt utc cet cest est edt"
# Words that may stand in a line that holds nothing but a date.
DATE_WORDS = frozenset(_MONTHS) | frozenset(_WEEKDAYS.split()) | frozenset(_GLUE.split())
_MONTH_WORD = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))

_ISO = re.compile(
    r"(?<!\d)((?:19|20)\d\d)-(\d\d?)-(\d\d?)"
    r"(?:[T ](\d\d?):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?\s*(Z|[+-]\d\d:?\d\d)?)?"
)
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?:T(\d\d)(\d\d)(\d\d)?)?(?!\d)")
_YMD = re.compile(r"(?<!\d)((?:19|20)\d\d)[/.](\d\d?)[/.](\d\d?)(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d\d?)[./](\d\d?)[./]((?:19|20)\d\d)(?!\d)")
_D_MONTH_Y = re.compile(
    rf"(?<!\d)(\d\d?)(?:st|nd|rd|th|er|\.|º)?(?:\s+de)?\s+({_MONTH_WORD})\.?,?(?:\s+de)?\s+((?:19|20)\d\d)",
    re.I,
)
_MONTH_D_Y = re.compile(
    rf"\b({_MONTH_WORD})\.?\s+(\d\d?)(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)(?!\d)", re.I
)
_CJK = re.compile(r"((?:19|20)\d\d)\s*[年년]\s*(\d\d?)\s*[月월]\s*(\d\d?)\s*[日일]?")

EARLIEST = date(1995, 1, 1)


def parse_date(value: str, *, now: datetime | None = None, day_first: bool = True) -> str | None:
    """The earliest plausible date written in value, as ISO 8601, or None."""
    value = value.strip()
    if not value or len(value) > 5000:
        return None
    latest = (now or datetime.now(UTC)).date() + timedelta(days=2)
    whole = _parse_rfc2822(value)
    if whole is not None and EARLIEST <= date.fromisoformat(whole[:10]) <= latest:
        return whole
    best: tuple[int, str] | None = None
    for finder in (_iso_dates, _word_dates, _numeric_dates):
        for position, found in finder(value, day_first):
            if best is not None and position >= best[0]:
                break
            if EARLIEST <= date.fromisoformat(found[:10]) <= latest:
                best = (position, found)
                break
    return best[1] if best else None


def _day(year: int, month: int, dom: int) -> date | None:
    try:
        return date(year, month, dom)
    except ValueError:
        return None


def _iso_dates(value: str, _day_first: bool) -> Iterator[tuple[int, str]]:
    for match in _ISO.finditer(value):
        year, month, dom = (int(g) for g in match.group(1, 2, 3))
        found = _day(year, month, dom)
        if found is None:
            continue
        if match.group(4) is None:
            yield match.start(), found.isoformat()
            continue
        hour, minute, second = int(match.group(4)), int(match.group(5)), int(match.group(6) or 0)
        if hour > 23 or minute > 59 or second > 59:
            yield match.start(), found.isoformat()
            continue
        stamp = f"{found.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}"
        zone = match.group(7)
        if zone:
            zone = "+00:00" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
            stamp += zone
        yield match.start(), stamp
    # A compact 20191118 only when it opens the value: in running text it is an id.
    compact = _COMPACT.match(value)
    if compact is not None:
        found = _day(*(int(g) for g in compact.group(1, 2, 3)))
        if found:
            yield 0, found.isoformat()


def _parse_rfc2822(value: str) -> str | None:
    if not re.match(r"(?:\w{3},\s*)?\d\d? \w{3} \d{4} \d\d:\d\d", value):
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.isoformat() if parsed.tzinfo else parsed.replace(microsecond=0).isoformat()


def _word_dates(value: str, _day_first: bool) -> Iterator[tuple[int, str]]:
    found_any: list[tuple[int, str]] = []
    for pattern, order in ((_MONTH_D_Y, "mdy"), (_D_MONTH_Y, "dmy")):
        for match in pattern.finditer(value):
            parts = dict(zip(order, match.groups(), strict=True))
            month = _MONTHS.get(parts["m"].lower().rstrip("."))
            found = _day(int(parts["y"]), month, int(parts["d"])) if month else None
            if found:
                found_any.append((match.start(), found.isoformat()))
                break
    for match in _CJK.finditer(value):
        found = _day(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if found:
            found_any.append((match.start(), found.isoformat()))
            break
    yield from sorted(found_any)


def _numeric_dates(value: str, day_first: bool) -> Iterator[tuple[int, str]]:
    found_any: list[tuple[int, str]] = []
    for match in _YMD.finditer(value):
        found = _day(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if found:
            found_any.append((match.start(), found.isoformat()))
            break
    for match in _DMY.finditer(value):
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        # A dotted date is always day first; a slashed one follows the caller's guess
        # unless one of the numbers cannot be a month.
        dotted = "." in match.group(0)
        if dotted or (day_first and second <= 12) or first > 12:
            found = _day(year, second, first)
        else:
            found = _day(year, first, second)
        if found:
            found_any.append((match.start(), found.isoformat()))
            break
    yield from sorted(found_any)


_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_]|$)"
)


def date_from_url(url: str, *, now: datetime | None = None) -> str | None:
    """A day encoded in a URL path such as /2019/11/18/ or /20191118/."""
    match = _URL_DATE.search(url)
    if match is None:
        return None
    found = _day(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    latest = (now or datetime.now(UTC)).date() + timedelta(days=2)
    if found is None or not EARLIEST <= found <= latest:
        return None
    return found.isoformat()
