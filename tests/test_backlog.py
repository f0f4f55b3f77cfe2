"""Backlog, overdue lists, agencies and re-opened reports, worked out by hand."""

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

from qlue_helpers.figures import Period
from qlue_helpers.figures.backlog import (
    LISTED,
    Agencies,
    agency_of,
    backlog_summary,
    backlog_total,
    open_reports,
    overdue_list,
    overdue_reports,
)
from qlue_helpers.figures.reopened import reopened_reports, reopened_summary
from qlue_helpers.figures.service import ServiceLevels

LEVELS = ServiceLevels(answer_hours=24, finish_hours=120)
AGENCIES = Agencies(
    {"Jalan rusak": "Sudin Bina Marga", " parkir LIAR": "Sudin Perhubungan"},
    default="Kelurahan (PPSU)",
)

# Backlog at the close of 20-27 Nov (28 Nov 00:00), whenever created.
# Age groups in days: [0,1) [1,3) [3,7) [7,inf).
#
#      created        status at close    age            group   overdue?
# B1   27 Nov 00:00   merah              24 h = 1 d     1-3     no (24 h is
#                                                               not > 24 h)
# B2   27 Nov 00:01   merah              23 h 59 m      < 1     no
# B3   25 Nov 00:00   kuning             72 h = 3 d     3-7     no (<= 120 h)
# B4   21 Nov 00:00   kuning             168 h = 7 d    > 7     yes (> 120 h)
# B5   1 Nov 08:00    merah (Cipayung)   640 h          > 7     yes
# B6   26 Nov 00:00   merah (Cipayung)   48 h           1-3     yes (> 24 h)
# B7   20 Nov 08:00   hijau              -              -       not open
# B8   27 Nov 10:00   kuning (done AT    14 h           < 1     no
#                     the close)
# B9   28 Nov 00:00   does not exist yet at the close
# B10  outside the scope
# B11  24 Nov 23:00   merah              73 h           3-7     yes (> 24 h)
#
# Pulo Gebang: open 6 (B1 B2 B3 B4 B8 B11), merah 3, kuning 3;
#   < 1: 2 (B2 B8), 1-3: 1 (B1), 3-7: 2 (B3 B11), > 7: 1 (B4).
# Cipayung: open 2 (B5 B6), merah 2; 1-3: 1 (B6), > 7: 1 (B5).
BACKLOG = table(
    [
        ("B1", PULO_GEBANG, "2015-11-27 00:00", None, None, "merah"),
        ("B2", PULO_GEBANG, "2015-11-27 00:01", None, None, "merah"),
        ("B3", PULO_GEBANG, "2015-11-25 00:00", "2015-11-25 01:00", None,
         "kuning", "Banjir"),
        ("B4", PULO_GEBANG, "2015-11-21 00:00", "2015-11-21 02:00", None,
         "kuning", "Jalan rusak"),
        ("B5", CIPAYUNG, "2015-11-01 08:00", None, None, "merah", "Jalan rusak"),
        ("B6", CIPAYUNG, "2015-11-26 00:00", None, None, "merah",
         "Fasilitas umum"),
        ("B7", PULO_GEBANG, "2015-11-20 08:00", "2015-11-20 09:00",
         "2015-11-21 08:00", "hijau"),
        ("B8", PULO_GEBANG, "2015-11-27 10:00", "2015-11-27 11:00",
         "2015-11-28 00:00", "hijau"),
        ("B9", PULO_GEBANG, "2015-11-28 00:00", None, None, "merah"),
        ("B10", OUTSIDE, "2015-11-22 08:00", None, None, "merah"),
        ("B11", PULO_GEBANG, "2015-11-24 23:00", None, None, "merah",
         "Parkir liar"),
    ]
)  # fmt: skip
COUNTS = ["open", "merah", "kuning", "age_0_1", "age_1_3", "age_3_7", "age_7_plus"]


