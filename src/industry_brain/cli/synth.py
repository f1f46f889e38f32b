"""`synth`: write a synthetic city's department files (Taizhou, calibrated)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

FaultOption = Annotated[
    list[str] | None,
    typer.Option(
        "--fault",
        help="Inject a fault kind at a rate, e.g. uscc_check_digit=0.01; "
        "'all=0.01' for every kind. Repeatable.",
    ),
]


def parse_faults(items: list[str] | None) -> dict[str, float] | float | None:
    if not items:
        return None
    faults: dict[str, float] = {}
    for item in items:
        kind, _, rate = item.partition("=")
        try:
            value = float(rate)
        except ValueError:
            raise typer.BadParameter(f"{item!r}: expected KIND=RATE") from None
        if kind == "all":
            return value
        faults[kind] = value
    return faults


def write_with_progress(
    out: Path,
    seed: int,
    scale: float,
    faults: dict[str, float] | float | None,
    missing_column: bool = False,
    console: Console | None = None,
) -> object:
    from industry_brain.synth import write_city

    with Progress(console=console or Console(), transient=True) as bar:
        task = bar.add_task("writing department files", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        return write_city(
            out,
            seed=seed,
            scale=scale,
            faults=faults,
            missing_column=missing_column,
            progress=progress,
        )


def synth(
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write.")] = Path("synth"),
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same bytes).")] = 2020,
    scale: Annotated[float, typer.Option(help="City size relative to Taizhou.")] = 1.0,
    fault: FaultOption = None,
    missing_column: Annotated[
        bool, typer.Option(help="Also write a file missing a column.")
    ] = False,
) -> None:
    """Write department files of a synthetic Taizhou (2019–2024), with optional faults."""
    from industry_brain.synth import SynthError

    try:
        manifest = write_with_progress(out, seed, scale, parse_faults(fault), missing_column)
    except ValueError as exc:  # not a SynthError: said the same way
        if isinstance(exc, SynthError):
            raise
        raise SynthError(str(exc)) from None
    files = getattr(manifest, "files", [])
    typer.echo(f"wrote {len(files)} files to {out}")
