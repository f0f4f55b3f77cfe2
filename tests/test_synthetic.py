"""Tests of qlue_helpers.synthetic and the bundled November 2015 sample.

Expected values are the published figures (typed from DOMAIN.md) or computed
with plain pandas from the committed CSV, comparing times directly.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from qlue_helpers import canonical, synthetic
from qlue_helpers.errors import ParameterError

DATA = Path(__file__).resolve().parents[1] / "qlue_helpers" / "data"
SAMPLE = DATA / "sample" / "laporan_jakarta_timur_2015-11.csv"
WILAYAH = DATA / "jakarta_wilayah.csv"
TZ = "Asia/Jakarta"
TIMES = ["created_at", "responded_at", "completed_at"]
TEXTS = [
    "report_id",
    "category",
    "description",
    "kode_kelurahan",
    "kelurahan",
    "kecamatan",
    "kota",
]

# The published figures for Jakarta Timur, November 2015
MONTH_START = pd.Timestamp("2015-11-01 00:00", tz=TZ)
MONTH_END = pd.Timestamp("2015-12-01 00:00", tz=TZ)
MONTH = {"merah": 397, "kuning": 1216, "hijau": 2964}
WEEK_START = pd.Timestamp("2015-11-20 00:00", tz=TZ)
WEEK_END = pd.Timestamp("2015-11-28 00:00", tz=TZ)
WEEK = {  # kode: (reports, hijau, kuning, merah, hijau fast, points)
    "31.75.06.1005": (107, 97, 3, 7, 75, 460),  # Pulo Gebang
    "31.75.10.1001": (29, 29, 0, 0, 29, 145),  # Cipayung (kelurahan)
    "31.75.07.1001": (80, 40, 38, 2, 6, 128),  # Duren Sawit (kelurahan)
}
JAKARTA_TIMUR = "Kota Administrasi Jakarta Timur"


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    table = pd.read_csv(SAMPLE, dtype=dict.fromkeys(TEXTS, "str"))
    for name in TIMES:
        parsed = pd.to_datetime(table[name], format="ISO8601")
        table[name] = parsed.dt.tz_convert(TZ)
    return table


def status_counts_at(table: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Plain-pandas status of each report at a cutoff, plus fast and points."""
    done = table["completed_at"].lt(cutoff)
    answered = table["responded_at"].lt(cutoff) | done
    took = table["completed_at"] - table["created_at"]
    fast = done & took.le(pd.Timedelta(hours=24))
    return table.assign(
        hijau=done,
        kuning=answered & ~done,
        merah=~answered,
        fast=fast,
        points=5 * fast + 4 * (done & ~fast) - (answered & ~done),
    )


@pytest.fixture(scope="module")
def week(sample: pd.DataFrame) -> pd.DataFrame:
    in_week = sample["created_at"].ge(WEEK_START) & sample["created_at"].lt(WEEK_END)
    return (
        status_counts_at(sample.loc[in_week], WEEK_END)
        .groupby("kode_kelurahan")
        .agg(
            reports=("report_id", "size"),
            hijau=("hijau", "sum"),
            kuning=("kuning", "sum"),
            merah=("merah", "sum"),
            fast=("fast", "sum"),
            points=("points", "sum"),
        )
    )


# --------------------------------------------------------------------------
# The bundled sample
# --------------------------------------------------------------------------


def test_month_figures(sample: pd.DataFrame) -> None:
    in_month = sample["created_at"].ge(MONTH_START) & sample["created_at"].lt(MONTH_END)
    month = status_counts_at(sample.loc[in_month], MONTH_END)

    assert len(sample) == 4577
    assert in_month.all()
    assert {name: int(month[name].sum()) for name in MONTH} == MONTH
    assert sample["status"].value_counts().to_dict() == MONTH


def test_exported_status_is_the_status_at_export(sample: pd.DataFrame) -> None:
    at_export = status_counts_at(sample, MONTH_END)
    expected = np.select(
        [at_export["hijau"], at_export["kuning"]], ["hijau", "kuning"], "merah"
    )
    assert (sample["status"].to_numpy() == expected).all()


