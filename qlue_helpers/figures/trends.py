"""Trends over the last weeks: is each unit keeping up, and how ranks moved.

Each week of a trend is the report's period moved back by whole weeks
(:meth:`~qlue_helpers.figures.periods.Period.shifted`), so every point is the
figure that week's own report showed. With the default eight-day period
("20-27 November", both ends included) neighbouring weeks share a day, and a
report created on that day counts in both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qlue_helpers.errors import ParameterError
from qlue_helpers.figures.periods import Period
from qlue_helpers.figures.ranking import ScoringRule, rank_kelurahan
from qlue_helpers.figures.status import LEVEL_COLUMNS, in_scope, unit_of
from qlue_helpers.figures.timings import HOUR

TREND_FIGURES = ["laporan", "completion_rate", "completion_median_hours"]


def weekly_periods(period: Period, weeks: int) -> list[Period]:
    """Return ``weeks`` periods a week apart, oldest first, ending with ``period``.

    Parameters
    ----------
    period : Period
        The report's period, the last of the list.
    weeks : int
        How many periods, 1 or more.

    Returns
    -------
    list of Period

    Raises
    ------
    ParameterError
        If ``weeks`` is below 1.
    """
    if weeks < 1:
        raise ParameterError(
            f"A trend needs 1 week or more, but weeks={weeks} was given. "
            "Pass how many weeks to show, e.g. weeks=8."
        )
    return [period.shifted(-back) for back in range(weeks - 1, -1, -1)]


def weeks_covered(reports: pd.DataFrame, period: Period, weeks: int) -> int:
    """Return how many of ``weeks`` trend periods the data covers from their start.

    A week that begins before the first report in the data would show zeros
    that mean "no data", not "no reports"; the trend leaves such weeks out.
    The report's own period always counts.
    """
    if reports.empty:
        return 1
    first = reports["created_at"].min().floor("D")
    covered = [p for p in weekly_periods(period, weeks) if p.opens >= first]
    return max(1, len(covered))


def weekly_trends(
    reports: pd.DataFrame,
    areas: pd.DataFrame,
    period: Period,
    weeks: int = 8,
    level: str = "kecamatan",
) -> pd.DataFrame:
    """Give each unit's weekly figures over the last ``weeks`` weeks.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table; reports outside ``areas`` are not counted.
    areas : pandas.DataFrame
        The scope's rows of the official list; every unit gets every week.
    period : Period
        The report's period, the last week of the trend.
    weeks : int, default 8
        How many weeks.
    level : {"kota", "kecamatan", "kelurahan"}, default "kecamatan"
        The unit of each row.

    Returns
    -------
    pandas.DataFrame
        One row per unit and week, by unit code then week: ``week_offset``
        (0 for ``period``, -1 the week before, ...), ``period_start`` and
        ``period_last_day`` (naive dates), the level's code and name columns,
        ``laporan`` (reports created that week), ``hijau`` (of those, done
        at the week's close), ``completion_rate`` (``hijau / laporan``),
        ``completion_median_hours`` and ``completion_median_pending`` (as
        in :func:`~qlue_helpers.figures.timings.timing_summary`), then the
        change from the week before: ``laporan_change`` (``Int64``),
        ``completion_rate_change`` and ``completion_median_change`` (missing
        in the first week or where either week's figure is missing).
    """
    keys = LEVEL_COLUMNS[level]
    periods = weekly_periods(period, weeks)
    # Each week counts only reports created within it: cut the rest once.
    created = reports["created_at"]
    window = reports.loc[created.ge(periods[0].opens) & created.lt(period.closes)]
    chosen = in_scope(window, areas)
    figures = _week_figures(chosen, unit_of(chosen, areas, level), periods)

    units = areas[keys].drop_duplicates(keys[0]).sort_values(keys[0])
    table = _every_week(figures, units, periods)[
        [
            "week_offset",
            "period_start",
            "period_last_day",
            *keys,
            "laporan",
            "hijau",
            "completion_rate",
            "completion_median_hours",
            "completion_median_pending",
        ]
    ]
    return _with_changes(table, keys[0])


def rank_changes(
    reports: pd.DataFrame,
    areas: pd.DataFrame,
    period: Period,
    rule: ScoringRule,
    min_reports: int = 0,
) -> pd.DataFrame:
    """Rank the kelurahan for ``period`` and the week before, side by side.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    areas : pandas.DataFrame
        The kelurahan to rank.
    period : Period
        The report's period; the week before is ``period.shifted(-1)``.
    rule : ScoringRule
        Points per status.
    min_reports : int, default 0
        As in :func:`~qlue_helpers.figures.ranking.rank_kelurahan`, for both
        weeks.

    Returns
    -------
    pandas.DataFrame
        The current ranking's rows and order (:func:`rank_kelurahan`), with
        ``rank_previous``, ``points_previous``, ``laporan_previous`` and
        ``rank_change`` (``rank_previous - rank``: positive means moved up;
        missing when either week has no rank). Ranks are ``Int64``.
    """
    current = rank_kelurahan(reports, areas, period, rule, min_reports)
    previous = rank_kelurahan(reports, areas, period.shifted(-1), rule, min_reports)
    before = previous[["kode_kelurahan", "rank", "points", "laporan"]].rename(
        columns=lambda name: name if name == "kode_kelurahan" else f"{name}_previous"
    )

    table = current.merge(before, on="kode_kelurahan", how="left")
    return table.assign(rank_change=table["rank_previous"] - table["rank"])


def _every_week(
    figures: pd.DataFrame, units: pd.DataFrame, periods: list[Period]
) -> pd.DataFrame:
    """Give every unit a row for every week, zero reports where it had none."""
    code = units.columns[0]
    offsets = range(1 - len(periods), 1)
    grid = pd.MultiIndex.from_product(
        [units[code], offsets], names=[code, "week_offset"]
    )
    table = (
        figures.reindex(grid)
        .fillna({"laporan": 0, "hijau": 0, "completion_median_pending": False})
        .astype(
            {"laporan": "int64", "hijau": "int64", "completion_median_pending": bool}
        )
        .reset_index()
        .merge(units, on=code)
    )

    weeks = dict(zip(offsets, periods, strict=True))
    return table.assign(
        completion_rate=table["hijau"] / table["laporan"].where(table["laporan"] > 0),
        period_start=table["week_offset"].map(lambda o: pd.Timestamp(weeks[o].start)),
        period_last_day=table["week_offset"].map(
            lambda o: pd.Timestamp(weeks[o].last_day)
        ),
    )


def _with_changes(table: pd.DataFrame, code: str) -> pd.DataFrame:
    """Add each figure's change from the unit's week before."""
    previous = table.groupby(code)[TREND_FIGURES].shift(1)
    changes = (table[TREND_FIGURES] - previous).set_axis(
        ["laporan_change", "completion_rate_change", "completion_median_change"],
        axis=1,
    )
    return (
        pd.concat([table, changes], axis=1)
        .astype({"laporan_change": "Int64"})
        .reset_index(drop=True)
    )


def _week_figures(
    reports: pd.DataFrame, unit: pd.Series, periods: list[Period]
) -> pd.DataFrame:
    """Count and time each unit's reports created in each of ``periods``.

    Indexed by unit code and ``week_offset`` (units with no reports left
    out): ``laporan``, ``hijau`` (done by the week's close),
    ``completion_median_hours`` and ``completion_median_pending``, the median
    taken as in :func:`~qlue_helpers.figures.timings.censored_quantile`.
    """
    codes, units = pd.factorize(unit)
    created, completed = reports["created_at"], reports["completed_at"]
    hours = ((completed - created) / HOUR).to_numpy("float64", na_value=np.nan)

    weeks = []
    for offset, week in zip(range(1 - len(periods), 1), periods, strict=True):
        rows = np.flatnonzero(week.contains(created).to_numpy())
        done = completed.iloc[rows].lt(week.closes).to_numpy()
        figures = _median_by_unit(
            codes[rows], np.where(done, hours[rows], np.inf), len(units)
        )
        figures["hijau"] = np.bincount(codes[rows], done, len(units))
        weeks.append(pd.DataFrame(figures, index=units).assign(week_offset=offset))

    table = pd.concat(weeks).rename_axis(unit.name)
    return table.loc[table["laporan"] > 0].set_index("week_offset", append=True)


def _median_by_unit(
    codes: np.ndarray, hours: np.ndarray, units: int
) -> dict[str, np.ndarray]:
    """Count and nearest-rank median per unit code; open reports are ``inf``."""
    sizes = np.bincount(codes, minlength=units)
    order = np.lexsort((hours, codes))
    starts = np.cumsum(sizes) - sizes
    ranks = np.ceil(np.round(0.5 * sizes, 9)).astype("int64")
    median = np.full(len(sizes), np.nan)
    has = sizes > 0
    median[has] = hours[order][(starts + ranks - 1)[has]]
    return {
        "laporan": sizes,
        "completion_median_hours": np.where(np.isinf(median), np.nan, median),
        "completion_median_pending": np.isinf(median),
    }
