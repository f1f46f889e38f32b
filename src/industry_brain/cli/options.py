"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from industry_brain.cli.access import open_workspace, reading

__all__ = ["JsonOption", "WorkspaceOption", "open_workspace", "reading"]

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace directory (default: ./workspace or $INDUSTRY_BRAIN_WORKSPACE).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