@pytest.mark.parametrize("kode", list(WEEK))
def test_week_figures_of_the_published_top_three(week: pd.DataFrame, kode: str) -> None:
    columns = ["reports", "hijau", "kuning", "merah", "fast", "points"]
    assert week.loc[kode, columns].tolist() == list(WEEK[kode])


def test_every_other_kelurahan_scores_below_the_third(week: pd.DataFrame) -> None:
    others = week.drop(index=list(WEEK))
    ranking = week.sort_values("points", ascending=False).index[:3].tolist()

    assert others["points"].max() < 128
    assert ranking == list(WEEK)


def test_every_kelurahan_of_jakarta_timur_is_there_and_real(
    sample: pd.DataFrame,
) -> None:
    official = pd.read_csv(WILAYAH, dtype="str").query("kode_kota == '31.75'")
    columns = ["kode_kelurahan", "kelurahan", "kecamatan", "kota"]
    seen = sample[columns].drop_duplicates().sort_values("kode_kelurahan")

    assert len(official) == 65
    assert seen["kode_kelurahan"].tolist() == official["kode_kelurahan"].tolist()
    assert seen.reset_index(drop=True).equals(official[columns].reset_index(drop=True))


def test_times_are_ordered_and_before_the_export(sample: pd.DataFrame) -> None:
    responded, completed = sample["responded_at"], sample["completed_at"]

    assert not responded[responded.notna()].lt(sample["created_at"]).any()
    assert not completed[completed.notna()].lt(responded[completed.notna()]).any()
    assert responded[completed.notna()].notna().all()
    assert responded.max() < MONTH_END
    assert completed.max() < MONTH_END


def test_week_completions_keep_clear_of_the_24_hour_line(
    sample: pd.DataFrame,
) -> None:
    in_week = sample["created_at"].ge(WEEK_START) & sample["created_at"].lt(WEEK_END)
    done = sample.loc[in_week & sample["completed_at"].lt(WEEK_END)]
    hours = (done["completed_at"] - done["created_at"]).dt.total_seconds() / 3600

    assert not hours.between(20, 30, inclusive="neither").any()


def test_sample_looks_like_the_generator(sample: pd.DataFrame) -> None:
    per_kelurahan = sample["kode_kelurahan"].value_counts()
    recent = sample["created_at"].ge(pd.Timestamp("2015-11-28", tz=TZ))
    old = sample["created_at"].lt(pd.Timestamp("2015-11-20", tz=TZ))
    merah = sample["status"].eq("merah")

    assert sample["report_id"].is_unique
    assert set(sample["kota"]) == {JAKARTA_TIMUR}
    assert per_kelurahan.max() > 5 * per_kelurahan.min()
    # Merah are mostly recent, with some neglected old ones
    assert merah[recent].mean() > 3 * merah.mean()
    assert 0 < merah[old].mean() < 0.1
    # Older reports are likelier done
    assert sample["status"].eq("hijau")[old].mean() > 0.6


def test_committed_file_is_what_the_code_writes(tmp_path: Path) -> None:
    written = synthetic.write_sample(tmp_path / "sample" / "out.csv")

    assert written.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")


def test_sample_file_round_trips(sample: pd.DataFrame) -> None:
    expected = sample.astype(
        {
            **dict.fromkeys(TEXTS, "str"),
            **dict.fromkeys(TIMES, pd.DatetimeTZDtype("us", TZ)),
            "lat": "float64",
            "lon": "float64",
            "status": pd.CategoricalDtype(["merah", "kuning", "hijau"], ordered=True),
        }
    )
    pd.testing.assert_frame_equal(synthetic.november_2015(), expected)


def test_times_are_written_with_the_wib_offset() -> None:
    first = pd.read_csv(SAMPLE, dtype="str", nrows=1)

    assert (
        first["created_at"]
        .str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+07:00")
        .all()
    )


# --------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_kota() -> pd.DataFrame:
    return synthetic.generate(
        ["Jakarta Pusat", "jaksel"], date(2016, 3, 1), date(2016, 3, 31), seed=7
    )


def test_generate_is_deterministic() -> None:
    def one_week(seed: int) -> pd.DataFrame:
        return synthetic.generate(
            ["Jaktim"], date(2016, 5, 2), date(2016, 5, 8), seed=seed
        )

    pd.testing.assert_frame_equal(one_week(3), one_week(3))
    assert not one_week(3).equals(one_week(4))


