"""Intake: from a data file to the canonical table, nothing lost on the way.

Every row that comes in is either used or set aside with a reason;
:class:`Intake` keeps both, and its counts add up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from qlue_helpers.intake.canonical_files import read_raw
from qlue_helpers.intake.reasons import REASONS, explain
from qlue_helpers.intake.validate import validate

__all__ = ["REASONS", "Intake", "explain", "load_reports"]
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Intake:
    """The outcome of reading one file.

    Attributes
    ----------
    reports : pandas.DataFrame
        Canonical table of the rows used.
    quarantine : pandas.DataFrame
        Rows set aside, as they came, with ``row_number`` and ``reason``.
    source : str
        File name the rows came from.
    """

    reports: pd.DataFrame
    quarantine: pd.DataFrame
    source: str

    @property
    def rows_in(self) -> int:
        """Rows read from the file."""
        return len(self.reports) + len(self.quarantine)

    def summary(self) -> dict:
        """Return ``rows_in``, ``accepted``, ``quarantined`` and counts per reason."""
        by_reason = (
            self.quarantine["reason"].value_counts()
            if len(self.quarantine)
            else pd.Series(dtype="int64")
        )
        return {
            "source": self.source,
            "rows_in": self.rows_in,
            "accepted": len(self.reports),
            "quarantined": len(self.quarantine),
            "reasons": {reason: int(n) for reason, n in by_reason.items()},
        }


def load_reports(path: str | Path, exported_at: pd.Timestamp | None = None) -> Intake:
    """Read a canonical-table file (CSV or Parquet) and check every row.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    exported_at : pandas.Timestamp, optional
        When the data was exported; times after it are set aside. Defaults to
        now.

    Returns
    -------
    Intake

    Raises
    ------
    qlue_helpers.errors.InputError
        If the file cannot be used at all.
    """
    raw = read_raw(path)
    reports, quarantine = validate(raw, exported_at)
    if len(quarantine):
        logger.warning(
            "%s of %s rows of %s set aside: %s",
            len(quarantine),
            len(raw),
            Path(path).name,
            quarantine["reason"].value_counts().to_dict(),
        )
    return Intake(reports, quarantine, Path(path).name)
