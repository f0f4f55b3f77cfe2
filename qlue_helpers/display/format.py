"""Indonesian number, date and duration formats for everything a reader sees.

All formats use babel's ``id`` locale: thousands are separated by dots, decimals
by a comma, and month names are Indonesian (``4.577``, ``64,8%``,
``20 November 2015``). Rounding is half-up, as readers and spreadsheets do it
(``0,05`` rounds to ``0,1``), not the half-even rounding babel uses by default.
A missing value (``None``, ``NaN``, ``NA``, ``NaT``) is shown as an en dash.
"""

from __future__ import annotations

import datetime as dt
import decimal
import numbers
from typing import Any

import pandas as pd
from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal, format_percent

from qlue_helpers.canonical import TIMEZONE
from qlue_helpers.errors import QlueError

LOCALE = "id"
MISSING = "–"
TIMEZONE_LABEL = "WIB"
DAYS_FROM_HOURS = 48
"""Durations of this many hours or more are shown in days."""

_DATE_PATTERN = "d MMMM y"


class DisplayError(QlueError):
    """A value cannot be shown in the report (wrong type or impossible value)."""


def is_missing(value: Any) -> bool:
    """Tell whether a scalar is missing (``None``, ``NaN``, ``NA`` or ``NaT``).

    Parameters
    ----------
    value : Any
        A scalar; lists and arrays are never missing.

    Returns
    -------
    bool
    """
    if value is None:
        return True
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def number(value: Any, digits: int = 0) -> str:
    """Format a number the Indonesian way, e.g. ``4577`` as ``"4.577"``.

    Parameters
    ----------
    value : int, float or decimal.Decimal
        The number; missing values give ``"–"``.
    digits : int, default 0
        Digits after the decimal comma, rounded half-up.

    Returns
    -------
    str
        E.g. ``"4.577"``, ``"-35"``, ``"5,2"`` with ``digits=1``.

    Raises
    ------
    DisplayError
        If `value` is not a number.
    """
    if is_missing(value):
        return MISSING
    rounded = _rounded(value, digits)
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        return format_decimal(rounded, format=_pattern(digits), locale=LOCALE)


def percent(share: Any, digits: int = 1) -> str:
    """Format a share between 0 and 1 as an Indonesian percentage.

    Parameters
    ----------
    share : float
        The share, e.g. ``0.6476``; missing values give ``"–"``.
    digits : int, default 1
        Digits after the decimal comma, rounded half-up.

    Returns
    -------
    str
        E.g. ``"64,8%"``, or ``"65%"`` with ``digits=0``.

    Raises
    ------
    DisplayError
        If `share` is not a number.
    """
    if is_missing(share):
        return MISSING
    points = _rounded(_to_decimal(share) * 100, digits)
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        pattern = _pattern(digits) + "%"
        return format_percent(points / 100, format=pattern, locale=LOCALE)


def date_label(value: Any) -> str:
    """Format a date in full, e.g. ``"20 November 2015"``.

    Parameters
    ----------
    value : datetime.date, datetime.datetime or pandas.Timestamp
        A timezone-aware moment is first converted to WIB; missing values give
        ``"–"``.

    Returns
    -------
    str

    Raises
    ------
    DisplayError
        If `value` is not a date.
    """
    if is_missing(value):
        return MISSING
    return format_date(_to_date(value), format=_DATE_PATTERN, locale=LOCALE)


