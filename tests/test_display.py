"""Indonesian formats, escaped tables and charts, checked against typed answers."""

import base64
from datetime import date, timedelta
from html import escape

import numpy as np
import pandas as pd
import pytest

from qlue_helpers import display as qd
from qlue_helpers.display.charts import PNG_SIGNATURE
from qlue_helpers.errors import QlueError

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


# --- formats -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (4577, 0, "4.577"),
        (397, 0, "397"),
        (-35, 0, "-35"),
        (1_234_567, 0, "1.234.567"),
        (np.int64(2964), 0, "2.964"),
        (5.25, 1, "5,3"),
        (0.05, 1, "0,1"),
        (-0.04, 1, "0,0"),
        (None, 0, "–"),
        (float("nan"), 0, "–"),
        (pd.NA, 0, "–"),
    ],
)
def test_number(value, digits, expected):
    assert qd.number(value, digits) == expected


@pytest.mark.parametrize(
    ("share", "digits", "expected"),
    [
        (0.6476, 1, "64,8%"),
        (0.6476, 0, "65%"),
        (2964 / 4577, 1, "64,8%"),
        (1, 1, "100,0%"),
        (0.0005, 1, "0,1%"),
        (0.12345, 2, "12,35%"),
        (None, 1, "–"),
        (float("nan"), 1, "–"),
    ],
)
def test_percent(share, digits, expected):
    assert qd.percent(share, digits) == expected


def test_date_label_uses_indonesian_month_names():
    assert qd.date_label(date(2015, 11, 20)) == "20 November 2015"
    assert qd.date_label(date(2015, 12, 4)) == "4 Desember 2015"
    assert qd.date_label(date(2016, 8, 17)) == "17 Agustus 2016"


def test_date_label_of_a_moment_takes_the_day_in_wib():
    late_utc = pd.Timestamp("2015-11-27 20:00", tz="UTC")  # 28 Nov, 03.00 WIB
    assert qd.date_label(late_utc) == "28 November 2015"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2015, 11, 20), date(2015, 11, 27), "20-27 November 2015"),
        (date(2015, 11, 28), date(2015, 12, 4), "28 November-4 Desember 2015"),
        (date(2015, 12, 28), date(2016, 1, 3), "28 Desember 2015-3 Januari 2016"),
        (date(2015, 11, 20), date(2015, 11, 20), "20 November 2015"),
        (
            pd.Timestamp("2015-11-20", tz="Asia/Jakarta"),
            pd.Timestamp("2015-11-27 23:59", tz="Asia/Jakarta"),
            "20-27 November 2015",
        ),
    ],
)
def test_period_label(start, end, expected):
    assert qd.period_label(start, end) == expected


def test_period_label_refuses_a_backward_period():
    with pytest.raises(QlueError, match="end before it starts"):
        qd.period_label(date(2015, 11, 27), date(2015, 11, 20))


def test_moment_label_converts_to_wib():
    moment = pd.Timestamp("2015-11-27 16:59", tz="UTC")
    assert qd.moment_label(moment) == "27 November 2015 pukul 23.59 WIB"
    local = pd.Timestamp("2015-11-20 07:05", tz="Asia/Jakarta")
    assert qd.moment_label(local) == "20 November 2015 pukul 07.05 WIB"


def test_moment_label_refuses_a_naive_timestamp():
    with pytest.raises(QlueError, match="timezone"):
        qd.moment_label(pd.Timestamp("2015-11-27 23:59"))


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (0, "0 menit"),
        (0.75, "45 menit"),
        (1, "1,0 jam"),
        (5.24, "5,2 jam"),
        (47.9, "47,9 jam"),
        (48, "2,0 hari"),
        (74.4, "3,1 hari"),
        (timedelta(hours=3, minutes=30), "3,5 jam"),
        (pd.Timedelta(days=5), "5,0 hari"),
        (None, "–"),
        (pd.NaT, "–"),
    ],
)
def test_hours_label(hours, expected):
    assert qd.hours_label(hours) == expected


def test_hours_label_refuses_negative_durations():
    with pytest.raises(QlueError, match="zero or more"):
        qd.hours_label(-2)


def test_number_refuses_text():
    with pytest.raises(QlueError, match="Expected a number"):
        qd.number("4577")


# --- tables ------------------------------------------------------------------


@pytest.fixture
def ranking():
    return pd.DataFrame(
        {
            "kelurahan": ["Pulo Gebang", "Cipayung", "Duren Sawit"],
            "points": [460, 145, 128],
            "hijau": [97, 29, 40],
            "share_done": [97 / 107, 1.0, 0.5],
        }
    )


def test_table_formats_numbers_and_shares(ranking):
    html = qd.table(
        ranking.assign(points=[4577, 145, -35]),
        labels={"kelurahan": "Kelurahan", "points": "Poin", "share_done": "Selesai"},
        formats={"share_done": "percent"},
    )._repr_html_()

    assert '<th class="num" scope="col">Poin</th>' in html
    assert '<td class="num">4.577</td>' in html
    assert '<td class="num">-35</td>' in html
    assert '<td class="num">90,7%</td>' in html
    assert '<th scope="row">Pulo Gebang</th>' in html
    assert html.startswith('<div class="table-wrap">')


