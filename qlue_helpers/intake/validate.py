"""Turn raw canonical columns into the typed table, setting bad rows aside.

Every check runs over every row in one pass (pandera, lazy mode); a row that
fails any check is set aside under the first failing reason in
:data:`~qlue_helpers.intake.reasons.REASONS` order, so that rows in always
equal rows used plus rows set aside.
"""

from __future__ import annotations

import logging

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from qlue_helpers import areas as official
from qlue_helpers.canonical import STATUSES, TIME_COLUMNS, TIMEZONE, conform
from qlue_helpers.intake.reasons import REASONS

logger = logging.getLogger(__name__)
_OFFSET = r"(?:[+-]\d{2}:?\d{2}|Z)$"


def validate(
    raw: pd.DataFrame, exported_at: pd.Timestamp | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split raw rows into the canonical table and the rows set aside.

    Parameters
    ----------
    raw : pandas.DataFrame
        The canonical columns, as text or already typed.
    exported_at : pandas.Timestamp, optional
        When the data was exported; later times are impossible. Defaults to
        now.

    Returns
    -------
    reports : pandas.DataFrame
        Canonical table of the rows that passed, names taken from the official
        list.
    quarantine : pandas.DataFrame
        The other rows as they came, with ``row_number`` (1 = first data row),
        ``reason``, ``explanation`` and ``all_reasons``.
    """
    exported_at = exported_at or pd.Timestamp.now(tz=TIMEZONE)
    typed = _typed(raw)
    failures = _failures(raw, typed, exported_at)

    reasons = _first_reasons(failures, raw.index)
    bad = reasons["reason"].notna()
    quarantine = (
        raw.loc[bad].assign(row_number=raw.index[bad] + 1).join(reasons.loc[bad])
    )
    reports = _named(typed.loc[~bad])
    logger.info(
        "%s rows in, %s used, %s set aside", len(raw), len(reports), len(quarantine)
    )
    return conform(reports), quarantine.reset_index(drop=True)


def _typed(raw: pd.DataFrame) -> pd.DataFrame:
    typed = raw.copy()
    for column in TIME_COLUMNS:
        typed[column] = _to_time(raw[column])
    for column in ("lat", "lon"):
        typed[column] = _to_float(raw[column])
    typed["report_id"] = _clean_text(raw["report_id"])
    typed["kode_kelurahan"] = _clean_text(raw["kode_kelurahan"])
    typed["status"] = _clean_text(raw["status"]).str.lower()
    return typed


def _clean_text(values: pd.Series) -> pd.Series:
    return values.astype("str").str.strip().where(values.notna())


def _to_time(values: pd.Series) -> pd.Series:
    """Parse times; text without an offset is read as WIB."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(TIMEZONE)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values.dt.tz_localize(TIMEZONE)

    text = values.astype("str").str.strip().where(values.notna())
    aware = text.str.contains(_OFFSET, regex=True, na=False)
    parsed = pd.Series(pd.NaT, index=values.index, dtype=f"datetime64[us, {TIMEZONE}]")
    if aware.any():
        parsed[aware] = pd.to_datetime(
            text[aware], format="ISO8601", utc=True, errors="coerce"
        ).dt.tz_convert(TIMEZONE)
    if (~aware).any():
        parsed[~aware] = pd.to_datetime(
            text[~aware], format="ISO8601", errors="coerce"
        ).dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    return parsed


def _to_float(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.astype("float64")
    text = values.astype("str").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text.where(values.notna()), errors="coerce")


def _failures(
    raw: pd.DataFrame, typed: pd.DataFrame, exported_at: pd.Timestamp
) -> pd.DataFrame:
    """Run every check on every row; return one line per (row, reason)."""
    try:
        _schema(raw, exported_at).validate(typed, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        return cases.loc[cases["index"].notna(), ["index", "check"]]
    return pd.DataFrame({"index": pd.Series(dtype="int64"), "check": []})


def _schema(raw: pd.DataFrame, exported_at: pd.Timestamp) -> pa.DataFrameSchema:
    codes = set(official.wilayah()["kode_kelurahan"])

    def unreadable(frame: pd.DataFrame) -> pd.Series:
        present = raw[list(TIME_COLUMNS)].notna()
        return ~(present & frame[list(TIME_COLUMNS)].isna()).any(axis=1)

    def future(frame: pd.DataFrame) -> pd.Series:
        return ~frame[list(TIME_COLUMNS)].gt(exported_at).any(axis=1)

    def status_without_time(frame: pd.DataFrame) -> pd.Series:
        hijau = frame["status"].eq("hijau") & frame["completed_at"].isna()
        kuning = frame["status"].eq("kuning") & frame["responded_at"].isna()
        return ~(hijau | kuning)

    def inside(limit: float):
        return lambda s: s.isna() | s.abs().le(limit)

    def check(function, name: str, **options) -> pa.Check:
        return pa.Check(function, name=name, ignore_na=False, **options)

    return pa.DataFrameSchema(
        {
            "report_id": pa.Column(
                nullable=True,
                checks=[
                    check(lambda s: s.fillna("").ne(""), "missing_id"),
                    check(lambda s: s.isna() | ~s.duplicated(), "duplicate_id"),
                ],
            ),
            "created_at": pa.Column(
                nullable=True,
                checks=[
                    check(
                        lambda s: s.notna() | raw["created_at"].notna(),
                        "missing_created_at",
                    ),
                ],
            ),
            "kode_kelurahan": pa.Column(
                nullable=True,
                checks=[
                    check(lambda s: s.isin(codes), "unknown_area"),
                ],
            ),
            "status": pa.Column(
                nullable=True,
                checks=[
                    check(lambda s: s.isin(STATUSES), "unknown_status"),
                ],
            ),
            "lat": pa.Column(
                nullable=True, checks=[check(inside(90), "bad_coordinates")]
            ),
            "lon": pa.Column(
                nullable=True, checks=[check(inside(180), "bad_coordinates")]
            ),
        },
        checks=[
            check(unreadable, "bad_date"),
            check(
                lambda f: ~f["responded_at"].lt(f["created_at"]),
                "responded_before_created",
            ),
            check(
                lambda f: ~f["completed_at"].lt(f["created_at"]),
                "completed_before_created",
            ),
            check(future, "future_time"),
            check(status_without_time, "status_without_time"),
        ],
    )


def _first_reasons(failures: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    order = {reason: rank for rank, reason in enumerate(REASONS)}
    ranked = (
        failures.assign(order=failures["check"].map(order))
        .drop_duplicates()
        .sort_values(["index", "order"])
        .groupby("index")["check"]
        .agg(reason="first", all_reasons=", ".join)
    )
    ranked.index = ranked.index.astype("int64")
    table = ranked.reindex(index)
    return table.assign(explanation=table["reason"].map(REASONS))[
        ["reason", "explanation", "all_reasons"]
    ]


def _named(reports: pd.DataFrame) -> pd.DataFrame:
    """Replace area names by the official ones of each kode_kelurahan."""
    names = official.wilayah().set_index("kode_kelurahan")
    return reports.assign(
        kelurahan=reports["kode_kelurahan"].map(names["kelurahan"]),
        kecamatan=reports["kode_kelurahan"].map(names["kecamatan"]),
        kota=reports["kode_kelurahan"].map(names["kota"]),
    )
