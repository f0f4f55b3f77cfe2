"""HTML tables for the report, safe for citizen-written text and phone screens.

Every header, cell, caption and note goes through :func:`html.escape`, so text
such as ``<script>`` in a citizen's description shows as text. The only markup
in the result is the table's own. Each table sits in a ``div.table-wrap`` that
scrolls sideways by itself when the table is wider than a phone screen; the
report template gives that class ``overflow-x: auto``.

Cells are formatted with :mod:`qlue_helpers.display.format`. A column's format
is named in ``formats`` or guessed from its dtype:

- ``number``: ``4.577``; ``number:1`` gives ``5,2``. Guessed for integer
  columns, and for float columns (as ``number:1`` unless all values are whole).
- ``percent``: ``64,8%`` for 0.6476; ``percent:0`` gives ``65%``. Never guessed:
  name it for share columns.
- ``hours``: ``5,2 jam`` or ``3,1 hari``, from hours or timedeltas. Guessed for
  timedelta columns.
- ``date``: ``20 November 2015``. Guessed for naive datetime columns.
- ``moment``: ``27 November 2015 pukul 23.59 WIB``. Guessed for
  timezone-aware columns.
- ``text``: the value as text, ``Ya``/``Tidak`` for booleans. Everything else.

Number, percent and hours columns are right-aligned.
A callable taking the raw value and returning text can stand in for a name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from qlue_helpers.canonical import STATUSES
from qlue_helpers.display import format as fmt
from qlue_helpers.display.format import DisplayError

Formatter = Callable[[Any], str]
Highlight = Callable[[pd.Series], bool] | Sequence[bool] | pd.Series

EMPTY_TEXT = "Tidak ada data."
TOTAL_TEXT = "Jumlah"
NUMERIC_FORMATS = ("number", "percent", "hours")
FORMAT_NAMES = ("number", "percent", "hours", "date", "moment", "text")


@dataclass(frozen=True)
class HtmlFragment:
    """A piece of trusted HTML that notebooks display and templates embed.

    Attributes
    ----------
    html : str
        The markup; every piece of data in it is already escaped.
    """

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __html__(self) -> str:
        """Return the markup as safe for Jinja and markupsafe."""
        return self.html

    def __str__(self) -> str:
        return self.html


@dataclass(frozen=True)
class _Column:
    header: str
    formatter: Formatter
    css_class: str


def table(
    frame: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    formats: Mapping[str, str | Formatter] | None = None,
    caption: str | None = None,
    note: str | None = None,
    total_row: pd.Series | None = None,
    highlight: Highlight | None = None,
) -> HtmlFragment:
    """Build an escaped, phone-friendly HTML table from a DataFrame.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show, in order. The index is not shown: call
        ``reset_index()`` first to show it. The first column serves as the
        row header (e.g. the kelurahan name).
    labels : mapping of str to str, optional
        Header text per column, in Indonesian; other columns show their name.
        It may name more columns than the table has, so one set of labels
        serves several tables.
    formats : mapping of str to str or callable, optional
        Format per column: a name from the module's table (``"number"``,
        ``"number:1"``, ``"percent"``, ``"percent:0"``, ``"hours"``, ``"date"``,
        ``"moment"``, ``"text"``) or a callable from value to text. Other
        columns get a format from their dtype.
    caption : str, optional
        Shown above the table, as its ``<caption>``.
    note : str, optional
        A sentence below the table, e.g. how points are computed.
    total_row : pandas.Series, optional
        Values per column for a total line at the foot, formatted like the
        column; columns it lacks stay empty, and an empty first cell reads
        "Jumlah".
    highlight : callable, sequence of bool or pandas.Series, optional
        Rows to emphasise: a function of the row, or one flag per row.

    Returns
    -------
    HtmlFragment
        Displays as the table in a notebook.

    Raises
    ------
    DisplayError
        If a format name is unknown, ``formats`` names a missing
        column, or ``highlight`` has the wrong length.
    """
    _check_names(frame, formats, "formats")
    columns = [
        _column(frame.iloc[:, position], labels or {}, formats or {})
        for position in range(frame.shape[1])
    ]
    marks = _highlighted_rows(frame, highlight)

    parts = ['<div class="table-wrap">\n<table class="qlue-table">']
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append(_head(columns))
    parts.append(_body(frame, columns, marks))
    if total_row is not None:
        parts.append(_foot(frame, columns, total_row))
    parts.append("</table>\n</div>")
    if note:
        parts.append(f'<p class="table-note">{escape(note)}</p>')
    return HtmlFragment("\n".join(parts))


def collapsible(title: str, content: Any, *, open: bool = False) -> HtmlFragment:
    """Fold content under a clickable title, with no JavaScript needed.

    Parameters
    ----------
    title : str
        The always-visible line, e.g. ``"Semua 65 kelurahan"``.
    content : HtmlFragment or str
        A :func:`table` (or anything with ``_repr_html_``, taken as trusted
        HTML); plain text is escaped.
    open : bool, default False
        Whether the section starts unfolded.

    Returns
    -------
    HtmlFragment
        A ``<details>`` element with a ``<summary>``.
    """
    if hasattr(content, "_repr_html_"):
        inner = content._repr_html_()
    else:
        inner = f"<p>{escape(str(content))}</p>"

    state = " open" if open else ""
    return HtmlFragment(
        f'<details class="collapsible"{state}>\n'
        f"<summary>{escape(title)}</summary>\n{inner}\n</details>"
    )


def grouped(
    frame: pd.DataFrame,
    by: str,
    headings: Mapping[Any, str],
    **options: Any,
) -> HtmlFragment:
    """Show one small table per group, each under its own heading.

    Narrower than one long table with the group repeated on every row, which
    matters on a phone.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows in the order to show, groups together.
    by : str
        The column naming each row's group; it is left out of the tables.
    headings : mapping
        Heading text per group value, e.g. ``"Satpol PP: 155 laporan"``.
    **options
        Passed to :func:`table` (``labels``, ``formats``).

    Returns
    -------
    HtmlFragment
    """
    parts = []
    for value, rows in frame.groupby(by, sort=False):
        heading = headings.get(value, str(value))
        parts.append(f'<h4 class="group">{escape(heading)}</h4>')
        parts.append(table(rows.drop(columns=by), **options).html)
    return HtmlFragment("\n".join(parts) or f"<p>{escape(EMPTY_TEXT)}</p>")


def _check_names(
    frame: pd.DataFrame, mapping: Mapping[str, Any] | None, argument: str
) -> None:
    unknown = [name for name in (mapping or {}) if name not in frame.columns]
    if unknown:
        raise DisplayError(
            f"{argument} names columns the table does not have: {unknown}. "
            f"Its columns are {list(frame.columns)}; fix the names or drop them."
        )


def _column(
    series: pd.Series,
    labels: Mapping[str, str],
    formats: Mapping[str, str | Formatter],
) -> _Column:
    name = series.name
    spec = formats.get(name) if name in formats else _guess_format(series)
    formatter, numeric = _formatter(spec, series)

    classes = ["num"] if numeric else []
    if name in STATUSES:
        classes.append(f"status-{name}")
    header = str(labels.get(name, name))
    return _Column(header, formatter, " ".join(classes))


def _guess_format(series: pd.Series) -> str:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "text"
    if pd.api.types.is_integer_dtype(dtype):
        return "number"
    if pd.api.types.is_float_dtype(dtype):
        values = series.dropna()
        whole = bool((values == values.round()).all())
        return "number" if whole else "number:1"
    if pd.api.types.is_timedelta64_dtype(dtype):
        return "hours"
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "moment"
    if pd.api.types.is_datetime64_dtype(dtype):
        return "date"
    return "text"


def _formatter(spec: str | Formatter, series: pd.Series) -> tuple[Formatter, bool]:
    if callable(spec):
        return spec, pd.api.types.is_numeric_dtype(series.dtype)

    name, _, digits = str(spec).partition(":")
    if name not in FORMAT_NAMES or (digits and not digits.isdigit()):
        raise DisplayError(
            f"Unknown format {spec!r} for column {series.name!r}. Expected one of "
            f"{list(FORMAT_NAMES)}, optionally with digits like 'number:1', "
            "or a function from value to text."
        )
    places = int(digits) if digits else None
    return (lambda value: _format(name, value, places)), name in NUMERIC_FORMATS


def _format(name: str, value: Any, digits: int | None) -> str:
    if name == "number":
        return fmt.number(value, digits or 0)
    if name == "percent":
        return fmt.percent(value, 1 if digits is None else digits)
    if name == "hours":
        return fmt.hours_label(value)
    if name == "date":
        return fmt.date_label(value)
    if name == "moment":
        return fmt.moment_label(value)
    if isinstance(value, bool | np.bool_):
        return "Ya" if value else "Tidak"
    return fmt.MISSING if fmt.is_missing(value) else str(value)


def _highlighted_rows(frame: pd.DataFrame, highlight: Highlight | None) -> list[bool]:
    if highlight is None:
        return [False] * len(frame)
    if callable(highlight):
        return [bool(highlight(row)) for _, row in frame.iterrows()]

    flags = [bool(flag) for flag in highlight]
    if len(flags) != len(frame):
        raise DisplayError(
            f"highlight has {len(flags)} flags for a table of {len(frame)} rows. "
            "Pass one flag per row, or a function of the row."
        )
    return flags


def _cell(tag: str, text: str, css_class: str, scope: str = "") -> str:
    attributes = f' class="{css_class}"' if css_class else ""
    if scope:
        attributes += f' scope="{scope}"'
    return f"<{tag}{attributes}>{escape(text)}</{tag}>"


def _head(columns: list[_Column]) -> str:
    cells = "".join(_cell("th", c.header, c.css_class, "col") for c in columns)
    return f"<thead>\n<tr>{cells}</tr>\n</thead>"


def _row(texts: Sequence[str], columns: list[_Column], css_class: str = "") -> str:
    cells = [
        _cell("th", text, column.css_class, "row")
        if position == 0
        else _cell("td", text, column.css_class)
        for position, (text, column) in enumerate(zip(texts, columns, strict=True))
    ]
    opening = f'<tr class="{css_class}">' if css_class else "<tr>"
    return opening + "".join(cells) + "</tr>"


def _body(frame: pd.DataFrame, columns: list[_Column], marks: list[bool]) -> str:
    if frame.empty:
        span = max(len(columns), 1)
        return f'<tbody>\n<tr><td colspan="{span}">{EMPTY_TEXT}</td></tr>\n</tbody>'

    rows = []
    for values, marked in zip(
        frame.itertuples(index=False, name=None), marks, strict=True
    ):
        texts = [c.formatter(value) for value, c in zip(values, columns, strict=True)]
        rows.append(_row(texts, columns, "highlight" if marked else ""))
    return "<tbody>\n" + "\n".join(rows) + "\n</tbody>"


def _foot(frame: pd.DataFrame, columns: list[_Column], total_row: pd.Series) -> str:
    texts = [
        column.formatter(total_row[name]) if name in total_row.index else ""
        for name, column in zip(frame.columns, columns, strict=True)
    ]
    if texts and not texts[0]:
        texts[0] = TOTAL_TEXT
    return "<tfoot>\n" + _row(texts, columns, "total") + "\n</tfoot>"
