"""Read an export as it came: CSV, XLSX, JSON or Parquet, every row numbered.

Values stay as written (text, except what Parquet and Excel cells type
themselves) so a row set aside can be shown as it came. Rows are numbered
from 1 for the first data row; a CSV line that cannot be split into the
header's columns is kept apart with its number instead of being dropped.
"""

from __future__ import annotations

import csv
import json
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv

from qlue_helpers.errors import InputError

logger = logging.getLogger(__name__)

KINDS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_MAGIC = {
    b"PK\x03\x04": "xlsx",
    b"PAR1": "parquet",
    b"\xd0\xcf\x11\xe0": "an old .xls workbook",
    b"\xff\xfe": "UTF-16 text",
    b"\xfe\xff": "UTF-16 text",
}
_DELIMITERS = ",;\t|"
_HEAD_BYTES = 1 << 16
_SHAPES = {
    "csv": "text with one header row, separated by commas or semicolons, in "
    "UTF-8 or cp1252",
    "xlsx": "an Excel workbook whose first sheet has one header row",
    "json": "a list of objects, one per report (or such a list under 'data')",
    "jsonl": "one JSON object per line",
    "parquet": "a Parquet table",
}
_RECORD_KEYS = ("data", "result", "results", "records", "items", "requests")


@dataclass(frozen=True)
class RawExport:
    """What was read from one file.

    Attributes
    ----------
    rows : pandas.DataFrame
        The rows, indexed by row number (1 = first data row).
    bad_lines : pandas.DataFrame
        CSV lines that could not be split into columns: ``raw_line``, indexed
        by row number.
    blank_rows : int
        Rows without a single value (Excel leaves them); not counted as rows.
    kind : str
        ``csv``, ``xlsx``, ``json``, ``jsonl`` or ``parquet``.
    """

    rows: pd.DataFrame
    bad_lines: pd.DataFrame
    blank_rows: int
    kind: str


def read_export(path: str | Path, expected: str) -> RawExport:
    """Read a data file without interpreting its values.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    expected : str
        What the caller expects, for messages (e.g. ``the canonical table``).

    Returns
    -------
    RawExport

    Raises
    ------
    InputError
        If the file is missing, of an unknown type, empty or unreadable.
    """
    path = Path(path)
    kind = _kind(path, expected)
    reader = {
        "csv": _read_csv,
        "xlsx": _read_xlsx,
        "json": _read_json,
        "jsonl": _read_json,
        "parquet": _read_parquet,
    }[kind]
    rows, bad_lines = reader(path)

    blank = rows.isna().all(axis=1)
    logger.info(
        "read %s rows (%s blank, %s unsplittable) from %s",
        len(rows),
        int(blank.sum()),
        len(bad_lines),
        path.name,
    )
    kept = rows.loc[~blank] if blank.any() else rows
    return RawExport(kept, bad_lines, int(blank.sum()), kind)


def _kind(path: Path, expected: str) -> str:
    """Choose the reader from the suffix; check it against the first bytes."""
    if not path.is_file():
        raise InputError(f"No data file at {path}. Check the `data` parameter.")
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"{path.name} is a {path.suffix or 'suffix-less'} file; expected "
            f"{expected} as {', '.join(sorted(set(KINDS)))}. Save it from Excel as "
            "CSV or XLSX."
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head.strip():
        raise InputError(
            f"{path.name} is empty; expected {expected} with a header row and rows."
        )
    content = next((k for m, k in _MAGIC.items() if head.startswith(m)), "text")
    if content == "text" and b"\x00" in head:
        content = "binary data"
    binary = kind in ("xlsx", "parquet")
    if content != kind and (binary or content != "text"):
        raise InputError(
            f"{path.name} is named {path.suffix} but its content is "
            f"{content}; expected "
            f"{expected}. Save it again as .csv or .xlsx, or fix the file name."
        )
    return kind


