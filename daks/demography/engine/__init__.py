"""Pure-numpy demography engine: age expansion, indicators and cohort-component projection.

No Django imports here: the engine is used by the Django app ``daks.demography`` and by benchmarks/scripts alike.
Array convention: ``(regions, 2, 101)`` with sex 0 = male, 1 = female and ages 0..99 plus 100+ (index 100).
Methods are documented in docs/methods.md.
"""

from .ages import aggregate_to_groups, default_weights, expand_age_groups, parse_age_groups
from .indicators import TOP_GROUP_MEAN_AGE, compute_indicators, median_age
from .projection import (
    DEFAULT_QX,
    SCENARIOS,
    ProjectionResult,
    Scenario,
    SurvivalSchedule,
    default_asfr,
    estimate_migration_rates,
    life_expectancy,
    life_table,
    project,
    project_scenario,
    shift_life_expectancy,
    survival_for_scenario,
    survival_from_life_table,
)

FEMALE = 1
MALE = 0

__all__ = [
    "DEFAULT_QX",
    "FEMALE",
    "MALE",
    "SCENARIOS",
    "TOP_GROUP_MEAN_AGE",
    "ProjectionResult",
    "Scenario",
    "SurvivalSchedule",
    "aggregate_to_groups",
    "compute_indicators",
    "default_asfr",
    "default_weights",
    "estimate_migration_rates",
    "expand_age_groups",
    "life_expectancy",
    "life_table",
    "median_age",
    "parse_age_groups",
    "project",
    "project_scenario",
    "shift_life_expectancy",
    "survival_for_scenario",
    "survival_from_life_table",
]
