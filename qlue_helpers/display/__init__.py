"""What the reader sees: Indonesian formats, escaped tables and charts.

``format``  numbers, percentages, dates, periods and durations (babel, ``id``)
``tables``  HTML tables that escape every cell and scroll on a phone
``charts``  PNG charts with an Indonesian alt text

Everything here is re-exported, so a notebook needs only
``from qlue_helpers import display as qd``.
"""

from html import escape

from qlue_helpers.display.charts import (
    STATUS_COLORS,
    STATUS_LABELS,
    Chart,
    ranking_bars,
    status_by_unit,
)
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