def test_open_reports_oldest_first_with_age_groups():
    backlog = open_reports(BACKLOG, AREAS, WEEK)
    assert backlog["report_id"].tolist() == [
        "B5", "B4", "B11", "B3", "B6", "B1", "B2", "B8"
    ]  # fmt: skip
    assert backlog["age_group"].astype(str).tolist() == [
        "age_7_plus", "age_7_plus", "age_3_7", "age_3_7",
        "age_1_3", "age_1_3", "age_0_1", "age_0_1",
    ]  # fmt: skip
    assert backlog["age_hours"].tolist() == [640, 168, 73, 72, 48, 24, 23 + 59 / 60, 14]
    assert backlog["status"].astype(str).tolist() == [
        "merah", "kuning", "merah", "kuning", "merah", "merah", "merah", "kuning"
    ]  # fmt: skip
    assert backlog["created_date"].iloc[0] == pd.Timestamp("2015-11-01")
    assert backlog["kelurahan"].iloc[0] == "Cipayung"


def test_days_of_creation_are_on_the_periods_own_calendar():
    # B5 came in on 1 Nov 08:00 WIB = 31 Oct 21:00 in New York (still EDT).
    new_york = Period(WEEK.start, WEEK.end, WEEK.end_inclusive, "America/New_York")
    backlog = open_reports(BACKLOG, AREAS, new_york)
    b5 = backlog.set_index("report_id").loc["B5"]
    assert b5["created_date"] == pd.Timestamp("2015-10-31")
    assert open_reports(BACKLOG, AREAS, WEEK).set_index("report_id").loc[
        "B5", "created_date"
    ] == pd.Timestamp("2015-11-01")


def test_backlog_summary_per_kelurahan_kecamatan_and_total():
    kelurahan = backlog_summary(BACKLOG, AREAS, WEEK, "kelurahan")
    assert kelurahan.columns.tolist() == [
        "kode_kelurahan",
        "kelurahan",
        "kecamatan",
        *COUNTS,
    ]
    rows = kelurahan.set_index("kode_kelurahan")[COUNTS]
    assert rows.loc[PULO_GEBANG].tolist() == [6, 3, 3, 2, 1, 2, 1]
    assert rows.loc[CIPAYUNG].tolist() == [2, 2, 0, 0, 1, 0, 1]
    assert rows.loc[CAKUNG_BARAT].tolist() == [0] * 7
    assert rows.loc[CILANGKAP].tolist() == [0] * 7

    kecamatan = backlog_summary(BACKLOG, AREAS, WEEK, "kecamatan")
    assert kecamatan[["kecamatan", "open"]].values.tolist() == [
        ["Cakung", 6],
        ["Cipayung", 2],
    ]
    assert backlog_total(kecamatan).tolist() == [8, 5, 3, 2, 2, 2, 2]


def test_backlog_of_nothing_is_zero_everywhere():
    summary = backlog_summary(BACKLOG.iloc[0:0], AREAS, WEEK, "kecamatan")
    assert summary[COUNTS].values.tolist() == [[0] * 7, [0] * 7]


def test_agency_of_matches_whatever_the_case():
    categories = pd.Series(["Jalan rusak", "PARKIR liar", "Kebakaran", None])
    assert agency_of(categories, AGENCIES.owners, AGENCIES.default).tolist() == [
        "Sudin Bina Marga",
        "Sudin Perhubungan",
        "Kelurahan (PPSU)",
        "Kelurahan (PPSU)",
    ]


def test_overdue_reports_and_what_they_show():
    # Overdue: B5 (640 h), B4 (168 h), B11 (73 h), B6 (48 h), oldest first.
    overdue = overdue_reports(BACKLOG, AREAS, WEEK, LEVELS, AGENCIES)
    assert overdue.columns.tolist() == LISTED
    assert "description" not in overdue.columns
    assert overdue["report_id"].tolist() == ["B5", "B4", "B11", "B6"]
    assert overdue["agency"].tolist() == [
        "Sudin Bina Marga",
        "Sudin Bina Marga",
        "Sudin Perhubungan",
        "Kelurahan (PPSU)",
    ]


