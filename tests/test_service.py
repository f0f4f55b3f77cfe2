"""Service levels and the kpi.json timing keys, worked out by hand."""

import json
import math

import pytest
from small_scope import AREAS, CAKUNG_BARAT, CIPAYUNG, PULO_GEBANG, WEEK, table

from qlue_helpers.figures.service import (
    ServiceLevels,
    service_summary,
    service_total,
)
from qlue_helpers.figures.timing_headline import timing_headline

LEVELS = ServiceLevels(answer_hours=24, finish_hours=120)

# Close: 28 Nov 00:00. Due for the answer limit when older than 24 h at the
# close (created before 27 Nov 00:00), for the finish limit when older than
# 120 h (created before 23 Nov 00:00). Exactly at a limit: within; age
# exactly a limit: not due yet.
#
#     created        age      answered          finished            ans.  fin.
# S1  20 Nov 00:00   192 h    24 h exactly      120 h exactly       in    in
# S2  20 Nov 06:00   186 h    24 h 01 m         120 h 01 m          late  late
# S3  21 Nov 00:00   168 h    -                 -                   late  late
# S4  23 Nov 00:00   120 h    2 h               -                   in    not due
# S5  22 Nov 23:59   120h01m  1 h 01 m          119 h 59 m          in    in
# S6  27 Nov 00:00    24 h    1 h               -                   n.d.  n.d.
# S7  26 Nov 23:59   24h01m   -                 -                   late  n.d.
# S8  25 Nov 12:00    60 h    1 h (Cipayung)    -                   in    n.d.
#
# Pulo Gebang (S1-S7): answered due 6, within 3 (S1 S4 S5), share 0.5, not
#   due 1 (S6); finished due 4 (S1 S2 S3 S5), within 2 (S1 S5), share 0.5,
#   not due 3 (S4 S6 S7).
# Cipayung (S8): answered 1 due, 1 within, share 1; finished 0 due (share
#   missing), 1 not due.
# Total: answered 7 due, 4 within (4/7), 1 not due; finished 4, 2, 0.5, 4.
SERVICE = table(
    [
        ("S1", PULO_GEBANG, "2015-11-20 00:00", "2015-11-21 00:00",
         "2015-11-25 00:00", "hijau"),
        ("S2", PULO_GEBANG, "2015-11-20 06:00", "2015-11-21 06:01",
         "2015-11-25 06:01", "hijau"),
        ("S3", PULO_GEBANG, "2015-11-21 00:00", None, None, "merah"),
        ("S4", PULO_GEBANG, "2015-11-23 00:00", "2015-11-23 02:00", None, "kuning"),
        ("S5", PULO_GEBANG, "2015-11-22 23:59", "2015-11-23 01:00",
         "2015-11-27 23:58", "hijau"),
        ("S6", PULO_GEBANG, "2015-11-27 00:00", "2015-11-27 01:00", None, "kuning"),
        ("S7", PULO_GEBANG, "2015-11-26 23:59", None, None, "merah"),
        ("S8", CIPAYUNG, "2015-11-25 12:00", "2015-11-25 13:00", None, "kuning"),
    ]
)  # fmt: skip

COUNTS = [
    "laporan",
    "answered_due",
    "answered_within",
    "answered_not_due",
    "finished_due",
    "finished_within",
    "finished_not_due",
]


def test_service_summary_by_kelurahan():
    summary = service_summary(SERVICE, AREAS, WEEK, LEVELS, "kelurahan")
    assert list(summary.columns) == [
        "kode_kelurahan",
        "kelurahan",
        "kecamatan",
        "laporan",
        "answered_due",
        "answered_within",
        "answered_within_share",
        "answered_not_due",
        "finished_due",
        "finished_within",
        "finished_within_share",
        "finished_not_due",
    ]
    rows = summary.set_index("kode_kelurahan")

    assert rows.loc[PULO_GEBANG, COUNTS].tolist() == [7, 6, 3, 1, 4, 2, 3]
    assert rows.loc[PULO_GEBANG, "answered_within_share"] == 0.5
    assert rows.loc[PULO_GEBANG, "finished_within_share"] == 0.5
    assert rows.loc[CIPAYUNG, COUNTS].tolist() == [1, 1, 1, 0, 0, 0, 1]
    assert rows.loc[CIPAYUNG, "answered_within_share"] == 1.0
    assert math.isnan(rows.loc[CIPAYUNG, "finished_within_share"])
    assert rows.loc[CAKUNG_BARAT, COUNTS].tolist() == [0] * 7
    assert math.isnan(rows.loc[CAKUNG_BARAT, "answered_within_share"])


def test_service_summary_by_kecamatan_and_total():
    kecamatan = service_summary(SERVICE, AREAS, WEEK, LEVELS, "kecamatan")
    assert kecamatan["kecamatan"].tolist() == ["Cakung", "Cipayung"]
    assert kecamatan[COUNTS].values.tolist() == [
        [7, 6, 3, 1, 4, 2, 3],
        [1, 1, 1, 0, 0, 0, 1],
    ]

    total = service_total(SERVICE, AREAS, WEEK, LEVELS)
    assert total[COUNTS].tolist() == [8, 7, 4, 1, 4, 2, 4]
    assert total["answered_within_share"] == pytest.approx(4 / 7)
    assert total["finished_within_share"] == 0.5


def test_a_tighter_limit_judges_more_reports():
    # Answer within 1 h: due = older than 1 h = all 8. Within 1 h: S6 and S8
    # (1 h exactly); S5 took 1 h 01 m. Finish within 1 h: nobody.
    total = service_total(SERVICE, AREAS, WEEK, ServiceLevels(1, 1))
    assert total[COUNTS].tolist() == [8, 8, 2, 0, 8, 0, 0]


def test_timing_headline_is_json_ready():
    # Response: S1 24, S2 24.02, S3 open, S4 2, S5 1.02, S6 1, S7 open, S8 1
    #   sorted 1, 1, 1.02, 2, 24, 24.02, inf, inf: median 4th = 2, p90 8th open.
    # Completion: 3 finished, 5 open of 8: median 4th open.
    # Backlog at the close (merah or kuning): S3 168 h (> 7 hari), S4 120 h
    #   (3-7), S6 24 h (1-3), S7 24 h 01 m (1-3), S8 60 h (1-3).
    kpi = json.loads(json.dumps(timing_headline(SERVICE, AREAS, WEEK, LEVELS)))
    assert kpi == {
        "response_hours_median": 2.0,
        "response_hours_p90": None,
        "completion_hours_median": None,
        "completion_hours_p90": None,
        "answer_limit_hours": 24.0,
        "finish_limit_hours": 120.0,
        "answered_due": 7,
        "answered_within_share": pytest.approx(4 / 7),
        "finished_due": 4,
        "finished_within_share": 0.5,
        "backlog_open": 5,
        "backlog_by_age": {"age_0_1": 0, "age_1_3": 3, "age_3_7": 1, "age_7_plus": 1},
    }


def test_timing_headline_without_reports():
    kpi = timing_headline(SERVICE.iloc[0:0], AREAS, WEEK, LEVELS)
    assert kpi["response_hours_median"] is None
    assert kpi["answered_within_share"] is None
    assert (kpi["answered_due"], kpi["backlog_open"]) == (0, 0)
    json.dumps(kpi)
