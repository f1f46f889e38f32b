from pathlib import Path

import pytest

from industry_brain.settings import DECLARED, SettingsError, load_settings

DOC = Path(__file__).parents[1] / "docs" / "settings.md"


def test_defaults_file_and_environment(tmp_path: Path):
    (tmp_path / "settings.toml").write_text("max_rejected_share = 0.1\n", "utf-8")
    values = load_settings(tmp_path, env={"INDUSTRY_BRAIN_DEMO_SEED": "7"})
    assert values["max_rejected_share"] == 0.1
    assert values["demo_seed"] == 7
    assert values["workspace"] == str(tmp_path)


def test_the_workspace_named_by_the_environment_gives_its_settings_toml(tmp_path: Path):
    """docs/deploy.md's workers are given INDUSTRY_BRAIN_WORKSPACE only: its settings.toml
    names their database (it was once read from ./workspace instead)."""
    (tmp_path / "settings.toml").write_text('database_url = "postgresql://ib@/x"\n', "utf-8")
    values = load_settings(None, env={"INDUSTRY_BRAIN_WORKSPACE": str(tmp_path)})
    assert values["database_url"] == "postgresql://ib@/x"
    assert values["workspace"] == str(tmp_path)


def test_misspelt_setting_names_the_closest(tmp_path: Path):
    (tmp_path / "settings.toml").write_text("max_reject_share = 0.1\n", "utf-8")
    with pytest.raises(SettingsError, match="max_rejected_share"):
        load_settings(tmp_path, env={})
    with pytest.raises(SettingsError, match="demo_seed"):
        load_settings(tmp_path / "x", env={"INDUSTRY_BRAIN_DEMO_SEEDS": "1"})


def test_wrong_type_fails_loudly(tmp_path: Path):
    with pytest.raises(SettingsError, match="demo_scale must be float"):
        load_settings(tmp_path, env={"INDUSTRY_BRAIN_DEMO_SCALE": "big"})


def test_every_setting_is_documented():
    text = DOC.read_text("utf-8")
    assert all(f"| `{s.name}` |" in text for s in DECLARED)


def test_boolean_settings_read_words():
    assert (
        load_settings(None, env={"INDUSTRY_BRAIN_COOKIE_SECURE": "false"})["cookie_secure"] is False
    )
    with pytest.raises(SettingsError, match="cookie_secure must be true or false"):
        load_settings(None, env={"INDUSTRY_BRAIN_COOKIE_SECURE": "maybe"})
