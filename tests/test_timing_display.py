"""Glossary, table helpers and charts of the timing figures."""

import math

import pandas as pd
import pytest
from small_scope import AREAS, CIPAYUNG, PULO_GEBANG, WEEK, table

from qlue_helpers.display import tables
from qlue_helpers.display.charts import PNG_SIGNATURE
from qlue_helpers.display.glossary import glossary
from qlue_helpers.display.timing_charts import (
    backlog_bars,
    completion_spread,
    trend_lines,
    weekly_heatmap,
)
from qlue_helpers.display.timing_tables import (
    formats_for,
    hours_or_pending,
    labels_for,
    signed_hours,
    signed_number,
    signed_percent,
    status_word,
    timing_view,
)
from qlue_helpers.figures.backlog import AGE_GROUPS
from qlue_helpers.figures.service import ServiceLevels

# --- glossary -----------------------------------------------------------------


def test_glossary_defines_every_figure_with_the_run_limits():
    text = glossary(ServiceLevels(24, 120))
    assert text.startswith("## Daftar istilah\n\n- **Laporan**:")
    for term in (
        "Merah (menunggu)",
        "Kuning (proses)",
        "Hijau (selesai)",
        "Aturan periode",
        "Waktu tanggapan",
        "Waktu penyelesaian",
        "Median",
        "Persentil ke-90",
        "Tingkat layanan",
        "Tunggakan (backlog)",
        "Umur laporan",
        "Poin",
    ):
        assert f"- **{term}**:" in text
    assert "ditanggapi dalam 24 jam" in text
    assert "diselesaikan dalam 120 jam (5 hari)" in text
    assert '"3-7 hari" (3 hari sampai kurang dari 7 hari)' in text
    assert "tanpa peringkat" not in text


def test_glossary_with_odd_limits_and_a_ranking_minimum():
    text = glossary(ServiceLevels(1.5, 60), min_reports=5)
    assert "dalam 1,5 jam" in text
    assert "60 jam (2,5 hari)" in text
    assert "kurang dari 5 laporan dalam periode tetap ditampilkan" in text


# --- table helpers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("formatter", "value", "expected"),
    [
        (hours_or_pending, math.inf, "belum diketahui"),
        (hours_or_pending, float("nan"), "–"),
        (hours_or_pending, 5.25, "5,3 jam"),
        (signed_number, 3, "+3"),
        (signed_number, -2, "-2"),
        (signed_number, 0, "0"),
        (signed_number, pd.NA, "–"),
        (signed_percent, 0.05, "+5,0%"),
        (signed_percent, -1 / 3, "-33,3%"),
        (signed_hours, -18.0, "-18,0 jam"),
        (status_word, "merah", "Menunggu (merah)"),
    ],
)
def test_cell_formatters(formatter, value, expected):
    assert formatter(value) == expected


def test_timing_view_shows_pending_figures_as_not_yet_known():
    summary = pd.DataFrame(
        {
            "kecamatan": ["Cakung", "Cipayung", "Makasar"],
            "laporan": [5, 3, 0],
            "completion_median_hours": [96.0, float("nan"), float("nan")],
            "completion_median_pending": [False, True, False],
        }
    )
    view = timing_view(summary)
    assert view.columns.tolist() == ["kecamatan", "laporan", "completion_median_hours"]
    assert labels_for(view) == {
        "kecamatan": "Kecamatan",
        "laporan": "Laporan",
        "completion_median_hours": "Median waktu penyelesaian",
    }

    html = tables.table(view, labels=labels_for(view), formats=formats_for(view)).html
    assert '<td class="num">4,0 hari</td>' in html
    assert "belum diketahui" in html
    assert '<td class="num">–</td>' in html


# --- charts ---------------------------------------------------------------------


