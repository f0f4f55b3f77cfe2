"""Read times written in a profile's formats, tried in order, never guessed.

Each value is read by the first format of the list that reads it exactly;
values no format reads stay missing (the caller files them as ``bad_date``).
Times without an offset are read in the profile's timezone; the result is in
WIB, the canonical table's zone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from qlue_helpers.canonical import TIMEZONE

ISO = "ISO8601"
EXCEL = "excel"
_UTC = "datetime64[us, UTC]"
_OFFSET = r"(?:[+-]\d{2}:?\d{2}|Z)$"
# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_DAYS = (1.0, 2_958_465.0)


def parse_times(values: pd.Series, formats: tuple[str, ...], timezone: str) -> pd.Series:
    """Parse a column of times.

    Parameters
    ----------
    values : pandas.Series
        Text as exported, or datetimes (from Parquet or Excel cells).
    formats : tuple of str
        ``strftime`` formats, ``ISO8601`` or ``excel``, tried in order;
        ISO 8601 is always tried last (year first, so it cannot be confused).
    timezone : str
        Zone of times written without an offset.

    Returns
    -------
    pandas.Series
        ``datetime64[us, Asia/Jakarta]``, missing where nothing matched.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(TIMEZONE).astype(f"datetime64[us, {TIMEZONE}]")
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return _localized(values, timezone).dt.tz_convert(TIMEZONE)

    text = values.astype("str").str.strip().where(values.notna())
    text = text.where(text.ne(""))
    pieces = []
    todo = text.dropna()
    for form in dict.fromkeys([*formats, ISO]):
        if todo.empty:
            break
        read = _parse(todo, form, timezone).dropna()
        pieces.append(read)
        todo = todo.drop(read.index)

    parsed = pd.concat(pieces) if pieces else pd.Series(dtype=_UTC)
    return (
        parsed.astype(_UTC)
        .reindex(values.index)
        .dt.tz_convert(TIMEZONE)
        .astype(f"datetime64[us, {TIMEZONE}]")
    )


def _parse(text: pd.Series, form: str, timezone: str) -> pd.Series:
    """Read text in one format; UTC times, missing where it does not fit."""
    if form == ISO:
        return _iso(text, timezone)
    if form == EXCEL:
        return _excel(text, timezone)
    if "%z" in form:
        return pd.to_datetime(text, format=form, utc=True, errors="coerce")
    return _localized(_strict(text, form), timezone)


def _strict(text: pd.Series, form: str) -> pd.Series:
    """Naive times in a strftime format, read exactly.

    pyarrow reads a million values in a fraction of a second, but rolls
    impossible dates over (31/02 becomes 03/03, second 60 the next minute) and
    takes a two-digit year for a four-digit one. Every value it could have
    rolled over or shortened lands on day 1-3, second 0-1 or a year before
    1000: those are read again by pandas, which is strict but ten times slower.
    """
    if "%f" in form:
        return pd.to_datetime(text, format=form, errors="coerce")
    fast = pc.strptime(pa.array(text), format=form, unit="s", error_is_null=True)
    doubtful = pc.or_(
        pc.less_equal(pc.day(fast), 3), pc.less(pc.year(fast), 1000)
    )
    if "%S" in form:
        doubtful = pc.or_(doubtful, pc.less_equal(pc.second(fast), 1))
    doubtful = np.asarray(doubtful.fill_null(False))

    parsed = pd.Series(
        fast.to_numpy(zero_copy_only=False), index=text.index, dtype="datetime64[us]"
    )
    if doubtful.any():
        parsed[doubtful] = pd.to_datetime(text[doubtful], format=form, errors="coerce")
    return parsed


def _iso(text: pd.Series, timezone: str) -> pd.Series:
    aware = text.str.contains(_OFFSET, regex=True)
    with_offset = pd.to_datetime(
        text[aware], format="ISO8601", utc=True, errors="coerce"
    )
    naive = _localized(
        pd.to_datetime(text[~aware], format="ISO8601", errors="coerce"), timezone
    )
    return pd.concat([with_offset.astype(_UTC), naive]).reindex(text.index)


def _excel(text: pd.Series, timezone: str) -> pd.Series:
    days = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    days = days.where(days.between(*_EXCEL_DAYS))
    moments = _EXCEL_EPOCH + pd.to_timedelta(days.round(6), unit="D")
    return _localized(moments.dt.round("s"), timezone)


def _localized(naive: pd.Series, timezone: str) -> pd.Series:
    """Naive wall-clock times in ``timezone``, as UTC."""
    # NOTE: a wall-clock time that occurs twice when clocks go back is read as
    # the first (summer) one; Jakarta has no such hour.
    return (
        naive.astype("datetime64[us]")
        .dt.tz_localize(
            timezone,
            ambiguous=np.ones(len(naive), dtype=bool),
            nonexistent="shift_forward",
        )
        .dt.tz_convert("UTC")
    )
