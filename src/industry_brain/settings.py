"""Settings, declared once with their default and help text.

Values come from the defaults, then `<workspace>/settings.toml` (the workspace given, else the
one INDUSTRY_BRAIN_WORKSPACE names), then environment variables named INDUSTRY_BRAIN_<NAME>. An
unknown name in either place is an error that suggests the closest known one.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from industry_brain.errors import BrainError
from industry_brain.suggest import did_you_mean

ENV_PREFIX = "INDUSTRY_BRAIN_"


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


DECLARED: tuple[Setting, ...] = (
    Setting(
        "workspace", "workspace", "Directory holding the warehouse, archived files and config."
    ),
    Setting(
        "database_url",
        "",
        "Ibis URL of the warehouse; empty means duckdb://<workspace>/warehouse.duckdb.",
    ),
    Setting(
        "max_rejected_share",
        0.2,
        "A batch fails when more than this share of its rows is "
        "rejected (the file is probably the wrong one).",
    ),
    Setting(
        "cookie_secure",
        True,
        "Send the session cookie only over HTTPS (browsers also accept it on http://127.0.0.1); "
        "set false only for a plain-http intranet server.",
    ),
    Setting("max_upload_mb", 200, "Largest department file accepted by the browser import (MB)."),
    Setting(
        "max_unpacked_mb",
        512,
        "An Excel workbook that is a zip (xlsx, xlsm, xlsb, ods) whose parts declare more than "
        "this unpacked size is refused before it is read (MB): a few MB can unpack to gigabytes, "
        "and reading takes about 2.5 times the unpacked size in memory.",
    ),
    Setting(
        "max_reported_errors",
        10000,
        "Errors kept in a file's report (the review page, its Excel list, --json); the counts by "
        "code stay exact and the report says how many were left out.",
    ),
    Setting("max_attachment_mb", 20, "Largest attachment an enterprise may add to an appeal (MB)."),
    Setting(
        "lock_wait_seconds",
        5.0,
        "How long a command waits for the warehouse another process holds (a writing command "
        "beside a running server, any command beside another command) before saying who holds it.",
    ),
    Setting(
        "bridge_timeout_seconds",
        600.0,
        "How long a read-only command waits for the running server's answer (`validate` of a "
        "large file takes a while).",
    ),
    Setting("demo_seed", 2020, "Seed of the synthetic city written by `demo`."),
    Setting("demo_scale", 1.0, "Size of the synthetic city relative to Taizhou (1.0 ≈ 20k firms)."),
    Setting(
        "query_cache",
        "",
        "Folder of the 亩均 engine's compiled queries, which the next process reads instead of "
        "compiling them again; empty means <workspace>/cache/queries, off keeps none.",
    ),
)
BY_NAME = {s.name: s for s in DECLARED}


class SettingsError(BrainError, ValueError):
    code, title, status = "settings_invalid", "配置有误", 500


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    kind = type(setting.default)
    if kind is bool and isinstance(value, str):
        if value.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if value.strip().lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{origin}: {setting.name} must be true or false, got {value!r}")
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise SettingsError(
            f"{origin}: {setting.name} must be {kind.__name__}, got {value!r}"
        ) from None


def load_settings(
    workspace: Path | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    env = dict(os.environ if env is None else env)
    values = {s.name: s.default for s in DECLARED}
    if workspace is not None:
        values["workspace"] = str(workspace)
    # the settings.toml of the workspace named by the argument, else by the environment
    named = env.get(f"{ENV_PREFIX}WORKSPACE") if workspace is None else None
    config = Path(values["workspace"] if named is None else named) / "settings.toml"
    if config.is_file():
        for key, value in tomllib.loads(config.read_text("utf-8")).items():
            if key not in BY_NAME:
                raise SettingsError(
                    f"{config}: unknown setting {key!r}{did_you_mean(key, BY_NAME)}"
                )
            values[key] = _coerce(BY_NAME[key], value, str(config))
    for var, value in env.items():
        if not var.startswith(ENV_PREFIX):
            continue
        key = var.removeprefix(ENV_PREFIX).lower()
        if key not in BY_NAME:
            raise SettingsError(f"unknown environment variable {var}{did_you_mean(key, BY_NAME)}")
        if key == "workspace" and workspace is not None:
            continue
        values[key] = _coerce(BY_NAME[key], value, var)
    return values
