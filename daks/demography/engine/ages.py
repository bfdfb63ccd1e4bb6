"""Expansion of age-group counts to single years of age 0..100+.

Method (see docs/methods.md, section "Age expansion"):

* Each group ``g`` covers the single ages ``lower[g] .. lower[g+1]-1``; the last group is open-ended
  (``lower[-1] .. 100+``, index 100 holds everybody aged 100 and over).
* Within a group the count is split in proportion to weights ``w[a]``:
  - if a *reference* single-year distribution is given (e.g. the Kreis's single-year population of the
    same sex), ``w[a] = reference[a]``; where the reference has no population in a whole group the
    default weights below are used for that group instead;
  - otherwise (default weights) uniform within bounded groups, and in the open-ended top group a geometric
    decline ``w[a] = r**(a - lower_top)`` for ``a < 100`` with the 100+ cell receiving the whole remaining
    geometric tail ``r**(100 - lower_top) / (1 - r)``. The default ``r = 0.85`` per year of age roughly matches
    the German age structure above 75 (survival x shrinking birth cohorts).
* Group totals are preserved exactly up to floating-point rounding (the weights of each group sum to 1)
  and results are never negative for non-negative input.

All functions are vectorised: counts have shape ``(..., n_groups)`` (typically ``(regions, sexes, groups)``)
and the result has shape ``(..., 101)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

MAX_AGE = 100  # index of the open-ended 100+ cell
N_AGES = MAX_AGE + 1
DEFAULT_TOP_DECLINE = 0.85

_RANGE_INCLUSIVE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")  # "3-5": ages 3, 4, 5
_RANGE_HALF_OPEN = re.compile(r"^\s*(\d+)\s*_\s*(\d+)\s*$")  # "03_06": ages 3, 4, 5 (regionalstatistik columns)
_OPEN = re.compile(r"^\s*(\d+)\s*(\+|_plus|\s*und\s+mehr.*)\s*$", re.IGNORECASE)  # "75+", "75_plus"


def parse_age_groups(labels: Sequence[str]) -> np.ndarray:
    """Return the lower bounds of contiguous age-group labels.

    Accepted label styles: ``"3-5"`` (inclusive), ``"03_06"`` (upper bound exclusive, as in the
    regionalstatistik wide files) and an open top group ``"75+"``/``"75_plus"``. The groups must start at 0,
    be contiguous and only the last one may be open-ended.
    """
    lowers: list[int] = []
    next_lower = 0
    for i, label in enumerate(labels):
        if m := _RANGE_INCLUSIVE.match(label):
            lo, hi_excl = int(m.group(1)), int(m.group(2)) + 1
        elif m := _RANGE_HALF_OPEN.match(label):
            lo, hi_excl = int(m.group(1)), int(m.group(2))
        elif m := _OPEN.match(label):
            if i != len(labels) - 1:
                raise ValueError(f"open-ended group {label!r} must be the last one")
            lo, hi_excl = int(m.group(1)), None
        else:
            raise ValueError(f"cannot parse age group {label!r}")
        if lo != next_lower:
            raise ValueError(f"age groups are not contiguous at {label!r} (expected lower bound {next_lower})")
        lowers.append(lo)
        if hi_excl is not None:
            if hi_excl <= lo:
                raise ValueError(f"empty age group {label!r}")
            next_lower = hi_excl
    if not lowers or _OPEN.match(labels[-1]) is None:
        raise ValueError("the last age group must be open-ended (e.g. '75+')")
    return validate_lower_bounds(lowers)


def validate_lower_bounds(lower_bounds: Sequence[int] | np.ndarray) -> np.ndarray:
    """Check and return lower bounds as an int array: start at 0, strictly increasing, last <= 100."""
    lower = np.asarray(lower_bounds, dtype=np.int64)
    if lower.ndim != 1 or lower.size == 0 or lower[0] != 0:
        raise ValueError("age-group lower bounds must be a non-empty 1-D sequence starting at 0")
    if np.any(np.diff(lower) <= 0) or lower[-1] > MAX_AGE:
        raise ValueError("age-group lower bounds must be strictly increasing and <= 100")
    return lower


def group_index(lower_bounds: Sequence[int] | np.ndarray) -> np.ndarray:
    """Group index (0..G-1) of every single age 0..100."""
    lower = validate_lower_bounds(lower_bounds)
    return np.searchsorted(lower, np.arange(N_AGES), side="right") - 1


def default_weights(lower_bounds: Sequence[int] | np.ndarray, top_decline: float = DEFAULT_TOP_DECLINE) -> np.ndarray:
    """Default within-group weights (101,): uniform in bounded groups, geometric in the open top group.

    The weights of every group sum to 1.
    """
    if not 0.0 < top_decline < 1.0:
        raise ValueError("top_decline must be in (0, 1)")
    lower = validate_lower_bounds(lower_bounds)
    gidx = group_index(lower)
    w = np.ones(N_AGES)
    top = int(lower[-1])
    if top < MAX_AGE:
        k = np.arange(MAX_AGE - top + 1, dtype=float)
        w[top:] = top_decline**k
        w[MAX_AGE] = top_decline ** (MAX_AGE - top) / (1.0 - top_decline)  # whole tail 100, 101, ...
    sums = np.bincount(gidx, weights=w)
    return w / sums[gidx]


def expand_age_groups(
    counts: np.ndarray,
    lower_bounds: Sequence[int] | np.ndarray,
    reference: np.ndarray | None = None,
    top_decline: float = DEFAULT_TOP_DECLINE,
) -> np.ndarray:
    """Expand ``counts`` (..., G) to single years (..., 101) preserving every group total.

    ``reference`` (broadcastable to ``(..., 101)``, non-negative) gives the within-group shape, e.g. the
    Kreis single-year structure repeated for each Gemeinde of the Kreis. Groups whose reference total is 0
    (or everything when ``reference`` is None) use :func:`default_weights`.
    """
    counts = np.asarray(counts, dtype=float)
    lower = validate_lower_bounds(lower_bounds)
    if counts.shape[-1] != lower.size:
        raise ValueError(f"counts have {counts.shape[-1]} groups but {lower.size} lower bounds were given")
    if np.any(counts < 0) or not np.all(np.isfinite(counts)):
        raise ValueError("counts must be finite and non-negative")
    gidx = group_index(lower)
    weights = default_weights(lower, top_decline)  # (101,)
    if reference is not None:
        ref = np.asarray(reference, dtype=float)
        if ref.shape[-1] != N_AGES:
            raise ValueError("reference must have 101 single ages in its last axis")
        if np.any(ref < 0) or not np.all(np.isfinite(ref)):
            raise ValueError("reference must be finite and non-negative")
        ref_group = np.add.reduceat(ref, lower, axis=-1)  # (..., G)
        ref_group_per_age = ref_group[..., gidx]  # (..., 101)
        has_ref = ref_group_per_age > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            shaped = np.where(has_ref, ref / np.where(has_ref, ref_group_per_age, 1.0), weights)
        weights = shaped
    return counts[..., gidx] * weights


def aggregate_to_groups(single_years: np.ndarray, lower_bounds: Sequence[int] | np.ndarray) -> np.ndarray:
    """Inverse of the expansion: sum single years (..., 101) into groups (..., G)."""
    lower = validate_lower_bounds(lower_bounds)
    return np.add.reduceat(np.asarray(single_years, dtype=float), lower, axis=-1)
