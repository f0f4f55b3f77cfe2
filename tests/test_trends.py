"""Weekly trends, rank changes, the minimum for ranking and top categories."""

import json
import math
from datetime import date

import pandas as pd
import pytest
from small_scope import (
    AREAS,
    CAKUNG_BARAT,
    CILANGKAP,
    CIPAYUNG,
    PULO_GEBANG,
    WEEK,
    table,
)

from qlue_helpers.errors import ParameterError
from qlue_helpers.figures import Period, ScoringRule, headline, rank_kelurahan
from qlue_helpers.figures.categories import top_categories
from qlue_helpers.figures.trends import rank_changes, weekly_periods, weekly_trends

RULE = ScoringRule(
    "test", hijau_cepat=5, hijau_lambat=4, kuning=-1, merah=0, fast_hours=24
)
NAN = float("nan")

# Three weeks ending with 20-27 Nov; each eight days, so neighbours share a
# day:  W-2 6-13 Nov (close 14 Nov 00:00), W-1 13-20 Nov (close 21 Nov),
#       W0 20-27 Nov (close 28 Nov).
#
# Cakung (Pulo Gebang)
#  P1 7 Nov 10:00, done 8 Nov 10:00 (24 h)        W-2
#  P2 8 Nov 10:00, done 16 Nov 10:00 (192 h)      W-2, open at its close
#  P3 20 Nov 12:00, done 20 Nov 18:00 (6 h)       W-1 AND W0 (shared day)
#  P4 25 Nov 08:00, nothing                       W0
#  P5 26 Nov 08:00, done 27 Nov 08:00 (24 h)      W0
#  W-2: 2 reports, 1 hijau, rate 1/2, completion 24,inf -> median 1st = 24
#  W-1: 1 report (P3), 1 hijau, rate 1,  median 6
#  W0:  3 reports, 2 hijau, rate 2/3, completion 6,24,inf -> median 2nd = 24
#  changes: W-1: -1 reports, +1/2 rate, -18 h;  W0: +2, -1/3, +18 h
# Cipayung (Cipayung, Cilangkap)
#  W-2: no reports: rate and median missing (median not pending)
#  C1 15 Nov 09:00, answered 16 Nov, never done   W-1: rate 0, median open
#  C2 22 Nov 09:00, done 22 Nov 21:00 (12 h)      W0
#  X1 23 Nov 09:00, done 24 Nov 09:00 (24 h)      W0 (Cilangkap)
#  W0: 2 reports, 2 hijau, rate 1, median 1st of 12,24 = 12
#  changes: W-1: +1 report, rate and median missing; W0: +1, +1, missing
TREND = table(
    [
        ("P1", PULO_GEBANG, "2015-11-07 10:00", "2015-11-07 11:00",
         "2015-11-08 10:00", "hijau"),
        ("P2", PULO_GEBANG, "2015-11-08 10:00", "2015-11-08 11:00",
         "2015-11-16 10:00", "hijau"),
        ("P3", PULO_GEBANG, "2015-11-20 12:00", "2015-11-20 13:00",
         "2015-11-20 18:00", "hijau"),
        ("P4", PULO_GEBANG, "2015-11-25 08:00", None, None, "merah"),
        ("P5", PULO_GEBANG, "2015-11-26 08:00", "2015-11-26 09:00",
         "2015-11-27 08:00", "hijau"),
        ("C1", CIPAYUNG, "2015-11-15 09:00", "2015-11-16 09:00", None, "kuning"),
        ("C2", CIPAYUNG, "2015-11-22 09:00", "2015-11-22 10:00",
         "2015-11-22 21:00", "hijau"),
        ("X1", CILANGKAP, "2015-11-23 09:00", "2015-11-23 10:00",
         "2015-11-24 09:00", "hijau"),
    ]
)  # fmt: skip
FIGURES = [
    "laporan",
    "hijau",
    "completion_rate",
    "completion_median_hours",
    "completion_median_pending",
    "laporan_change",
    "completion_rate_change",
    "completion_median_change",
]
EXPECTED = {
    ("Cakung", -2): [2, 1, 0.5, 24.0, False, pd.NA, NAN, NAN],
    ("Cakung", -1): [1, 1, 1.0, 6.0, False, -1, 0.5, -18.0],
    ("Cakung", 0): [3, 2, 2 / 3, 24.0, False, 2, -1 / 3, 18.0],
    ("Cipayung", -2): [0, 0, NAN, NAN, False, pd.NA, NAN, NAN],
    ("Cipayung", -1): [1, 0, 0.0, NAN, True, 1, NAN, NAN],
    ("Cipayung", 0): [2, 2, 1.0, 12.0, False, 1, 1.0, NAN],
}


