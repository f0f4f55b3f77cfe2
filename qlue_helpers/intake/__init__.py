"""Intake: from an export file to the canonical table, nothing lost on the way.

Every row that comes in is either used or set aside with a reason; an
:class:`Intake` keeps both, and its counts add up
(``rows_in == accepted + quarantined``).

- :func:`load_reports` reads a canonical-table file or a folder written by
  :func:`ingest`;
- :func:`load_export` reads a raw export (CSV, XLSX, JSON, Parquet) with a
  source profile: ``qlue``, ``open311``, ``nyc311``, ``canonical`` or a
  mapping file under ``params/sources/``;
- :func:`ingest` does the same and writes ``reports.parquet``,
  ``quarantine.csv`` and ``summary.json`` into a folder.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from qlue_helpers.intake.folder import ingest, read_folder
from qlue_helpers.intake.pipeline import export_moment, load_export
from qlue_helpers.intake.profiles import Profile, builtin_names, load_profile
from qlue_helpers.intake.reasons import NOTES, REASONS, explain
from qlue_helpers.intake.result import Intake

__all__ = [
    "NOTES",
    "REASONS",
    "Intake",
    "Profile",
    "builtin_names",
    "explain",
    "export_moment",
    "ingest",
    "load_export",
    "load_profile",
    "load_reports",
]


def load_reports(
    path: str | Path, exported_at: pd.Timestamp | str | None = None
) -> Intake:
    """Read the canonical table (CSV or Parquet) or an ingested folder.

    Parameters
    ----------
    path : str or pathlib.Path
        A file of the canonical table, or a folder written by :func:`ingest`
        (its rows were checked when it was written).
    exported_at : pandas.Timestamp or str, optional
        When the data was exported; times after it are set aside. Defaults to
        now. Not used for a folder.

    Returns
    -------
    Intake

    Raises
    ------
    qlue_helpers.errors.InputError
        If the file cannot be used at all.
    """
    if Path(path).is_dir():
        return read_folder(path)
    return load_export(path, "canonical", exported_at)
