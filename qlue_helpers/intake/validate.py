"""Check typed rows and name the reason each bad row is set aside.

Every check runs over every row in one pass (pandera, lazy mode); a row that
fails any check is filed under the first failing reason in
:data:`~qlue_helpers.intake.reasons.REASONS` order, the others listed beside
it, so that rows in always equal rows used plus rows set aside.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from qlue_helpers.canonical import TIME_COLUMNS
from qlue_helpers.intake.reasons import REASONS

logger = logging.getLogger(__name__)

# Which checks apply to a one-row-per-report export, to the rows of a status
# history, and to the reports built from a history.
REPORT_CHECKS = (
    "missing_id",
    "duplicate_id",
    "bad_date",
    "missing_created_at",
    "responded_before_created",
    "completed_before_created",
    "future_time",
    "ambiguous_area",
    "unknown_area",
    "unknown_status",
    "status_without_time",
    "bad_coordinates",
)
HISTORY_ROW_CHECKS = (
    "missing_id",
    "bad_date",
    "missing_status_time",
    "unknown_status",
    "future_time",
)
HISTORY_REPORT_CHECKS = (
    "missing_created_at",
    "responded_before_created",
    "completed_before_created",
    "future_time",
    "ambiguous_area",
    "unknown_area",
    "bad_coordinates",
)
_Rule = tuple[str, Callable[[pd.Series], pd.Series]]
_POWERS_OF_TEN = 10 ** np.arange(19, dtype="int64")


def reasons_for(
    typed: pd.DataFrame, exported_at: pd.Timestamp, checks: Iterable[str]
) -> pd.DataFrame:
    """Run the named checks on every row; return why each row fails.

    Parameters
    ----------
    typed : pandas.DataFrame
        Rows from :func:`~qlue_helpers.intake.staging.stage` (or reports built
        from a history), with a unique index.
    exported_at : pandas.Timestamp
        When the data was exported; later times are impossible.
    checks : iterable of str
        Reason codes to check, from :data:`REASONS`.

    Returns
    -------
    pandas.DataFrame
        ``reason``, ``explanation`` and ``all_reasons`` aligned with ``typed``,
        missing for rows that pass.
    """
    # Imported here: reading a checked store never validates, and pandera
    # takes a third of a second to import.
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

    rules = _rules(typed, exported_at)
    columns: dict[str, list[pa.Check]] = {}
    for name in checks:
        column, function = rules[name]
        check = pa.Check(function, name=name, ignore_na=False)
        columns.setdefault(column, []).append(check)
    schema = pa.DataFrameSchema(
        {
            name: pa.Column(nullable=True, checks=found)
            for name, found in columns.items()
        }
    )

    try:
        schema.validate(typed, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases
        return _first_reasons(cases.loc[cases["index"].notna()], typed.index)
    return _first_reasons(pd.DataFrame({"index": [], "check": []}), typed.index)


def _rules(frame: pd.DataFrame, exported_at: pd.Timestamp) -> dict[str, _Rule]:
    """Each reason: the column it is reported on, and what passing means."""
    times = [name for name in (*TIME_COLUMNS, "status_time") if name in frame]

    def before_created(column: str) -> _Rule:
        return column, lambda s: ~s.lt(frame["created_at"])

    def inside(limit: float) -> Callable[[pd.Series], pd.Series]:
        return lambda s: ~frame["_unreadable_point"] & (s.isna() | s.abs().le(limit))

    def future(s: pd.Series) -> pd.Series:
        return ~frame[times].gt(exported_at).any(axis=1)

    def matched(s: pd.Series) -> pd.Series:
        return s.notna() | frame["_area_problem"].eq("ambiguous_area")

    def on_earth(s: pd.Series) -> pd.Series:
        return inside(90)(s) & inside(180)(frame["lon"])

    return {
        "missing_id": ("report_id", lambda s: s.notna()),
        "duplicate_id": ("report_id", lambda s: s.isna() | ~_repeated(s)),
        "bad_date": ("_unreadable_time", lambda s: ~s),
        "missing_created_at": ("_created_blank", lambda s: ~s),
        "missing_status_time": ("_status_time_blank", lambda s: ~s),
        "responded_before_created": before_created("responded_at"),
        "completed_before_created": before_created("completed_at"),
        "future_time": ("created_at", future),
        "ambiguous_area": ("_area_problem", lambda s: s.ne("ambiguous_area")),
        "unknown_area": ("kode_kelurahan", matched),
        "unknown_status": ("status", lambda s: s.notna()),
        "status_without_time": ("status", lambda s: _has_its_time(frame)),
        "bad_coordinates": ("lat", on_earth),
    }


def _repeated(ids: pd.Series) -> pd.Series:
    """Later copies of an id (the first one counts)."""
    values = pyarrow.array(ids.array)
    numbers = _as_numbers(values)
    if numbers is not None:
        ordered = np.sort(numbers)  # a sort is faster than hashing here
        if not (ordered[1:] == ordered[:-1]).any():
            return pd.Series(False, index=ids.index)
        return pd.Series(pd.Index(numbers).duplicated(), index=ids.index)
    if len(pc.unique(values).drop_null()) == len(values) - values.null_count:
        return pd.Series(False, index=ids.index)
    codes, _ = pd.factorize(ids)
    return pd.Series(pd.Index(codes).duplicated(), index=ids.index)


def _as_numbers(ids: pyarrow.ChunkedArray) -> np.ndarray | None:
    """Ids as integers when each is a number written plainly, else None.

    Qlue's ids are long numbers, and integers compare faster than text. An id
    counts as plain when it has exactly its number's digits (no leading zero,
    sign or space), so two different ids never become one number.
    """
    if ids.null_count:
        return None
    try:
        numbers = pc.cast(ids, pyarrow.int64()).to_numpy()
    except (pyarrow.ArrowInvalid, pyarrow.ArrowNotImplementedError):
        return None
    digits = np.searchsorted(_POWERS_OF_TEN, numbers, side="right")
    written = pc.binary_length(ids).to_numpy()
    return numbers if np.array_equal(digits, written) else None


def _has_its_time(frame: pd.DataFrame) -> pd.Series:
    hijau = frame["status"].eq("hijau") & frame["completed_at"].isna()
    kuning = frame["status"].eq("kuning") & frame["responded_at"].isna()
    return ~(hijau | kuning)


def _first_reasons(failures: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """One line per row: its first reason, the explanation, all its reasons."""
    order = {reason: rank for rank, reason in enumerate(REASONS)}
    ranked = (
        failures[["index", "check"]]
        .drop_duplicates()
        .assign(order=lambda f: f["check"].map(order))
        .sort_values(["index", "order"])
        .groupby("index")["check"]
        .agg(reason="first", all_reasons=", ".join)
        .assign(explanation=lambda t: t["reason"].map(REASONS))
    )
    logger.debug("%s of %s rows fail a check", len(ranked), len(index))
    return (
        ranked.set_axis(ranked.index.astype(index.dtype))
        .astype("str")
        .reindex(index)[["reason", "explanation", "all_reasons"]]
    )
