"""Response and completion times, worked out by hand on a small table."""

import math

import numpy as np
import pandas as pd
import pytest
from small_scope import (
    AREAS,
    CAKUNG_BARAT,
    CILANGKAP,
    CIPAYUNG,
    OUTSIDE,
    PULO_GEBANG,
    WEEK,
    table,
)

from qlue_helpers.figures.timings import (
    censored_quantile,
    report_times,
    timing_summary,
    timing_total,
)

INF = math.inf

# Week 20-27 Nov, measured at 28 Nov 00:00. Times in hours from creation;
# "open" = not yet at the close, sorted as infinity. Quantile = the
# ceil(q * n)-th shortest (median of 5: 3rd; p90 of 5: 5th).
#
# Pulo Gebang                      response        completion
#  T1 20 Nov 08:00                 2 (10:00)       6 (14:00)
#  T2 21 Nov 08:00                 24              96 (25 Nov 08:00)
#  T3 22 Nov 08:00, no response    4 (= done)      4
#  T4 26 Nov 00:00, done AT close  6               open (age 48)
#  T5 27 Nov 12:00, nothing        open            open (age 12)
#  response   2,4,6,24,inf     median 3rd = 6     p90 5th = open
#  completion 4,6,96,inf,inf   median 3rd = 96    p90 5th = open
# Cipayung
#  C1 24 Nov 10:00                 1.5             open
#  C2 25 Nov 10:00, answered 20:00 6 (done 16:00,  6
#     after it was finished        comes first)
#  response   1.5,6      median 1st = 1.5  p90 2nd = 6
#  completion 6,inf      median 1st = 6 (half open: known)  p90 open
# Cilangkap
#  X1 26 Nov 09:00                 1               open
#  X2 27 Nov 09:00, nothing        open            open
#  X3 23 Nov 09:00                 1               3
#  response   1,1,inf    median 2nd = 1  p90 3rd = open
#  completion 3,inf,inf  median 2nd = open (more than half open)
# Cakung Barat: no reports. Left out: O1 (19 Nov), O2 (28 Nov 00:00),
# O3 (outside the scope).
TIMES = table(
    [
        ("T1", PULO_GEBANG, "2015-11-20 08:00", "2015-11-20 10:00",
         "2015-11-20 14:00", "hijau"),
        ("T2", PULO_GEBANG, "2015-11-21 08:00", "2015-11-22 08:00",
         "2015-11-25 08:00", "hijau"),
        ("T3", PULO_GEBANG, "2015-11-22 08:00", None, "2015-11-22 12:00", "hijau"),
        ("T4", PULO_GEBANG, "2015-11-26 00:00", "2015-11-26 06:00",
         "2015-11-28 00:00", "hijau"),
        ("T5", PULO_GEBANG, "2015-11-27 12:00", None, None, "merah"),
        ("C1", CIPAYUNG, "2015-11-24 10:00", "2015-11-24 11:30", None, "kuning"),
        ("C2", CIPAYUNG, "2015-11-25 10:00", "2015-11-25 20:00",
         "2015-11-25 16:00", "hijau"),
        ("X1", CILANGKAP, "2015-11-26 09:00", "2015-11-26 10:00", None, "kuning"),
        ("X2", CILANGKAP, "2015-11-27 09:00", None, None, "merah"),
        ("X3", CILANGKAP, "2015-11-23 09:00", "2015-11-23 10:00",
         "2015-11-23 12:00", "hijau"),
        ("O1", PULO_GEBANG, "2015-11-19 23:00", None, None, "merah"),
        ("O2", PULO_GEBANG, "2015-11-28 00:00", None, None, "merah"),
        ("O3", OUTSIDE, "2015-11-22 08:00", None, None, "merah"),
    ]
)  # fmt: skip

