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


# Hours to the first response and to completion, or +inf while still open at
# the close: the nearest-rank quantile of those is the project's censored one.
_TIMES = """
    SELECT a.kecamatan,
           CASE WHEN least(coalesce(responded_at, completed_at),
                           coalesce(completed_at, responded_at)) < $closes
                THEN epoch(least(coalesce(responded_at, completed_at),
                                 coalesce(completed_at, responded_at))
                           - created_at) / 3600
                ELSE 'inf'::DOUBLE END AS response,
           CASE WHEN completed_at < $closes
                THEN epoch(completed_at - created_at) / 3600
                ELSE 'inf'::DOUBLE END AS completion
    FROM read_parquet($files, hive_partitioning = true) r
    JOIN areas a USING (kode_kelurahan)
    WHERE kode_kota = $kota AND created_at >= $opens AND created_at < $closes
"""


def _nearest_rank(measure: str, q: float) -> str:
    return f"""
        SELECT kecamatan, nullif(max({measure}) FILTER (WHERE i = ceil({q} * n)),
                                 'inf'::DOUBLE) AS value
        FROM (SELECT kecamatan, {measure},
                     row_number() OVER (PARTITION BY kecamatan ORDER BY {measure}) AS i,
                     count(*) OVER (PARTITION BY kecamatan) AS n
              FROM ({_TIMES}))
        GROUP BY kecamatan
    """


_TIMINGS = f"""
    SELECT k.kecamatan, r50.value AS response_median_hours,
           r90.value AS response_p90_hours, c50.value AS completion_median_hours,
           c90.value AS completion_p90_hours
    FROM (SELECT DISTINCT kecamatan FROM areas) k
    LEFT JOIN ({_nearest_rank("response", 0.5)}) r50 USING (kecamatan)
    LEFT JOIN ({_nearest_rank("response", 0.9)}) r90 USING (kecamatan)
    LEFT JOIN ({_nearest_rank("completion", 0.5)}) c50 USING (kecamatan)
    LEFT JOIN ({_nearest_rank("completion", 0.9)}) c90 USING (kecamatan)
    ORDER BY kecamatan
"""

# Every report open at the close, however old, by age in days.
_BACKLOG = """
    WITH open AS (
        SELECT a.kecamatan, epoch($closes - created_at) / 86400 AS days
        FROM read_parquet($files, hive_partitioning = true) r
        JOIN areas a USING (kode_kelurahan)
        WHERE kode_kota = $kota AND created_at < $closes
          AND (completed_at IS NULL OR completed_at >= $closes))
    SELECT k.kecamatan, count(days)::BIGINT AS open,
           count(days) FILTER (WHERE days < 1)::BIGINT AS age_0_1,
           count(days) FILTER (WHERE days >= 1 AND days < 3)::BIGINT AS age_1_3,
           count(days) FILTER (WHERE days >= 3 AND days < 7)::BIGINT AS age_3_7,
           count(days) FILTER (WHERE days >= 7)::BIGINT AS age_7_plus
    FROM (SELECT DISTINCT kecamatan FROM areas) k LEFT JOIN open USING (kecamatan)
    GROUP BY k.kecamatan ORDER BY k.kecamatan
"""

# Per week and kecamatan: reports in, share done at the week's close, and the
# censored median completion time.
_TRENDS = """
    WITH times AS (
        SELECT w.week_offset, a.kecamatan,
               completed_at < w.closes AS done,
               CASE WHEN completed_at < w.closes
                    THEN epoch(completed_at - created_at) / 3600
                    ELSE 'inf'::DOUBLE END AS completion
        FROM read_parquet($files, hive_partitioning = true) r
        JOIN areas a USING (kode_kelurahan)
        JOIN weeks w ON r.created_at >= w.opens AND r.created_at < w.closes
        WHERE kode_kota = $kota),
    ranked AS (
        SELECT *, row_number() OVER (PARTITION BY week_offset, kecamatan
                                     ORDER BY completion) AS i,
               count(*) OVER (PARTITION BY week_offset, kecamatan) AS n
        FROM times),
    figures AS (
        SELECT week_offset, kecamatan, count(*)::BIGINT AS laporan,
               count(*) FILTER (WHERE done)::BIGINT AS hijau,
               nullif(max(completion) FILTER (WHERE i = ceil(0.5 * n)),
                      'inf'::DOUBLE) AS completion_median_hours
        FROM ranked GROUP BY ALL)
    SELECT w.week_offset, k.kecamatan, coalesce(f.laporan, 0) AS laporan,
           coalesce(f.hijau, 0) AS hijau,
           f.hijau / f.laporan AS completion_rate, f.completion_median_hours
    FROM weeks w CROSS JOIN (SELECT DISTINCT kecamatan FROM areas) k
    LEFT JOIN figures f USING (week_offset, kecamatan)
    ORDER BY w.week_offset, k.kecamatan
"""


def weekly_figures(
    history: Path,
    areas: pd.DataFrame,
    period: Period,
    rule: ScoringRule,
    weeks: list[Period],
) -> dict[str, pd.DataFrame]:
    """Compute the weekly figures by kecamatan, and the ranking, with DuckDB."""
    connection = duckdb.connect()
    connection.register("areas", areas[["kode_kelurahan", "kecamatan"]])
    offsets = pd.DataFrame(
        {
            "week_offset": range(1 - len(weeks), 1),
            "opens": [week.opens for week in weeks],
            "closes": [week.closes for week in weeks],
        }
    )
    connection.register("weeks", offsets)
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
        "timings": connection.execute(_TIMINGS, _without(values, "fast_us")).df(),
        "backlog": connection.execute(
            _BACKLOG, _only(values, "files", "kota", "closes")
        ).df(),
        "trends": connection.execute(_TRENDS, _only(values, "files", "kota")).df(),
    }


def _without(values: dict, *names: str) -> dict:
    return {k: v for k, v in values.items() if k not in names}


def _only(values: dict, *names: str) -> dict:
    return {k: values[k] for k in names}
