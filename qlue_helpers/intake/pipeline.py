"""From an export file to an :class:`Intake`: read, map, check, split.

The steps, each in its own module: read the file as it came
(:mod:`.readers`), drop reporter columns, map columns with the source profile
(:mod:`.profiles`), type the values and find areas (:mod:`.staging`), run
every check in one pass (:mod:`.validate`), and for a status history build
one row per report (:mod:`.history`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from qlue_helpers.canonical import TIMEZONE, conform
from qlue_helpers.errors import InputError
from qlue_helpers.intake.history import collapse
from qlue_helpers.intake.profiles import Profile, load_profile
from qlue_helpers.intake.readers import RawExport, read_export
from qlue_helpers.intake.reasons import REASONS
from qlue_helpers.intake.result import Intake
from qlue_helpers.intake.staging import notes_of, stage
from qlue_helpers.intake.validate import (
    HISTORY_REPORT_CHECKS,
    HISTORY_ROW_CHECKS,
    REPORT_CHECKS,
    reasons_for,
)

logger = logging.getLogger(__name__)
REASON_COLUMNS = ["reason", "explanation", "all_reasons"]
_OURS = ("row_number", *REASON_COLUMNS, "raw_line")


@dataclass(frozen=True)
class _Read:
    """One export as read: rows without reporter columns, and how they map."""

    rows: pd.DataFrame
    found: dict[str, str]
    raw: RawExport
    profile: Profile
    name: str


@dataclass(frozen=True)
class Details:
    """What else a run should record: the moment, columns used and dropped."""

    exported_at: pd.Timestamp
    columns: dict[str, str]
    dropped: list[str]
    blank_rows: int
    layout: str
    origin: str


def load_export(
    path: str | Path,
    source: str | Path | Profile,
    exported_at: pd.Timestamp | str | None = None,
) -> Intake:
    """Read a raw export with a source profile and check every row.

    Parameters
    ----------
    path : str or pathlib.Path
        The export: .csv/.tsv, .xlsx, .json/.jsonl or .parquet.
    source : str, pathlib.Path or Profile
        A built-in profile (``qlue``, ``open311``, ``nyc311``, ``canonical``)
        or a mapping file.
    exported_at : pandas.Timestamp or str, optional
        When the data was exported (without an offset: WIB); later times are
        set aside. Defaults to now.

    Returns
    -------
    Intake

    Raises
    ------
    qlue_helpers.errors.InputError
        If the file cannot be used at all.
    qlue_helpers.errors.ParameterError
        If the profile is unknown or malformed.
    """
    intake, _ = load_with_details(path, source, exported_at)
    return intake


def load_with_details(
    path: str | Path,
    source: str | Path | Profile,
    exported_at: pd.Timestamp | str | None = None,
) -> tuple[Intake, Details]:
    """Do what :func:`load_export` does; also return what summary.json records."""
    profile = load_profile(source)
    moment = export_moment(exported_at)
    name = Path(path).name
    raw = read_export(path, _expected(profile))

    rows, found, dropped = _mapped(raw, profile, name)
    read = _Read(rows, found, raw, profile, name)
    typed = stage(rows, found, profile)
    if profile.layout == "history":
        intake = _from_history(read, typed, moment)
    else:
        intake = _from_reports(read, typed, moment)

    intake = replace(intake, columns=dict(found))
    _log(intake)
    details = Details(
        moment, found, dropped, raw.blank_rows, profile.layout, profile.origin
    )
    return intake, details


def export_moment(exported_at: pd.Timestamp | str | None) -> pd.Timestamp:
    """Return when the data was exported, in WIB (now if not given)."""
    if exported_at is None or exported_at == "":
        return pd.Timestamp.now(tz=TIMEZONE)
    moment = pd.Timestamp(exported_at)
    if moment.tzinfo is None:
        return moment.tz_localize(TIMEZONE)
    return moment.tz_convert(TIMEZONE)


def _expected(profile: Profile) -> str:
    if profile.name == "canonical":
        return "the canonical table"
    return f"an export for source profile {profile.name}"


def _mapped(
    raw: RawExport, profile: Profile, name: str
) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """Drop reporter columns, find each field's column, refuse a file without rows."""
    listed = [c for c in raw.rows.columns if profile.lists_identity(c)]
    found = profile.resolve([c for c in raw.rows.columns if c not in listed], name)
    lookalike = [
        c
        for c in raw.rows.columns
        if c not in listed
        and c not in found.values()
        and profile.looks_like_identity(c)
    ]
    dropped = listed + lookalike
    if dropped:
        logger.info("dropped %s reporter column(s): %s", len(dropped), dropped)
    if raw.rows.empty and raw.bad_lines.empty:
        raise InputError(
            f"{name} has the right columns but no rows. Expected at least one "
            "report; check that the export was not cut short."
        )
    return raw.rows.drop(columns=dropped), found, dropped


