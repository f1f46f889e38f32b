"""A run keeps its method: the spec's text is stored with the run (`run.spec_text`) and read
back from there, never reloaded by name, so a run of a YAML file that has since been moved or
edited is still explained, published and appealed with the method it used.

`run.spec_sha256` is the spec's own hash (`MethodSpec.sha256`, of its validated content); the
stored text must still give it, or the run is refused.
"""

from __future__ import annotations

from typing import Any

import yaml

from industry_brain.engines.permu.spec import (
    MethodSpec,
    MethodSpecError,
    packaged_methods,
    packaged_text,
    read_method,
)
from industry_brain.warehouse import fetch


class StoredMethodError(MethodSpecError):
    """A run's method cannot be read back as it was used."""

    code, title, status = "run_method_changed", "评价批次保存的方法无法读回", 409


def run_text(spec: MethodSpec) -> str:
    """The text a run of `spec` stores: the YAML it was read from when that still gives this
    spec, else (a spec built or changed in code) its content written out as YAML."""
    if spec.text and read_method(spec.text, spec.name).sha256 == spec.sha256:
        return spec.text
    return yaml.safe_dump(spec.model_dump(mode="json"), allow_unicode=True, sort_keys=False)


def _packaged(name: str, sha256: str) -> str | None:
    """The packaged text of `name` when it gives `sha256`, else None."""
    if name not in packaged_methods():
        return None
    text = packaged_text(name)
    return text if read_method(text, f"{name}.yaml").sha256 == sha256 else None


def stored_method(con: Any, run_id: int) -> MethodSpec:
    """The method spec run `run_id` used, read from the run's stored text and checked against
    its hash; an old run without text falls back to its packaged spec if that is unchanged."""
    sql = "SELECT spec_name, spec_sha256, spec_text FROM run WHERE run_id = ?"
    rows = fetch(con, sql, [int(run_id)])
    if not rows:
        raise StoredMethodError(f"no run {run_id}")
    name, sha256, text = rows[0]["spec_name"], rows[0]["spec_sha256"], rows[0]["spec_text"]
    if text is None:
        text = _packaged(name, sha256)
        if text is None:
            raise StoredMethodError(
                f"run {run_id}'s method {name!r} is not stored with the run, and no packaged "
                f"method of that name gives its hash {sha256[:12]}: it cannot be read back"
            )
    spec = read_method(text, f"stored with run {run_id}")
    if spec.sha256 != sha256:
        raise StoredMethodError(
            f"run {run_id}'s stored method does not match its hash: the text gives "
            f"{spec.sha256[:12]}, the run recorded {sha256[:12]} (the stored text was changed)"
        )
    return spec