def same(value, expected) -> bool:
    if expected is pd.NA or (isinstance(expected, float) and math.isnan(expected)):
        return pd.isna(value)
    if isinstance(expected, float):
        return value == pytest.approx(expected)
    return value == expected


def test_weekly_periods_end_with_the_report_period():
    weeks = weekly_periods(WEEK, 3)
    assert [(w.start, w.end) for w in weeks] == [
        (date(2015, 11, 6), date(2015, 11, 13)),
        (date(2015, 11, 13), date(2015, 11, 20)),
        (date(2015, 11, 20), date(2015, 11, 27)),
    ]
    with pytest.raises(ParameterError, match="1 week or more"):
        weekly_periods(WEEK, 0)


def test_weekly_trends_per_kecamatan():
    trend = weekly_trends(TREND, AREAS, WEEK, weeks=3)
    assert len(trend) == 6  # 2 kecamatan x 3 weeks, the empty week included
    assert trend["week_offset"].tolist() == [-2, -1, 0, -2, -1, 0]
    assert trend["period_start"].iloc[0] == pd.Timestamp("2015-11-06")
    assert trend["period_last_day"].iloc[2] == pd.Timestamp("2015-11-27")

    rows = trend.set_index(["kecamatan", "week_offset"])
    for key, expected in EXPECTED.items():
        for column, value in zip(FIGURES, expected, strict=True):
            assert same(rows.loc[key, column], value), (key, column)
    assert trend["laporan_change"].dtype == "Int64"


def test_weekly_trends_per_kelurahan_keep_empty_ones():
    trend = weekly_trends(TREND, AREAS, WEEK, weeks=2, level="kelurahan")
    assert len(trend) == 8
    empty = trend.loc[trend["kode_kelurahan"] == CAKUNG_BARAT]
    assert empty["laporan"].tolist() == [0, 0]


# Ranks with 5 fast (<= 24 h) / 4 slow / -1 kuning / 0 merah:
#  W0 (close 28 Nov): Pulo Gebang P3 5 + P4 0 + P5 5 (24 h: fast) = 10;
#     Cipayung C2 5; Cilangkap X1 5; Cakung Barat 0.
#     Ranks: Pulo Gebang 1, Cilangkap 2, Cipayung 2 (tie, by name), Cakung
#     Barat 4.
#  W-1 (close 21 Nov): Pulo Gebang P3 5; Cipayung C1 kuning -1; the others 0.
#     Ranks: Pulo Gebang 1, Cakung Barat 2, Cilangkap 2, Cipayung 4.
#  Change = previous - current: Pulo Gebang 0, Cilangkap 0, Cipayung +2,
#     Cakung Barat -2.
def test_rank_changes():
    changes = rank_changes(TREND, AREAS, WEEK, RULE).set_index("kode_kelurahan")
    assert changes.index.tolist() == [PULO_GEBANG, CILANGKAP, CIPAYUNG, CAKUNG_BARAT]
    assert changes["rank"].tolist() == [1, 2, 2, 4]
    assert changes["points"].tolist() == [10, 5, 5, 0]
    assert changes["rank_previous"].tolist() == [1, 2, 4, 2]
    assert changes["points_previous"].tolist() == [5, 0, -1, 0]
    assert changes["laporan_previous"].tolist() == [1, 0, 1, 0]
    assert changes["rank_change"].tolist() == [0, 0, 2, -2]


# min_reports=2 in W0: only Pulo Gebang (3 reports) is ranked. The others
# follow without rank, by points (Cilangkap 5, Cipayung 5: by name; then
# Cakung Barat 0).
def test_ranking_with_a_minimum_of_reports():
    ranking = rank_kelurahan(TREND, AREAS, WEEK, RULE, min_reports=2)
    assert ranking["kelurahan"].tolist() == [
        "Pulo Gebang",
        "Cilangkap",
        "Cipayung",
        "Cakung Barat",
    ]
    assert ranking["ranked"].tolist() == [True, False, False, False]
    assert ranking["rank"].dtype == "Int64"
    assert ranking["rank"].iloc[0] == 1
    assert ranking["rank"].iloc[1:].isna().all()
    assert ranking["points"].tolist() == [10, 5, 5, 0]
    assert ranking["laporan"].tolist() == [3, 1, 1, 0]


def test_minimum_of_zero_ranks_everyone():
    ranking = rank_kelurahan(TREND, AREAS, WEEK, RULE)
    assert ranking["ranked"].all()
    assert ranking["rank"].tolist() == [1, 2, 2, 4]


