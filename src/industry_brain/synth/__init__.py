"""A synthetic Taizhou (台州, 331000): department files, ground truth and injected faults.

`write_city` writes what the departments hand over (register, statistics, tax, land,
electricity, emissions, and purchases between enterprises with known supply risks) in their
messy real-world shapes, the truth in canonical units and a manifest of every injected fault.
`generate_population` gives the same city in memory. See docs/synth.md.
"""

from industry_brain.synth.calibration import TAIZHOU_2020, calibration_figures, targets
from industry_brain.synth.city import department_tables, write_city
from industry_brain.synth.errors import SynthError
from industry_brain.synth.faults import CODES as FAULT_CODES
from industry_brain.synth.manifest import CountEntry, FaultEntry, FileEntry, Manifest
from industry_brain.synth.population import Population, generate_population
from industry_brain.synth.statistics_file import statistics_frame, write_statistics_file

__all__ = [
    "FAULT_CODES",
    "TAIZHOU_2020",
    "CountEntry",
    "FaultEntry",
    "FileEntry",
    "Manifest",
    "Population",
    "SynthError",
    "calibration_figures",
    "department_tables",
    "generate_population",
    "statistics_frame",
    "targets",
    "write_city",
    "write_statistics_file",
]
