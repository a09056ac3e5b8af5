"""Source lists in and out: OPML (what every reader speaks), and WorldWire's own
YAML or TOML (one entry per feed, with country, languages and kind)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from worldwire.errors import SourceListError
from worldwire.model import SourceSpec
from worldwire.sources import opml
from worldwire.sources.spec import spec_from_mapping, to_mapping

BUNDLED = "world.yaml"


def bundled() -> list[SourceSpec]:
    """The world list that ships with WorldWire."""
    text = resources.files("worldwire.sources").joinpath(BUNDLED).read_text(encoding="utf-8")
    return parse_yaml(text, origin=BUNDLED)


def load_file(path: str | Path) -> list[SourceSpec]:
    """Read OPML, YAML or TOML, chosen by the file's extension (or its content)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceListError(f"cannot read source list {path}: {exc}") from exc
    suffix = path.suffix.lower()
    if suffix in (".opml", ".xml") or text.lstrip().startswith("<"):
        return opml.parse(text, origin=str(path))
    if suffix == ".toml":
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SourceListError(f"{path}: invalid TOML: {exc}") from exc
        return specs_from(table.get("source", []), origin=str(path))
    return parse_yaml(text, origin=str(path))


def parse_yaml(text: str, origin: str) -> list[SourceSpec]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SourceListError(f"{origin}: invalid YAML: {exc}") from exc
    if isinstance(data, dict):
        data = data.get("sources", [])
    return specs_from(data or [], origin)


def specs_from(items: Any, origin: str) -> list[SourceSpec]:
    if not isinstance(items, list):
        raise SourceListError(f"{origin}: expected a list of sources")
    specs, seen = [], set()
    for index, item in enumerate(items, 1):
        if not isinstance(item, Mapping):
            raise SourceListError(f"{origin}: entry {index} is not a mapping")
        spec = spec_from_mapping(item, f"{origin}: entry {index}")
        if spec.feed_url in seen:
            continue
        seen.add(spec.feed_url)
        specs.append(spec)
    return specs


def dump(specs: Sequence[SourceSpec], fmt: str) -> str:
    if fmt == "opml":
        return opml.render(specs)
    if fmt == "yaml":
        return yaml.safe_dump(
            [to_mapping(s) for s in specs], allow_unicode=True, sort_keys=False, width=100
        )
    if fmt == "toml":
        return "".join(_toml_table(to_mapping(s)) for s in specs)
    raise SourceListError(f"unknown format {fmt!r}: use opml, yaml or toml")


def _toml_table(mapping: Mapping[str, Any]) -> str:
    lines = ["[[source]]"]
    for key, value in mapping.items():
        lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return _toml_string(str(value))


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'
