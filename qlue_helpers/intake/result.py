"""The outcome of intake: reports used, rows set aside, and counts that add up."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from qlue_helpers.canonical import TIMEZONE
from qlue_helpers.intake.profiles import JAKARTA_LEVELS
from qlue_helpers.intake.reasons import REASONS


@dataclass(frozen=True)
class Intake:
    """The outcome of reading one export.

    Attributes
    ----------
    reports : pandas.DataFrame
        Canonical table of the reports used.
    quarantine : pandas.DataFrame
        Rows set aside, as they came (reporter columns dropped), with
        ``row_number`` (1 = first data row), ``reason``, ``explanation`` and
        ``all_reasons`` first.
    source : str
        File name the rows came from.
    profile : str
        Name of the source profile used.
    levels : dict
        Canonical area column to the source's level name (``None``: the
        source has no such level and the column repeats the one above).
    rows_used : int, optional
        Rows that went into ``reports``; differs from its length only for a
        status history (several rows per report). Defaults to that length.
    notes : dict
        Counts of things done that set nothing aside (e.g. ``no_point``).
    reopened : pandas.DataFrame, optional
        From a status history: ``report_id``, ``times_reopened``,
        ``last_reopened_at`` of reports that went from hijau back.
    timezone : str
        The source's own timezone (the table itself is in WIB).
    columns : dict
        Canonical field to the export's own header it was read from.
    """

    reports: pd.DataFrame
    quarantine: pd.DataFrame
    source: str
    profile: str = "canonical"
    levels: dict[str, str | None] = field(default_factory=lambda: dict(JAKARTA_LEVELS))
    rows_used: int | None = None
    notes: dict[str, int] = field(default_factory=dict)
    reopened: pd.DataFrame | None = None
    timezone: str = TIMEZONE
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def accepted(self) -> int:
        """Rows used."""
        return len(self.reports) if self.rows_used is None else self.rows_used

    @property
    def rows_in(self) -> int:
        """Rows read from the file (rows without a single value not counted)."""
        return self.accepted + len(self.quarantine)

    def summary(self) -> dict:
        """Return the counts: rows in, accepted, quarantined, per reason, notes.

        Returns
        -------
        dict
            ``source``, ``profile``, ``rows_in``, ``accepted``, ``quarantined``,
            ``reports``, ``reasons`` (code to count, in order of precedence),
            ``notes``, ``levels`` and ``timezone``.
        """
        counts = (
            self.quarantine["reason"].value_counts() if len(self.quarantine) else {}
        )
        return {
            "source": self.source,
            "profile": self.profile,
            "rows_in": self.rows_in,
            "accepted": self.accepted,
            "quarantined": len(self.quarantine),
            "reports": len(self.reports),
            "reasons": {r: int(counts[r]) for r in REASONS if r in counts},
            "notes": dict(self.notes),
            "levels": dict(self.levels),
            "timezone": self.timezone,
        }

    def unmatched_areas(self) -> pd.DataFrame:
        """Return the area names that matched no official area, with counts.

        Returns
        -------
        pandas.DataFrame
            The export's ``kota``, ``kecamatan`` and ``kelurahan`` values as
            written (those it has), ``reason`` (``unknown_area`` or
            ``ambiguous_area``) and ``rows``, most frequent first.
        """
        area_reasons = ["unknown_area", "ambiguous_area"]
        headers = {
            level: self.columns[level]
            for level in ("kota", "kecamatan", "kelurahan", "kode_kelurahan")
            if self.columns.get(level) in self.quarantine.columns
        }
        chosen = self.quarantine.loc[
            self.quarantine["reason"].isin(area_reasons)
            if len(self.quarantine)
            else [],
            [*headers.values(), "reason"],
        ]
        return (
            chosen.rename(columns={v: k for k, v in headers.items()})
            .fillna("")
            .value_counts()
            .rename("rows")
            .reset_index()
        )
