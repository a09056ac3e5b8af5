import time

from worldwire.parse.dates import EARLIEST, parse_date, plausible


def test_formats() -> None:
    assert parse_date("Tue, 10 Jun 2025 04:00:00 +0200") == parse_date("2025-06-10T02:00:00Z")
    assert parse_date("2025-06-10T02:00:00") == parse_date("2025-06-10T02:00:00+00:00")
    assert parse_date(time.gmtime(0)) == 0.0
    assert parse_date("not a date") is None
    assert parse_date("") is None
    assert parse_date(None) is None
    assert parse_date("9999-12-31T23:59:59Z") is not None


def test_plausible_sets_aside_the_impossible() -> None:
    now = time.time()
    assert plausible(now - 60, now) == (now - 60, "")
    assert plausible(EARLIEST - 1, now)[0] is None
    assert plausible(now + 7 * 86400, now)[0] is None
    assert plausible(now + 600, now)[0] == now + 600  # a fast clock is forgiven
