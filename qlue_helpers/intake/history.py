"""Build one row per report from a status history (one row per change).

From the changes of a report, in time order (file order breaks ties):

- ``responded_at``: the first change to anything but merah;
- ``completed_at``: if the report ends hijau, when it last became hijau (a fix
  that was disputed and redone counts from the redone fix); missing otherwise;
- ``status``: the last status;
- ``times_reopened``: how often it went from hijau back to merah or kuning.

``created_at`` is the source's creation time when the profile maps one, else
the time of the first change. Other fields take the report's first non-empty
value.
"""

from __future__ import annotations

import pandas as pd

from qlue_helpers.canonical import STATUSES

_CODES = {status: code for code, status in enumerate(STATUSES)}
_KEPT = [
    "category",
    "description",
    "kode_kelurahan",
    "kelurahan",
    "kecamatan",
    "kota",
    "lat",
    "lon",
    "created_at",
    "_area_problem",
]


def collapse(rows: pd.DataFrame, created_mapped: bool) -> pd.DataFrame:
    """Turn history rows into reports.

    Parameters
    ----------
    rows : pandas.DataFrame
        Checked history rows: ``report_id``, ``status``, ``status_time`` and
        the report's fields.
    created_mapped : bool
        Whether the export has its own creation time.

    Returns
    -------
    pandas.DataFrame
        One row per report, indexed by ``report_id``, with the canonical
        fields, ``times_reopened`` and ``last_reopened_at``.
    """
    ordered = rows.assign(code=rows["status"].map(_CODES).astype("int8")).sort_values(
        ["report_id", "status_time"], kind="stable"
    )
    report = ordered["report_id"]
    previous = ordered["code"].shift().where(report.eq(report.shift()))
    became_hijau = ordered["code"].eq(2) & previous.ne(2)
    reopened = previous.eq(2) & ordered["code"].lt(2)
    changes = ordered.assign(
        answered_at=ordered["status_time"].where(ordered["code"].gt(0)),
        hijau_at=ordered["status_time"].where(became_hijau),
        reopened_at=ordered["status_time"].where(reopened),
        reopened=reopened,
    ).groupby("report_id", sort=False)

    reports = (
        changes[_KEPT]
        .first()
        .assign(
            responded_at=changes["answered_at"].min(),
            last_hijau=changes["hijau_at"].max(),
            status=changes["status"].last(),
            first_change=changes["status_time"].min(),
            times_reopened=changes["reopened"].sum().astype("int64"),
            last_reopened_at=changes["reopened_at"].max(),
            _unreadable_point=changes["_unreadable_point"].any(),
            _unreadable_time=False,
            _status_time_blank=False,
        )
    )
    return _with_times(reports, created_mapped)


def _with_times(reports: pd.DataFrame, created_mapped: bool) -> pd.DataFrame:
    created = reports["created_at"] if created_mapped else reports["first_change"]
    return reports.assign(
        created_at=created,
        completed_at=reports["last_hijau"].where(reports["status"].eq("hijau")),
        _created_blank=created.isna(),
        _area_problem=reports["_area_problem"].where(reports["kode_kelurahan"].isna()),
    ).drop(columns=["last_hijau", "first_change"])
