"""Read files that already hold the canonical columns (CSV or Parquet)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from qlue_helpers.canonical import COLUMNS
from qlue_helpers.errors import InputError

READERS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def read_raw(path: str | Path) -> pd.DataFrame:
    """Read a file of the canonical table without interpreting its values.

    CSV values stay text as written (missing as ``NA``) so that a row set
    aside can be shown as it came; Parquet keeps its own types.

    Raises
    ------
    InputError
        If the file is missing, of another type, empty, or lacks columns.
    """
    path = Path(path)
    kind = READERS.get(path.suffix.lower())
    if not path.is_file():
        raise InputError(f"No data file at {path}. Check the `data` parameter.")
    if kind is None:
        raise InputError(
            f"{path.name} is a {path.suffix or 'suffix-less'} file; expected the "
            "canonical table as .csv or .parquet."
        )

    raw = _read(path, kind)
    missing = [column for column in COLUMNS if column not in raw.columns]
    if missing:
        raise InputError(
            f"{path.name} lacks the canonical columns {', '.join(missing)}; it has "
            f"{', '.join(map(str, raw.columns)) or 'no columns'}. Expected the "
            f"columns {', '.join(COLUMNS)}."
        )
    if raw.empty:
        raise InputError(f"{path.name} has the right columns but no rows.")
    return raw[COLUMNS]


def _read(path: Path, kind: str) -> pd.DataFrame:
    try:
        if kind == "parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""])
    except (ValueError, OSError, UnicodeDecodeError) as error:
        raise InputError(
            f"{path.name} could not be read as {kind}: {error}. Expected a "
            f"{kind} file of the canonical table."
        ) from None
