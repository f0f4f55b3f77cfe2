"""The headline figures of a run, as plain data for ``kpi.json``."""

from __future__ import annotations

from typing import Any

import pandas as pd

from qlue_helpers.figures.periods import Period


def headline(
    period: Period,
    kota: str,
    counts: dict[str, int],
    ranking: pd.DataFrame,
    *,
    kecamatan: str = "",
    categories: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Gather the figures other tools read from a run.

    Parameters
    ----------
    period : Period
        The report's period.
    kota : str
        Official kota name.
    counts : dict
        Reports in the period by status, from
        :func:`~qlue_helpers.figures.status.status_counts`.
    ranking : pandas.DataFrame
        From :func:`~qlue_helpers.figures.ranking.rank_kelurahan`.
    kecamatan, categories : optional
        The narrower scope of the report, if any.

    Returns
    -------
    dict
        JSON-ready: ``period_start``, ``period_end``, ``kota``, ``kecamatan``,
        ``categories``, ``reports``, ``status_counts`` and ``ranking`` (one
        entry per kelurahan).
    """
    columns = [
        "kode_kelurahan",
        "kelurahan",
        "rank",
        "points",
        "merah",
        "kuning",
        "hijau",
    ]
    entries = ranking[columns].to_dict(orient="records")
    return {
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "period_end_inclusive": period.end_inclusive,
        "kota": kota,
        "kecamatan": kecamatan,
        "categories": list(categories),
        "reports": sum(counts.values()),
        "status_counts": dict(counts),
        "ranking": [
            {key: _plain(value) for key, value in entry.items()} for entry in entries
        ],
    }


def _plain(value: Any) -> Any:
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value
