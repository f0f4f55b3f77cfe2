"""The backlog at the close of a period: every report still open, and how old.

A report is in the backlog when it is merah or kuning at the close of the
period (see :func:`qlue_helpers.canonical.status_at`), whenever it was
created before the close, not only during the period. Its age is the time
from creation to the close, grouped into :data:`AGE_GROUPS`: ``[0, 1)``,
``[1, 3)``, ``[3, 7)`` and ``[7, inf)`` days, each lower edge included and
upper edge excluded (a report exactly 3 days old is in "3-7 hari").

A backlog report is *overdue* when it has passed a limit of the
:class:`~qlue_helpers.figures.service.ServiceLevels` it has not met: merah
and older than the answer limit, or older than the finish limit whatever its
colour ("older than": an age equal to the limit is not overdue yet).

Who owns a category (a Sudin, Satpol PP, or the kelurahan's own PPSU crews)
comes from ``params/agencies.yaml`` (see
:func:`qlue_helpers.rules.load_agencies`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from qlue_helpers.canonical import status_at
from qlue_helpers.figures.periods import Period
from qlue_helpers.figures.service import ServiceLevels
from qlue_helpers.figures.status import (
    LEVEL_COLUMNS,
    every_unit,
    unit_of,
    with_area_names,
)

AGE_GROUPS = {
    "age_0_1": "< 1 hari",
    "age_1_3": "1-3 hari",
    "age_3_7": "3-7 hari",
    "age_7_plus": "> 7 hari",
}
"""Age group column and its Indonesian label, youngest first."""
AGE_EDGES_DAYS = [0, 1, 3, 7, float("inf")]
OPEN_STATUSES = ["merah", "kuning"]
DEFAULT_AGENCY = "Lainnya / Kelurahan (PPSU)"
LISTED = [
    "report_id",
    "created_date",
    "category",
    "agency",
    "kecamatan",
    "kelurahan",
    "age_hours",
    "status",
]
GROUPS = {"kelurahan": ["kecamatan", "kelurahan"], "agency": ["agency"]}


@dataclass(frozen=True)
class Agencies:
    """Which agency owns which report category.

    Parameters
    ----------
    owners : mapping of str to str
        Category -> agency, e.g. ``{"Jalan rusak": "Sudin Bina Marga"}``.
    default : str
        The owner of every category not in ``owners``.
    """

    owners: Mapping[str, str] = field(default_factory=dict)
    default: str = DEFAULT_AGENCY


@dataclass(frozen=True)
class OverdueList:
    """Overdue reports grouped for reading, capped per group.

    Attributes
    ----------
    rows : pandas.DataFrame
        At most ``limit`` reports per group, groups with the most overdue
        first, each group's oldest first; columns as :func:`overdue_reports`.
    groups : pandas.DataFrame
        One row per group in the same order: the group columns, ``overdue``
        (all its overdue reports), ``shown`` and ``not_shown``.
    """

    rows: pd.DataFrame
    groups: pd.DataFrame


def agency_of(
    categories: pd.Series, owners: Mapping[str, str], default: str = DEFAULT_AGENCY
) -> pd.Series:
    """Return the agency that owns each category.

    Categories match whatever their case and surrounding spaces.

    Parameters
    ----------
    categories : pandas.Series
        Category names, e.g. the canonical ``category`` column.
    owners : mapping of str to str
        Category -> agency.
    default : str
        The agency of categories ``owners`` does not name, and of missing ones.

    Returns
    -------
    pandas.Series
        Agency names (``str``), aligned with ``categories``.
    """
    folded = {name.strip().casefold(): agency for name, agency in owners.items()}
    return (
        categories.astype("str")
        .str.strip()
        .str.casefold()
        .map(folded)
        .fillna(default)
        .astype("str")
        .rename("agency")
    )


def open_reports(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period
) -> pd.DataFrame:
    """Return every report of the scope still open at the close of ``period``.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table; reports outside ``areas`` are left out.
    areas : pandas.DataFrame
        The scope's rows of the official list.
    period : Period
        Statuses and ages are taken at its close; reports created at or
        after it do not exist yet.

    Returns
    -------
    pandas.DataFrame
        ``report_id, created_date`` (day of creation on the period's
        calendar, naive),
        ``category, kode_kelurahan, kecamatan, kelurahan, status, age_hours``
        and ``age_group`` (a key of :data:`AGE_GROUPS`, ordered categorical),
        oldest first. Area names come from ``areas``.
    """
    # TODO: a report re-opened after completion still has its completed_at,
    # so status_at counts it hijau and it is missing here; the table keeps no
    # time of the re-opening (see reopened.py for the list of them).
    chosen = _open_at_close(reports, areas, period)
    return (
        with_area_names(chosen, areas)
        .assign(
            created_date=lambda frame: period.days_of(frame["created_at"]),
            age_group=lambda frame: _age_group(frame["age_hours"]),
        )
        .sort_values(["age_hours", "report_id"], ascending=[False, True])
        .reset_index(drop=True)[
            [
                "report_id",
                "created_date",
                "category",
                "kode_kelurahan",
                "kecamatan",
                "kelurahan",
                "status",
                "age_hours",
                "age_group",
            ]
        ]
    )


def backlog_summary(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period, level: str
) -> pd.DataFrame:
    """Count the backlog at the close of ``period`` for every unit of one level.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    areas : pandas.DataFrame
        The scope's rows of the official list; every unit gets a row.
    period : Period
        The backlog is taken at its close.
    level : {"kota", "kecamatan", "kelurahan"}
        The unit of each row.

    Returns
    -------
    pandas.DataFrame
        The level's code and name columns, ``open`` (backlog reports),
        ``merah``, ``kuning`` and one count per age group (``age_0_1``,
        ``age_1_3``, ``age_3_7``, ``age_7_plus``), in code order.
    """
    keys = LEVEL_COLUMNS[level]
    backlog = _open_at_close(reports, areas, period, ["kode_kelurahan"])

    # Count per kelurahan first, then add the kelurahan up into units: a few
    # dozen rows to look up instead of every open report.
    codes, kelurahan = pd.factorize(backlog["kode_kelurahan"])
    ages = _age_group(backlog["age_hours"])
    groups = {
        **{status: backlog["status"].eq(status) for status in OPEN_STATUSES},
        **{group: ages.eq(group) for group in AGE_GROUPS},
    }
    counts = pd.DataFrame(
        {
            name: np.bincount(codes[chosen.to_numpy()], minlength=len(kelurahan))
            for name, chosen in groups.items()
        }
    )
    unit = unit_of(pd.DataFrame({"kode_kelurahan": kelurahan}), areas, level)

    table = every_unit(counts.groupby(unit).sum(), areas, level)
    table.insert(len(keys) - 1, "open", table[OPEN_STATUSES].sum(axis=1))
    return table.reset_index()


def backlog_total(summary: pd.DataFrame) -> pd.Series:
    """Sum the counts of a :func:`backlog_summary` table, e.g. for a total row.

    Returns
    -------
    pandas.Series
        ``open``, ``merah``, ``kuning`` and the age group counts.
    """
    return summary[["open", *OPEN_STATUSES, *AGE_GROUPS]].sum().astype("int64")


def overdue_reports(
    reports: pd.DataFrame,
    areas: pd.DataFrame,
    period: Period,
    levels: ServiceLevels,
    agencies: Agencies,
) -> pd.DataFrame:
    """Return the backlog reports that are overdue at the close, oldest first.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    areas : pandas.DataFrame
        The scope's rows of the official list.
    period : Period
        Taken at its close.
    levels : ServiceLevels
        The limits that make a report overdue (see the module's docstring).
    agencies : Agencies
        Who owns each category.

    Returns
    -------
    pandas.DataFrame
        ``report_id, created_date, category, agency, kecamatan, kelurahan,
        age_hours, status``: what a reader needs to find the report, and
        nothing about who reported it.
    """
    backlog = open_reports(reports, areas, period)
    unanswered = backlog["status"].eq("merah") & backlog["age_hours"].gt(
        levels.answer_hours
    )
    unfinished = backlog["age_hours"].gt(levels.finish_hours)

    return (
        backlog.loc[unanswered | unfinished]
        .assign(
            agency=lambda frame: agency_of(
                frame["category"], agencies.owners, agencies.default
            )
        )
        .reset_index(drop=True)[LISTED]
    )


def overdue_list(overdue: pd.DataFrame, by: str, limit: int = 10) -> OverdueList:
    """Group overdue reports by kelurahan or agency, at most ``limit`` each.

    Parameters
    ----------
    overdue : pandas.DataFrame
        From :func:`overdue_reports`.
    by : {"kelurahan", "agency"}
        Group by kelurahan (with its kecamatan) or by owning agency.
    limit : int, default 10
        Most reports shown per group; the rest are only counted.

    Returns
    -------
    OverdueList
        The rows shown and, per group, how many there are and are not shown.
    """
    keys = GROUPS[by]
    groups = (
        overdue.groupby(keys, as_index=False)
        .size()
        .rename(columns={"size": "overdue"})
        .sort_values(["overdue", *keys], ascending=[False, *[True] * len(keys)])
        .assign(shown=lambda frame: frame["overdue"].clip(upper=limit))
        .assign(not_shown=lambda frame: frame["overdue"] - frame["shown"])
        .reset_index(drop=True)
    )

    order = groups[keys].assign(group_order=range(len(groups)))
    rows = (
        overdue.merge(order, on=keys)
        .sort_values(
            ["group_order", "age_hours", "report_id"], ascending=[True, False, True]
        )
        .groupby("group_order")
        .head(limit)
        .reset_index(drop=True)[LISTED]
    )
    return OverdueList(rows=rows, groups=groups)


def _open_at_close(
    reports: pd.DataFrame,
    areas: pd.DataFrame,
    period: Period,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """Return the scope's reports created before the close and not done by then.

    Only ``columns`` (default: all) are kept, with ``status`` at the close and
    ``age_hours``.
    """
    status = status_at(reports, period.closes)
    wanted = (
        status.isin(OPEN_STATUSES)
        & reports["created_at"].lt(period.closes)
        & reports["kode_kelurahan"].isin(areas["kode_kelurahan"])
    )
    created = reports["created_at"].loc[wanted]
    chosen = reports.loc[wanted, columns] if columns else reports.loc[wanted]
    return chosen.assign(
        status=status.loc[wanted],
        age_hours=(period.closes - created) / pd.Timedelta(hours=1),
    )


def _age_group(age_hours: pd.Series) -> pd.Series:
    return pd.cut(
        age_hours / 24,
        bins=AGE_EDGES_DAYS,
        right=False,
        labels=list(AGE_GROUPS),
    )
