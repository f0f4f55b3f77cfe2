"""Figures on small tables whose answers were worked out by hand."""

from datetime import date

import pandas as pd
import pytest
from conftest import CIPAYUNG, DUREN_SAWIT, MENTENG, PULO_GEBANG, reports, wib

from qlue_helpers.canonical import status_at
from qlue_helpers.errors import ParameterError
from qlue_helpers.figures import (
    Period,
    ScoringRule,
    headline,
    in_categories,
    rank_kelurahan,
    status_counts,
    status_summary,
    with_total,
)

WEEK = Period(date(2015, 11, 20), date(2015, 11, 27))
RULE = ScoringRule(
    "test", hijau_cepat=5, hijau_lambat=4, kuning=-1, merah=0, fast_hours=24
)

# Period 20-27 Nov (closes 28 Nov 00:00). By hand:
#  P1 Pulo Gebang, done in 2 h            -> hijau, fast
#  P2 Pulo Gebang, done after 50 h        -> hijau, slow
#  P3 Pulo Gebang, answered, done 28 Nov  -> kuning at the close
#  P4 Pulo Gebang, nothing                -> merah
#  P5 Pulo Gebang, created 19 Nov 23:59   -> outside the period
#  P6 Pulo Gebang, created 28 Nov 00:00   -> outside the period
#  C1 Cipayung, done in exactly 24 h      -> hijau, fast (limit inclusive)
#  D1 Duren Sawit, answered 27 Nov 23:59  -> kuning
#  M1 Menteng (Jakarta Pusat)             -> outside Jakarta Timur
TABLE = reports(
    [
        (
            "P1",
            PULO_GEBANG,
            "2015-11-20 08:00",
            "2015-11-20 09:00",
            "2015-11-20 10:00",
            "hijau",
        ),
        (
            "P2",
            PULO_GEBANG,
            "2015-11-21 08:00",
            "2015-11-21 09:00",
            "2015-11-23 10:00",
            "hijau",
        ),
        (
            "P3",
            PULO_GEBANG,
            "2015-11-27 08:00",
            "2015-11-27 09:00",
            "2015-11-28 10:00",
            "hijau",
        ),
        ("P4", PULO_GEBANG, "2015-11-27 20:00", None, None, "merah"),
        ("P5", PULO_GEBANG, "2015-11-19 23:59", None, None, "merah"),
        ("P6", PULO_GEBANG, "2015-11-28 00:00", None, None, "merah"),
        (
            "C1",
            CIPAYUNG,
            "2015-11-22 10:00",
            "2015-11-22 11:00",
            "2015-11-23 10:00",
            "hijau",
        ),
        ("D1", DUREN_SAWIT, "2015-11-25 10:00", "2015-11-27 23:59", None, "kuning"),
        ("M1", MENTENG, "2015-11-22 10:00", None, None, "merah"),
    ]
)


def test_period_rule_inclusive_and_exclusive():
    assert WEEK.days == 8
    assert WEEK.opens == wib("2015-11-20 00:00")
    assert WEEK.closes == wib("2015-11-28 00:00")
    exclusive = Period(date(2015, 11, 20), date(2015, 11, 27), end_inclusive=False)
    assert exclusive.days == 7
    assert exclusive.closes == wib("2015-11-27 00:00")


def test_period_parse_rejects_bad_dates():
    with pytest.raises(ParameterError, match="YYYY-MM-DD"):
        Period.parse("2015-13-45", "2015-11-27")
    with pytest.raises(ParameterError, match="on or after"):
        Period.parse("2015-11-27", "2015-11-20")


def test_status_at_follows_the_times():
    at_close = status_at(TABLE, WEEK.closes)
    assert list(at_close.astype(str)) == [
        "hijau",
        "hijau",
        "kuning",
        "merah",
        "merah",
        "merah",
        "hijau",
        "kuning",
        "merah",
    ]
    # Events at the cutoff itself have not happened yet.
    assert status_at(TABLE, wib("2015-11-20 10:00")).iloc[0] == "kuning"


def test_status_counts_in_the_week():
    jaktim = TABLE.loc[TABLE["report_id"] != "M1"]
    assert status_counts(jaktim, WEEK) == {"merah": 1, "kuning": 2, "hijau": 3}


def test_status_summary_lists_every_kelurahan(jaktim_areas):
    summary = status_summary(TABLE, jaktim_areas, WEEK, "kelurahan")
    assert len(summary) == 65
    assert summary["laporan"].sum() == 6  # M1 is not in Jakarta Timur

    pulo = summary.set_index("kode_kelurahan").loc[PULO_GEBANG]
    assert (pulo["laporan"], pulo["merah"], pulo["kuning"], pulo["hijau"]) == (
        4,
        1,
        1,
        2,
    )
    assert pulo["share_hijau"] == pytest.approx(0.5)
    empty = summary.loc[summary["laporan"] == 0]
    assert len(empty) == 62
    assert empty["share_merah"].isna().all()


