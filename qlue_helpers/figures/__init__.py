"""Figures of the report: plain functions from canonical tables to DataFrames.

Nothing here reads files, starts kernels or sends mail; every function takes
the canonical table (see :mod:`qlue_helpers.canonical`) and plain values.
"""

from qlue_helpers.figures.headline import headline
from qlue_helpers.figures.periods import Period
from qlue_helpers.figures.ranking import ScoringRule, rank_kelurahan
from qlue_helpers.figures.status import (
    in_categories,
    in_period,
    in_scope,
    status_counts,
    status_summary,
    with_total,
)

__all__ = [
    "Period",
    "ScoringRule",
    "headline",
    "in_categories",
    "in_period",
    "in_scope",
    "rank_kelurahan",
    "status_counts",
    "status_summary",
    "with_total",
]
