"""The weekly figures computed by DuckDB with SQL, as the benchmark's yardstick.

Each query reads the same history folder as the project does and must give
the same numbers; ``bench/run.py`` fails when they differ.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from qlue_helpers.figures import Period, ScoringRule

# Status of each report of the period at its close, and whether it was fast.
_PERIOD = """
    SELECT kode_kelurahan,
           CASE WHEN completed_at < $closes THEN 'hijau'
                WHEN responded_at < $closes THEN 'kuning'
                ELSE 'merah' END AS status,
           completed_at < $closes
             AND completed_at - created_at <= to_microseconds($fast_us) AS fast
    FROM read_parquet($files, hive_partitioning = true)
    WHERE kode_kota = $kota AND created_at >= $opens AND created_at < $closes
"""

_COUNTS = f"""
    WITH period AS ({_PERIOD})
    SELECT a.kode_kelurahan, a.kecamatan,
           count(p.status) FILTER (WHERE p.status = 'merah') AS merah,
           count(p.status) FILTER (WHERE p.status = 'kuning') AS kuning,
           count(p.status) FILTER (WHERE p.status = 'hijau') AS hijau,
           count(p.status) FILTER (WHERE p.fast) AS hijau_cepat
    FROM areas a LEFT JOIN period p USING (kode_kelurahan)
    GROUP BY ALL
"""

_KECAMATAN = f"""
    SELECT kecamatan, sum(merah + kuning + hijau)::BIGINT AS laporan,
           sum(merah)::BIGINT AS merah, sum(kuning)::BIGINT AS kuning,
           sum(hijau)::BIGINT AS hijau
    FROM ({_COUNTS}) GROUP BY kecamatan ORDER BY kecamatan
"""

_RANKING = f"""
    WITH counts AS ({_COUNTS}),
    scored AS (
        SELECT kode_kelurahan, merah, kuning, hijau,
               hijau_cepat * $cepat + (hijau - hijau_cepat) * $lambat
                 + kuning * $kuning + merah * $merah AS points
        FROM counts)
    SELECT kode_kelurahan, points::BIGINT AS points,
           rank() OVER (ORDER BY points DESC)::BIGINT AS rank,
           merah::BIGINT AS merah, kuning::BIGINT AS kuning, hijau::BIGINT AS hijau
    FROM scored ORDER BY kode_kelurahan
"""


def weekly_figures(
    history: Path, areas: pd.DataFrame, period: Period, rule: ScoringRule
) -> dict[str, pd.DataFrame]:
    """Compute the status summary by kecamatan and the ranking with DuckDB."""
    connection = duckdb.connect()
    connection.register("areas", areas[["kode_kelurahan", "kecamatan"]])
    values = {
        "files": str(history / "**" / "*.parquet"),
        "kota": areas["kode_kota"].iloc[0],
        "opens": period.opens.to_pydatetime(),
        "closes": period.closes.to_pydatetime(),
        "fast_us": int(rule.fast_hours * 3600 * 1_000_000),
    }
    points = {
        "cepat": rule.hijau_cepat,
        "lambat": rule.hijau_lambat,
        "kuning": rule.kuning,
        "merah": rule.merah,
    }
    return {
        "kecamatan": connection.execute(_KECAMATAN, values).df(),
        "ranking": connection.execute(_RANKING, values | points).df(),
    }
