"""Headers and cell formats for the tables of timings, backlog and trends.

:func:`qlue_helpers.display.tables.table` takes ``labels`` and ``formats``
naming only columns the frame has; :func:`labels_for` and :func:`formats_for`
pick them from :data:`LABELS` and the column names. A quantile that open
reports keep unknown (see :mod:`qlue_helpers.figures.timings`) reads "belum
diketahui" once :func:`timing_view` has marked it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from qlue_helpers.display import format as fmt
from qlue_helpers.display.charts import STATUS_LABELS
from qlue_helpers.figures.backlog import AGE_GROUPS

PENDING = "belum diketahui"
_TIMING_LABELS = {
    "laporan": "Laporan",
    "response_done": "Sudah ditanggapi",
    "response_open": "Belum ditanggapi",
    "response_median_hours": "Median waktu tanggapan",
    "response_p90_hours": "Persentil ke-90 waktu tanggapan",
    "completion_done": "Sudah selesai",
    "completion_open": "Belum selesai",
    "completion_median_hours": "Median waktu penyelesaian",
    "completion_p90_hours": "Persentil ke-90 waktu penyelesaian",
    "answered_due": "Jatuh tempo tanggapan",
    "answered_within": "Ditanggapi tepat waktu",
    "answered_within_share": "% ditanggapi tepat waktu",
    "answered_not_due": "Belum jatuh tempo tanggapan",
    "finished_due": "Jatuh tempo penyelesaian",
    "finished_within": "Selesai tepat waktu",
    "finished_within_share": "% selesai tepat waktu",
    "finished_not_due": "Belum jatuh tempo penyelesaian",
}
_BACKLOG_LABELS = {
    "open": "Tunggakan",
    "merah": "Menunggu",
    "kuning": "Proses",
    "hijau": "Selesai",
    **AGE_GROUPS,
    "report_id": "Nomor laporan",
    "created_date": "Tanggal dibuat",
    "completed_date": "Tanggal selesai",
    "category": "Kategori",
    "agency": "Instansi",
    "age_hours": "Umur",
    "status": "Status",
    "overdue": "Lewat batas",
    "shown": "Ditampilkan",
    "not_shown": "Tidak ditampilkan",
    "reopened": "Dibuka kembali",
}
_TREND_LABELS = {
    "kota": "Kota",
    "kecamatan": "Kecamatan",
    "kelurahan": "Kelurahan",
    "week_offset": "Minggu",
    "period_start": "Hari pertama",
    "period_last_day": "Hari terakhir",
    "completion_rate": "Tingkat penyelesaian",
    "laporan_change": "Perubahan laporan",
    "completion_rate_change": "Perubahan tingkat penyelesaian (poin %)",
    "completion_median_change": "Perubahan median penyelesaian",
    "rank": "Peringkat",
    "rank_previous": "Peringkat minggu lalu",
    "rank_change": "Perubahan peringkat",
    "points": "Poin",
    "points_previous": "Poin minggu lalu",
    "laporan_previous": "Laporan minggu lalu",
    "ranked": "Diberi peringkat",
}
LABELS = _TIMING_LABELS | _BACKLOG_LABELS | _TREND_LABELS
"""Indonesian header of every column the timing figures produce."""


def hours_or_pending(value: Any) -> str:
    """Format hours like :func:`~.format.hours_label`; infinity as "belum diketahui"."""
    if not fmt.is_missing(value) and math.isinf(value):
        return PENDING
    return fmt.hours_label(value)


def signed_number(value: Any) -> str:
    """Format a change with its sign, e.g. ``"+3"``, ``"-2"``, ``"0"``."""
    return _signed(value, fmt.number)


def signed_percent(value: Any) -> str:
    """Format a change of a share in percentage points, e.g. ``"+5,0%"``."""
    return _signed(value, fmt.percent)


def signed_hours(value: Any) -> str:
    """Format a change of a duration, e.g. ``"-3,5 jam"``."""
    return _signed(value, fmt.hours_label)


def status_word(value: Any) -> str:
    """Name a status for readers, e.g. ``"Menunggu (merah)"``."""
    return fmt.MISSING if fmt.is_missing(value) else STATUS_LABELS[str(value)]


def timing_view(summary: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """Fold each ``*_pending`` flag into its figure, ready for a table.

    Parameters
    ----------
    summary : pandas.DataFrame or pandas.Series
        From :func:`~qlue_helpers.figures.timings.timing_summary` or
        :func:`~qlue_helpers.figures.trends.weekly_trends`; or one row, such
        as :func:`~qlue_helpers.figures.timings.timing_total` for a total row.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        Without the flag columns; a pending figure holds infinity, which
        :func:`hours_or_pending` shows as "belum diketahui".
    """
    if isinstance(summary, pd.Series):
        return timing_view(summary.to_frame().T).iloc[0]

    flags = [column for column in summary.columns if column.endswith("_pending")]
    view = summary.copy()
    for flag in flags:
        figure = flag.removesuffix("_pending") + "_hours"
        pending = view[flag].astype("bool")
        view[figure] = view[figure].astype("float64").mask(pending, math.inf)
    return view.drop(columns=flags)


def labels_for(frame: pd.DataFrame) -> dict[str, str]:
    """Return the Indonesian headers of the columns ``frame`` has."""
    return {column: LABELS[column] for column in frame.columns if column in LABELS}


def formats_for(frame: pd.DataFrame) -> dict[str, str | Callable[[Any], str]]:
    """Return the cell format of each column of ``frame`` that needs one."""
    return {
        column: spec
        for column in frame.columns
        if (spec := _format_of(column)) is not None
    }


def _format_of(column: str) -> str | Callable[[Any], str] | None:
    if column.endswith(("_median_hours", "_p90_hours")):
        return hours_or_pending
    if column.endswith(("_share", "_rate")):
        return "percent"
    changes = {
        "rate_change": signed_percent,
        "median_change": signed_hours,
        "laporan_change": signed_number,
        "rank_change": signed_number,
    }
    found = [spec for suffix, spec in changes.items() if column.endswith(suffix)]
    if found:
        return found[0]
    return {"age_hours": "hours", "status": status_word}.get(column)


def _signed(value: Any, formatter: Callable[[Any], str]) -> str:
    if fmt.is_missing(value):
        return fmt.MISSING
    text = formatter(abs(value))
    if text == formatter(0):
        return text
    return ("+" if value > 0 else "-") + text
