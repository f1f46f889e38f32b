"""亩均效益综合评价 (per-mu evaluation): declarative method specs and the scoring engine."""
