"""Countries grouped as the UN M49 standard groups them, for the `/region/{code}` views.

`data/m49.csv` holds each country's region (continent), sub-region and, where M49 has one,
intermediate region (Eastern Africa inside Sub-Saharan Africa; Caribbean inside Latin America
and the Caribbean). Kosovo (XK), which M49 leaves out, is filed under Southern Europe.
A view code is a slug such as `africa`, `western-asia`, `eastern-africa`, or a country code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

M49_PATH = Path(__file__).resolve().parent / "data" / "m49.csv"


@dataclass(frozen=True, slots=True)
class Region:
    """Where a country sits: its region (continent), sub-region and intermediate region."""

    country: str  # ISO 3166-1 alpha-2
    name: str
    region: str  # slug, e.g. "africa"
    region_name: str
    subregion: str  # slug, e.g. "sub-saharan-africa"
    subregion_name: str
    intermediate: str = ""  # slug, e.g. "eastern-africa", or ""
    intermediate_name: str = ""


@dataclass(frozen=True, slots=True)
class RegionView:
    """A code usable in `/region/{code}`: a region, sub-region, intermediate region or country."""

    code: str
    name: str
    kind: str  # "region", "subregion", "intermediate" or "country"
    parent: str = ""  # the code of the enclosing view, "" for a region


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@cache
def _table() -> dict[str, Region]:
    table: dict[str, Region] = {}
    with M49_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            inter = row["intermediate_region"]
            table[row["alpha2"]] = Region(
                country=row["alpha2"],
                name=row["name"],
                region=slugify(row["region"]),
                region_name=row["region"],
                subregion=slugify(row["sub_region"]),
                subregion_name=row["sub_region"],
                intermediate=slugify(inter) if inter else "",
                intermediate_name=inter,
            )
    return table


def region_of(code: str) -> Region:
    """The M49 placing of a country (ISO alpha-2, any case). Raises KeyError if unknown."""
    return _table()[code.upper()]


@cache
def region_views() -> tuple[RegionView, ...]:
    """Every region, sub-region, intermediate region and country, regions first."""
    regions: dict[str, RegionView] = {}
    subregions: dict[str, RegionView] = {}
    intermediates: dict[str, RegionView] = {}
    countries: list[RegionView] = []
    for r in _table().values():
        regions.setdefault(r.region, RegionView(r.region, r.region_name, "region"))
        subregions.setdefault(
            r.subregion, RegionView(r.subregion, r.subregion_name, "subregion", r.region)
        )
        parent = r.subregion
        if r.intermediate:
            intermediates.setdefault(
                r.intermediate,
                RegionView(r.intermediate, r.intermediate_name, "intermediate", r.subregion),
            )
            parent = r.intermediate
        countries.append(RegionView(r.country.lower(), r.name, "country", parent))
    groups = (regions, subregions, intermediates)
    ordered = [view for group in groups for view in sorted(group.values(), key=_by_name)]
    return (*ordered, *sorted(countries, key=_by_name))


def _by_name(view: RegionView) -> str:
    return view.name


@cache
def countries_in(code: str) -> frozenset[str]:
    """The countries (upper-case ISO alpha-2) a view code covers; empty if the code is unknown.

    `code` is a region, sub-region or intermediate-region slug, or a country code.
    """
    wanted = code.strip().lower()
    if len(wanted) == 2 and wanted.upper() in _table():
        return frozenset({wanted.upper()})
    return frozenset(
        r.country for r in _table().values() if wanted in (r.region, r.subregion, r.intermediate)
    )


def flag(code: str) -> str:
    """The flag emoji of a country code ("fr" -> 🇫🇷); "" when it is not two letters."""
    letters = code.strip().upper()
    if len(letters) != 2 or not letters.isascii() or not letters.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in letters)


def country_name(code: str) -> str:
    """The English short name of a country code, or the code itself when unknown."""
    region = _table().get(code.upper())
    return region.name if region else code
