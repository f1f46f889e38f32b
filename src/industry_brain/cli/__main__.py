"""`python -m industry_brain.cli`: the same as the `industry-brain` command."""

from industry_brain.cli import main

main()
