"""The parts of intake: profiles, times, areas, histories, the ingest folder."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qlue_helpers.errors import ParameterError
from qlue_helpers.intake import (
    areamatch,
    ingest,
    load_export,
    load_profile,
    load_reports,
)
from qlue_helpers.intake.areamatch import match_areas
from qlue_helpers.intake.profiles import AreaRule, Profile
from qlue_helpers.intake.readers import read_export
from qlue_helpers.intake.times import parse_times

HISTORY = Path(__file__).parents[1] / "params" / "sources" / "crop_riwayat_status.yaml"
SAMPLE = (
    Path(__file__).parents[1]
    / "qlue_helpers/data/sample/laporan_jakarta_timur_2015-11.csv"
)
EXPORTED = "2015-12-01 00:00"
WIB = "Asia/Jakarta"


# --- Times ------------------------------------------------------------------------

DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y", "excel")
MONTH_FIRST = ("%m/%d/%Y %I:%M:%S %p",)


@pytest.mark.parametrize(
    ("text", "formats", "zone", "expected"),
    [
        ("03/01/2011 14:27", DAY_FIRST, WIB, "2011-01-03 14:27"),
        ("03/01/2011 02:27:57 PM", MONTH_FIRST, WIB, "2011-03-01 14:27:57"),
        ("03/01/2011 12:05:00 AM", MONTH_FIRST, WIB, "2011-03-01 00:05"),
        ("2/1/2015 8:00", DAY_FIRST, WIB, "2015-01-02 08:00"),
        ("20/11/2015", DAY_FIRST, WIB, "2015-11-20 00:00"),
        ("42328.5", DAY_FIRST, WIB, "2015-11-20 12:00"),
        ("29/02/2016 10:00", DAY_FIRST, WIB, "2016-02-29 10:00"),
        ("2015-11-20T01:00:00Z", DAY_FIRST, WIB, "2015-11-20 08:00"),
        ("2015-11-20 09:00", DAY_FIRST, WIB, "2015-11-20 09:00"),
        ("2015-11-20 09:00", DAY_FIRST, "UTC", "2015-11-20 16:00"),
        # New York: EST is UTC-5, so 14:27 there is 02:27 next day in WIB.
        ("03/01/2011 02:27 PM", ("%m/%d/%Y %I:%M %p",), "America/New_York",
         "2011-03-02 02:27"),
        ("31/02/2015 08:00", DAY_FIRST, WIB, None),
        ("29/02/2015 08:00", DAY_FIRST, WIB, None),
        ("31/04/2015 03:00", DAY_FIRST, WIB, None),
        ("20/11/15 08:00", DAY_FIRST, WIB, None),
        ("20/11/2015 24:00", DAY_FIRST, WIB, None),
        ("kemarin sore", DAY_FIRST, WIB, None),
        # A leap second, read as Python's strptime reads it.
        ("30/11/2015 23:59:60", ("%d/%m/%Y %H:%M:%S",), WIB, "2015-12-01 00:00"),
        ("01/12/2015 08:00", DAY_FIRST, WIB, "2015-12-01 08:00"),
        ("1/3/2016 8:00", DAY_FIRST, WIB, "2016-03-01 08:00"),
        ("11/20/2015 08:00", DAY_FIRST, WIB, None),  # month first is not guessed
    ],
)  # fmt: skip
def test_times_in_the_profile_formats(text, formats, zone, expected):
    parsed = parse_times(pd.Series([text, None], dtype="str"), formats, zone)
    want = pd.Timestamp(expected, tz=WIB) if expected else pd.NaT
    assert parsed.iloc[0] == want or (want is pd.NaT and pd.isna(parsed.iloc[0]))
    assert pd.isna(parsed.iloc[1])
    assert str(parsed.dtype) == "datetime64[us, Asia/Jakarta]"


def test_times_read_fast_are_checked_like_slow_ones():
    days = pd.date_range("2015-01-01", "2016-12-31 23:59", freq="37min")
    text = pd.Series(days.strftime("%d/%m/%Y %H:%M:%S"), dtype="str")
    parsed = parse_times(text, ("%d/%m/%Y %H:%M:%S",), WIB)
    assert (parsed == days.tz_localize(WIB)).all()


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("2015-11-20 10:00:00+07:00", WIB, "2015-11-20 10:00"),
        ("2015-11-20T03:00:00Z", WIB, "2015-11-20 10:00"),
        ("2015-11-20 10:00:00+07", WIB, "2015-11-20 10:00"),
        ("2015-11-20 10:00:00 +0700", WIB, "2015-11-20 10:00"),
        ("2015-11-19 22:00:00-05:00", WIB, "2015-11-20 10:00"),
        ("2015-11-20 10:00:00.5+07:00", WIB, "2015-11-20 10:00:00.5"),
        ("2015-11-20T10", WIB, "2015-11-20 10:00"),
        ("2015-11-20", WIB, "2015-11-20 00:00"),
        ("2015-11-19 22:00", "America/New_York", "2015-11-20 10:00"),
        ("2015-04-31 10:00:00+07:00", WIB, None),
        ("2015-11-20 24:00:00+07:00", WIB, None),
        ("2015-11-20 10:00:00+25:00", WIB, None),
        ("20-11-2015 10:00", WIB, None),
    ],
)
def test_iso_times_alone_and_amid_others(text, zone, expected):
    want = pd.Timestamp(expected, tz=WIB) if expected else pd.NaT
    plain = ["2015-01-01", "2015-01-01 00:00:00+07:00"]
    for values in ([text], [*plain, text, *plain]):
        parsed = parse_times(pd.Series(values, dtype="str"), ("ISO8601",), zone)
        got = parsed.iloc[values.index(text)]
        assert got == want or (want is pd.NaT and pd.isna(got))


def test_a_bad_time_in_a_big_export_leaves_the_others_exact(tmp_path):
    moments = pd.date_range("2015-01-01", periods=120_000, freq="2min", tz=WIB)
    text = pd.Series(moments.strftime("%Y-%m-%d %H:%M:%S+07:00"))
    text[1::2] = moments[1::2].tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    text[50_001] = moments[50_001].strftime("%Y-%m-%d %H:%M:%S")  # no offset: WIB
    text[90_002] = "2015-04-31 10:00:00+07:00"
    pd.DataFrame({"t": text}).to_csv(tmp_path / "times.csv", index=False)
    column = read_export(tmp_path / "times.csv", "times").rows["t"]
    assert isinstance(pa.array(column.array), pa.ChunkedArray)  # read in blocks

    parsed = parse_times(column, ("ISO8601",), WIB)
    expected = pd.Series(moments)
    expected[90_002] = pd.NaT
    assert (parsed.reset_index(drop=True).eq(expected) | expected.isna()).all()
    assert parsed.isna().sum() == 1


# --- Profiles ----------------------------------------------------------------------


def test_a_mapping_file_extends_a_builtin_profile():
    profile = load_profile(HISTORY)
    assert profile.name == "crop_riwayat_status"
    assert profile.layout == "history"
    assert "Waktu Status" in profile.columns["status_time"]
    assert profile.columns["kelurahan"] == load_profile("qlue").columns["kelurahan"]
    assert profile.statuses["selesai"] == "hijau"


def test_a_mapping_file_is_found_by_name_in_a_search_folder():
    profile = load_profile("crop_riwayat_status", search=[HISTORY.parent])
    assert profile.origin == str(HISTORY)


def test_yaml_words_stay_text(tmp_path):
    path = tmp_path / "sumber.yaml"
    path.write_text(
        "extends: qlue\nstatuses:\n  merah: [no, off]\n  hijau: [yes, 2015-11-20]\n"
    )
    statuses = load_profile(path).statuses
    assert statuses["no"] == statuses["off"] == "merah"
    assert statuses["yes"] == statuses["2015-11-20"] == "hijau"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("colums: {}\n", "unknown key.*colums"),
        ("columns: {tanggal: [Tgl]}\n", "unknown field.*tanggal"),
        ("statuses: {biru: [x]}\n", "statuses.*biru"),
        ("layout: wide\n", "layout.*wide"),
        (
            "areas: {match: levels, levels: {kota: borough}}\n",
            "needs at least kelurahan",
        ),
        ("- a\n- b\n", "must be a mapping"),
        ("columns: [\n", "not valid YAML"),
    ],
)
def test_a_broken_mapping_file_is_named_with_its_fault(tmp_path, content, message):
    path = tmp_path / "sumber.yaml"
    path.write_text(content)
    with pytest.raises(ParameterError, match=message):
        load_profile(path)


def test_an_unknown_source_lists_the_choices():
    with pytest.raises(ParameterError, match="canonical, nyc311, open311, qlue"):
        load_profile("crm2017")


@pytest.mark.parametrize(
    ("header", "identity"),
    [
        ("profile_name", True),
        ("Nama Pelapor", True),
        ("Nama", True),
        ("No. HP", True),
        ("E-mail", True),
        ("first_name", True),
        ("User ID", True),
        ("Nama Kelurahan", False),
        ("Agency Name", False),
        ("service_name", False),
        ("Waktu Tanggapan", False),
        ("Kategori", False),
    ],
)
def test_columns_that_look_like_reporter_identity(header, identity):
    assert Profile.looks_like_identity(header) is identity


def test_a_listed_identity_column_is_dropped_even_when_mapped(tmp_path):
    path = tmp_path / "sumber.yaml"
    path.write_text("extends: qlue\ncolumns:\n  description: [Pelapor, Keterangan]\n")
    export = tmp_path / "ekspor.csv"
    export.write_text(
        "ID Laporan;Tanggal;Kelurahan;Kecamatan;Status;Pelapor\n"
        "A1;20/11/2015 08:00;Cipayung;Cipayung;Menunggu;Budi\n"
    )
    loaded = load_export(export, path, EXPORTED)
    assert loaded.reports["description"].isna().all()


# --- Areas -------------------------------------------------------------------------

AREA_COLUMNS = ["kode_kelurahan", "kode_bps", "kelurahan", "kecamatan", "kota"]


@pytest.mark.parametrize(
    ("row", "code", "problem"),
    [
        (("31.75.06.1005", None, None, None, None), "31.75.06.1005", None),
        (("3175061005", None, None, None, None), "31.75.06.1005", None),
        # BPS 3175... is Jakarta Utara; Kemendagri 31.75 is Jakarta Timur.
        ((None, "3175060007", None, None, None), "31.72.04.1004", None),
        ((None, "3172080003", None, None, None), "31.75.06.1005", None),
        ((None, None, "PULO GEBANG", "CAKUNG", "JAKARTA TIMUR"), "31.75.06.1005", None),
        ((None, None, "Kel. Pulogebang", "Kec. Cakung", None), "31.75.06.1005", None),
        ((None, None, "Kampung Tengah", "Kramat Jati", "Jaktim"), "31.75.04.1002",
         None),
        ((None, None, "Cipayung", "Cipayung", None), "31.75.10.1001", None),
        ((None, None, "Makassar", None, None), "31.75.08.1001", None),
        ((None, None, "Penggilinggan", None, None), "31.75.06.1003", None),
        ((None, None, "Pinang Ranti", None, "Kota Adm. Jakarta Timur"),
         "31.75.08.1002", None),
        ((None, None, "Kelapa Gading", None, None), None, "ambiguous_area"),
        ((None, None, "Cipinang", "Jatinegara", None), None, "ambiguous_area"),
        ((None, None, "Pulo Gebang", "Pulo Gadung", None), None, "unknown_area"),
        ((None, None, "Pulo Gebang", None, "Jakarta Barat"), None, "unknown_area"),
        ((None, None, "Cipinang Mlayu Raya", None, None), None, "unknown_area"),
        ((None, None, None, "Cakung", None), None, "unknown_area"),
        (("31.75.99.9999", None, None, None, None), None, "unknown_area"),
    ],
)  # fmt: skip
def test_jakarta_areas(row, code, problem):
    parts = pd.DataFrame([row], columns=AREA_COLUMNS, dtype="str")
    found = match_areas(parts, AreaRule()).iloc[0]
    assert (
        found["kode_kelurahan"] if pd.notna(found["kode_kelurahan"]) else None
    ) == code
    assert (
        found["area_problem"] if pd.notna(found["area_problem"]) else None
    ) == problem


def test_areas_are_matched_once_per_distinct_combination(monkeypatch):
    calls = []
    original = areamatch._JakartaMatcher.match
    monkeypatch.setattr(
        areamatch._JakartaMatcher,
        "match",
        lambda self, *row: calls.append(row) or original(self, *row),
    )
    names = ["Pulo Gebang", "PULO GEBANG", "Cipayung"] * 20_000
    parts = pd.DataFrame({"kelurahan": names}, dtype="str")
    found = match_areas(parts, AreaRule())
    assert len(calls) == 3
    assert found["kode_kelurahan"].value_counts().to_dict() == {
        "31.75.06.1005": 40_000,
        "31.75.10.1001": 20_000,
    }


# --- Status histories against a plain reference ------------------------------------

STATUS_WORDS = {"merah": "Menunggu", "kuning": "Proses", "hijau": "Selesai"}


def reference(changes: list[str], start: pd.Timestamp) -> dict:
    """Response, completion and reopenings worked out step by step."""
    times = [start + pd.Timedelta(minutes=30 * i) for i in range(len(changes))]
    answered = [t for s, t in zip(changes, times, strict=True) if s != "merah"]
    responded = answered[0] if answered else pd.NaT
    completed, reopened = pd.NaT, 0
    for i, status in enumerate(changes):
        if status == "hijau" and (i == 0 or changes[i - 1] != "hijau"):
            completed = times[i]
        if i and changes[i - 1] == "hijau" and status != "hijau":
            reopened += 1
    if changes[-1] != "hijau":
        completed = pd.NaT
    return {"status": changes[-1], "responded_at": responded,
            "completed_at": completed, "reopened": reopened}  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    histories=st.lists(
        st.lists(st.sampled_from(list(STATUS_WORDS)), min_size=1, max_size=6),
        min_size=1,
        max_size=5,
    ),
    order=st.randoms(use_true_random=False),
)
def test_history_matches_a_step_by_step_reference(tmp_path, histories, order):
    lines, expected = [], {}
    for n, changes in enumerate(histories):
        start = pd.Timestamp("2015-11-20 08:00", tz=WIB) + pd.Timedelta(days=n)
        expected[f"R{n}"] = reference(changes, start)
        for i, status in enumerate(changes):
            moment = start + pd.Timedelta(minutes=30 * i)
            lines.append(f"R{n};{moment:%d/%m/%Y %H:%M};{STATUS_WORDS[status]};"
                         "Pulo Gebang;Cakung")  # fmt: skip
    order.shuffle(lines)
    path = tmp_path / "riwayat.csv"
    path.write_text("ID Laporan;Waktu Status;Status;Kelurahan;Kecamatan\n"
                    + "\n".join(lines) + "\n")  # fmt: skip

    loaded = load_export(path, HISTORY, EXPORTED)
    reports = loaded.reports.set_index("report_id")
    reopened = loaded.reopened.set_index("report_id")["times_reopened"]
    summary = loaded.summary()
    assert summary["rows_in"] == summary["accepted"] == len(lines)
    for report_id, want in expected.items():
        row = reports.loc[report_id]
        assert row["status"] == want["status"]
        assert row["responded_at"] == want["responded_at"] or (
            pd.isna(row["responded_at"]) and pd.isna(want["responded_at"])
        )
        assert row["completed_at"] == want["completed_at"] or (
            pd.isna(row["completed_at"]) and pd.isna(want["completed_at"])
        )
        assert reopened.get(report_id, 0) == want["reopened"]


def test_history_row_without_time(tmp_path):
    path = tmp_path / "riwayat.csv"
    path.write_text(
        "ID Laporan;Waktu Status;Status;Kelurahan\n"
        "R1;20/11/2015 08:00;Menunggu;Cipayung\n"
        "R1;;Selesai;Cipayung\n"
        "R2;20/11/2015 09:00;Menunggu;Cipayung\n"
    )
    loaded = load_export(path, HISTORY, EXPORTED)
    assert list(loaded.quarantine["reason"]) == [
        "incomplete_history",
        "missing_status_time",
    ]
    assert list(loaded.reports["report_id"]) == ["R2"]


# --- The ingest folder -------------------------------------------------------------


def test_ingest_writes_a_folder_that_reads_back(tmp_path):
    out = tmp_path / "hasil" / "2015-11"
    export = Path(__file__).parent / "data" / "intake" / "crop_jaktim_2015-11.csv"
    summary = ingest(export, "qlue", out, exported_at=EXPORTED)

    assert sorted(p.name for p in out.iterdir()) == [
        "quarantine.csv",
        "reopened.csv",
        "reports.parquet",
        "summary.json",
    ]
    assert summary["rows_in"] == summary["accepted"] + summary["quarantined"] == 14
    assert summary["exported_at"] == "2015-12-01T00:00:00+07:00"
    assert summary["dropped_columns"] == ["Nama Pelapor", "No HP"]
    assert json.loads((out / "summary.json").read_text()) == summary

    again = load_reports(out)
    direct = load_export(export, "qlue", EXPORTED)
    pd.testing.assert_frame_equal(again.reports, direct.reports)
    assert again.summary() == direct.summary()
    assert list(again.quarantine["row_number"]) == list(direct.quarantine["row_number"])
    # Excel opens it as UTF-8 thanks to the byte-order mark.
    assert (out / "quarantine.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_reporter_identities_reach_no_output_file(tmp_path, caplog):
    export = Path(__file__).parent / "data" / "intake" / "crop_jaktim_2015-11.csv"
    caplog.set_level("DEBUG", logger="qlue_helpers")
    ingest(export, "qlue", tmp_path / "hasil", exported_at=EXPORTED)
    written = "".join(
        p.read_bytes().decode("utf-8", "replace")
        for p in (tmp_path / "hasil").iterdir()
    )
    for value in ("Budi Santoso", "081234567890", "Siti Aminah", "Maya"):
        assert value not in written
        assert value not in caplog.text
    assert "Sampah menumpuk" not in caplog.text  # nor citizen text in logs


def test_a_second_ingest_replaces_the_first(tmp_path):
    out = tmp_path / "hasil"
    data = Path(__file__).parent / "data" / "intake"
    ingest(data / "crop_jaktim_2015-11.csv", "qlue", out, exported_at=EXPORTED)
    ingest(data / "nyc311_2011-03.csv", "nyc311", out, exported_at="2011-04-01")
    assert load_reports(out).summary()["profile"] == "nyc311"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hasil"]


def test_the_bundled_sample_still_loads_as_canonical():
    loaded = load_reports(SAMPLE, "2015-12-01T00:00:00+07:00")
    summary = loaded.summary()
    assert summary["quarantined"] == 0
    assert summary["accepted"] == summary["rows_in"] == len(pd.read_csv(SAMPLE))
