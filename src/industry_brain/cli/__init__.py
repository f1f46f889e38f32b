"""The `industry-brain` command line."""

from __future__ import annotations

import typer

from industry_brain.cli import (
    appeal,
    audit,
    chains,
    demo,
    evaluate,
    ingest,
    monitor,
    runs,
    serve,
    status,
    synth,
    user,
)
from industry_brain.cli.errors import BrainGroup

app = typer.Typer(
    cls=BrainGroup,  # a BrainError: a red Chinese line with its code, exit 2 (cli/errors.py)
    name="industry-brain",
    help="Industry Brain (产业大脑): data hub and engines for manufacturing development.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
app.command("ingest")(ingest.ingest)
app.command("validate")(ingest.validate)
app.command("status")(status.status)
app.command("synth")(synth.synth)
app.command("demo")(demo.demo)
evaluate.app.command("progress")(runs.progress)
app.add_typer(evaluate.app, name="evaluate")
app.add_typer(runs.app, name="runs")
app.command("explain")(evaluate.explain)
app.add_typer(appeal.app, name="appeal")
app.add_typer(chains.app, name="chains")
app.command("monitor")(monitor.monitor)
app.command("actuals")(monitor.actuals)
app.command("serve")(serve.serve)
app.add_typer(user.app, name="user")
app.add_typer(audit.app, name="audit")


def main() -> None:
    app()
