"""Service levels: the share of reports answered and finished within a limit.

The rule. A report is *due* for a limit once the limit has fully passed
before the close of the period: its age at the close is more than the limit.
Only due reports are judged, so every one of them has a settled outcome: it
was handled within the limit (a time equal to the limit counts as within) or
it was not, whether it was handled late or is still open. Reports not yet
due are left out of the share, even those already handled, and counted on
their own: counting the quick ones while the slow ones may still make it
would flatter a kelurahan. The share is ``*_within / *_due``, missing when
nothing is due.

Limits come from ``params/service_levels.yaml`` (see
:func:`qlue_helpers.rules.load_service_levels`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from qlue_helpers.figures.periods import Period
from qlue_helpers.figures.status import every_unit, unit_of
from qlue_helpers.figures.timings import report_times

TARGETS = {"answered": "response", "finished": "completion"}
"""Service-level name and the time it judges, see :mod:`.timings`."""
COUNTS = ("due", "within", "not_due")


@dataclass(frozen=True)
class ServiceLevels:
    """The time limits a report should be answered and finished within.

    Parameters
    ----------
    answer_hours : float
        Limit from creation to the first response, in hours.
    finish_hours : float
        Limit from creation to completion, in hours.
    name : str
        Short identifier, shown beside the figures.
    note : str
        What the limits are based on, for readers.
    """

    answer_hours: float = 24.0
    finish_hours: float = 120.0
    name: str = "standar"
    note: str = ""

    def limit(self, target: str) -> float:
        """Return the limit in hours for ``"answered"`` or ``"finished"``."""
        return self.answer_hours if target == "answered" else self.finish_hours


def service_summary(
    reports: pd.DataFrame,
    areas: pd.DataFrame,
    period: Period,
    levels: ServiceLevels,
    level: str,
) -> pd.DataFrame:
    """Give the service levels of every unit of one level.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table; reports outside ``areas`` are not counted.
    areas : pandas.DataFrame
        The scope's rows of the official list.
    period : Period
        Reports created in it count, judged at its close.
    levels : ServiceLevels
        The limits.
    level : {"kota", "kecamatan", "kelurahan"}
        The unit of each row; every unit of ``areas`` gets one.

    Returns
    -------
    pandas.DataFrame
        The level's code and name columns, ``laporan``, then for
        ``answered`` and ``finished``: ``*_due``, ``*_within``,
        ``*_within_share`` and ``*_not_due``, as the module describes. In
        code order.
    """
    judged = _judged(reports, areas, period, levels)
    unit = unit_of(judged, areas, level)
    counts = judged.drop(columns="kode_kelurahan").groupby(unit).sum()
    return _with_shares(every_unit(counts, areas, level)).reset_index()


def service_total(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period, levels: ServiceLevels
) -> pd.Series:
    """Give the figures of :func:`service_summary` for the whole scope at once.

    Returns
    -------
    pandas.Series
        ``laporan`` and the ``answered_*`` and ``finished_*`` figures.
    """
    counts = _judged(reports, areas, period, levels).drop(columns="kode_kelurahan")
    total = _with_shares(counts.sum().astype("int64").to_frame().T)
    return pd.Series(total.to_dict(orient="records")[0], dtype=object)


def _judged(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period, levels: ServiceLevels
) -> pd.DataFrame:
    """One row per report: 1/0 for being counted, due, within and not due."""
    times = report_times(reports, areas, period)
    judged = times[["kode_kelurahan"]].assign(laporan=1)
    for target, measure in TARGETS.items():
        limit = levels.limit(target)
        due = times["age_hours"].gt(limit)
        within = due & times[f"{measure}_hours"].le(limit)
        judged[f"{target}_due"] = due.astype("int64")
        judged[f"{target}_within"] = within.astype("int64")
        judged[f"{target}_not_due"] = (~due).astype("int64")
    return judged


def _with_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Put each target's share after its ``*_within``; other columns lead."""
    figures = ["laporan"]
    for target in TARGETS:
        due = table[f"{target}_due"]
        share = table[f"{target}_within"].div(due.where(due > 0))
        table = table.assign(**{f"{target}_within_share": share.astype("float64")})
        figures += [f"{target}_{name}" for name in ("due", "within", "within_share")]
        figures.append(f"{target}_not_due")

    names = [column for column in table.columns if column not in figures]
    return table[names + figures]