COLUMNS = [
    "laporan",
    "response_done",
    "response_open",
    "response_median_hours",
    "response_median_pending",
    "response_p90_hours",
    "response_p90_pending",
    "completion_done",
    "completion_open",
    "completion_median_hours",
    "completion_median_pending",
    "completion_p90_hours",
    "completion_p90_pending",
]
NAN = float("nan")
# Per unit, in COLUMNS order, from the table above.
BY_KELURAHAN = {
    PULO_GEBANG: [5, 4, 1, 6.0, False, NAN, True, 3, 2, 96.0, False, NAN, True],
    CAKUNG_BARAT: [0, 0, 0, NAN, False, NAN, False, 0, 0, NAN, False, NAN, False],
    CIPAYUNG: [2, 2, 0, 1.5, False, 6.0, False, 1, 1, 6.0, False, NAN, True],
    CILANGKAP: [3, 2, 1, 1.0, False, NAN, True, 1, 2, NAN, True, NAN, True],
}
# Cipayung kecamatan = Cipayung + Cilangkap:
#  response   1,1,1.5,6,inf          median 3rd = 1.5  p90 5th = open
#  completion 3,6,inf,inf,inf        median 3rd = open
CIPAYUNG_KECAMATAN = [5, 4, 1, 1.5, False, NAN, True, 2, 3, NAN, True, NAN, True]
# Whole scope, 10 reports:
#  response   1,1,1.5,2,4,6,6,24,inf,inf     median 5th = 4   p90 9th = open
#  completion 3,4,6,6,96,inf x5              median 5th = 96  p90 9th = open
SCOPE = [10, 8, 2, 4.0, False, NAN, True, 5, 5, 96.0, False, NAN, True]


def assert_row(row: pd.Series, expected: list) -> None:
    for column, value in zip(COLUMNS, expected, strict=True):
        if isinstance(value, float) and math.isnan(value):
            assert pd.isna(row[column]), column
        else:
            assert row[column] == value, column


@pytest.mark.parametrize(
    ("hours", "q", "expected"),
    [
        ([5, 1, INF, 3], 0.5, 3.0),  # 2nd of 1,3,5,inf
        ([5, 1, INF, 3], 0.9, INF),  # 4th
        ([2, INF], 0.5, 2.0),  # exactly half open: known
        ([2, INF, INF], 0.5, INF),  # more than half open
        (list(range(1, 10)) + [INF], 0.9, 9.0),  # 9th of 10: one open is fine
        ([INF], 0.5, INF),
    ],
)
def test_censored_quantile(hours, q, expected):
    assert censored_quantile(pd.Series(hours, dtype="float64"), q) == expected


def test_censored_quantile_of_nothing_is_missing():
    assert math.isnan(censored_quantile(pd.Series([], dtype="float64"), 0.5))


def test_report_times_per_report():
    times = report_times(TIMES, AREAS, WEEK).set_index("report_id")
    assert sorted(times.index) == [
        "C1", "C2", "T1", "T2", "T3", "T4", "T5", "X1", "X2", "X3"
    ]  # fmt: skip

    t4 = times.loc["T4"]  # 26 Nov 00:00 to the close: 48 h
    assert (t4["age_hours"], t4["response_hours"], t4["response_open"]) == (
        48.0,
        6.0,
        False,
    )
    assert t4["completion_open"]
    assert pd.isna(t4["completion_hours"])
    assert times.loc["T3", "response_hours"] == 4.0  # completion answers it
    assert times.loc["C2", "response_hours"] == 6.0  # completion came first
    assert times.loc["C1", "response_hours"] == 1.5
    assert times.loc["T1", "kelurahan"] == "Pulo Gebang"  # names from the areas
    assert times.loc["X2", "kecamatan"] == "Cipayung"


def test_timing_summary_by_kelurahan():
    summary = timing_summary(TIMES, AREAS, WEEK, "kelurahan")
    assert list(summary["kode_kelurahan"]) == [
        PULO_GEBANG,
        CAKUNG_BARAT,
        CIPAYUNG,
        CILANGKAP,
    ]
    assert list(summary.columns) == ["kode_kelurahan", "kelurahan", "kecamatan"] + (
        COLUMNS
    )
    for code, expected in BY_KELURAHAN.items():
        assert_row(summary.set_index("kode_kelurahan").loc[code], expected)


def test_timing_summary_by_kecamatan_and_kota():
    kecamatan = timing_summary(TIMES, AREAS, WEEK, "kecamatan").set_index("kecamatan")
    assert list(kecamatan.index) == ["Cakung", "Cipayung"]
    assert_row(kecamatan.loc["Cakung"], BY_KELURAHAN[PULO_GEBANG])
    assert_row(kecamatan.loc["Cipayung"], CIPAYUNG_KECAMATAN)

    kota = timing_summary(TIMES, AREAS, WEEK, "kota")
    assert len(kota) == 1
    assert_row(kota.iloc[0], SCOPE)
    assert_row(timing_total(TIMES, AREAS, WEEK), SCOPE)


def test_timing_summary_without_reports_lists_every_unit():
    summary = timing_summary(TIMES.iloc[0:0], AREAS, WEEK, "kelurahan")
    assert len(summary) == 4
    assert (summary["laporan"] == 0).all()
    assert summary["response_median_hours"].isna().all()
    assert not summary["response_median_pending"].any()
    assert summary["completion_open"].dtype == np.int64
