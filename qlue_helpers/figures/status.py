"""Status counts: how many reports came in and where they stand."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from qlue_helpers.canonical import STATUSES, status_at
from qlue_helpers.figures.periods import Period

LEVEL_COLUMNS = {
    "kota": ["kode_kota", "kota"],
    "kecamatan": ["kode_kecamatan", "kecamatan"],
    "kelurahan": ["kode_kelurahan", "kelurahan", "kecamatan"],
}
SHARE_COLUMNS = [f"share_{status}" for status in STATUSES]
AREA_NAMES = ["kode_kelurahan", "kelurahan", "kecamatan"]


def unit_of(reports: pd.DataFrame, areas: pd.DataFrame, level: str) -> pd.Series:
    """Return the code of each report's unit at ``level`` (missing outside ``areas``).

    The series is named after the level's code column, so grouping by it
    gives tables indexed the way :func:`every_unit` expects.
    """
    code = LEVEL_COLUMNS[level][0]
    codes = areas.set_index("kode_kelurahan", drop=False)[code]
    return reports["kode_kelurahan"].map(codes).rename(code)


def with_area_names(rows: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Give rows the official kecamatan and kelurahan names of their kelurahan code.

    Names the rows carry (as exported) are replaced; rows keep their order and
    the names come last.
    """
    names = areas[AREA_NAMES].drop_duplicates("kode_kelurahan")
    kept = rows.drop(columns=["kecamatan", "kelurahan"], errors="ignore")
    return kept.merge(names, on="kode_kelurahan", how="left")


def every_unit(counts: pd.DataFrame, areas: pd.DataFrame, level: str) -> pd.DataFrame:
    """Put per-unit counts beside every unit of ``level``, zero where it has none.

    Parameters
    ----------
    counts : pandas.DataFrame
        Whole-number columns indexed by the level's code (see :func:`unit_of`).
    areas : pandas.DataFrame
        The scope's rows of the official list.
    level : {"kota", "kecamatan", "kelurahan"}
        The unit of each row.

    Returns
    -------
    pandas.DataFrame
        Indexed by the level's code, in code order: its name columns, then
        ``counts`` as ``int64``.
    """
    keys = LEVEL_COLUMNS[level]
    units = areas[keys].drop_duplicates(keys[0]).set_index(keys[0]).sort_index()
    filled = units.join(counts).fillna(dict.fromkeys(counts.columns, 0))
    return filled.astype(dict.fromkeys(counts.columns, "int64"))


def in_scope(reports: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Return the reports whose kelurahan is one of ``areas`` (all: ``reports``)."""
    inside = reports["kode_kelurahan"].isin(areas["kode_kelurahan"])
    return reports if inside.all() else reports.loc[inside]


def in_categories(reports: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """Return the reports of the given categories (any case); all if none given."""
    if not categories:
        return reports
    wanted = {category.casefold() for category in categories}
    return reports.loc[reports["category"].str.casefold().isin(wanted)]


def in_period(reports: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Return the reports created in ``period``, with their status at its close.

    The ``status`` column is replaced by the status at ``period.closes``.
    """
    chosen = reports.loc[period.contains(reports["created_at"])]
    return chosen.assign(status=status_at(chosen, period.closes))


def status_counts(reports: pd.DataFrame, period: Period) -> dict[str, int]:
    """Count reports created in ``period`` by their status at its close.

    Returns
    -------
    dict
        ``{"merah": n, "kuning": n, "hijau": n}``.
    """
    counts = in_period(reports, period)["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def status_summary(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period, level: str
) -> pd.DataFrame:
    """Count reports by status for every unit of one level, empty units included.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table; reports outside ``areas`` are not counted.
    areas : pandas.DataFrame
        Rows of the official list (:func:`qlue_helpers.areas.kelurahan_of`)
        that make up the report's scope.
    period : Period
        Reports created in it count, with their status at its close.
    level : {"kota", "kecamatan", "kelurahan"}
        The unit of each row.

    Returns
    -------
    pandas.DataFrame
        The level's code and name columns, ``laporan`` (reports), ``merah``,
        ``kuning``, ``hijau`` and their shares of ``laporan``
        (``share_merah``, ...; missing where a unit has no reports), in code
        order.
    """
    chosen = in_period(reports, period)
    counts = (
        chosen.groupby([unit_of(chosen, areas, level), "status"], observed=False)
        .size()
        .unstack("status")
        .reindex(columns=list(STATUSES), fill_value=0)
    )
    return _with_shares(every_unit(counts, areas, level)).reset_index()


def with_total(summary: pd.DataFrame, label: str = "Total") -> pd.DataFrame:
    """Append a total row to a :func:`status_summary` table.

    Counts are summed; shares are recomputed from the sums. ``label`` goes in
    the unit name column; code columns stay empty.
    """
    counts = summary[["laporan", *STATUSES]].sum()
    total = pd.DataFrame([counts]).pipe(_with_shares)
    name_column = next(c for c in summary.columns if not c.startswith("kode_"))
    total[name_column] = label
    return pd.concat([summary, total], ignore_index=True)


def _with_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Put ``laporan`` before the status counts and their shares after them."""
    counts = table[list(STATUSES)]
    total = counts.sum(axis=1)
    shares = counts.div(total.where(total > 0), axis=0).set_axis(SHARE_COLUMNS, axis=1)
    names = table.drop(columns=["laporan", *STATUSES, *SHARE_COLUMNS], errors="ignore")
    return pd.concat([names, total.rename("laporan"), counts, shares], axis=1)
