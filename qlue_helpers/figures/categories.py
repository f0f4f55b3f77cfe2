"""What the reports are about: the most frequent categories per unit."""

from __future__ import annotations

import pandas as pd

from qlue_helpers.figures.periods import Period
from qlue_helpers.figures.status import (
    LEVEL_COLUMNS,
    every_unit,
    in_period,
    in_scope,
    unit_of,
)

OTHER = "Lainnya"


def top_categories(
    reports: pd.DataFrame,
    areas: pd.DataFrame,
    period: Period,
    top: int = 5,
    level: str = "kecamatan",
) -> pd.DataFrame:
    """Count reports of the period per unit for the scope's top categories.

    The top categories are the ``top`` most frequent in the whole scope
    (ties by name), so every unit has the same columns; every other category
    counts as "Lainnya", and so does a category already named "Lainnya".

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table; reports outside ``areas`` are not counted.
    areas : pandas.DataFrame
        The scope's rows of the official list; every unit gets a row.
    period : Period
        Reports created in it count.
    top : int, default 5
        How many categories get their own column.
    level : {"kota", "kecamatan", "kelurahan"}, default "kecamatan"
        The unit of each row.

    Returns
    -------
    pandas.DataFrame
        The level's code and name columns, ``laporan``, one column per top
        category named after it (most frequent first; fewer when the period
        has fewer categories) and ``Lainnya``, in code order.
    """
    keys = LEVEL_COLUMNS[level]
    chosen = in_period(in_scope(reports, areas), period)
    leaders = _leaders(chosen["category"], top)
    grouped = chosen["category"].where(chosen["category"].isin(leaders), OTHER)

    unit = unit_of(chosen, areas, level)
    counts = pd.crosstab(unit, grouped).reindex(columns=[*leaders, OTHER])

    table = every_unit(counts, areas, level)
    table.insert(len(keys) - 1, "laporan", table[[*leaders, OTHER]].sum(axis=1))
    return table.reset_index()


def _leaders(categories: pd.Series, top: int) -> list[str]:
    counts = categories.loc[categories.ne(OTHER)].value_counts()
    ranked = counts.reset_index().sort_values(
        ["count", "category"], ascending=[False, True]
    )
    return ranked["category"].head(top).tolist()
