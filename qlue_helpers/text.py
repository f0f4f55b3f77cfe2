"""Text made safe for where it goes: folder names and spreadsheet cells."""

from __future__ import annotations

import re

import pandas as pd

# A cell starting with one of these is a formula to Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def slug(text: str) -> str:
    """Return lower-case words joined by hyphens (``Jalan Rusak``: ``jalan-rusak``)."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with text that a spreadsheet would run as a formula quoted.

    Citizen-written text such as ``=HYPERLINK(...)`` gets a leading ``'``, so
    Excel shows it as text; numbers and other text are unchanged.
    """
    text_columns = [
        column
        for column in table.columns
        if pd.api.types.is_string_dtype(table[column].dtype)
    ]
    quoted = {
        column: table[column].mask(
            table[column].str.startswith(FORMULA_STARTS, na=False),
            "'" + table[column],
        )
        for column in text_columns
    }
    return table.assign(**quoted)
