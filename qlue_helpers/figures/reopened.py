"""Re-opened reports: finished once, then sent back by the citizens.

A report is re-opened when its exported ``status`` is merah or kuning
although it has a ``completed_at``: it was closed as done, then disputed
(citizens rated the fix 1-2 stars) and went back. The table keeps no time of
the re-opening, so this is the state at the export, not at the close of the
period; the period only decides which reports exist yet (created before its
close).
"""

from __future__ import annotations

import pandas as pd

from qlue_helpers.figures.backlog import OPEN_STATUSES
from qlue_helpers.figures.periods import Period
from qlue_helpers.figures.status import every_unit, in_scope, unit_of, with_area_names


def reopened_reports(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period
) -> pd.DataFrame:
    """List the re-opened reports of the scope, oldest first.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    areas : pandas.DataFrame
        The scope's rows of the official list.
    period : Period
        Reports created before its close count.

    Returns
    -------
    pandas.DataFrame
        ``report_id, created_date, completed_date`` (days on the period's
        calendar, naive),
        ``category, kode_kelurahan, kecamatan, kelurahan, status`` (as
        exported).
    """
    chosen = in_scope(reports, areas)
    went_back = (
        chosen["created_at"].lt(period.closes)
        & chosen["completed_at"].notna()
        & chosen["status"].isin(OPEN_STATUSES)
    )

    return (
        with_area_names(chosen.loc[went_back], areas)
        .assign(
            created_date=lambda frame: period.days_of(frame["created_at"]),
            completed_date=lambda frame: period.days_of(frame["completed_at"]),
        )
        .sort_values(["created_date", "report_id"])
        .reset_index(drop=True)[
            [
                "report_id",
                "created_date",
                "completed_date",
                "category",
                "kode_kelurahan",
                "kecamatan",
                "kelurahan",
                "status",
            ]
        ]
    )


def reopened_summary(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period, level: str
) -> pd.DataFrame:
    """Count the re-opened reports of every unit of one level.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    areas : pandas.DataFrame
        The scope's rows of the official list; every unit gets a row.
    period : Period
        Reports created before its close count.
    level : {"kota", "kecamatan", "kelurahan"}
        The unit of each row.

    Returns
    -------
    pandas.DataFrame
        The level's code and name columns and ``reopened``, in code order.
    """
    listed = reopened_reports(reports, areas, period)
    counts = unit_of(listed, areas, level).value_counts().rename("reopened")
    return every_unit(counts.to_frame(), areas, level).reset_index()