def test_status_summary_by_kecamatan_and_total(jaktim_areas):
    summary = status_summary(TABLE, jaktim_areas, WEEK, "kecamatan")
    assert len(summary) == 10
    cakung = summary.set_index("kecamatan").loc["Cakung"]
    assert cakung["laporan"] == 4

    total = with_total(summary).iloc[-1]
    assert total["kecamatan"] == "Total"
    assert (total["laporan"], total["merah"], total["kuning"], total["hijau"]) == (
        6,
        1,
        2,
        3,
    )
    assert total["share_kuning"] == pytest.approx(2 / 6)


def test_ranking_points_and_counts(jaktim_areas):
    ranking = rank_kelurahan(TABLE, jaktim_areas, WEEK, RULE).set_index(
        "kode_kelurahan"
    )
    # Pulo Gebang: 5 (fast) + 4 (slow) - 1 (kuning) + 0 (merah) = 8
    pulo = ranking.loc[PULO_GEBANG]
    assert pulo["points"] == 8
    assert (
        pulo["hijau_cepat"],
        pulo["hijau_lambat"],
        pulo["kuning"],
        pulo["merah"],
    ) == (1, 1, 1, 1)
    assert ranking.loc[CIPAYUNG, "points"] == 5
    assert ranking.loc[DUREN_SAWIT, "points"] == -1
    assert [ranking.loc[k, "rank"] for k in (PULO_GEBANG, CIPAYUNG)] == [1, 2]
    # 62 kelurahan with no reports share rank 3; Duren Sawit comes after them.
    assert (ranking["rank"] == 3).sum() == 62
    assert ranking.loc[DUREN_SAWIT, "rank"] == 65


def test_ranking_ties_share_a_rank(jaktim_areas):
    tied = reports(
        [
            (
                "A",
                PULO_GEBANG,
                "2015-11-20 08:00",
                "2015-11-20 09:00",
                "2015-11-20 10:00",
                "hijau",
            ),
            (
                "B",
                CIPAYUNG,
                "2015-11-20 08:00",
                "2015-11-20 09:00",
                "2015-11-20 10:00",
                "hijau",
            ),
        ]
    )
    ranking = rank_kelurahan(tied, jaktim_areas, WEEK, RULE)
    assert list(ranking["rank"].head(3)) == [1, 1, 3]
    # Within the tie, names in alphabetical order.
    assert list(ranking["kelurahan"].head(2)) == ["Cipayung", "Pulo Gebang"]


def test_headline_is_json_ready(jaktim_areas):
    import json

    jaktim = TABLE.loc[TABLE["report_id"] != "M1"]
    ranking = rank_kelurahan(jaktim, jaktim_areas, WEEK, RULE)
    kpi = headline(
        WEEK, "Kota Administrasi Jakarta Timur", status_counts(jaktim, WEEK), ranking
    )
    again = json.loads(json.dumps(kpi))
    assert again["reports"] == 6
    assert again["period_start"] == "2015-11-20"
    assert again["ranking"][0] == {
        "kode_kelurahan": PULO_GEBANG,
        "kelurahan": "Pulo Gebang",
        "rank": 1,
        "points": 8,
        "merah": 1,
        "kuning": 1,
        "hijau": 2,
    }
    assert len(again["ranking"]) == 65


def test_no_reports_gives_zeros(jaktim_areas):
    none = TABLE.iloc[0:0]
    assert status_counts(none, WEEK) == {"merah": 0, "kuning": 0, "hijau": 0}
    assert status_summary(none, jaktim_areas, WEEK, "kecamatan")["laporan"].sum() == 0
    assert (rank_kelurahan(none, jaktim_areas, WEEK, RULE)["rank"] == 1).all()


def test_reports_counted_once_whatever_the_export_status():
    # The exported status does not matter: only the times do.
    flipped = TABLE.assign(status=pd.Categorical(["merah"] * len(TABLE)))
    assert status_counts(flipped, WEEK) == status_counts(TABLE, WEEK)


def test_categories_narrow_the_count():
    mixed = TABLE.assign(category=["Sampah", "Banjir", "sampah"] + ["Parkir liar"] * 6)
    chosen = in_categories(mixed, ["SAMPAH"])
    assert list(chosen["report_id"]) == ["P1", "P3"]
    assert len(in_categories(mixed, [])) == len(mixed)
