"""An ingested export on disk: the canonical table, the rows set aside, counts.

:func:`ingest` writes a folder::

    reports.parquet   the canonical table
    quarantine.csv    every row set aside, as it came, with row number, reason
                      code and explanation (UTF-8 with BOM, so Excel opens it)
    reopened.csv      reports of a status history that went from hijau back
    summary.json      rows_in, accepted, quarantined, per reason, notes, profile,
                      levels, columns used and dropped, when exported

It is written into a temporary folder beside the target and renamed at the
end, so a failed run leaves no partial output. :func:`read_folder` reads it
back as an :class:`~qlue_helpers.intake.result.Intake`.
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
from pathlib import Path

import pandas as pd

from qlue_helpers.canonical import TIME_COLUMNS, TIMEZONE, conform
from qlue_helpers.errors import InputError
from qlue_helpers.intake.pipeline import Details, load_with_details
from qlue_helpers.intake.profiles import Profile
from qlue_helpers.intake.result import Intake

logger = logging.getLogger(__name__)
REOPENED_COLUMNS = ["report_id", "times_reopened", "last_reopened_at"]
FILES = {
    "reports": "reports.parquet",
    "quarantine": "quarantine.csv",
    "reopened": "reopened.csv",
    "summary": "summary.json",
}


def ingest(
    export: str | Path,
    source: str | Path | Profile,
    out_dir: str | Path,
    exported_at: pd.Timestamp | str | None = None,
) -> dict:
    """Read an export with a source profile and write the intake folder.

    Parameters
    ----------
    export : str or pathlib.Path
        The raw export (.csv/.tsv, .xlsx, .json/.jsonl, .parquet).
    source : str, pathlib.Path or Profile
        A built-in profile name or a mapping file.
    out_dir : str or pathlib.Path
        The folder to write; an earlier intake folder there is replaced.
    exported_at : pandas.Timestamp or str, optional
        When the data was exported (WIB if no offset); defaults to now.

    Returns
    -------
    dict
        The contents of summary.json; ``rows_in == accepted + quarantined``.

    Raises
    ------
    qlue_helpers.errors.InputError
        If the export cannot be used, or ``out_dir`` holds something else.
    """
    intake, details = load_with_details(export, source, exported_at)
    summary = _summary(intake, details)

    target = Path(out_dir)
    _check_target(target)
    staging = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    staging.mkdir(parents=True)
    try:
        _write(intake, summary, staging)
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info("wrote %s", target)
    return summary


def read_folder(folder: str | Path) -> Intake:
    """Read a folder written by :func:`ingest`.

    Raises
    ------
    InputError
        If the folder lacks summary.json or reports.parquet.
    """
    folder = Path(folder)
    missing = [f for f in ("summary", "reports") if not (folder / FILES[f]).is_file()]
    if missing:
        raise InputError(
            f"{folder} is a folder but lacks {', '.join(FILES[f] for f in missing)}; "
            "expected a folder written by `qlue ingest` (or give a data file)."
        )
    summary = json.loads((folder / FILES["summary"]).read_text(encoding="utf-8"))
    quarantine = _read_csv(folder / FILES["quarantine"])
    return Intake(
        reports=conform(pd.read_parquet(folder / FILES["reports"])),
        quarantine=quarantine.astype({"row_number": "int64"}),
        source=summary["source"],
        profile=summary["profile"],
        levels=summary["levels"],
        rows_used=summary["accepted"],
        notes=summary["notes"],
        reopened=_reopened(folder) if summary["layout"] == "history" else None,
        timezone=summary["timezone"],
        columns=summary.get("columns", {}),
    )


def _summary(intake: Intake, details: Details) -> dict:
    return {
        **intake.summary(),
        "layout": details.layout,
        "profile_file": details.origin,
        "exported_at": details.exported_at.isoformat(),
        "blank_rows": details.blank_rows,
        "columns": details.columns,
        "dropped_columns": details.dropped,
        "files": dict(FILES),
    }


def _write(intake: Intake, summary: dict, folder: Path) -> None:
    # Min and max per row group are kept for the times only, which readers
    # filter on; those of a million texts took a fifth of the write.
    intake.reports.to_parquet(
        folder / FILES["reports"], index=False, write_statistics=list(TIME_COLUMNS)
    )
    intake.quarantine.to_csv(
        folder / FILES["quarantine"], index=False, encoding="utf-8-sig"
    )
    reopened = intake.reopened
    if reopened is None:
        reopened = pd.DataFrame(columns=REOPENED_COLUMNS)
    reopened.to_csv(folder / FILES["reopened"], index=False, encoding="utf-8-sig")
    (folder / FILES["summary"]).write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _check_target(target: Path) -> None:
    """Refuse to replace a folder that is not an earlier intake folder."""
    if target.exists() and not (
        target.is_dir()
        and (not any(target.iterdir()) or (target / FILES["summary"]).is_file())
    ):
        raise InputError(
            f"{target} exists and is not an intake folder (no {FILES['summary']}); "
            "expected a new or earlier `qlue ingest` folder. Choose another "
            "output folder."
        )


def _swap(staging: Path, target: Path) -> None:
    """Put the new folder in place of the old one, removing the old one last."""
    old = None
    if target.exists():
        old = staging.with_name(staging.name + ".old")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old)


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(
        path, dtype="str", keep_default_na=False, na_values=[""], encoding="utf-8-sig"
    )


def _reopened(folder: Path) -> pd.DataFrame:
    table = _read_csv(folder / FILES["reopened"])
    return table.astype({"times_reopened": "int64"}).assign(
        last_reopened_at=lambda t: pd.to_datetime(
            t["last_reopened_at"], format="ISO8601", utc=True
        ).dt.tz_convert(TIMEZONE)
    )