def test_generate_gives_only_the_chosen_kota(two_kota: pd.DataFrame) -> None:
    official = pd.read_csv(WILAYAH, dtype="str")
    chosen = official.loc[official["kode_kota"].isin(["31.71", "31.74"])]

    assert set(two_kota["kota"]) == {
        "Kota Administrasi Jakarta Pusat",
        "Kota Administrasi Jakarta Selatan",
    }
    assert set(two_kota["kode_kelurahan"]) <= set(chosen["kode_kelurahan"])


def test_generate_volume_is_plausible(two_kota: pd.DataFrame) -> None:
    # DKI peaked near 1,500 a day; these two kota hold a fraction of it
    per_day = two_kota["created_at"].dt.date.value_counts()
    weekend = pd.to_datetime(per_day.index).day_of_week >= 5
    hour = two_kota["created_at"].dt.hour

    assert len(per_day) == 31
    assert 200 < per_day.mean() < 750
    assert per_day[~weekend].mean() > per_day[weekend].mean()
    assert hour.between(6, 21).mean() > 0.8


def test_generate_handling_times_are_plausible(two_kota: pd.DataFrame) -> None:
    to_response = two_kota["responded_at"] - two_kota["created_at"]
    to_completion = two_kota["completed_at"] - two_kota["created_at"]
    counts = two_kota["status"].value_counts(normalize=True)

    assert pd.Timedelta(hours=5) < to_response.median() < pd.Timedelta(hours=14)
    assert pd.Timedelta(days=1) < to_completion.median() < pd.Timedelta(days=3)
    assert to_completion.quantile(0.95) > pd.Timedelta(days=4)
    assert (counts > 0.02).all()
    assert counts["hijau"] > 0.5


def test_generate_respects_the_export_moment() -> None:
    export = pd.Timestamp("2016-03-10 12:00", tz=TZ)
    table = synthetic.generate(
        "Jakarta Utara", date(2016, 3, 1), date(2016, 3, 7), export_at=export
    )
    at_export = status_counts_at(table, export)
    expected = np.select(
        [at_export["hijau"], at_export["kuning"]], ["hijau", "kuning"], "merah"
    )

    assert table["responded_at"].max() < export
    assert table["completed_at"].max() < export
    assert (table["status"].to_numpy() == expected).all()
    assert set(table["kota"]) == {"Kota Administrasi Jakarta Utara"}


def test_generated_times_are_ordered(two_kota: pd.DataFrame) -> None:
    responded, completed = two_kota["responded_at"], two_kota["completed_at"]

    assert not responded[responded.notna()].lt(two_kota["created_at"]).any()
    assert not completed[completed.notna()].lt(responded[completed.notna()]).any()
    assert responded[completed.notna()].notna().all()
    assert two_kota["report_id"].is_unique
    assert two_kota["created_at"].is_monotonic_increasing


def test_generated_table_survives_conform(two_kota: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(canonical.conform(two_kota), two_kota)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((["Jakarta Tengah"], date(2016, 1, 1), date(2016, 1, 2)), "Unknown kota"),
        ((None, date(2016, 1, 2), date(2016, 1, 1)), "is before start"),
        ((None, datetime(2016, 1, 1, 8), date(2016, 1, 2)), "must be a datetime"),
    ],
)
def test_generate_rejects_bad_periods_and_kota(arguments, message) -> None:
    with pytest.raises(ParameterError, match=message):
        synthetic.generate(*arguments)


def test_generate_rejects_a_naive_or_early_export() -> None:
    period = (["Jaktim"], date(2016, 1, 1), date(2016, 1, 2))

    with pytest.raises(ParameterError, match="timezone-aware"):
        synthetic.generate(*period, export_at=pd.Timestamp("2016-02-01"))
    with pytest.raises(ParameterError, match="before the end of the period"):
        synthetic.generate(*period, export_at=pd.Timestamp("2016-01-02", tz=TZ))
    with pytest.raises(ParameterError, match="daily_reports"):
        synthetic.generate(*period, daily_reports=0)