@pytest.mark.parametrize("evil", [SCRIPT, IMG])
def test_table_escapes_cells_headers_caption_and_note(evil):
    frame = pd.DataFrame({evil: [evil, "aman"], "n": [1, 2]})
    html = qd.table(
        frame,
        labels={"n": evil},
        caption=evil,
        note=evil,
        total_row=pd.Series({evil: evil}),
    ).html

    assert "<script" not in html
    assert "<img" not in html
    # caption, two headers, one cell, the total row and the note
    assert html.count(escape(evil)) == 6


def test_table_total_row_highlight_and_status_columns(ranking):
    html = qd.table(
        ranking,
        total_row=pd.Series({"points": 733, "hijau": 166}),
        highlight=ranking["points"] > 200,
    ).html

    assert '<tfoot>\n<tr class="total"><th scope="row">Jumlah</th>' in html
    assert '<td class="num">733</td>' in html
    assert html.count('class="highlight"') == 1
    assert '<th class="num status-hijau" scope="col">hijau</th>' in html


def test_table_guesses_formats_from_dtypes():
    frame = pd.DataFrame(
        {
            "nama": ["a"],
            "rata_jam": [5.24],
            "utuh": [3.0],
            "waktu": [pd.Timestamp("2015-11-27 23:59", tz="Asia/Jakarta")],
            "kosong": [pd.NA],
        }
    )
    html = qd.table(frame).html
    for text in ("5,2", ">3<", "27 November 2015 pukul 23.59 WIB", ">–<"):
        assert text in html


def test_table_accepts_callable_formats_and_escapes_their_output():
    frame = pd.DataFrame({"nama": ["a"], "n": [3]})
    html = qd.table(frame, formats={"n": lambda v: f"<b>{v}</b>"}).html
    assert "&lt;b&gt;3&lt;/b&gt;" in html


def test_table_rejects_unknown_format_and_column():
    frame = pd.DataFrame({"nama": ["a"], "n": [3]})
    with pytest.raises(QlueError, match="Unknown format"):
        qd.table(frame, formats={"n": "rupiah"})
    with pytest.raises(QlueError, match="does not have"):
        qd.table(frame, formats={"jumlah": "number"})
    # Labels may name more columns than the table has.
    assert ">Jumlah<" not in qd.table(frame, labels={"jumlah": "Jumlah"}).html
    with pytest.raises(QlueError, match="one flag per row"):
        qd.table(frame, highlight=[True, False])


def test_empty_table_says_so():
    html = qd.table(pd.DataFrame({"nama": pd.Series([], dtype="str")})).html
    assert "Tidak ada data." in html


def test_collapsible_wraps_content_in_details():
    inner = qd.table(pd.DataFrame({"nama": ["a"]}))
    html = qd.collapsible(f"Semua {SCRIPT}", inner).html

    assert html.startswith('<details class="collapsible">\n<summary>Semua &lt;script')
    assert inner.html in html
    assert qd.collapsible("x", SCRIPT, open=True).html.count("<script") == 0


# --- charts ------------------------------------------------------------------


@pytest.fixture
def kecamatan_counts():
    return pd.DataFrame(
        {
            "kecamatan": ["Cakung", "Cipayung", "Duren Sawit"],
            "merah": [7, 0, 2],
            "kuning": [3, 0, 38],
            "hijau": [97, 29, 40],
        }
    )


def test_status_chart_is_a_png_with_alt_text(kecamatan_counts):
    chart = qd.status_by_unit(kecamatan_counts, "kecamatan", "Status per kecamatan")
    data, metadata = chart._repr_mimebundle_()

    assert chart.png.startswith(PNG_SIGNATURE)
    assert base64.b64decode(data["image/png"]) == chart.png
    assert metadata["image/png"]["alt"] == chart.alt
    assert chart.alt.startswith("Status per kecamatan. Diagram batang bertumpuk")
    assert "Cakung: 107 laporan (7 menunggu, 3 proses, 97 selesai)" in chart.alt
    assert chart.size[0] > 500


def test_status_chart_refuses_missing_columns(kecamatan_counts):
    with pytest.raises(QlueError, match="hijau"):
        qd.status_by_unit(kecamatan_counts.drop(columns="hijau"), "kecamatan", "x")


def test_status_chart_of_no_units_says_so(kecamatan_counts):
    chart = qd.status_by_unit(kecamatan_counts.head(0), "kecamatan", "Status")
    assert chart.png.startswith(PNG_SIGNATURE)
    assert "Tidak ada laporan" in chart.alt


def test_ranking_chart_shows_both_ends():
    names = [f"Kelurahan {i}" for i in range(1, 31)]
    frame = pd.DataFrame(
        {"kelurahan": names, "points": np.arange(460, -140, -20), "rank": range(1, 31)}
    )
    chart = qd.ranking_bars(frame, top=5)

    assert chart.png.startswith(PNG_SIGNATURE)
    assert chart.alt.startswith("Poin kelurahan: 5 teratas dan 5 terbawah.")
    assert "1. Kelurahan 1 (460 poin)" in chart.alt
    assert "30. Kelurahan 30 (-120 poin)" in chart.alt
    assert "10 dari 30 kelurahan" in chart.alt
