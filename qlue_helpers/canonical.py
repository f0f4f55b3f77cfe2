"""The canonical table of reports: one row per report, the same for every source.

Every step after intake works on this table and nothing else:

=============  ============================================================
column         meaning
=============  ============================================================
report_id      the source's id of the report, as text
created_at     when the citizen posted it (WIB, timezone-aware)
category       the Qlue category, e.g. ``Sampah``
description    the citizen's text (untrusted: escape before showing)
kode_kelurahan Kemendagri code of the kelurahan, e.g. ``31.75.06.1005``
kelurahan      official kelurahan name
kecamatan      official kecamatan name
kota           official kota name
lat, lon       the GPS point, or missing
responded_at   first response by the kelurahan (missing if none yet)
completed_at   when it was closed as done (missing if not done)
status         ``merah``, ``kuning`` or ``hijau`` as exported
=============  ============================================================

The status at any other moment is derived from ``responded_at`` and
``completed_at`` by :func:`status_at`, so a past week gives the same numbers
whenever it is run.
"""

from __future__ import annotations

import pandas as pd

TIMEZONE = "Asia/Jakarta"
STATUSES = ("merah", "kuning", "hijau")
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES), ordered=True)
TIME_DTYPE = pd.DatetimeTZDtype("us", TIMEZONE)
TIME_COLUMNS = ("created_at", "responded_at", "completed_at")
TEXT_COLUMNS = (
    "report_id",
    "category",
    "description",
    "kode_kelurahan",
    "kelurahan",
    "kecamatan",
    "kota",
)
COLUMNS = [
    "report_id",
    "created_at",
    "category",
    "description",
    "kode_kelurahan",
    "kelurahan",
    "kecamatan",
    "kota",
    "lat",
    "lon",
    "responded_at",
    "completed_at",
    "status",
]
DTYPES = {
    **{name: "str" for name in TEXT_COLUMNS},
    **{name: TIME_DTYPE for name in TIME_COLUMNS},
    "lat": "float64",
    "lon": "float64",
    "status": STATUS_DTYPE,
}


def empty() -> pd.DataFrame:
    """Return an empty canonical table with the right columns and dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=DTYPES[name]) for name in COLUMNS})


def conform(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with the canonical columns, order and dtypes.

    Times must already be timezone-aware; they are converted to WIB at
    microsecond resolution, whatever the source gave (Parquet reads back
    milliseconds, parsed text microseconds).

    Parameters
    ----------
    table : pandas.DataFrame
        Holds at least the canonical columns; others are dropped.

    Returns
    -------
    pandas.DataFrame
    """
    out = table.loc[:, COLUMNS].copy()
    for name in TIME_COLUMNS:
        out[name] = out[name].dt.tz_convert(TIMEZONE).astype(TIME_DTYPE)
    return out.astype({k: v for k, v in DTYPES.items() if k not in TIME_COLUMNS})


def status_at(reports: pd.DataFrame, cutoff: pd.Timestamp) -> pd.Series:
    """Return each report's status at a moment, from its response and completion.

    A report is ``hijau`` once completed, ``kuning`` once responded to, and
    ``merah`` before that. Events at exactly ``cutoff`` do not count yet, so a
    period that ends at midnight sees only what happened before midnight.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    cutoff : pandas.Timestamp
        Timezone-aware moment.

    Returns
    -------
    pandas.Series
        Categorical ``merah`` / ``kuning`` / ``hijau``, aligned with ``reports``.
    """
    done = reports["completed_at"].lt(cutoff)
    answered = reports["responded_at"].lt(cutoff) | done
    codes = answered.astype("int8") + done.astype("int8")
    return pd.Series(
        pd.Categorical.from_codes(codes.to_numpy(), dtype=STATUS_DTYPE),
        index=reports.index,
        name="status",
    )
