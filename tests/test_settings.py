from pathlib import Path

import pytest

from worldwire import settings
from worldwire.cli.settings_cmd import markdown
from worldwire.errors import SettingsError

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text()
    assert doc == markdown(), "docs/settings.md is stale: run `worldwire settings --markdown`"
    for s in settings.REGISTRY:
        assert f"`{s.env}`" in doc
        assert s.help.strip()


def test_environment_beats_file_beats_default(tmp_path: Path) -> None:
    config = tmp_path / "ww.toml"
    config.write_text(
        '[worldwire]\nport = 9001\nhost = "0.0.0.0"\nallow_networks = ["10.0.0.0/8"]\n'
    )
    loaded = settings.load(str(config), environ={"WORLDWIRE_PORT": "9002"})
    assert loaded.port == 9002
    assert loaded.host == "0.0.0.0"
    assert loaded.allow_networks == ("10.0.0.0/8",)
    assert loaded.poll_floor == 15.0


def test_list_setting_from_environment() -> None:
    loaded = settings.load(environ={"WORLDWIRE_ALLOW_NETWORKS": "127.0.0.1, ::1"})
    assert loaded.allow_networks == ("127.0.0.1", "::1")


@pytest.mark.parametrize(
    "environ",
    [{"WORLDWIRE_PORT": "eighty"}, {"WORLDWIRE_POLL_FLOOR": "soon"}, {"WORLDWIRE_CONFIG": "/nope"}],
)
def test_bad_values_are_clear_errors(environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError):
        settings.load(environ=environ)


def test_unknown_key_in_file_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "ww.toml"
    config.write_text("prot = 1\n")
    with pytest.raises(SettingsError, match="unknown setting 'prot'"):
        settings.load(str(config), environ={})


def test_overrides_ignore_none_and_coerce() -> None:
    base = settings.load(environ={})
    changed = base.with_overrides(port="8181", host=None, allow_networks=["127.0.0.1"])
    assert changed.port == 8181
    assert changed.host == base.host
    assert changed.allow_networks == ("127.0.0.1",)
