"""Runs: an engine applied to the warehouse with a spec, stored with what it rests on."""
