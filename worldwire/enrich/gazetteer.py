"""The gazetteer: every name of a country, its people, capital and big cities, in many
languages, found in text with one Aho-Corasick pass.

The index is built offline by `build_gazetteer.py` into `data/gazetteer.json.gz`, loaded once
per process (`gazetteer()`), and matched on folded text (`text.fold`), so that a match's
offsets point into the original text too.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick  # type: ignore[import-not-found]

from worldwire.enrich.text import Script, fold, fold_key, is_bicameral, match_end

INDEX_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.json.gz"

KIND_COUNTRY = "country"
KIND_REGION = "region"  # a state, province or territory inside a country
KIND_CAPITAL = "capital"
KIND_CITY = "city"
KIND_DEMONYM = "demonym"
KIND_BLOCK = "block"  # a phrase that contains a name but names no country

# Sense flags.
CAP = 1  # must be capitalised in the text
UPPER = 2  # an abbreviation: must be in capitals (US, UK)
WEAK = 4  # a city name that is also a common word: needs support

_NO_LANG_FILTER: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Sense:
    """One reading of a name: a country code ("" for a blocker), what kind of name, flags."""

    code: str
    kind: str
    flags: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in a text: its span in the text, its folded key and its readings."""

    start: int
    end: int
    key: str
    senses: tuple[Sense, ...]
    person_risk: bool  # also a common first name or surname

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(s.code for s in self.senses)


@dataclass(frozen=True, slots=True)
class Rule:
    """How to read an ambiguous name: cue phrases per reading, and a default."""

    names: frozenset[str]
    default: str
    cues: dict[str, re.Pattern[str]]

    def cue_hits(self, folded_text: str) -> dict[str, int]:
        return {code: len(pattern.findall(folded_text)) for code, pattern in self.cues.items()}


@dataclass(frozen=True, slots=True)
class _Key:
    key: str
    stem: int
    person: bool
    script: Script
    senses: tuple[tuple[Sense, frozenset[str]], ...]  # empty language set: any language


class Gazetteer:
    """Finds country names in text. Build one with `gazetteer()`: it is costly to build."""

    def __init__(self, index: dict[str, Any]) -> None:
        senses = [Sense(code, kind, flags) for code, kind, flags in index["senses"]]
        self.languages: frozenset[str] = frozenset()
        langs_seen: set[str] = set()
        self._automaton = ahocorasick.Automaton()
        for key, (stem, person, script, refs) in index["keys"].items():
            readings = []
            for sense_index, langs in refs:
                lang_set = _NO_LANG_FILTER if langs == "*" else frozenset(langs.split())
                langs_seen |= lang_set
                readings.append((senses[sense_index], lang_set))
            entry = _Key(key, stem, bool(person), Script(script), tuple(readings))
            self._automaton.add_word(key, entry)
        self._automaton.make_automaton()
        self.languages = frozenset(langs_seen)
        self.names: dict[str, str] = dict(index["names"])
        self.rules: dict[str, Rule] = {}
        for raw in index["rules"]:
            rule = Rule(frozenset(raw["names"]), raw["default"], _cue_patterns(raw["cues"]))
            for name in rule.names:
                self.rules[name] = rule

    def __contains__(self, name: str) -> bool:
        return fold_key(name) in self._automaton

    def find(self, text: str, lang: str = "", folded: str | None = None) -> list[Mention]:
        """Every name in `text`, longest first where names overlap, in text order.

        `lang` (ISO 639-1) limits names to that language's and the language-neutral ones
        (cities, abbreviations); "" or a language the index does not know uses all.
        """
        folded = fold(text) if folded is None else folded
        use_lang = lang if lang in self.languages else ""
        found: list[Mention] = []
        size = len(folded)
        for last, entry in self._automaton.iter(folded):
            start = last + 1 - len(entry.key)
            # Most raw hits sit inside longer words ("oman" in "woman"): drop them cheaply.
            if entry.script == Script.SPACED and (
                (start and folded[start - 1].isalnum())
                or (not entry.stem and last + 1 < size and folded[last + 1].isalnum())
            ):
                continue
            end = match_end(folded, start, last + 1, entry.script, entry.stem)
            if end < 0:
                continue
            senses = tuple(
                sense
                for sense, langs in entry.senses
                if (not use_lang or not langs or use_lang in langs)
                and _case_ok(text, start, last + 1, sense.flags)
            )
            if senses:
                found.append(Mention(start, end, entry.key, senses, entry.person))
        return _longest_first(found)

    def rule_for(self, key: str) -> Rule | None:
        return self.rules.get(key)


def _cue_patterns(cues: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
    return {
        code: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in phrases) + r")(?!\w)")
        for code, phrases in cues.items()
        if phrases
    }


def _case_ok(text: str, start: int, end: int, flags: int) -> bool:
    if flags & UPPER:
        return all(not c.isalpha() or c.isupper() for c in text[start:end])
    if flags & CAP:
        first = text[start]
        return not is_bicameral(first) or first.isupper()
    return True


def _longest_first(found: list[Mention]) -> list[Mention]:
    # Longest span wins; at equal spans the longer literal key (the exact name over a stem).
    if not found:
        return found
    order = sorted(found, key=lambda m: (m.start - m.end, -len(m.key), m.start))
    occupied = bytearray(max(m.end for m in found))
    taken: list[Mention] = []
    for mention in order:
        if occupied.find(1, mention.start, mention.end) < 0:
            occupied[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
            taken.append(mention)
    taken.sort(key=lambda m: m.start)
    return taken


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded on first use."""
    with gzip.open(INDEX_PATH, "rt", encoding="utf-8") as handle:
        return Gazetteer(json.load(handle))
