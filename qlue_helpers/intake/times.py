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
from qlue_helpers.intake.values import as_text

ISO = "ISO8601"
EXCEL = "excel"
_UTC = "datetime64[us, UTC]"
# A time of day, then Z or an offset: +07:00, +0700 or +07.
_OFFSET = r"[T ]\d{2}.*?(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_ARROW_ISO = (pa.timestamp("us", "UTC"), pa.timestamp("us"))
"""What arrow's ISO 8601 cast tries: times with an offset, then without."""
# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_DAYS = (1.0, 2_958_465.0)


def parse_times(
    values: pd.Series, formats: tuple[str, ...], timezone: str, trimmed: bool = False
) -> pd.Series:
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
    trimmed : bool
        Whether text values are already trimmed, blanks missing (saves a pass).

    Returns
    -------
    pandas.Series
        ``datetime64[us, Asia/Jakarta]``, missing where nothing matched.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(TIMEZONE).astype(f"datetime64[us, {TIMEZONE}]")
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return _localized(values, timezone).dt.tz_convert(TIMEZONE)

    text = values if trimmed else as_text(values)
    utc = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    todo = text.notna().to_numpy(copy=True)
    for form in dict.fromkeys([*formats, ISO]):
        if not todo.any():
            break
        _fill(utc, todo, _parse(_subset(text, todo), form, timezone))

    return (
        pd.Series(utc, index=values.index).dt.tz_localize("UTC").dt.tz_convert(TIMEZONE)
    )


def _subset(values: pd.Series, keep: np.ndarray) -> pd.Series:
    return values if keep.all() else values[keep]


def _fill(utc: np.ndarray, todo: np.ndarray, read: pd.Series) -> None:
    """Write the values read into ``utc`` and mark them done."""
    hit = read.notna().to_numpy()
    where = np.flatnonzero(todo)[hit]
    utc[where] = read.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()[hit]
    todo[where] = False


def _parse(text: pd.Series, form: str, timezone: str) -> pd.Series:
    """Read text in one format; UTC times, missing where it does not fit."""
    if form == ISO:
        return _iso(text, timezone)
    if form == EXCEL:
        return _excel(text, timezone)
    return _strict(text, form, timezone)


def _strict(text: pd.Series, form: str, timezone: str) -> pd.Series:
    """Read times in a strftime format, exactly.

    pyarrow reads a million values in a fraction of a second but is lenient:
    it rolls impossible dates over (29/02/2015 becomes 01/03, 31/04 becomes
    01/05, second 60 the next minute) and takes ``15`` for a four-digit year.
    The values that may have been rolled or shortened are few and known (see
    :func:`_doubtful`); they are kept only if writing them back in the same
    format gives the same text, and are otherwise read again by pandas, which
    is strict but ten times slower.
    """
    aware = "%z" in form
    if "%f" in form:
        parsed = pd.to_datetime(text, format=form, utc=aware, errors="coerce")
        return parsed if aware else _localized(parsed, timezone)

    array = pa.array(text)
    fast = pc.strptime(array, format=form, unit="s", error_is_null=True)
    moments = fast.to_numpy(zero_copy_only=False)
    doubtful = np.flatnonzero(_doubtful(moments, form))
    if not aware and len(doubtful):
        again = pc.strftime(fast.take(doubtful), format=form)
        same = pc.equal(again, array.take(doubtful)).fill_null(False)
        doubtful = doubtful[~np.asarray(same)]

    parsed = pd.Series(moments, index=text.index, dtype="datetime64[us]")
    if len(doubtful):
        again = pd.to_datetime(
            text.iloc[doubtful], format=form, utc=aware, errors="coerce"
        )
        parsed.iloc[doubtful] = again.dt.tz_localize(None) if aware else again
    return parsed.dt.tz_localize("UTC") if aware else _localized(parsed, timezone)


def _doubtful(moments: np.ndarray, form: str) -> np.ndarray:
    """Flag values pyarrow may have rolled over or read with a short year.

    Day 29-31 of a shorter month rolls to day 1 (or 1-3 of March); second 60-61
    to second 0-1. Once an offset moves the day, any day near a month's end or
    start is doubtful.
    """
    months = moments.astype("datetime64[M]")
    day = (moments.astype("datetime64[D]") - months).astype("int64") + 1
    if "%z" in form:
        rolled = (day <= 3) | (day >= 28)
    else:
        march = months.astype("int64") % 12 == 2
        rolled = (day == 1) | (march & (day <= 3))
    doubtful = rolled | (moments < np.datetime64("1000-01-01"))
    if "%S" in form:
        doubtful |= moments.astype("int64") % 60 <= 1
    return doubtful & ~np.isnat(moments)


def _iso(text: pd.Series, timezone: str) -> pd.Series:
    """ISO 8601 in any of its forms; arrow's strict reader first, then pandas."""
    utc, left = _arrow_iso(text, timezone)
    read = pd.Series(utc, index=text.index).dt.tz_localize("UTC")
    if left.any():
        read[left] = _iso_pandas(text[left], timezone)
    return read


def _arrow_iso(text: pd.Series, timezone: str) -> tuple[np.ndarray, np.ndarray]:
    """Read the chunks arrow's ISO 8601 cast reads: UTC times, and rows left.

    The cast is strict (no 31 April, no hour 24, four-digit years) and reads
    what pandas reads, in fewer forms, at a tenth of the cost. A chunk is
    read only if all its values have an offset, or none has.
    """
    values = pa.array(text.array)
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    utc = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    naive = np.zeros(len(text), dtype=bool)
    left = np.zeros(len(text), dtype=bool)

    start = 0
    for chunk in chunks:
        stop = start + len(chunk)
        for target in _ARROW_ISO:
            try:
                moments = pc.cast(chunk, target)
            except pa.ArrowInvalid:
                continue
            utc[start:stop] = moments.to_numpy(zero_copy_only=False)
            naive[start:stop] = target.tz is None
            break
        else:
            left[start:stop] = True
        start = stop

    if naive.any():
        local = _localized(pd.Series(utc[naive]), timezone)
        utc[naive] = local.dt.tz_localize(None).to_numpy()
    return utc, left


def _iso_pandas(text: pd.Series, timezone: str) -> pd.Series:
    """Read ISO 8601 in every form pandas knows; times with an offset apart."""
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