def _from_reports(read: _Read, typed: pd.DataFrame, moment: pd.Timestamp) -> Intake:
    reasons = reasons_for(typed, moment, REPORT_CHECKS)
    passed = reasons["reason"].isna()
    used = typed if passed.all() else typed.loc[passed]
    return Intake(
        reports=conform(used).reset_index(drop=True),
        quarantine=_quarantine(read, reasons),
        source=read.name,
        profile=read.profile.name,
        levels=read.profile.levels,
        notes=notes_of(used),
        timezone=read.profile.timezone,
    )


def _from_history(read: _Read, typed: pd.DataFrame, moment: pd.Timestamp) -> Intake:
    """Check the changes, build reports from complete histories, check those."""
    reasons = reasons_for(typed, moment, HISTORY_ROW_CHECKS)
    broken = typed.loc[reasons["reason"].notna(), "report_id"].dropna()
    incomplete = reasons["reason"].isna() & typed["report_id"].isin(broken)
    reasons.loc[incomplete] = _reason_row("incomplete_history")

    good = typed.loc[reasons["reason"].isna()]
    built = collapse(good, created_mapped="created_at" in read.found)
    report_reasons = reasons_for(built, moment, HISTORY_REPORT_CHECKS)
    reasons = reasons.fillna(
        report_reasons.reindex(good["report_id"]).set_axis(good.index)
    )

    used = built.loc[report_reasons["reason"].isna()]
    reopened = used.loc[used["times_reopened"].gt(0)]
    return Intake(
        reports=conform(used.reset_index()),
        quarantine=_quarantine(read, reasons),
        source=read.name,
        profile=read.profile.name,
        levels=read.profile.levels,
        rows_used=int(reasons["reason"].isna().sum()),
        notes={
            **notes_of(typed.loc[reasons["reason"].isna()]),
            "reopened": len(reopened),
        },
        reopened=reopened[["times_reopened", "last_reopened_at"]].reset_index(),
        timezone=read.profile.timezone,
    )


def _reason_row(reason: str) -> list[str]:
    return [reason, REASONS[reason], reason]


def _quarantine(read: _Read, reasons: pd.DataFrame) -> pd.DataFrame:
    """Rows set aside as they came, lines that could not be split among them."""
    # By position: rows and reasons are in the same order, and a label lookup
    # over a million rows costs even when none is set aside.
    bad = np.flatnonzero(reasons["reason"].notna().to_numpy())
    kept = read.rows.iloc[bad].rename(
        columns=lambda c: f"{c} (asli)" if c in _OURS else c
    )
    table = pd.concat([reasons.iloc[bad], kept], axis=1)

    lines = read.raw.bad_lines
    if len(lines):
        lines = lines.assign(
            **dict(zip(REASON_COLUMNS, _reason_row("bad_line"), strict=True))
        )
        if len(read.raw.rows.columns) > len(read.rows.columns):
            # NOTE: a line that cannot be split cannot lose just its reporter
            # fields, so its text is not kept; the row number finds it.
            lines = lines.assign(raw_line=pd.NA)
        table = pd.concat([table, lines])
    return table.sort_index().rename_axis("row_number").reset_index()


def _log(intake: Intake) -> None:
    summary = intake.summary()
    if summary["quarantined"]:
        logger.warning(
            "%s of %s rows of %s set aside: %s",
            summary["quarantined"],
            summary["rows_in"],
            intake.source,
            summary["reasons"],
        )
    logger.info(
        "%s: %s rows in, %s used (%s reports), %s set aside",
        intake.source,
        summary["rows_in"],
        summary["accepted"],
        summary["reports"],
        summary["quarantined"],
    )
