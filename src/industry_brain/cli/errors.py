"""The command line's one answer to a `BrainError`, whichever command raised it: a red Chinese
line on stderr with the error's code (`错误 [run_refused]：评价未能运行：…`) and exit status
`exit_code` (2); with `--json` the error as JSON on stdout instead
(`{"error": {status, code, title, message, detail, data}}`), the technical `detail` included.
"""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from industry_brain.errors import BrainError

JSON_FLAG = "--json"


def report(exc: BrainError, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"error": exc.to_dict()}, ensure_ascii=False, default=str))
        return
    Console(stderr=True, soft_wrap=True, highlight=False).print(Text(exc.line(), style="red"))


class BrainGroup(TyperGroup):
    """The root command group: runs the command, answers a BrainError as `report` does."""

    # ctx: typer's vendored click Context (typer._click, private), hence Any
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta["json"] = JSON_FLAG in args  # shared by every sub-context
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrainError as exc:
            report(exc, bool(ctx.meta.get("json")))
            raise typer.Exit(exc.exit_code) from None
