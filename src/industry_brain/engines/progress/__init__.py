"""Plan monitoring: catalog, target parsing, indicator formulas, progress and verdicts."""
