"""Apply a profile to raw rows: the canonical fields, typed, plus what went wrong.

Nothing is set aside here. Each row gets its typed values and a few helper
columns (``_unreadable_time``, ``_created_blank``, ``_status_time_blank``,
``_unreadable_point``, ``_area_problem``) that the validation turns into
reasons in one pass, and ``_note_*`` flags for what is counted but kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from qlue_helpers.canonical import STATUS_DTYPE, STATUSES, TIME_COLUMNS
from qlue_helpers.intake.areamatch import AREA_FIELDS, match_areas
from qlue_helpers.intake.profiles import Profile, word_key
from qlue_helpers.intake.times import parse_times
from qlue_helpers.intake.values import as_text

logger = logging.getLogger(__name__)
STAGED_TIMES = (*TIME_COLUMNS, "status_time")


def stage(rows: pd.DataFrame, found: dict[str, str], profile: Profile) -> pd.DataFrame:
    """Type every mapped column of ``rows`` the way ``profile`` says.

    Parameters
    ----------
    rows : pandas.DataFrame
        Raw rows, reporter columns already dropped.
    found : dict
        Field to header, from :meth:`Profile.resolve`.
    profile : Profile

    Returns
    -------
    pandas.DataFrame
        Canonical fields, ``status_time`` and helper columns, indexed like
        ``rows``; ``_note_<code>`` columns flag what :data:`NOTES` counts.
    """
    column = _Columns(rows, found)
    texts = [column.timed(name) for name in STAGED_TIMES]
    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        # Times parse in threads (pyarrow lets go of the GIL) while this
        # thread reads points and areas.
        parsed = pool.map(_time_parser(profile), texts)
        typed = pd.DataFrame(
            {
                "report_id": column.text("report_id"),
                "category": column.raw("category").astype("str"),
                "description": column.raw("description").astype("str"),
            },
            index=rows.index,
        )
        typed = _with_points(typed, column)
        typed = _with_areas(typed, column, profile)
        typed = typed.assign(**dict(zip(STAGED_TIMES, parsed, strict=True)))

    typed = _with_status(typed, column, profile)
    return _with_flags(typed, column)


def _time_parser(profile: Profile) -> Callable[[pd.Series], pd.Series]:
    def parse(values: pd.Series) -> pd.Series:
        return parse_times(values, profile.date_formats, profile.timezone, True)

    return parse


def notes_of(typed: pd.DataFrame) -> dict[str, int]:
    """Count the ``_note_<code>`` flags of some staged rows (zeros left out)."""
    flags = typed.filter(like="_note_").sum()
    return {name.removeprefix("_note_"): int(n) for name, n in flags.items() if n}


@dataclass(frozen=True)
class _Columns:
    """Access to the raw column behind each field (all-missing if unmapped)."""

    rows: pd.DataFrame
    found: dict[str, str]
    _texts: dict[str, pd.Series] = field(default_factory=dict)

    def raw(self, name: str) -> pd.Series:
        if name in self.found:
            return self.rows[self.found[name]]
        return pd.Series(pd.NA, index=self.rows.index, dtype="str")

    def text(self, name: str) -> pd.Series:
        if name not in self._texts:
            self._texts[name] = as_text(self.raw(name))
        return self._texts[name]

    def timed(self, name: str) -> pd.Series:
        raw = self.raw(name)
        return raw if pd.api.types.is_datetime64_any_dtype(raw) else self.text(name)

    def area(self, name: str) -> pd.Series:
        raw = self.raw(name)
        return raw if isinstance(raw.dtype, pd.StringDtype) else self.text(name)

    def number(self, name: str) -> pd.Series:
        raw = self.raw(name)
        return _number(raw if pd.api.types.is_numeric_dtype(raw) else self.text(name))

    def present(self, name: str) -> pd.Series:
        return self.text(name).notna()


def _with_status(
    typed: pd.DataFrame, column: _Columns, profile: Profile
) -> pd.DataFrame:
    """Map status words to merah/kuning/hijau; fill times from ``status_time``."""
    if "status" not in column.found:
        derived = np.select(
            [typed["completed_at"].notna(), typed["responded_at"].notna()],
            ["hijau", "kuning"],
            "merah",
        )
        status = pd.Series(derived, index=typed.index, dtype=STATUS_DTYPE)
        return typed.assign(status=status, _note_status_derived=True)

    codes, words = pd.factorize(column.text("status"))
    order = {status: code for code, status in enumerate(STATUSES)}
    known = [order.get(profile.statuses.get(word_key(w)), -1) for w in words]
    status = pd.Series(
        pd.Categorical.from_codes(np.array([*known, -1])[codes], dtype=STATUS_DTYPE),
        index=typed.index,
    )
    if profile.layout == "history":
        return typed.assign(status=status)
    return _times_from_status_time(typed.assign(status=status))


def _times_from_status_time(typed: pd.DataFrame) -> pd.DataFrame:
    """Give a hijau row without completion time its status time (kuning alike)."""
    done = typed["status"].eq("hijau") & typed["completed_at"].isna()
    answered = typed["status"].eq("kuning") & typed["responded_at"].isna()
    filled = (done | answered) & typed["status_time"].notna()
    return typed.assign(
        _note_time_from_status_time=filled,
        completed_at=typed["completed_at"].mask(done, typed["status_time"]),
        responded_at=typed["responded_at"].mask(answered, typed["status_time"]),
    )


def _with_points(typed: pd.DataFrame, column: _Columns) -> pd.DataFrame:
    """Read coordinates (decimal commas too); 0/0 means no point."""
    lat, lon = column.number("lat"), column.number("lon")
    nowhere = lat.eq(0) & lon.eq(0)
    unreadable = (column.present("lat") & lat.isna()) | (
        column.present("lon") & lon.isna()
    )
    return typed.assign(
        lat=lat.mask(nowhere),
        lon=lon.mask(nowhere),
        _unreadable_point=unreadable,
        _note_no_point=nowhere,
    )


def _number(values: pd.Series) -> pd.Series:
    """Read numbers from trimmed text; a decimal comma is read as a point."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.astype("float64")
    text = pa.array(values.array)
    try:
        numbers = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        numbers = _commas_read(text)
    return pd.Series(numbers, index=values.index, dtype="float64")


def _commas_read(text: pa.Array) -> np.ndarray:
    """Read text that is not all plain numbers: decimal commas, others missing."""
    text = pc.replace_substring(text, ",", ".")
    try:
        return pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        return pd.to_numeric(text.to_numpy(zero_copy_only=False), errors="coerce")


def _with_areas(
    typed: pd.DataFrame, column: _Columns, profile: Profile
) -> pd.DataFrame:
    # Names are normalised per distinct value when matched: no need to trim here.
    parts = pd.DataFrame(
        {name: column.area(name) for name in AREA_FIELDS}, index=typed.index
    )
    found = match_areas(parts, profile.areas)
    return typed.assign(
        kode_kelurahan=found["kode_kelurahan"],
        kelurahan=found["kelurahan"],
        kecamatan=found["kecamatan"],
        kota=found["kota"],
        _area_problem=found["area_problem"],
    )


def _with_flags(typed: pd.DataFrame, column: _Columns) -> pd.DataFrame:
    """Flag a time written but unreadable, and a time left blank."""
    unreadable = pd.Series(False, index=typed.index)
    for name in STAGED_TIMES:
        unreadable |= column.present(name) & typed[name].isna()
    return typed.assign(
        _unreadable_time=unreadable,
        _created_blank=~column.present("created_at"),
        _status_time_blank=~column.present("status_time"),
    )
