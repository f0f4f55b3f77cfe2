"""Intake of canonical files: every row used or set aside, counts adding up."""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qlue_helpers.errors import InputError
from qlue_helpers.intake import load_reports

HEADER = (
    "report_id,created_at,category,description,kode_kelurahan,kelurahan,"
    "kecamatan,kota,lat,lon,responded_at,completed_at,status"
)
GOOD = (
    "A1,2015-11-20 08:00:00+07:00,Sampah,Sampah menumpuk,31.75.06.1005,"
    "PULO GEBANG,Cakung,Jakarta Timur,-6.21,106.95,2015-11-20 09:00,"
    "2015-11-20 10:00,hijau"
)
EXPORTED = pd.Timestamp("2015-12-01 00:00", tz="Asia/Jakarta")

# One fault per line, and the reason it must be filed under.
FAULTS = {
    "missing_id": ",2015-11-20 08:00,Sampah,,31.75.06.1005,,,,,,,,merah",
    "duplicate_id": "A1,2015-11-21 08:00,Sampah,,31.75.06.1005,,,,,,,,merah",
    "bad_date": "B1,kemarin sore,Sampah,,31.75.06.1005,,,,,,,,merah",
    "missing_created_at": "B2,,Sampah,,31.75.06.1005,,,,,,,,merah",
    "responded_before_created": (
        "B3,2015-11-20 08:00,Sampah,,31.75.06.1005,,,,,,2015-11-19 08:00,,kuning"
    ),
    "completed_before_created": (
        "B4,2015-11-20 08:00,Sampah,,31.75.06.1005,,,,,,,2015-11-19 08:00,hijau"
    ),
    "future_time": "B5,2016-01-20 08:00,Sampah,,31.75.06.1005,,,,,,,,merah",
    "unknown_area": "B6,2015-11-20 08:00,Sampah,,31.75.99.9999,,,,,,,,merah",
    "unknown_status": "B7,2015-11-20 08:00,Sampah,,31.75.06.1005,,,,,,,,biru",
    "status_without_time": "B8,2015-11-20 08:00,Sampah,,31.75.06.1005,,,,,,,,hijau",
    "bad_coordinates": "B9,2015-11-20 08:00,Sampah,,31.75.06.1005,,,,95,106,,,merah",
}


def write(tmp_path, *lines, name="laporan.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("reason", sorted(FAULTS))
def test_each_fault_is_set_aside_with_its_reason(tmp_path, reason):
    loaded = load_reports(write(tmp_path, GOOD, FAULTS[reason]), EXPORTED)
    assert loaded.summary()["rows_in"] == 2
    assert list(loaded.reports["report_id"]) == ["A1"]
    assert list(loaded.quarantine["reason"]) == [reason]
    assert list(loaded.quarantine["row_number"]) == [2]


def test_all_faults_in_one_file_are_found_in_one_pass(tmp_path):
    loaded = load_reports(write(tmp_path, GOOD, *FAULTS.values()), EXPORTED)
    summary = loaded.summary()
    assert summary["rows_in"] == 1 + len(FAULTS)
    assert summary["accepted"] == 1
    assert summary["reasons"] == dict.fromkeys(FAULTS, 1)


def test_good_row_is_typed_and_named_officially(tmp_path):
    loaded = load_reports(write(tmp_path, GOOD), EXPORTED)
    row = loaded.reports.iloc[0]
    assert row["kelurahan"] == "Pulo Gebang"  # official spelling, not the file's
    assert row["kota"] == "Kota Administrasi Jakarta Timur"
    assert row["created_at"] == pd.Timestamp("2015-11-20 08:00", tz="Asia/Jakarta")
    # A time without an offset is read as WIB.
    assert row["responded_at"] == pd.Timestamp("2015-11-20 09:00", tz="Asia/Jakarta")
    assert row["lat"] == pytest.approx(-6.21)
    assert str(loaded.reports["created_at"].dtype) == "datetime64[us, Asia/Jakarta]"


def test_offsets_are_converted_to_wib(tmp_path):
    line = GOOD.replace("2015-11-20 08:00:00+07:00", "2015-11-20T01:00:00Z")
    loaded = load_reports(write(tmp_path, line), EXPORTED)
    assert loaded.reports["created_at"].iloc[0] == pd.Timestamp(
        "2015-11-20 08:00", tz="Asia/Jakarta"
    )


def test_quarantine_keeps_the_row_as_it_came(tmp_path):
    loaded = load_reports(write(tmp_path, GOOD, FAULTS["bad_date"]), EXPORTED)
    assert loaded.quarantine["created_at"].iloc[0] == "kemarin sore"


def test_parquet_round_trip(tmp_path):
    loaded = load_reports(write(tmp_path, GOOD), EXPORTED)
    path = tmp_path / "laporan.parquet"
    loaded.reports.to_parquet(path)
    again = load_reports(path, EXPORTED)
    pd.testing.assert_frame_equal(again.reports, loaded.reports)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("a,b\n1,2\n", "laporan.csv", "lacks the canonical columns"),
        (HEADER + "\n", "laporan.csv", "no rows"),
        ("hello", "laporan.txt", "expected the canonical table"),
    ],
)
def test_unusable_files_get_one_clear_error(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        load_reports(path, EXPORTED)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="No data file"):
        load_reports(tmp_path / "nothing.csv")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from([GOOD, *FAULTS.values()]), min_size=1, max_size=12))
def test_counts_always_add_up(tmp_path, lines):
    loaded = load_reports(write(tmp_path, *lines), EXPORTED)
    summary = loaded.summary()
    assert summary["rows_in"] == len(lines)
    assert summary["accepted"] + summary["quarantined"] == len(lines)
    assert sum(summary["reasons"].values()) == summary["quarantined"]
    assert loaded.reports["report_id"].is_unique
