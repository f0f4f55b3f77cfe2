"""Response and completion times, with reports still open counted as open.

Both times run from ``created_at``: the response time to the first response
(``responded_at``, or ``completed_at`` when that came first or alone, since a
finished report has been answered), the completion time to ``completed_at``.
They are measured at the close of the period, like the statuses: an event at
or after the close has not happened yet.

The censoring rule. A report still without its response (or completion) at
the close is open: its time is at least its age at the close, and nobody
knows yet how much longer. So it is never averaged in as fast or dropped as
if it did not exist: it sorts after every measured time, as if its time were
infinite. A quantile is the nearest-rank one, the ``ceil(q * n)``-th shortest
of the ``n`` reports: the shortest time within which at least a share ``q``
of them were handled (the median of four reports is the second shortest).
When that report is an open one, the figure is not known yet: it is missing
and its ``*_pending`` flag is true. Hence the median is known exactly when at
most half the reports are open, and the 90th percentile when at most a tenth
are. A known figure is what the close can vouch for; reports still open can
only lower it later, by finishing sooner than it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from qlue_helpers.figures.periods import Period
from qlue_helpers.figures.status import (
    AREA_NAMES,
    LEVEL_COLUMNS,
    in_period,
    in_scope,
    unit_of,
    with_area_names,
)

MEASURES = ("response", "completion")
QUANTILES = {"median": 0.5, "p90": 0.9}
HOUR = pd.Timedelta(hours=1)


def report_times(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period
) -> pd.DataFrame:
    """Return the response and completion time of each report of the period.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    areas : pandas.DataFrame
        The scope's rows of the official list; other reports are left out.
    period : Period
        Reports created in it count, measured at its close.

    Returns
    -------
    pandas.DataFrame
        One row per report: ``report_id, kode_kelurahan, kelurahan,
        kecamatan, category, age_hours`` (from creation to the close), then
        ``response_hours`` and ``completion_hours`` (missing while open) and
        the flags ``response_open`` and ``completion_open``. Area names come
        from ``areas``.
    """
    chosen = in_period(in_scope(reports, areas), period)
    created = chosen["created_at"]
    answered = chosen[["responded_at", "completed_at"]].min(axis=1)
    events = {"response": answered, "completion": chosen["completed_at"]}

    times = chosen[["report_id", "kode_kelurahan", "category"]].assign(
        age_hours=(period.closes - created) / HOUR
    )
    for measure, moment in events.items():
        seen = moment.lt(period.closes)
        times[f"{measure}_hours"] = ((moment - created) / HOUR).where(seen)
        times[f"{measure}_open"] = ~seen

    return with_area_names(times, areas)[
        ["report_id", *AREA_NAMES, "category", "age_hours", *_time_columns()]
    ]


def censored_quantile(hours: pd.Series, q: float) -> float:
    """Return the nearest-rank quantile of times where open ones are infinite.

    Parameters
    ----------
    hours : pandas.Series
        Times in hours; ``numpy.inf`` for a report still open.
    q : float
        Share between 0 (excluded) and 1, e.g. 0.5 for the median.

    Returns
    -------
    float
        The ``ceil(q * n)``-th shortest time; ``inf`` when that is an open
        report (not known yet), ``nan`` when there are no times.
    """
    if hours.empty:
        return math.nan
    rank = math.ceil(round(q * len(hours), 9))
    return float(np.sort(hours.to_numpy(dtype="float64"))[rank - 1])


def timing_summary(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period, level: str
) -> pd.DataFrame:
    """Give the response and completion times of every unit of one level.

    See the module's docstring for how open reports count.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table; reports outside ``areas`` are not counted.
    areas : pandas.DataFrame
        The scope's rows of the official list.
    period : Period
        Reports created in it count, measured at its close.
    level : {"kota", "kecamatan", "kelurahan"}
        The unit of each row; every unit of ``areas`` gets one.

    Returns
    -------
    pandas.DataFrame
        The level's code and name columns and ``laporan`` (reports created
        in the period); then for ``response`` and ``completion``:
        ``*_done`` (handled by the close), ``*_open`` (not yet),
        ``*_median_hours``, ``*_median_pending``, ``*_p90_hours`` and
        ``*_p90_pending``. A figure is missing with its pending flag false
        when the unit has no reports, missing with the flag true when open
        reports keep it unknown. In code order.
    """
    keys = LEVEL_COLUMNS[level]
    times = report_times(reports, areas, period)
    groups = dict(list(times.groupby(unit_of(times, areas, level))))

    units = areas[keys].drop_duplicates(keys[0]).sort_values(keys[0])
    figures = [
        unit_timings(groups.get(code, times.iloc[0:0])) for code in units[keys[0]]
    ]
    return pd.concat(
        [units.reset_index(drop=True), pd.DataFrame(figures)], axis=1
    ).astype(_dtypes())


def timing_total(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period
) -> pd.Series:
    """Give the figures of :func:`timing_summary` for the whole scope at once.

    Returns
    -------
    pandas.Series
        ``laporan`` and the ``response_*`` and ``completion_*`` figures,
        e.g. for the total row of a table.
    """
    return pd.Series(unit_timings(report_times(reports, areas, period)))


def unit_timings(times: pd.DataFrame) -> dict[str, int | float | bool]:
    """Summarise the rows of :func:`report_times` that belong to one unit.

    Returns
    -------
    dict
        ``laporan`` and, per measure, counts, quantiles and pending flags as
        described in :func:`timing_summary`.
    """
    figures: dict[str, int | float | bool] = {"laporan": len(times)}
    for measure in MEASURES:
        hours = times[f"{measure}_hours"].where(~times[f"{measure}_open"], np.inf)
        figures[f"{measure}_done"] = int((~times[f"{measure}_open"]).sum())
        figures[f"{measure}_open"] = int(times[f"{measure}_open"].sum())
        for name, q in QUANTILES.items():
            value = censored_quantile(hours, q)
            figures[f"{measure}_{name}_hours"] = value if value < np.inf else math.nan
            figures[f"{measure}_{name}_pending"] = value == np.inf
    return figures


def _time_columns() -> list[str]:
    return [f"{m}_{part}" for m in MEASURES for part in ("hours", "open")]


def _dtypes() -> dict[str, str]:
    kinds = {"done": "int64", "open": "int64"}
    for name in QUANTILES:
        kinds |= {f"{name}_hours": "float64", f"{name}_pending": "bool"}
    return {"laporan": "int64"} | {
        f"{measure}_{part}": kind
        for measure in MEASURES
        for part, kind in kinds.items()
    }
