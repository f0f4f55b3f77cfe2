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
    reports: pd.DataFrame,
    areas: pd.DataFrame,
    period: Period,
    rule: ScoringRule,
    min_reports: int = 0,
) -> pd.DataFrame:
    """Score and rank every kelurahan in ``areas`` for one period.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    areas : pandas.DataFrame
        The kelurahan to rank (rows of the official list); those without
        reports score zero and are ranked too, unless `min_reports` is above 0.
    period : Period
        Reports created in it count, with their status at its close.
    rule : ScoringRule
        Points per status and the fast limit.
    min_reports : int, default 0
        Fewest reports in the period a kelurahan needs to be ranked. Those
        with fewer are still listed, with their counts and points, after the
        ranked ones and without a rank. With 0 every kelurahan is ranked.

    Returns
    -------
    pandas.DataFrame
        ``rank, kode_kelurahan, kelurahan, kecamatan, laporan, hijau,
        hijau_cepat, hijau_lambat, kuning, merah, points, ranked``: ranked
        kelurahan best first, ties as described by :data:`TIE_RULE`, then
        the unranked ones in the same order. ``rank`` is ``Int64``, missing
        where ``ranked`` is false.
    """
    counts = _counts(in_period(reports, period), rule.fast_hours)
    table = (
        areas[["kode_kelurahan", "kelurahan", "kecamatan"]]
        .merge(counts, on="kode_kelurahan", how="left")
        .fillna(dict.fromkeys(COUNT_COLUMNS, 0))
        .astype(dict.fromkeys(COUNT_COLUMNS, "int64"))
    )

    points = sum(table[column] * getattr(rule, column) for column in COUNT_COLUMNS)
    laporan = table[COUNT_COLUMNS].sum(axis=1)
    ranked = laporan.ge(min_reports)
    table = table.assign(
        hijau=table["hijau_cepat"] + table["hijau_lambat"],
        laporan=laporan,
        points=points,
        ranked=ranked,
        rank=points.where(ranked).rank(method="min", ascending=False).astype("Int64"),
    )

    # Within the ranked ones, points descending is rank ascending.
    return table.sort_values(
        ["ranked", "points", "hijau", "merah", "kelurahan"],
        ascending=[False, False, False, True, True],
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
            "ranked",
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
