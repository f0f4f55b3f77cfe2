"""Reporting periods and the rule that turns two dates into two moments.

The rule: a period from ``start`` to ``end`` holds the reports created from
``start`` 00:00 WIB up to, but not including, the midnight that closes it. With
``end_inclusive`` (the default) that midnight is the one after ``end``, so
"20-27 November" is eight calendar days; without it, the one that starts
``end``. Statuses are taken at that same closing midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from qlue_helpers.canonical import TIMEZONE
from qlue_helpers.errors import ParameterError


@dataclass(frozen=True)
class Period:
    """A reporting period of whole days in WIB.

    Parameters
    ----------
    start : datetime.date
        First day.
    end : datetime.date
        Last day named by the period.
    end_inclusive : bool
        Whether ``end`` itself belongs to the period.
    timezone : str
        Whose midnights bound the days: WIB for Jakarta, the source's own
        zone for a city elsewhere.
    """

    start: date
    end: date
    end_inclusive: bool = True
    timezone: str = TIMEZONE

    def __post_init__(self) -> None:
        if self.last_day < self.start:
            raise ParameterError(
                f"The period {self.start} to {self.end} holds no day. Expected "
                "period_end on or after period_start; swap or correct the dates."
            )

    @classmethod
    def parse(
        cls,
        start: str | date,
        end: str | date,
        end_inclusive: bool = True,
        timezone: str = TIMEZONE,
    ) -> Period:
        """Build a period from ISO dates (``YYYY-MM-DD``) or date objects."""
        return cls(
            _as_date(start, "period_start"),
            _as_date(end, "period_end"),
            end_inclusive,
            timezone,
        )

    @property
    def last_day(self) -> date:
        """The last calendar day whose reports count."""
        return self.end if self.end_inclusive else self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        """Number of calendar days in the period."""
        return (self.last_day - self.start).days + 1

    @property
    def opens(self) -> pd.Timestamp:
        """First moment of the period (WIB)."""
        return pd.Timestamp(self.start).tz_localize(self.timezone)

    @property
    def closes(self) -> pd.Timestamp:
        """First moment after the period (WIB); statuses are taken here."""
        return pd.Timestamp(self.last_day + timedelta(days=1)).tz_localize(
            self.timezone
        )

    def contains(self, moments: pd.Series) -> pd.Series:
        """Return which timezone-aware moments fall within the period."""
        return moments.ge(self.opens) & moments.lt(self.closes)

    def days_of(self, moments: pd.Series) -> pd.Series:
        """Return the day of each timezone-aware moment on the period's calendar.

        Days are naive midnights: 01:00 WIB on 21 November is 20 November
        in New York.
        """
        return moments.dt.tz_convert(self.timezone).dt.tz_localize(None).dt.normalize()

    def shifted(self, weeks: int) -> Period:
        """Return the period moved by a number of weeks (negative: earlier)."""
        step = timedelta(weeks=weeks)
        return Period(
            self.start + step, self.end + step, self.end_inclusive, self.timezone
        )


def _as_date(value: str | date, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError(
            f"{name} must be a date written YYYY-MM-DD, but {value!r} was given."
        ) from None