# min_reports=1: W0 unranked Cakung Barat (0 reports); W-1 unranked Cakung
# Barat and Cilangkap. W0 ranks: Pulo Gebang 1, Cilangkap 2, Cipayung 2;
# W-1: Pulo Gebang 1, Cipayung 2. Change missing where either is missing.
def test_rank_changes_with_a_minimum():
    changes = rank_changes(TREND, AREAS, WEEK, RULE, min_reports=1)
    assert changes["kode_kelurahan"].tolist() == [
        PULO_GEBANG,
        CILANGKAP,
        CIPAYUNG,
        CAKUNG_BARAT,
    ]
    assert changes["rank_previous"].tolist()[0::2] == [1, 2]
    assert changes["rank_previous"].isna().tolist() == [False, True, False, True]
    assert changes["rank_change"].tolist()[0::2] == [0, 0]
    assert changes["rank_change"].isna().tolist() == [False, True, False, True]


def test_headline_writes_a_missing_rank_as_null():
    ranking = rank_kelurahan(TREND, AREAS, WEEK, RULE, min_reports=2)
    kpi = headline(
        WEEK, "Jakarta Timur", {"merah": 1, "kuning": 0, "hijau": 4}, ranking
    )
    again = json.loads(json.dumps(kpi))
    assert [entry["rank"] for entry in again["ranking"]] == [1, None, None, None]


# Categories in 20-27 Nov, top 2 over the scope:
#  Pulo Gebang: Sampah x3, Banjir x1
#  Cipayung: Banjir x2, Jalan rusak, Kebakaran; Cilangkap: Sampah, "Lainnya"
#  (a category really called so, folded into the rest)
#  Scope: Sampah 4, Banjir 3, Jalan rusak 1, Kebakaran 1 -> top 2 Sampah,
#  Banjir. Cakung: 4 = 3 + 1 + 0; Cipayung: 6 = 1 + 2 + 3.
#  Top 3: third place is a tie at 1, broken by name: Jalan rusak.
#  G0 (12 Nov) is outside the week.
def categories_table() -> pd.DataFrame:
    rows = [
        ("G1", PULO_GEBANG, "Sampah"),
        ("G2", PULO_GEBANG, "Sampah"),
        ("G3", PULO_GEBANG, "Sampah"),
        ("G4", PULO_GEBANG, "Banjir"),
        ("G5", CIPAYUNG, "Banjir"),
        ("G6", CIPAYUNG, "Banjir"),
        ("G7", CIPAYUNG, "Kebakaran"),
        ("G8", CIPAYUNG, "Jalan rusak"),
        ("G9", CILANGKAP, "Sampah"),
        ("G10", CILANGKAP, "Lainnya"),
    ]
    week = [(i, k, "2015-11-21 08:00", None, None, "merah", c) for i, k, c in rows]
    return table([*week, ("G0", CIPAYUNG, "2015-11-12 08:00", None, None,
                          "merah", "Kebakaran")])  # fmt: skip


def test_top_categories_per_kecamatan():
    top = top_categories(categories_table(), AREAS, WEEK, top=2)
    assert top.columns.tolist() == [
        "kode_kecamatan",
        "kecamatan",
        "laporan",
        "Sampah",
        "Banjir",
        "Lainnya",
    ]
    assert top.iloc[:, 2:].values.tolist() == [[4, 3, 1, 0], [6, 1, 2, 3]]

    third = top_categories(categories_table(), AREAS, WEEK, top=3)
    assert third.columns[3:].tolist() == ["Sampah", "Banjir", "Jalan rusak", "Lainnya"]
    assert third["Lainnya"].tolist() == [0, 2]


def test_top_categories_of_an_empty_week():
    empty = Period(date(2015, 12, 1), date(2015, 12, 7))
    top = top_categories(categories_table(), AREAS, empty, level="kelurahan")
    assert top.columns[3:].tolist() == ["laporan", "Lainnya"]
    assert (top["laporan"] == 0).all()


def test_weeks_before_the_data_are_left_out():
    from qlue_helpers.figures.trends import weeks_covered

    # WEEK is 20-27 Nov; earlier weeks start 13 Nov and 6 Nov.
    first_on_10_nov = table(
        [("A", PULO_GEBANG, "2015-11-10 09:00", None, None, "merah")]
    )
    assert weeks_covered(first_on_10_nov, WEEK, 8) == 2  # 13-20 and 20-27 Nov
    first_on_6_nov = table(
        [("A", PULO_GEBANG, "2015-11-06 00:00", None, None, "merah")]
    )
    assert weeks_covered(first_on_6_nov, WEEK, 8) == 3
    assert weeks_covered(first_on_6_nov.iloc[0:0], WEEK, 8) == 1
