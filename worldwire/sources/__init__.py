"""Where news comes from: the bundled world list, source list files (OPML, YAML,
TOML) and feed autodiscovery."""

from worldwire.sources.lists import bundled, dump, load_file
from worldwire.sources.spec import spec_from_mapping

__all__ = ["bundled", "dump", "load_file", "spec_from_mapping"]