def _read_csv(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    encoding = "utf8"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        encoding = "utf8" if error.start > len(head) - 4 else "cp1252"
    delimiter, names = _header(head, encoding)

    try:
        table, bad = _arrow_csv(path, names, delimiter, encoding, threads=True)
    except pa.ArrowInvalid as error:
        if encoding != "utf8" or "UTF8" not in str(error):
            raise _unreadable(path, "csv", error) from None
        encoding = "cp1252"
        table, bad = _arrow_csv(path, names, delimiter, encoding, threads=True)
    if bad:
        # Row numbers of bad lines are only known when reading in one thread.
        table, bad = _arrow_csv(path, names, delimiter, encoding, threads=False)

    logger.debug("csv %s: delimiter %r, encoding %s", path.name, delimiter, encoding)
    return _numbered(table.to_pandas(), bad)


def _header(head: bytes, encoding: str) -> tuple[str, list[str]]:
    """Find the delimiter giving the most header columns; return it and the names."""
    text = head.decode("utf-8-sig" if encoding == "utf8" else encoding, "replace")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(
        _DELIMITERS,
        key=lambda d: (len(next(csv.reader([first], delimiter=d))), d == ","),
    )
    names = next(csv.reader([first], delimiter=delimiter))
    return delimiter, _unique(names)


def _arrow_csv(
    path: Path, names: list[str], delimiter: str, encoding: str, threads: bool
) -> tuple[pa.Table, list[tuple[int | None, str]]]:
    bad: list[tuple[int | None, str]] = []

    def keep_apart(row: pcsv.InvalidRow) -> str:
        bad.append((row.number, row.text))
        return "skip"

    try:
        table = pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(
                column_names=names, skip_rows=1, encoding=encoding, use_threads=threads
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                invalid_row_handler=keep_apart,
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except UnicodeDecodeError as error:
        raise _unreadable(path, "csv (UTF-8 or cp1252)", error) from None
    return table, bad


def _numbered(
    rows: pd.DataFrame, bad: list[tuple[int | None, str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give good and bad rows their numbers as they stood in the file."""
    if not bad:
        return rows.set_axis(
            pd.RangeIndex(1, len(rows) + 1, name="row_number")
        ), _no_bad_lines()
    # pyarrow counts the header as record 1.
    bad_numbers = np.array([number - 1 for number, _ in bad], dtype="int64")
    every = np.arange(1, len(rows) + len(bad) + 1)
    rows.index = pd.Index(np.setdiff1d(every, bad_numbers), name="row_number")
    bad_lines = pd.DataFrame(
        {"raw_line": pd.Series([text for _, text in bad], dtype="str")}
    ).set_axis(pd.Index(bad_numbers, name="row_number"))
    return rows, bad_lines


def _read_xlsx(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the first worksheet; its first row must be the header."""
    # NOTE: title rows above the header make the header unrecognisable; the
    # error then lists what was found, so the person can delete them.
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            if len(book.sheet_names) > 1:
                logger.warning("%s: reading the first worksheet only", path.name)
            rows = pd.read_excel(book, sheet_name=0, dtype="str")
    except (ValueError, OSError, KeyError, IndexError, zipfile.BadZipFile) as error:
        raise _unreadable(path, "xlsx", error) from None
    rows.columns = _unique([str(c) for c in rows.columns])
    return _plain(rows), _no_bad_lines()


def _read_json(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            content = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            content = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise _unreadable(path, "json", error) from None

    records = _records(content)
    if records is None:
        raise _unreadable(path, "json", "no list of objects found in it")
    rows = pd.json_normalize([_as_texts(record) for record in records])
    return _plain(rows), _no_bad_lines()


def _records(content: object) -> list[dict] | None:
    """Find the records: the top level, or the one list inside an object."""
    if isinstance(content, dict):
        lists = {k: v for k, v in content.items() if isinstance(v, list)}
        named = [lists[k] for k in _RECORD_KEYS if k in lists]
        content = named[0] if named else next(iter(lists.values()), None)
    if isinstance(content, list) and all(isinstance(r, dict) for r in content):
        return content
    return None


def _as_texts(record: dict) -> dict:
    """Give every value as its JSON text (numbers exact); keep nested objects."""
    return {key: _as_text(value) for key, value in record.items()}


def _as_text(value: object) -> object:
    if isinstance(value, dict):
        return _as_texts(value)
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _read_parquet(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    try:
        rows = pd.read_parquet(path)
    except (ValueError, OSError, pa.ArrowException) as error:
        raise _unreadable(path, "parquet", error) from None
    return _plain(rows), _no_bad_lines()


def _plain(rows: pd.DataFrame) -> pd.DataFrame:
    """Give rows numbers from 1 and text columns the ``str`` dtype."""
    text = [name for name in rows.columns if rows[name].dtype == object]
    typed = rows.astype(dict.fromkeys(text, "str")) if text else rows
    return typed.set_axis(pd.RangeIndex(1, len(rows) + 1, name="row_number"))


def _no_bad_lines() -> pd.DataFrame:
    return pd.DataFrame(
        {"raw_line": pd.Series(dtype="str")},
        index=pd.Index([], dtype="int64", name="row_number"),
    )


def _unique(names: list[str]) -> list[str]:
    """Header names made unique and non-empty (``kolom_3``, ``Status (2)``)."""
    seen: dict[str, int] = {}
    unique = []
    for position, name in enumerate(names, start=1):
        name = name.strip() or f"kolom_{position}"
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def _unreadable(path: Path, kind: str, error: object) -> InputError:
    return InputError(
        f"{path.name} could not be read as {kind}: {error}. Expected "
        f"{_SHAPES[kind.split()[0]]}; save it again from the exporting program or "
        "Excel."
    )
