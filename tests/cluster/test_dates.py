from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from worldwire.cluster.dates import mentioned_days

PUBLISHED = datetime(2010, 12, 7, 15, 30, tzinfo=UTC).timestamp()


def _days(text: str, published: float = PUBLISHED) -> list[date]:
    return [datetime.fromtimestamp(d, UTC).date() for d in mentioned_days(text, published)]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Deputy Jerry Ortiz was shot on June 24, 2005 in Hawaiian Gardens.", date(2005, 6, 24)),
        ("The jury heard that on 24 June 2005 the deputy was killed.", date(2005, 6, 24)),
        ("It happened on the 10th of September.", date(2010, 9, 10)),
        ("Am 24. Juni wurde der Polizist erschossen.", date(2010, 6, 24)),
        ("Le drame s'est produit le 1er mai 2009.", date(2009, 5, 1)),
        ("El 24 de junio de 2005 murió el agente.", date(2005, 6, 24)),
        ("Filed 2010-09-10 by the district attorney.", date(2010, 9, 10)),
        ("The shooting at the plant on September 10 left two dead.", date(2010, 9, 10)),
        # A day without a year after publication was last year's.
        ("The report of December 20 was the first.", date(2009, 12, 20)),
    ],
)
def test_mentioned_day(text: str, day: date) -> None:
    assert _days(text) == [day]


@pytest.mark.parametrize(
    "text",
    [
        "A 4.6 magnitude quake struck at 9:27 local time.",
        "In May 2005 the plan was announced.",  # a month, not a day
        "They may 5 times in a row lose.",
        "Up to 3,400 people fled on 12 January 2011.",  # after publication: a plan
    ],
)
def test_no_day(text: str) -> None:
    assert _days(text) == []


def test_no_year_and_no_publication_date_says_nothing() -> None:
    assert _days("It happened on September 10.", published=0.0) == []
    assert _days("It happened on September 10, 2001.", published=0.0) == [date(2001, 9, 10)]
