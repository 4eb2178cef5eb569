"""What-if studies: many replications of scenario variants, compared with paired confidence intervals.

A study (:mod:`~simulator.studies.spec`) names a base scenario, its variants and the number
of replications. :func:`~simulator.studies.runner.run_study` runs every replication (here, on a
local process pool or on a Dask cluster, see :mod:`~simulator.studies.executors`) with common
random numbers and compares each variant with the first (:mod:`~simulator.studies.analysis`);
:mod:`~simulator.studies.output` writes the study folder.
"""

from simulator.studies.runner import ScenarioModel, StudyResult, run_study
from simulator.studies.spec import StudySpec, Variant, apply_overrides, load_study

__all__ = [
    "ScenarioModel",
    "StudyResult",
    "StudySpec",
    "Variant",
    "apply_overrides",
    "load_study",
    "run_study",
]
