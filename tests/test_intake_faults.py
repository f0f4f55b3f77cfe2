"""A corpus of bad exports, one fault each, and counts that always add up."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qlue_helpers.errors import InputError
from qlue_helpers.intake import ingest, load_export

EXPORTED = "2015-12-01 00:00"
HEADER = (
    "ID Laporan;Tanggal;Kategori;Kelurahan;Kecamatan;Latitude;Longitude;Status;"
    "Waktu Tanggapan;Waktu Selesai;No HP"
)
GOOD = (
    "A1;20/11/2015 08:00;Sampah;Pulo Gebang;Cakung;-6,21;106,95;Selesai;"
    "20/11/2015 09:00;20/11/2015 10:00;0812000111"
)
# One fault per line, and the reason it must be filed under.
FAULTS = {
    "bad_line": "B0;20/11/2015 08:00;Sampah;Pulo Gebang;Cakung;;;Menunggu;;;;extra",
    "missing_id": ";20/11/2015 08:00;Sampah;Pulo Gebang;Cakung;;;Menunggu;;;",
    "duplicate_id": "A1;21/11/2015 08:00;Sampah;Pulo Gebang;Cakung;;;Menunggu;;;",
    "bad_date": "B1;kemarin sore;Sampah;Pulo Gebang;Cakung;;;Menunggu;;;",
    "missing_created_at": "B2;;Sampah;Pulo Gebang;Cakung;;;Menunggu;;;",
    "responded_before_created": (
        "B3;20/11/2015 08:00;Sampah;Pulo Gebang;Cakung;;;Proses;19/11/2015 08:00;;"
    ),
    "completed_before_created": (
        "B4;20/11/2015 08:00;Sampah;Pulo Gebang;Cakung;;;Selesai;;19/11/2015 08:00;"
    ),
    "future_time": "B5;20/01/2016 08:00;Sampah;Pulo Gebang;Cakung;;;Menunggu;;;",
    "ambiguous_area": "B6;20/11/2015 08:00;Sampah;Kelapa Gading;;;;Menunggu;;;",
    "unknown_area": "B7;20/11/2015 08:00;Sampah;Pulo Gebang;Pulo Gadung;;;Menunggu;;;",
    "unknown_status": "B8;20/11/2015 08:00;Sampah;Pulo Gebang;Cakung;;;Biru laut;;;",
    "status_without_time": "B9;20/11/2015 08:00;Sampah;Pulo Gebang;Cakung;;;Selesai;;;",
    "bad_coordinates": "C1;20/11/2015 08:00;Sampah;Pulo Gebang;Cakung;-6,2;abc;Baru;;;",
}


def write(tmp_path, *lines, name="ekspor.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("reason", sorted(FAULTS))
def test_each_fault_is_set_aside_with_its_reason(tmp_path, reason):
    path = write(tmp_path, GOOD, FAULTS[reason], GOOD.replace("A1", "A2"))
    loaded = load_export(path, "qlue", EXPORTED)
    summary = loaded.summary()
    assert (summary["rows_in"], summary["accepted"], summary["quarantined"]) == (
        3,
        2,
        1,
    )
    assert list(loaded.reports["report_id"]) == ["A1", "A2"]
    assert list(loaded.quarantine["reason"]) == [reason]
    assert list(loaded.quarantine["row_number"]) == [2]


def test_all_faults_in_one_file_are_found_in_one_pass(tmp_path):
    loaded = load_export(write(tmp_path, GOOD, *FAULTS.values()), "qlue", EXPORTED)
    summary = loaded.summary()
    assert summary["rows_in"] == 1 + len(FAULTS)
    assert summary["accepted"] == 1
    assert summary["reasons"] == dict.fromkeys(FAULTS, 1)
    assert list(loaded.quarantine["row_number"]) == list(range(2, 2 + len(FAULTS)))


def test_a_row_with_several_faults_lists_them_all(tmp_path):
    line = "A1;kemarin;Sampah;Atlantis;;95;106;Ditolak;;;"
    loaded = load_export(write(tmp_path, GOOD, line), "qlue", EXPORTED)
    row = loaded.quarantine.iloc[0]
    assert row["reason"] == "duplicate_id"
    assert row["all_reasons"] == (
        "duplicate_id, bad_date, unknown_area, unknown_status, bad_coordinates"
    )
    assert row["explanation"].startswith("ID laporan sudah muncul")


def test_no_point_is_kept_without_coordinates(tmp_path):
    line = GOOD.replace("A1", "A2").replace("-6,21;106,95", "0;0")
    loaded = load_export(write(tmp_path, GOOD, line), "qlue", EXPORTED)
    assert loaded.summary()["accepted"] == 2
    assert loaded.reports["lat"].isna().tolist() == [False, True]
    assert loaded.summary()["notes"] == {"no_point": 1}


def test_blank_rows_from_excel_are_not_rows(tmp_path):
    loaded = load_export(write(tmp_path, GOOD, ";;;;;;;;;;", ";;;;;;;;;;"), "qlue",
                         EXPORTED)  # fmt: skip
    assert loaded.summary()["rows_in"] == 1


def test_a_bad_line_keeps_its_place_among_good_ones(tmp_path):
    lines = [GOOD, FAULTS["bad_line"], *(GOOD.replace("A1", f"A{n}") for n in (2, 3))]
    loaded = load_export(write(tmp_path, *lines), "qlue", EXPORTED)
    bad = loaded.quarantine.iloc[0]
    assert bad["row_number"] == 2
    # The file has a reporter column, so the unsplit text is not kept.
    assert pd.isna(bad["raw_line"])


def test_a_bad_line_is_kept_as_text_when_no_reporter_column(tmp_path):
    header = HEADER.removesuffix(";No HP")
    good = GOOD.removesuffix(";0812000111")
    path = tmp_path / "ekspor.csv"
    path.write_text(f"{header}\n{good}\nX;1;2\n", encoding="utf-8")
    loaded = load_export(path, "qlue", EXPORTED)
    assert loaded.quarantine["raw_line"].tolist() == ["X;1;2"]


# --- Unusable files: one clear error, no partial output -----------------------

UNUSABLE = [
    (b"", "ekspor.csv", r"is empty; expected an export for source profile qlue"),
    (b"foo,bar\n1,2\n", "ekspor.csv", r"lacks the qlue columns report_id .* It has: "
     r"foo, bar\. .*extends: qlue"),
    (HEADER.encode() + b"\n", "ekspor.csv", "has the right columns but no rows"),
    (b"%PDF-1.4", "ekspor.pdf", r"is a \.pdf file; expected .* as \.csv"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1", "ekspor.xls", r"is a \.xls file"),
    (b"PK\x03\x04rest", "ekspor.csv", "named .csv but its content is xlsx"),
    (b"PK\x03\x04rest", "ekspor.xlsx", "could not be read as xlsx"),
    (b"\x00\x01binary", "ekspor.csv", "content is binary data"),
    (b'{"a": 1}', "ekspor.json", "no list of objects"),
    (b"PAR1garbage", "ekspor.parquet", "could not be read as parquet"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "name", "message"), UNUSABLE)
def test_unusable_files_get_one_clear_error_and_no_output(
    tmp_path, content, name, message
):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "hasil"
    with pytest.raises(InputError, match=message):
        ingest(path, "qlue", out, exported_at=EXPORTED)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_ingest_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    out = tmp_path / "dokumen"
    out.mkdir()
    (out / "penting.txt").write_text("jangan dihapus")
    with pytest.raises(InputError, match="not an intake folder"):
        ingest(write(tmp_path, GOOD), "qlue", out, exported_at=EXPORTED)
    assert (out / "penting.txt").exists()


# --- Properties -------------------------------------------------------------------

LINES = [GOOD, *(GOOD.replace("A1", f"G{n}") for n in range(3)), *FAULTS.values()]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=15))
def test_counts_always_add_up(tmp_path, lines):
    loaded = load_export(write(tmp_path, *lines), "qlue", EXPORTED)
    summary = loaded.summary()
    assert summary["rows_in"] == len(lines)
    assert summary["accepted"] + summary["quarantined"] == len(lines)
    assert sum(summary["reasons"].values()) == summary["quarantined"]
    assert loaded.reports["report_id"].is_unique
    numbers = sorted([*loaded.quarantine["row_number"]])
    assert len(set(numbers)) == len(numbers) <= len(lines)
