"""The timing figures of a run, as plain data for ``kpi.json``."""

from __future__ import annotations

from typing import Any

import pandas as pd

from qlue_helpers.figures.backlog import AGE_GROUPS, backlog_summary, backlog_total
from qlue_helpers.figures.periods import Period
from qlue_helpers.figures.service import ServiceLevels, service_total
from qlue_helpers.figures.timings import timing_total


def timing_headline(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period, levels: ServiceLevels
) -> dict[str, Any]:
    """Gather the scope's response, service-level and backlog figures.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    areas : pandas.DataFrame
        The scope's rows of the official list.
    period : Period
        The report's period.
    levels : ServiceLevels
        The limits.

    Returns
    -------
    dict
        JSON-ready, to merge into the run's ``kpi.json``:
        ``response_hours_median``, ``response_hours_p90``,
        ``completion_hours_median``, ``completion_hours_p90`` (None when not
        known yet or without reports, see :mod:`.timings`), ``answer_limit_hours``,
        ``finish_limit_hours``, ``answered_due``, ``answered_within_share``,
        ``finished_due``, ``finished_within_share`` (None when nothing is due,
        see :mod:`.service`), ``backlog_open`` and ``backlog_by_age`` (age
        group key -> count, youngest first, see :mod:`.backlog`).
    """
    timings = timing_total(reports, areas, period)
    service = service_total(reports, areas, period, levels)
    backlog = backlog_total(backlog_summary(reports, areas, period, "kota"))

    figures = {
        f"{measure}_hours_{name}": timings[f"{measure}_{name}_hours"]
        for measure in ("response", "completion")
        for name in ("median", "p90")
    }
    figures |= {
        "answer_limit_hours": levels.answer_hours,
        "finish_limit_hours": levels.finish_hours,
    }
    figures |= {
        f"{target}_{name}": service[f"{target}_{name}"]
        for target in ("answered", "finished")
        for name in ("due", "within_share")
    }
    figures["backlog_open"] = backlog["open"]
    plain = {key: _plain(value) for key, value in figures.items()}
    return plain | {"backlog_by_age": {key: int(backlog[key]) for key in AGE_GROUPS}}


def _plain(value: Any) -> Any:
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value
