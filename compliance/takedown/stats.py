"""Median, 90th percentile and elapsed hours: the transparency figures and the per-ticket hours both use these."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime


def median(values: Iterable[float]) -> float | None:
    """The middle value; with an even count, the mean of the two middle ones (DSA Art. 15 "median time")."""
    ordered = sorted(values)
    if not ordered:
        return None
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


def p90(values: Iterable[float]) -> float | None:
    """Nearest-rank 90th percentile: the smallest value at or above 90% of the cases (an observed value)."""
    # Nearest rank (no interpolation) so the figure is always a time some case actually took.
    ordered = sorted(values)
    if not ordered:
        return None
    return float(ordered[max(math.ceil(0.9 * len(ordered)), 1) - 1])


def hours_between(start: datetime, end: datetime) -> float:
    """Elapsed hours between two aware instants."""
    return (end - start).total_seconds() / 3600


__all__ = ["hours_between", "median", "p90"]
