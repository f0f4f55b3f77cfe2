"""Small vectorised helpers for raw values: text trimmed with pyarrow."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def as_text(values: pd.Series) -> pd.Series:
    """Values as trimmed text, missing where blank; whole numbers without ``.0``.

    Parameters
    ----------
    values : pandas.Series
        Text, numbers or anything else (converted with ``str``).

    Returns
    -------
    pandas.Series
        ``str`` dtype, aligned with ``values``.
    """
    if pd.api.types.is_float_dtype(values.dtype):
        whole = values.dropna().mod(1).eq(0).all()
        values = values.astype("Int64") if whole else values
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.astype("str")

    trimmed = pc.utf8_trim_whitespace(pa.array(values.array))
    blank = pc.equal(trimmed, "")
    text = pc.if_else(blank, pa.scalar(None, trimmed.type), trimmed)
    return pd.Series(pd.array(text, dtype="str"), index=values.index, name=values.name)
