"""The points ranking of kelurahan.

No official formula was ever published. The default rule (see
``params/scoring/default.yaml``) is the project's reading of the figures
published for November 2015, so the report labels it as an approximation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from qlue_helpers.figures.periods import Period
from qlue_helpers.figures.status import in_period

COUNT_COLUMNS = ["hijau_cepat", "hijau_lambat", "kuning", "merah"]
TIE_RULE = (
    "Kelurahan dengan poin sama berbagi peringkat yang sama (1, 2, 2, 4); "
    "urutan di dalamnya: lebih banyak laporan selesai, lalu lebih sedikit "
    "laporan menunggu, lalu nama kelurahan."
)


@dataclass(frozen=True)
class ScoringRule:
    """Points per report by its status at the close of the period.

    Parameters
    ----------
    name : str
        Short identifier, shown beside the table.
    hijau_cepat, hijau_lambat, kuning, merah : int
        Points for a report finished within ``fast_hours`` of its creation,
        finished later, in process, and waiting.
    fast_hours : float
        Limit between a fast and a slow finish, in hours.
    note : str
        What the rule is based on, for readers.
    """

    name: str
    hijau_cepat: int
    hijau_lambat: int
    kuning: int
    merah: int
    fast_hours: float
    note: str = ""


def rank_kelurahan(
    reports: pd.DataFrame, areas: pd.DataFrame, period: Period, rule: ScoringRule
) -> pd.DataFrame:
    """Score and rank every kelurahan in ``areas`` for one period.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    areas : pandas.DataFrame
        The kelurahan to rank (rows of the official list); those without
        reports score zero and are ranked too.
    period : Period
        Reports created in it count, with their status at its close.
    rule : ScoringRule
        Points per status and the fast limit.

    Returns
    -------
    pandas.DataFrame
        ``rank, kode_kelurahan, kelurahan, kecamatan, laporan, hijau,
        hijau_cepat, hijau_lambat, kuning, merah, points``, best first; ties
        as described by :data:`TIE_RULE`.
    """
    counts = _counts(in_period(reports, period), rule.fast_hours)
    table = (
        areas[["kode_kelurahan", "kelurahan", "kecamatan"]]
        .merge(counts, on="kode_kelurahan", how="left")
        .fillna(dict.fromkeys(COUNT_COLUMNS, 0))
        .astype(dict.fromkeys(COUNT_COLUMNS, "int64"))
    )

    points = sum(table[column] * getattr(rule, column) for column in COUNT_COLUMNS)
    table = table.assign(
        hijau=table["hijau_cepat"] + table["hijau_lambat"],
        laporan=table[COUNT_COLUMNS].sum(axis=1),
        points=points,
        rank=points.rank(method="min", ascending=False).astype("int64"),
    )
    return table.sort_values(
        ["rank", "hijau", "merah", "kelurahan"], ascending=[True, False, True, True]
    ).reset_index(drop=True)[
        [
            "rank",
            "kode_kelurahan",
            "kelurahan",
            "kecamatan",
            "laporan",
            "hijau",
            *COUNT_COLUMNS,
            "points",
        ]
    ]


def _counts(reports: pd.DataFrame, fast_hours: float) -> pd.DataFrame:
    took = reports["completed_at"] - reports["created_at"]
    fast = took.le(pd.Timedelta(hours=fast_hours))
    kind = (
        reports["status"]
        .astype("str")
        .where(
            reports["status"].ne("hijau"),
            fast.map({True: "hijau_cepat", False: "hijau_lambat"}),
        )
    )
    return (
        pd.crosstab(reports["kode_kelurahan"], kind)
        .reindex(columns=COUNT_COLUMNS, fill_value=0)
        .reset_index()
    )