def test_overdue_list_by_kelurahan_capped():
    # Pulo Gebang: B4, B11; Cipayung: B5, B6. Two each: tie, so by kecamatan
    # name (Cakung first). One row each; one left unshown each.
    overdue = overdue_reports(BACKLOG, AREAS, WEEK, LEVELS, AGENCIES)
    listing = overdue_list(overdue, "kelurahan", limit=1)
    assert listing.rows["report_id"].tolist() == ["B4", "B5"]
    assert listing.groups.values.tolist() == [
        ["Cakung", "Pulo Gebang", 2, 1, 1],
        ["Cipayung", "Cipayung", 2, 1, 1],
    ]


def test_overdue_list_by_agency():
    # Sudin Bina Marga 2 (B5, B4); then 1 each, by name: Kelurahan (PPSU) B6,
    # Sudin Perhubungan B11.
    overdue = overdue_reports(BACKLOG, AREAS, WEEK, LEVELS, AGENCIES)
    listing = overdue_list(overdue, "agency", limit=2)
    assert listing.rows["report_id"].tolist() == ["B5", "B4", "B6", "B11"]
    assert listing.groups.values.tolist() == [
        ["Sudin Bina Marga", 2, 2, 0],
        ["Kelurahan (PPSU)", 1, 1, 0],
        ["Sudin Perhubungan", 1, 1, 0],
    ]


def test_overdue_list_of_nothing_is_empty():
    overdue = overdue_reports(BACKLOG.iloc[0:0], AREAS, WEEK, LEVELS, AGENCIES)
    listing = overdue_list(overdue, "agency")
    assert listing.rows.empty
    assert listing.groups.empty


# Re-opened: exported merah or kuning with a completed_at.
#  R1 merah, completed 12 Nov    -> re-opened (created 10 Nov)
#  R2 kuning, completed 22 Nov   -> re-opened (created 21 Nov, Cipayung)
#  R3 hijau, completed           -> no
#  R4 merah, never completed     -> no
#  R5 merah, completed, created at the close -> not yet in this period
#  R6 outside the scope          -> no
REOPENED = table(
    [
        ("R2", CIPAYUNG, "2015-11-21 08:00", "2015-11-21 09:00",
         "2015-11-22 08:00", "kuning"),
        ("R1", PULO_GEBANG, "2015-11-10 08:00", "2015-11-10 09:00",
         "2015-11-12 08:00", "merah"),
        ("R3", PULO_GEBANG, "2015-11-21 08:00", "2015-11-21 09:00",
         "2015-11-22 08:00", "hijau"),
        ("R4", PULO_GEBANG, "2015-11-21 08:00", None, None, "merah"),
        ("R5", PULO_GEBANG, "2015-11-28 00:00", "2015-11-28 01:00",
         "2015-11-28 02:00", "merah"),
        ("R6", OUTSIDE, "2015-11-21 08:00", "2015-11-21 09:00",
         "2015-11-22 08:00", "merah"),
    ]
)  # fmt: skip


def test_reopened_reports_and_counts():
    listed = reopened_reports(REOPENED, AREAS, WEEK)
    assert listed["report_id"].tolist() == ["R1", "R2"]
    assert listed["status"].astype(str).tolist() == ["merah", "kuning"]
    assert listed["completed_date"].tolist() == [
        pd.Timestamp("2015-11-12"),
        pd.Timestamp("2015-11-22"),
    ]

    counts = reopened_summary(REOPENED, AREAS, WEEK, "kelurahan")
    assert counts[["kode_kelurahan", "reopened"]].values.tolist() == [
        [PULO_GEBANG, 1],
        [CAKUNG_BARAT, 0],
        [CIPAYUNG, 1],
        [CILANGKAP, 0],
    ]
    by_kecamatan = reopened_summary(REOPENED, AREAS, WEEK, "kecamatan")
    assert by_kecamatan["reopened"].tolist() == [1, 1]


@pytest.mark.parametrize("level", ["kelurahan", "kecamatan", "kota"])
def test_reopened_without_reports(level):
    counts = reopened_summary(REOPENED.iloc[0:0], AREAS, WEEK, level)
    assert (counts["reopened"] == 0).all()
