from __future__ import annotations

import pytest

from worldwire.enrich import countries_in, country_name, flag, region_of, region_views


def test_region_of() -> None:
    fr = region_of("fr")
    assert (fr.region, fr.subregion, fr.intermediate) == ("europe", "western-europe", "")
    ke = region_of("KE")
    assert (ke.region, ke.subregion, ke.intermediate) == (
        "africa",
        "sub-saharan-africa",
        "eastern-africa",
    )
    assert region_of("MX").subregion == "latin-america-and-the-caribbean"
    assert region_of("XK").subregion == "southern-europe"
    with pytest.raises(KeyError):
        region_of("ZZ")


def test_countries_in() -> None:
    assert countries_in("fr") == {"FR"}
    assert {"DE", "FR", "NL"} <= countries_in("western-europe")
    assert countries_in("western-europe") < countries_in("europe")
    assert {"JM", "BR", "MX"} <= countries_in("latin-america-and-the-caribbean")
    assert "KE" in countries_in("eastern-africa") and "KE" in countries_in("africa")
    assert countries_in("atlantis") == frozenset()


def test_every_country_is_in_exactly_one_region() -> None:
    regions = [v.code for v in region_views() if v.kind == "region"]
    assert sorted(regions) == ["africa", "americas", "asia", "europe", "oceania"]
    covered = [countries_in(r) for r in regions]
    assert sum(len(c) for c in covered) == len(frozenset().union(*covered)) >= 240


def test_views_have_parents_and_unique_codes() -> None:
    views = region_views()
    codes = [v.code for v in views]
    assert len(codes) == len(set(codes))
    known = set(codes)
    assert all(v.parent in known for v in views if v.kind != "region")
    assert {"western-asia", "eastern-europe", "latin-america-and-the-caribbean"} <= known


def test_flag_and_name() -> None:
    assert flag("fr") == "\U0001f1eb\U0001f1f7"
    assert flag("") == flag("FRA") == flag("1x") == ""
    assert country_name("de") == "Germany"
    assert country_name("zz") == "zz"
