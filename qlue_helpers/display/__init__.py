"""What the reader sees: Indonesian formats, escaped tables and charts.

``format``  numbers, percentages, dates, periods and durations (babel, ``id``)
``tables``  HTML tables that escape every cell and scroll on a phone
``charts``  PNG charts with an Indonesian alt text

Everything here is re-exported, so a notebook needs only
``from qlue_helpers import display as qd``. The chart names are loaded on
first use: matplotlib takes most of a second to import, and what only formats
text (the command line's titles, the email) should not wait for it.
"""

from html import escape
from typing import Any

from qlue_helpers.display.format import (
    DisplayError,
    date_label,
    hours_label,
    moment_label,
    number,
    percent,
    period_label,
)
from qlue_helpers.display.tables import HtmlFragment, collapsible, table

__all__ = [
    "STATUS_COLORS",
    "STATUS_LABELS",
    "Chart",
    "DisplayError",
    "HtmlFragment",
    "collapsible",
    "date_label",
    "escape",
    "hours_label",
    "moment_label",
    "number",
    "percent",
    "period_label",
    "ranking_bars",
    "status_by_unit",
    "table",
]

_CHART_NAMES = {
    "STATUS_COLORS",
    "STATUS_LABELS",
    "Chart",
    "ranking_bars",
    "status_by_unit",
}


def __getattr__(name: str) -> Any:
    if name in _CHART_NAMES:
        from qlue_helpers.display import charts

        return getattr(charts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