@pytest.fixture
def trend() -> pd.DataFrame:
    weeks = pd.to_datetime(["2015-11-13", "2015-11-20"])
    return pd.DataFrame(
        {
            "period_start": [*weeks, *weeks],
            "kecamatan": ["Cakung", "Cakung", "Cipayung", "Cipayung"],
            "laporan": [10, 12, 4, 0],
            "completion_rate": [0.5, 0.75, 0.25, float("nan")],
        }
    )


def test_weekly_heatmap(trend):
    chart = weekly_heatmap(trend, "completion_rate")
    assert chart.png.startswith(PNG_SIGNATURE)
    assert chart.alt.startswith("Tingkat penyelesaian per kecamatan per minggu.")
    assert "2 kecamatan kali 2 minggu" in chart.alt
    assert "yang dimulai 13 Nov sampai 20 Nov" in chart.alt
    # Last week: Cakung 75%, Cipayung has no value.
    assert "tertinggi Cakung (75,0%), terendah Cakung (75,0%)" in chart.alt


def test_trend_lines(trend):
    chart = trend_lines(trend, "laporan", title="Laporan masuk")
    assert chart.png.startswith(PNG_SIGNATURE)
    assert chart.size[0] > 500
    assert "Cakung: dari 10 laporan menjadi 12 laporan" in chart.alt
    assert "Cipayung: dari 4 laporan menjadi 0 laporan" in chart.alt


def test_completion_spread_describes_each_kecamatan():
    # Pulo Gebang: done in 6 h and 30 h, one open -> 3 reports, median 2nd = 30
    # h. Cipayung: one open report -> median not known yet.
    reports = table(
        [
            ("A", PULO_GEBANG, "2015-11-20 08:00", None, "2015-11-20 14:00", "hijau"),
            ("B", PULO_GEBANG, "2015-11-21 08:00", None, "2015-11-22 14:00", "hijau"),
            ("C", PULO_GEBANG, "2015-11-21 08:00", None, None, "merah"),
            ("D", CIPAYUNG, "2015-11-22 08:00", None, None, "merah"),
        ]
    )
    chart = completion_spread(reports, AREAS, WEEK)
    assert chart.png.startswith(PNG_SIGNATURE)
    assert "Total 4 laporan" in chart.alt
    assert "Cakung: 3 laporan, 1 belum selesai, median 30,0 jam" in chart.alt
    assert "Cipayung: 1 laporan, 1 belum selesai, median belum diketahui" in chart.alt


def test_backlog_bars():
    summary = pd.DataFrame(
        {
            "kecamatan": ["Cakung", "Cipayung"],
            "age_0_1": [2, 0],
            "age_1_3": [1, 1],
            "age_3_7": [2, 0],
            "age_7_plus": [1, 1],
        }
    )
    chart = backlog_bars(summary)
    assert chart.png.startswith(PNG_SIGNATURE)
    assert "Total 8 laporan terbuka: 2 berumur < 1 hari, 2 berumur 1-3 hari" in (
        chart.alt
    )
    assert "Terbanyak: Cakung: 6; Cipayung: 2." in chart.alt


def test_charts_without_data_say_so(trend):
    empty = backlog_bars(
        pd.DataFrame({"kecamatan": ["Cakung"], **{key: [0] for key in AGE_GROUPS}})
    )
    assert empty.alt.endswith("Tidak ada tunggakan pada akhir periode.")
    assert completion_spread(table([]), AREAS, WEEK).alt.endswith(
        "Tidak ada laporan pada periode ini."
    )
    assert weekly_heatmap(trend.iloc[0:0]).alt.endswith(
        "Tidak ada laporan pada periode ini."
    )


def test_timing_view_of_a_total_row():
    total = pd.Series(
        {"laporan": 8, "response_median_hours": 2.0, "response_median_pending": False}
        | {"response_p90_hours": float("nan"), "response_p90_pending": True},
        dtype=object,
    )
    view = timing_view(total)
    assert view.index.tolist() == [
        "laporan",
        "response_median_hours",
        "response_p90_hours",
    ]
    assert (view["response_median_hours"], view["response_p90_hours"]) == (
        2.0,
        math.inf,
    )