def period_label(start: Any, end: Any) -> str:
    """Format a period with both ends included, as short as stays unambiguous.

    Parameters
    ----------
    start, end : datetime.date, datetime.datetime or pandas.Timestamp
        First and last day of the period (both shown as days, both included).

    Returns
    -------
    str
        ``"20-27 November 2015"`` within a month,
        ``"28 November-4 Desember 2015"`` within a year,
        ``"28 Desember 2015-4 Januari 2016"`` across years and
        ``"20 November 2015"`` for a single day.

    Raises
    ------
    DisplayError
        If an end is missing or `end` comes before `start`.
    """
    first, last = _to_date(start), _to_date(end)
    if last < first:
        raise DisplayError(
            f"A period must not end before it starts; got {first} to {last}. "
            "Pass the first day, then the last day."
        )

    if first == last:
        return date_label(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{date_label(last)}"
    if first.year == last.year:
        return f"{first.day} {_month_name(first.month)}-{date_label(last)}"
    return f"{date_label(first)}-{date_label(last)}"


def moment_label(value: Any) -> str:
    """Format a moment in WIB, e.g. ``"27 November 2015 pukul 23.59 WIB"``.

    Parameters
    ----------
    value : datetime.datetime or pandas.Timestamp
        A timezone-aware moment, in any zone; missing values give ``"–"``.

    Returns
    -------
    str

    Raises
    ------
    DisplayError
        If `value` has no timezone, since its WIB time would be a guess.
    """
    if is_missing(value):
        return MISSING
    moment = _to_timestamp(value)
    if moment.tzinfo is None:
        raise DisplayError(
            f"Expected a timezone-aware moment, got {value!r} without a timezone. "
            f"Localize it first, e.g. with .tz_localize({TIMEZONE!r})."
        )

    local = moment.tz_convert(TIMEZONE)
    return f"{date_label(local)} pukul {local:%H.%M} {TIMEZONE_LABEL}"


def hours_label(hours: Any) -> str:
    """Format a duration for a reader, choosing minutes, hours or days.

    The rule: under one hour, whole minutes (``"45 menit"``); from one hour to
    under :data:`DAYS_FROM_HOURS` (48) hours, hours with one decimal
    (``"5,2 jam"``, ``"30,0 jam"``); from 48 hours on, days with one decimal
    (``"3,1 hari"``). Two days is where officials stop thinking in hours: a
    report left "over a day" is still counted in hours, one left for the
    5-day escalation in days.

    Parameters
    ----------
    hours : float, datetime.timedelta or pandas.Timedelta
        The duration, as a number of hours or a timedelta; missing values give
        ``"–"``.

    Returns
    -------
    str

    Raises
    ------
    DisplayError
        If the duration is negative or not a duration at all.
    """
    if is_missing(hours):
        return MISSING
    value = _to_hours(hours)
    if value < 0:
        raise DisplayError(
            f"Expected a duration of zero or more, got {hours!r}. "
            "A negative duration means the end came before the start: "
            "check the timestamps it was computed from."
        )

    minutes = _rounded(value * 60, 0)
    if minutes < 60:
        return f"{number(minutes)} menit"
    if value < DAYS_FROM_HOURS:
        return f"{number(value, 1)} jam"
    return f"{number(value / 24, 1)} hari"


def limit_label(hours: float) -> str:
    """Name a time limit in hours, adding days from two days on.

    Whole numbers show no decimals: ``24`` gives ``"24 jam"``, ``120`` gives
    ``"120 jam (5 hari)"``.
    """
    text = f"{number(hours, 0 if float(hours).is_integer() else 1)} jam"
    if hours < DAYS_FROM_HOURS:
        return text
    days = hours / 24
    return f"{text} ({number(days, 0 if days.is_integer() else 1)} hari)"


def _pattern(digits: int) -> str:
    if digits < 0:
        raise DisplayError(
            f"Expected zero or more digits after the comma, got {digits}. "
            "Pass digits=0 for whole numbers."
        )
    return "#,##0." + "0" * digits if digits else "#,##0"


def _to_decimal(value: Any) -> decimal.Decimal:
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise DisplayError(
            f"Expected a number, got {value!r} ({type(value).__name__}). "
            "Convert the column to numbers before showing it."
        )
    return decimal.Decimal(str(value))


def _rounded(value: Any, digits: int) -> decimal.Decimal:
    exact = _to_decimal(value)
    quantum = decimal.Decimal(1).scaleb(-digits)
    rounded = exact.quantize(quantum, rounding=decimal.ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _to_timestamp(value: Any) -> pd.Timestamp:
    if not isinstance(value, dt.date):
        raise DisplayError(
            f"Expected a date or timestamp, got {value!r} ({type(value).__name__}). "
            "Pass a datetime.date, datetime.datetime or pandas.Timestamp."
        )
    return pd.Timestamp(value)


def _to_date(value: Any) -> dt.date:
    if is_missing(value):
        raise DisplayError(
            "Expected a date, got a missing value. A period needs both ends."
        )
    if type(value) is dt.date:
        return value
    moment = _to_timestamp(value)
    if moment.tzinfo is not None:
        moment = moment.tz_convert(TIMEZONE)
    return moment.date()


def _to_hours(value: Any) -> float:
    if isinstance(value, dt.timedelta | pd.Timedelta):
        return pd.Timedelta(value).total_seconds() / 3600
    return float(_to_decimal(value))


def _month_name(month: int) -> str:
    return get_month_names("wide", locale=LOCALE)[month]
