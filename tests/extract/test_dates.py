from __future__ import annotations

from datetime import UTC, datetime

import pytest

from worldwire.extract.dates import date_from_url, parse_date

NOW = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-11-18T12:34:56Z", "2019-11-18T12:34:56+00:00"),
        ("2019-11-18T12:34:56.123+0100", "2019-11-18T12:34:56+01:00"),
        ("2019-11-18", "2019-11-18"),
        ("Mon, 18 Nov 2019 12:00:00 GMT", "2019-11-18T12:00:00+00:00"),
        ("November 18, 2019", "2019-11-18"),
        ("18. November 2019", "2019-11-18"),
        ("18.11.2019, 14:20 Uhr", "2019-11-18"),
        ("11/18/2019", "2019-11-18"),
        ("le 3 mars 2020", "2020-03-03"),
        ("1 de enero de 2020", "2020-01-01"),
        ("2020年1月2日", "2020-01-02"),
        ("Posted on 5th May 2021 by Ann", "2021-05-05"),
        ("Updated 3.4.2021, first published 2020-01-01", "2021-04-03"),
    ],
)
def test_parses_what_pages_print(raw: str, expected: str) -> None:
    assert parse_date(raw, now=NOW) == expected


@pytest.mark.parametrize("raw", ["", "no date here", "2099-01-01", "2019-13-45", "1970-01-01"])
def test_refuses_what_is_not_a_plausible_date(raw: str) -> None:
    assert parse_date(raw, now=NOW) is None


def test_day_from_url() -> None:
    assert date_from_url("https://x.example/2019/11/18/slug", now=NOW) == "2019-11-18"
    assert date_from_url("https://x.example/news/20191118-slug", now=NOW) == "2019-11-18"
    assert date_from_url("https://x.example/a/123456789", now=NOW) is None
