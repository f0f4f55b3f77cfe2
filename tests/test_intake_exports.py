"""Each source profile on a small realistic export; expected values by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from qlue_helpers.intake import load_export

DATA = Path(__file__).parent / "data" / "intake"
HISTORY = Path(__file__).parents[1] / "params" / "sources" / "crop_riwayat_status.yaml"
EXPORTED = "2015-12-01 00:00"
PULO_GEBANG = "31.75.06.1005"
NAT = pd.NaT


def wib(text: str | None) -> pd.Timestamp:
    return pd.Timestamp(text, tz="Asia/Jakarta") if text else pd.NaT


def frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    for name in table.columns:
        if name.endswith("_at"):
            table[name] = table[name].map(wib).astype("datetime64[us, Asia/Jakarta]")
    return table


def reports_like(loaded, expected: pd.DataFrame) -> None:
    actual = loaded.reports[list(expected.columns)].astype({"status": "str"})
    pd.testing.assert_frame_equal(
        actual.reset_index(drop=True), expected.astype({"status": "str"})
    )


# --- Qlue / CROP export: semicolons, BOM, CRLF, decimal commas, dd/mm/yyyy ------


def test_crop_export_reads_every_spelling_and_files_every_fault():
    loaded = load_export(DATA / "crop_jaktim_2015-11.csv", "qlue", EXPORTED)

    expected = frame(
        [
            ("QLU-1001", PULO_GEBANG, "Pulo Gebang", "hijau", -6.2105, 106.9512,
             "2015-11-20 08:15", "2015-11-20 09:00", "2015-11-20 15:30"),
            ("QLU-1002", PULO_GEBANG, "Pulo Gebang", "kuning", -6.2150, 106.9480,
             "2015-11-20 09:40", "2015-11-20 11:05", None),
            ("QLU-1003", "31.75.04.1002", "Tengah", "merah", np.nan, np.nan,
             "2015-11-21 07:05", None, None),
            ("QLU-1004", "31.75.10.1001", "Cipayung", "hijau", -6.3265, 106.9010,
             "2015-11-21 10:20", "2015-11-21 10:50", "2015-11-22 08:00"),
            ("QLU-1005", "31.75.07.1001", "Duren Sawit", "kuning", np.nan, np.nan,
             "2015-11-22 13:00", "2015-11-22 14:10", None),
            ("QLU-1013", "31.75.06.1003", "Penggilingan", "kuning", -6.1980, 106.9300,
             "2015-11-25 08:00", "2015-11-25 08:30", None),
        ],
        ["report_id", "kode_kelurahan", "kelurahan", "status", "lat", "lon",
         "created_at", "responded_at", "completed_at"],
    )  # fmt: skip
    reports_like(loaded, expected)

    quarantine = loaded.quarantine
    assert list(quarantine["row_number"]) == [6, 7, 8, 9, 10, 11, 12, 14]
    assert list(quarantine["reason"]) == [
        "bad_date",
        "completed_before_created",
        "ambiguous_area",
        "unknown_area",
        "unknown_status",
        "duplicate_id",
        "future_time",
        "missing_id",
    ]
    assert quarantine["Tanggal"].iloc[0] == "31/11/2015 08:00"  # as it came
    assert loaded.summary()["notes"] == {"no_point": 1}


def test_crop_export_keeps_quoted_separators_and_line_breaks():
    loaded = load_export(DATA / "crop_jaktim_2015-11.csv", "qlue", EXPORTED)
    texts = loaded.reports.set_index("report_id")["description"]
    assert texts["QLU-1002"] == "Lubang besar; dekat halte"
    assert texts["QLU-1004"].splitlines() == [
        "Mobil parkir di trotoar,",
        "sudah seminggu",
    ]


def test_reporter_columns_are_dropped_on_read():
    loaded = load_export(DATA / "crop_jaktim_2015-11.csv", "qlue", EXPORTED)
    assert "Nama Pelapor" not in loaded.quarantine.columns
    assert "No HP" not in loaded.quarantine.columns
    assert not loaded.quarantine.isin(["Budi Santoso", "081234567890"]).any().any()


# --- cp1252, the code page Excel writes ------------------------------------------


def test_cp1252_export_is_decoded(tmp_path):
    text = (
        "ID Laporan;Tanggal;Kategori;Keterangan;Kelurahan;Kecamatan;Status\r\n"
        "QLU-2001;20/11/2015 08:00;Jalan rusak;Jalan berlubang – kata ‘warga’;"
        "Cililitan;Kramat Jati;Menunggu\r\n"
        "QLU-2002;20/11/2015 09:00;Sampah;Sampah di kali (±2 m³);"
        "Cawang;Kramat Jati;Proses\r\n"
    )
    path = tmp_path / "ekspor_excel.csv"
    path.write_bytes(text.encode("cp1252"))

    loaded = load_export(path, "qlue", EXPORTED)
    assert list(loaded.reports["description"]) == ["Jalan berlubang – kata ‘warga’"]
    assert list(loaded.reports["kode_kelurahan"]) == ["31.75.04.1006"]
    # A kuning report without a response time cannot be used; its text is kept.
    assert list(loaded.quarantine["reason"]) == ["status_without_time"]
    assert list(loaded.quarantine["Keterangan"]) == ["Sampah di kali (±2 m³)"]


# --- XLSX ------------------------------------------------------------------------


def test_xlsx_export_with_typed_cells_and_a_blank_row(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["ID Laporan", "Tanggal", "Kategori", "Kelurahan", "Kecamatan",
                  "Lat", "Lng", "Status", "Waktu Selesai", "Email"])  # fmt: skip
    sheet.append([317501, datetime(2015, 11, 20, 8, 0), "Sampah", "Pulo Gebang",
                  "Cakung", -6.21, 106.95, "selesai", "20/11/2015 12:00",
                  "budi@example.org"])  # fmt: skip
    sheet.append([None] * 10)
    sheet.append([317502, 42328.5, "Banjir", "PINANG RANTI", "MAKASAR", None, None,
                  "Menunggu", None, None])  # fmt: skip
    sheet.append([317503, "21/11/2015 09:00", "Sampah", "Cipayung", "Cipayung",
                  None, None, "Ditolak", None, None])  # fmt: skip
    book.create_sheet("Catatan").append(["diabaikan"])
    path = tmp_path / "laporan.xlsx"
    book.save(path)

    loaded = load_export(path, "qlue", EXPORTED)
    expected = frame(
        [
            ("317501", PULO_GEBANG, "hijau", -6.21, "2015-11-20 08:00",
             "2015-11-20 12:00"),
            ("317502", "31.75.08.1002", "merah", np.nan, "2015-11-20 12:00", None),
        ],
        ["report_id", "kode_kelurahan", "status", "lat", "created_at",
         "completed_at"],
    )  # fmt: skip
    reports_like(loaded, expected)
    assert list(loaded.quarantine["row_number"]) == [4]  # Excel row 5
    assert list(loaded.quarantine["reason"]) == ["unknown_status"]
    assert loaded.summary()["rows_in"] == 3  # the blank row is not a row
    assert "Email" not in loaded.quarantine.columns


# --- Qlue partner feed (JSON) ------------------------------------------------------


def test_partner_feed_json():
    loaded = load_export(DATA / "qlue_partner_feed.json", "qlue", "2016-03-01")
    expected = frame(
        [
            ("880101", PULO_GEBANG, "merah", -6.2312, "2016-02-10 14:33:21"),
            ("880102", "31.75.08.1005", "merah", np.nan, "2016-02-10 15:02:00"),
            ("880104", PULO_GEBANG, "merah", -6.21, "2016-02-10 17:00"),
        ],
        ["report_id", "kode_kelurahan", "status", "lat", "created_at"],
    )
    reports_like(loaded, expected)
    assert list(loaded.quarantine["reason"]) == ["missing_id"]
    assert "profile_name" not in loaded.quarantine.columns
    assert loaded.summary()["notes"] == {"status_derived": 3, "no_point": 1}


# --- Open311 GeoReport v2 (JSON) ---------------------------------------------------


def test_open311_json_keeps_its_own_levels():
    loaded = load_export(DATA / "open311_requests.json", "open311", "2011-04-01")
    expected = frame(
        [
            ("SR-20110301-0001", "02134", "02134", "hijau", "2011-03-01 20:15",
             "2011-03-03 04:40"),
            ("SR-20110301-0002", "02134", "02134", "merah", "2011-03-02 09:05", None),
        ],
        ["report_id", "kode_kelurahan", "kelurahan", "status", "created_at",
         "completed_at"],
    )  # fmt: skip
    reports_like(loaded, expected)
    assert set(loaded.reports["kota"]) == {"Seluruh wilayah Open311"}
    assert list(loaded.quarantine["reason"]) == ["unknown_area", "bad_date"]
    summary = loaded.summary()
    assert summary["levels"] == {
        "kota": None,
        "kecamatan": None,
        "kelurahan": "kode pos (zipcode)",
    }
    assert summary["notes"] == {"time_from_status_time": 1}
    assert "email" not in loaded.quarantine.columns


# --- NYC 311 (CSV, month first, 12-hour clock, New York time) ----------------------


def test_nyc311_csv_borough_and_community_board():
    loaded = load_export(DATA / "nyc311_2011-03.csv", "nyc311", "2011-04-01")
    expected = frame(
        [
            ("19950001", "brooklyn.01-brooklyn", "01 BROOKLYN", "BROOKLYN", "hijau",
             "2011-03-02 02:27:57", None, "2011-03-02 21:15"),
            ("19950002", "manhattan.12-manhattan", "12 MANHATTAN", "MANHATTAN",
             "merah", "2011-03-02 11:05:12", None, None),
            ("19950003", "brooklyn.01-brooklyn", "01 BROOKLYN", "BROOKLYN", "kuning",
             "2011-03-02 20:00", "2011-03-03 22:00", None),
        ],
        ["report_id", "kode_kelurahan", "kelurahan", "kota", "status", "created_at",
         "responded_at", "completed_at"],
    )  # fmt: skip
    reports_like(loaded, expected)
    assert (loaded.reports["kecamatan"] == loaded.reports["kota"]).all()
    assert list(loaded.quarantine["reason"]) == [
        "completed_before_created",  # Closed Date 01/01/1900
        "unknown_area",  # Unspecified BROOKLYN
        "status_without_time",  # Pending, no date of any action
    ]
    summary = loaded.summary()
    assert summary["levels"] == {
        "kota": "borough",
        "kecamatan": None,
        "kelurahan": "community board",
    }
    assert summary["timezone"] == "America/New_York"


# --- Status history ----------------------------------------------------------------


def test_status_history_gives_response_completion_and_reopening():
    loaded = load_export(DATA / "crop_riwayat_status_2015-11.csv", HISTORY, EXPORTED)
    expected = frame(
        [
            # Fixed, disputed on the 21st, fixed again on the 22nd.
            ("R1", PULO_GEBANG, "hijau", "2015-11-20 08:00", "2015-11-20 09:30",
             "2015-11-22 09:00"),
            # Straight from merah to hijau: the fix is also the response.
            ("R2", "31.75.10.1001", "hijau", "2015-11-21 08:00", "2015-11-21 12:00",
             "2015-11-21 12:00"),
            # Fixed, then disputed and still merah: not completed.
            ("R3", "31.75.07.1001", "merah", "2015-11-22 07:00", "2015-11-22 08:00",
             None),
        ],
        ["report_id", "kode_kelurahan", "status", "created_at", "responded_at",
         "completed_at"],
    )  # fmt: skip
    reports_like(loaded, expected)

    summary = loaded.summary()
    assert (summary["rows_in"], summary["accepted"], summary["quarantined"]) == (
        15,
        12,
        3,
    )
    assert summary["reports"] == 3
    assert list(loaded.quarantine["row_number"]) == [13, 14, 15]
    assert list(loaded.quarantine["reason"]) == [
        "incomplete_history",
        "bad_date",
        "unknown_area",
    ]
    reopened = loaded.reopened.set_index("report_id")
    assert reopened["times_reopened"].to_dict() == {"R1": 1, "R3": 1}
    assert reopened.loc["R3", "last_reopened_at"] == wib("2015-11-23 09:00")


@pytest.mark.parametrize("name", ["canonical", "qlue", "open311", "nyc311"])
def test_builtin_profiles_load(name):
    from qlue_helpers.intake import load_profile

    profile = load_profile(name)
    assert profile.name == name
    assert "report_id" in profile.columns


# --- Parquet and JSON lines ------------------------------------------------------


def test_parquet_export_with_typed_columns(tmp_path):
    table = pd.DataFrame(
        {
            "ID Laporan": [11, 12],
            "Tanggal": pd.to_datetime(["2015-11-20 08:00", "2015-11-21 09:30"]),
            "Kelurahan": ["Pulo Gebang", "Cipayung"],
            "Latitude": [-6.21, 0.0],
            "Longitude": [106.95, 0.0],
            "Status": ["Menunggu", "menunggu"],
        }
    )
    path = tmp_path / "ekspor.parquet"
    table.to_parquet(path)

    loaded = load_export(path, "qlue", EXPORTED)
    expected = frame(
        [
            ("11", PULO_GEBANG, "merah", -6.21, "2015-11-20 08:00"),
            ("12", "31.75.10.1001", "merah", np.nan, "2015-11-21 09:30"),
        ],
        ["report_id", "kode_kelurahan", "status", "lat", "created_at"],
    )
    reports_like(loaded, expected)


def test_json_lines_export(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"post_id": 1, "post_date": "2016-02-10 14:33:21", "kelurahan": "Cawang"}\n'
        "\n"
        '{"post_id": 2, "post_date": "2016-02-10 15:00:00", "kelurahan": "Cililitan"}\n'
    )
    loaded = load_export(path, "qlue", "2016-03-01")
    assert list(loaded.reports["kode_kelurahan"]) == ["31.75.04.1007", "31.75.04.1006"]
