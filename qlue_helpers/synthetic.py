"""Seeded, realistic synthetic laporan, and the bundled November 2015 sample.

:func:`generate` draws reports for any kota and period from a simple model:
daily volumes by kota share and weekday, mostly daytime posting hours, real
kelurahan with uneven weights, Qlue categories with plausible weights, short
Indonesian descriptions from templates, a jittered GPS point, and handling
times (first response, completion) from lognormal delays. Everything is
vectorised numpy, so five years of all DKI (about 2.7 million rows) take
seconds.

:func:`november_2015` builds the sample for Kota Administrasi Jakarta Timur,
November 2015, that reproduces the published figures exactly (see
``NOVEMBER_CONSTRUCTION``); :func:`write_sample` writes it as CSV.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from qlue_helpers import areas, canonical
from qlue_helpers.errors import ParameterError

logger = logging.getLogger(__name__)

HOUR = 3600
DAY = 86400
WIB_OFFSET = 7 * HOUR  # WIB is UTC+7 all year round

# Volume: about 1,500 reports a day across DKI at the 2016 peak, split by each
# kota's rough share of the population (BPS 2015).
DKI_DAILY_REPORTS = 1500
MAX_DAILY_REPORTS = 100_000
KOTA_SHARE = {
    "31.01": 0.003,
    "31.71": 0.090,
    "31.72": 0.175,
    "31.73": 0.240,
    "31.74": 0.214,
    "31.75": 0.278,
}
# Approximate centre (lat, lon) and spread in degrees of each kota, for jittered
# points: they land near the kota, not necessarily inside the report's kelurahan.
KOTA_CENTRE = {
    "31.01": (-5.75, 106.60, 0.06),
    "31.71": (-6.18, 106.83, 0.015),
    "31.72": (-6.13, 106.86, 0.03),
    "31.73": (-6.17, 106.75, 0.025),
    "31.74": (-6.27, 106.81, 0.025),
    "31.75": (-6.25, 106.89, 0.03),
}
MISSING_POINT = 0.005  # share of reports without a GPS point

WEEKDAY_FACTOR = np.array([1.1, 1.1, 1.1, 1.1, 1.1, 0.8, 0.7])  # Mon..Sun, mean 1
DAY_NOISE_SHAPE = 20.0  # gamma shape of the day-to-day swing (about +-22 %)
HOUR_WEIGHTS = np.array(
    [2, 1, 1, 1, 2, 5, 12, 22, 28, 30, 28, 26, 22, 24, 26, 26, 24, 22, 18, 18]
    + [16, 12, 8, 4],
    dtype=float,
)
KELURAHAN_WEIGHT_SIGMA = 0.8  # lognormal spread of kelurahan volumes
KELURAHAN_SPEED_SIGMA = 0.35  # lognormal spread of kelurahan handling speed

# Category: (weight, within the power of the kelurahan's PPSU crews)
CATEGORIES = {
    "Sampah": (20, True),
    "Jalan rusak": (10, False),
    "Banjir": (9, True),
    "Parkir liar": (9, False),
    "PKL liar": (8, False),
    "Kemacetan": (7, False),
    "Fasilitas umum": (6, True),
    "Lampu jalan rusak": (5, False),
    "Pelanggaran aturan": (5, True),
    "Pohon tumbang": (3, True),
    "Pelanggaran izin bangunan": (3, False),
    "Pengemis": (3, False),
    "Tindak kriminal": (2, False),
    "Iklan tidak berizin": (2, False),
    "Transjakarta": (2, False),
    "Kebakaran": (1, False),
    "Kawasan dilarang merokok": (1, True),
    "Makanan non-higienis": (1, False),
    "Joki 3 in 1": (1, False),
}
CATEGORY_NAMES = tuple(CATEGORIES)
CATEGORY_WEIGHT = np.array([weight for weight, _ in CATEGORIES.values()], float)
WITHIN_PPSU = np.array([within for _, within in CATEGORIES.values()])
BANJIR = CATEGORY_NAMES.index("Banjir")
# Extra chance (Jan..Dec) that a report is Banjir: the rainy season, Nov-Mar
BANJIR_BOOST = np.array([0.15, 0.15, 0.06, 0.02, 0, 0, 0, 0, 0, 0.01, 0.04, 0.10])

TEMPLATES = {
    "Sampah": (
        "Sampah menumpuk di {tempat}, belum diangkut.",
        "Tumpukan sampah di {tempat} bau dan mengganggu warga.",
        "Warga membuang sampah sembarangan di {tempat}.",
    ),
    "Jalan rusak": (
        "Jalan berlubang di {tempat}, bahaya untuk pengendara motor.",
        "Aspal rusak parah di {tempat}.",
        "Lubang besar di {tempat} belum ditambal.",
    ),
    "Banjir": (
        "Genangan air setinggi betis di {tempat}.",
        "Banjir di {tempat} setelah hujan deras.",
        "Saluran air tersumbat di {tempat}, air meluap ke jalan.",
    ),
    "Parkir liar": (
        "Parkir liar di {tempat} bikin macet.",
        "Mobil parkir sembarangan di {tempat}.",
        "Juru parkir liar di {tempat} memungut bayaran.",
    ),
    "PKL liar": (
        "Pedagang kaki lima menutup trotoar di {tempat}.",
        "Lapak PKL liar di {tempat} mengganggu pejalan kaki.",
    ),
    "Kemacetan": (
        "Macet parah di {tempat} setiap sore.",
        "Lalu lintas tersendat di {tempat}, tidak ada petugas.",
    ),
    "Fasilitas umum": (
        "Fasilitas umum rusak di {tempat}.",
        "Halte dan bangku rusak di {tempat}.",
    ),
    "Lampu jalan rusak": (
        "Lampu jalan mati di {tempat}, gelap di malam hari.",
        "Lampu PJU di {tempat} sudah lama padam.",
    ),
    "Pelanggaran aturan": (
        "Pengendara melawan arus di {tempat}.",
        "Warga membakar sampah di {tempat}.",
    ),
    "Pohon tumbang": (
        "Pohon tumbang di {tempat} menghalangi jalan.",
        "Dahan pohon rawan patah di {tempat}.",
    ),
    "Pelanggaran izin bangunan": (
        "Bangunan tanpa IMB berdiri di {tempat}.",
        "Bangunan liar memakan saluran air di {tempat}.",
    ),
    "Pengemis": (
        "Pengemis dan anak jalanan di {tempat}.",
        "Banyak pengemis di {tempat} setiap hari.",
    ),
    "Tindak kriminal": (
        "Rawan jambret di {tempat}, mohon patroli.",
        "Terjadi pencurian motor di {tempat}.",
    ),
    "Iklan tidak berizin": (
        "Spanduk iklan liar terpasang di {tempat}.",
        "Baliho tanpa izin di {tempat}.",
    ),
    "Transjakarta": (
        "Kendaraan pribadi masuk jalur busway di {tempat}.",
        "Bus Transjakarta lama tidak lewat di {tempat}.",
    ),
    "Kebakaran": (
        "Kebakaran rumah warga di {tempat}.",
        "Kabel listrik terbakar di {tempat}.",
    ),
    "Kawasan dilarang merokok": (
        "Orang merokok di kawasan dilarang merokok, {tempat}.",
    ),
    "Makanan non-higienis": ("Penjual makanan tidak higienis di {tempat}.",),
    "Joki 3 in 1": ("Joki 3 in 1 berkumpul di {tempat}.",),
}
PLACES = (
    "depan pasar",
    "jalan raya dekat halte",
    "gang sebelah masjid",
    "dekat sekolah",
    "samping kantor kelurahan",
    "pertigaan dekat lampu merah",
    "dekat pos RW",
    "belakang rusun",
    "pinggir kali",
    "depan minimarket",
    "dekat stasiun",
    "taman warga",
)
CLOSINGS = (
    "",
    " Mohon segera ditindaklanjuti.",
    " Sudah lebih dari seminggu.",
    " Warga resah.",
    " Tolong dicek, Pak Lurah.",
)

# Handling model: first response after a lognormal delay (median 9 h, long
# tail), completion a lognormal time after that; matters outside PPSU's power
# go to the Sudin Teknis and take longer and stall more often.
RESPONSE_MEDIAN = 9 * HOUR
RESPONSE_SIGMA = 1.1
COMPLETION_MEDIAN = 18 * HOUR
COMPLETION_SIGMA = 0.8
OUTSIDE_PPSU_SLOWDOWN = 2.0
NEVER_RESPONDED = 0.05
NEVER_COMPLETED = {True: 0.08, False: 0.20}  # by "within PPSU's power"

AREA_TEXT = ("kode_kelurahan", "kelurahan", "kecamatan", "kota")
SAMPLE_NAME = "laporan_jakarta_timur_2015-11.csv"
NOVEMBER_KOTA = "31.75"
NOVEMBER_SEED = 2015
NOVEMBER_TOTALS = {"merah": 397, "kuning": 1216, "hijau": 2964}
# Week 20-27 November at 28 November 00:00 WIB, per kelurahan code:
# (merah, kuning, hijau slow, hijau fast)
NOVEMBER_WEEK = {
    "31.75.06.1005": (7, 3, 22, 75),  # Pulo Gebang, 460 points
    "31.75.10.1001": (0, 0, 0, 29),  # Cipayung, 145 points
    "31.75.07.1001": (2, 38, 34, 6),  # Duren Sawit, 128 points
}
WEEK_POINTS_CAP = 110  # every other kelurahan stays at or below this
OTHER_WEEK_MOST = 60  # expected week reports of the busiest other kelurahan
BUSY_WEEK = 30  # beyond this many reports a week a kelurahan falls behind
FAST_LIMIT = 20 * HOUR  # "fast" (<= 24 h) reports complete within this
SLOW_FLOOR = 30 * HOUR  # "slow" ones after at least this
MONTH_START = pd.Timestamp("2015-11-01", tz=canonical.TIMEZONE)
WEEK_START = pd.Timestamp("2015-11-20", tz=canonical.TIMEZONE)
WEEK_END = pd.Timestamp("2015-11-28", tz=canonical.TIMEZONE)
NOVEMBER_EXPORT = pd.Timestamp("2015-12-01", tz=canonical.TIMEZONE)

NOVEMBER_CONSTRUCTION = """\
How november_2015() meets the published figures exactly, without retrying:

1. Volume: 4,577 creation times spread over the 30 days by one multinomial
   draw with the generator's weekday and day-to-day weights.
2. The three published kelurahan get their week (reports created 20-27
   November) outcome by outcome, hardest first: hijau slow, hijau fast,
   kuning, merah at 28 November 00:00, each exact count drawn by weighted
   sampling without replacement from the week's reports old enough for it
   (slow: created 32 h before the cutoff; fast: 2 h; kuning: 30 min), older
   ones weighing more. That fixes their counts, fast/slow split and points.
3. The other reports are dealt to kelurahan by the generator's uneven
   weights (the busiest other one expecting about 60 reports a week); outside
   the week the three published ones keep the share they had in it.
4. The other kelurahan's week status comes from age-dependent chances; busy
   ones fall behind (fewer finished beyond 30 reports a week). As a
   guarantee, a kelurahan still above WEEK_POINTS_CAP (110) points has its
   newest hijau turned kuning at the cutoff until it is not.
5. Export status (1 December 00:00): week reports move on by chance (kuning
   may finish, merah may be answered); the other reports then take exactly
   the rest of the 397 merah / 1,216 kuning / 2,964 hijau by weighted
   sampling without replacement, older reports likelier done, so merah are
   mostly recent with a few neglected old ones.
6. Times: the generator's natural delays, kept where they agree with the
   statuses and otherwise redrawn log-uniformly inside the window the
   statuses allow (fast: done within 20 h of creation, slow: after 30 h,
   both before the cutoff; kuning at the cutoff: answered before it, done
   after it; and so on).
"""


@dataclass
class _Draft:
    """Reports as numpy arrays; times are epoch seconds, NaN where missing."""

    created: np.ndarray
    area: np.ndarray
    category: np.ndarray
    description: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    responded: np.ndarray
    completed: np.ndarray


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


def generate(
    kota: Iterable[areas.Kota | str] | areas.Kota | str | None,
    start: date,
    end: date,
    *,
    seed: int = 0,
    daily_reports: float | None = None,
    export_at: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Return synthetic reports for some kota over a period, as exported.

    Parameters
    ----------
    kota : iterable of Kota or str, or None
        The kota, each anything :func:`qlue_helpers.areas.resolve_kota`
        accepts (a single one may be given bare); None for all six.
    start, end : datetime.date
        First and last day (inclusive) on which reports are created, in WIB.
    seed : int
        Seed for ``numpy.random.default_rng``: the same arguments give the
        same table.
    daily_reports : float, optional
        Mean reports a day over the chosen kota together, before the weekday
        swing. Default: 1,500 (the DKI peak) times their share of DKI.
    export_at : pandas.Timestamp, optional
        Timezone-aware moment of the export; responses and completions after
        it are missing, and ``status`` is the status then. Default: midnight
        after ``end``, WIB.

    Returns
    -------
    pandas.DataFrame
        Canonical table (see :mod:`qlue_helpers.canonical`), ordered by
        ``created_at``.

    Raises
    ------
    ParameterError
        If a kota is unknown, the dates are not dates or out of order,
        ``daily_reports`` is out of range, or ``export_at`` is naive or
        before the end of the period.
    """
    chosen = _chosen_kota(kota)
    days = _days(start, end)
    export = _export_moment(export_at, end)
    rate = _kota_rates(chosen, daily_reports)
    rng = np.random.default_rng(seed)

    area_table = _area_table(chosen)
    weight, speed = _kelurahan_profiles(area_table, rng)
    counts = _daily_counts(rate, days, rng)

    # Rows come in blocks of (kota, day), kota first
    kota_row = np.repeat(np.arange(len(chosen)), counts.sum(axis=1))
    day_row = np.repeat(np.tile(np.arange(len(days)), len(chosen)), counts.ravel())
    created = _created_times(_day_starts(days)[day_row], rng)
    area = _pick_areas(kota_row, area_table, weight, rng)
    draft = _draft(created, area, area_table, rng)
    draft.responded, draft.completed = _natural_times(draft, speed[area], rng)

    table = _to_table(draft, area_table, export)
    logger.info(
        "Generated %s reports for %s kota, %s to %s",
        len(table),
        len(chosen),
        start,
        end,
    )
    return table


def november_2015(seed: int = NOVEMBER_SEED) -> pd.DataFrame:
    """Return the bundled sample: Jakarta Timur, November 2015.

    Reports created 1-30 November 2015 (WIB), exported at 1 December 00:00
    WIB. The month's totals and the week 20-27 November figures of Pulo
    Gebang, Cipayung and Duren Sawit are the published ones, for any seed;
    see ``NOVEMBER_CONSTRUCTION`` for how.

    Parameters
    ----------
    seed : int
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    pandas.DataFrame
        Canonical table of 4,577 reports.
    """
    rng = np.random.default_rng(seed)
    area_table = _area_table([areas.resolve_kota(NOVEMBER_KOTA)])
    weight, speed = _kelurahan_profiles(area_table, rng)
    codes = area_table["kode_kelurahan"].tolist()
    featured = np.array([codes.index(code) for code in NOVEMBER_WEEK])

    # Who gets which report, and the status of each at the week's cutoff
    created, in_week = _november_created(rng)
    age = WEEK_END.timestamp() - created
    area, week_state, fast = _featured_week(age, in_week, featured, rng)
    area = _other_areas(area, in_week, weight, featured, area_table, rng)
    rows = np.flatnonzero(in_week & (week_state < 0))
    week_state[rows], fast[rows] = _other_week_states(
        age[rows], area[rows], speed[area[rows]], rng
    )

    # Everything else follows from those
    draft = _draft(created, area, area_table, rng)
    final = _final_states(created, in_week, week_state, speed[area], rng)
    draft.responded, draft.completed = _fitted_times(
        draft, in_week, week_state, fast, final, speed[area], rng
    )
    return _to_table(draft, area_table, NOVEMBER_EXPORT)


def write_sample(path: str | PathLike[str], seed: int = NOVEMBER_SEED) -> Path:
    """Write :func:`november_2015` as CSV.

    Times are ISO 8601 with the +07:00 offset; missing times are empty.

    Parameters
    ----------
    path : str or path-like
        Target file; its folder is created if needed.
    seed : int
        Passed to :func:`november_2015`.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    november_2015(seed).to_csv(target, index=False)
    logger.info("Wrote the November 2015 sample to %s", target)
    return target


# --------------------------------------------------------------------------
# Checking the arguments
# --------------------------------------------------------------------------


def _chosen_kota(
    kota: Iterable[areas.Kota | str] | areas.Kota | str | None,
) -> list[areas.Kota]:
    if kota is None:
        return areas.all_kota()
    if isinstance(kota, (str, areas.Kota)):
        kota = [kota]
    chosen = {k if isinstance(k, areas.Kota) else areas.resolve_kota(k) for k in kota}
    if not chosen:
        raise ParameterError("No kota given. Pass None for all six, or some names.")
    return sorted(chosen, key=lambda k: k.kode)


def _days(start: date, end: date) -> np.ndarray:
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, datetime) or not isinstance(value, date):
            raise ParameterError(
                f"{name} must be a datetime.date, but {value!r} was passed."
            )
    if end < start:
        raise ParameterError(f"end ({end}) is before start ({start}).")
    return np.arange(start, end + timedelta(days=1), dtype="datetime64[D]")


def _export_moment(export_at: pd.Timestamp | None, end: date) -> pd.Timestamp:
    period_end = pd.Timestamp(end + timedelta(days=1), tz=canonical.TIMEZONE)
    if export_at is None:
        return period_end
    moment = pd.Timestamp(export_at)
    if moment.tz is None:
        raise ParameterError(
            f"export_at must be timezone-aware, e.g. {period_end}, "
            f"but {export_at!r} was passed."
        )
    if moment < period_end:
        raise ParameterError(
            f"export_at ({moment}) is before the end of the period ({period_end})."
        )
    return moment


def _kota_rates(chosen: list[areas.Kota], daily_reports: float | None) -> np.ndarray:
    share = np.array([KOTA_SHARE[k.kode] for k in chosen])
    if daily_reports is None:
        return DKI_DAILY_REPORTS * share
    if not 0 < daily_reports <= MAX_DAILY_REPORTS:
        raise ParameterError(
            f"daily_reports must be above 0 and at most {MAX_DAILY_REPORTS:,}, "
            f"but {daily_reports!r} was passed."
        )
    return daily_reports * share / share.sum()


# --------------------------------------------------------------------------
# Drawing reports
# --------------------------------------------------------------------------


def _area_table(chosen: list[areas.Kota]) -> pd.DataFrame:
    """Return the chosen kota's kelurahan in kota, code order, with kota_index."""
    return pd.concat(
        [areas.kelurahan_of(k).assign(kota_index=i) for i, k in enumerate(chosen)],
        ignore_index=True,
    )


def _kelurahan_profiles(
    area_table: pd.DataFrame, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw each kelurahan's volume weight (1 in all per kota) and speed factor."""
    n = len(area_table)
    raw = rng.lognormal(0.0, KELURAHAN_WEIGHT_SIGMA, n)
    kota_index = area_table["kota_index"].to_numpy()
    weight = raw / np.bincount(kota_index, weights=raw)[kota_index]
    speed = rng.lognormal(0.0, KELURAHAN_SPEED_SIGMA, n)
    return weight, speed


def _daily_counts(
    rate: np.ndarray, days: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Draw reports per (kota, day): Poisson around the weekday-adjusted rate."""
    swing = rng.gamma(DAY_NOISE_SHAPE, 1 / DAY_NOISE_SHAPE, len(days))
    mean = rate[:, None] * (_weekday_factor(days) * swing)[None, :]
    return rng.poisson(mean)


def _weekday_factor(days: np.ndarray) -> np.ndarray:
    # 1970-01-01 was a Thursday (weekday 3 counting from Monday)
    return WEEKDAY_FACTOR[(days.astype(np.int64) + 3) % 7]


def _day_starts(days: np.ndarray) -> np.ndarray:
    """Return the epoch seconds of each day's midnight in WIB."""
    return days.astype(np.int64) * DAY - WIB_OFFSET


def _created_times(day_start: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw a posting time on each day, mostly in daytime hours."""
    hour = rng.choice(24, size=len(day_start), p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    second = rng.integers(0, HOUR, len(day_start))
    return day_start + hour * HOUR + second


def _pick_areas(
    kota_row: np.ndarray,
    area_table: pd.DataFrame,
    weight: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw a kelurahan (row of area_table) for each report, within its kota."""
    kota_index = area_table["kota_index"].to_numpy()
    within = weight / np.bincount(kota_index, weights=weight)[kota_index]

    # Kota k owns the interval (k, k + 1]; each kelurahan a slice of it
    bounds = kota_index + pd.Series(within).groupby(kota_index).cumsum().to_numpy()
    picked = np.searchsorted(bounds, kota_row + rng.random(len(kota_row)), "right")
    last = np.flatnonzero(np.r_[kota_index[1:] != kota_index[:-1], True])
    return np.minimum(picked, last[kota_row])


def _draft(
    created: np.ndarray,
    area: np.ndarray,
    area_table: pd.DataFrame,
    rng: np.random.Generator,
) -> _Draft:
    """Draw category, description and point for reports with time and area."""
    category = _categories(created, rng)
    kota_codes = area_table.drop_duplicates("kota_index")["kode_kota"].tolist()
    kota_row = area_table["kota_index"].to_numpy()[area]
    lat, lon = _points(kota_row, kota_codes, rng)
    missing = np.full(len(created), np.nan)
    return _Draft(
        created=created,
        area=area,
        category=category,
        description=_descriptions(category, rng),
        lat=lat,
        lon=lon,
        responded=missing,
        completed=missing.copy(),
    )


def _categories(created: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw categories by weight, with extra Banjir in the rainy season."""
    p = CATEGORY_WEIGHT / CATEGORY_WEIGHT.sum()
    base = rng.choice(len(p), size=len(created), p=p)
    rainy = rng.random(len(created)) < BANJIR_BOOST[_month_index(created)]
    return np.where(rainy, BANJIR, base)


def _month_index(created: np.ndarray) -> np.ndarray:
    """Return the month of the year in WIB, 0 = January."""
    day = ((created + WIB_OFFSET) // DAY).astype("datetime64[D]")
    return day.astype("datetime64[M]").astype(np.int64) % 12


@cache
def _description_texts() -> tuple[tuple[str, ...], np.ndarray]:
    """Return every description text, grouped by category, and group sizes."""
    texts, sizes = [], []
    for name in CATEGORY_NAMES:
        group = [
            template.format(tempat=place) + closing
            for template in TEMPLATES[name]
            for place in PLACES
            for closing in CLOSINGS
        ]
        texts.extend(group)
        sizes.append(len(group))
    return tuple(texts), np.array(sizes)


def _descriptions(category: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw a description (index into the texts) of each report's category."""
    _, sizes = _description_texts()
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    offset = (rng.random(len(category)) * sizes[category]).astype(np.int64)
    return first[category] + offset


def _points(
    kota_row: np.ndarray, kota_codes: list[str], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw a GPS point near the kota's centre, rounded to 6 decimals."""
    centre = np.array([KOTA_CENTRE[code] for code in kota_codes])
    lat_c, lon_c, spread = centre[kota_row].T

    lat = lat_c + rng.normal(0.0, 1.0, len(kota_row)) * spread
    lon = lon_c + rng.normal(0.0, 1.0, len(kota_row)) * spread
    missing = rng.random(len(kota_row)) < MISSING_POINT
    return (
        np.where(missing, np.nan, lat.round(6)),
        np.where(missing, np.nan, lon.round(6)),
    )


# --------------------------------------------------------------------------
# Handling times
# --------------------------------------------------------------------------


def _delays(
    category: np.ndarray, speed: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw natural delays (s): to first response, then on to completion."""
    slowdown = np.where(WITHIN_PPSU[category], 1.0, OUTSIDE_PPSU_SLOWDOWN)
    n = len(category)
    response = rng.lognormal(np.log(RESPONSE_MEDIAN), RESPONSE_SIGMA, n) * speed
    completion = rng.lognormal(np.log(COMPLETION_MEDIAN), COMPLETION_SIGMA, n)
    return np.floor(response), np.floor(completion * speed * slowdown)


def _natural_times(
    draft: _Draft, speed: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw response and completion times as they happen; NaN for never."""
    to_response, to_completion = _delays(draft.category, speed, rng)
    stall = np.where(
        WITHIN_PPSU[draft.category], NEVER_COMPLETED[True], NEVER_COMPLETED[False]
    )

    n = len(draft.created)
    never_answered = rng.random(n) < NEVER_RESPONDED
    never_done = never_answered | (rng.random(n) < stall)
    responded = np.where(never_answered, np.nan, draft.created + to_response)
    completed = np.where(never_done, np.nan, responded + to_completion)
    return responded, completed


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------


def _to_table(
    draft: _Draft, area_table: pd.DataFrame, export: pd.Timestamp
) -> pd.DataFrame:
    """Return the canonical table as exported at ``export``: later events unknown."""
    cutoff = export.timestamp()
    ids = _report_ids(draft, area_table)
    order = np.lexsort((ids, draft.created))
    area = draft.area[order]

    table = pd.DataFrame(
        {
            "report_id": pd.Series(ids[order]).astype("str"),
            "created_at": _times(draft.created[order]),
            "category": _text(CATEGORY_NAMES, draft.category[order]),
            "description": _text(_description_texts()[0], draft.description[order]),
            **{name: _text(area_table[name], area) for name in AREA_TEXT},
            "lat": draft.lat[order],
            "lon": draft.lon[order],
            "responded_at": _times(_before(draft.responded[order], cutoff)),
            "completed_at": _times(_before(draft.completed[order], cutoff)),
        }
    )
    return canonical.conform(table.assign(status=canonical.status_at(table, export)))


def _text(values: Iterable[str], index: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Pick texts by position; pyarrow's take is much faster than pandas' here."""
    taken = pa.array(list(values), type=pa.large_string()).take(pa.array(index))
    return pd.array(pa.chunked_array([taken]), dtype="str")


def _before(seconds: np.ndarray, cutoff: float) -> np.ndarray:
    """Keep times before the cutoff; later ones have not happened yet (NaN)."""
    return np.where(seconds < cutoff, seconds, np.nan)


def _times(seconds: np.ndarray) -> pd.Series:
    """Convert epoch seconds (NaN for missing) to WIB times."""
    return pd.Series(pd.to_datetime(seconds, unit="s", utc=True)).dt.tz_convert(
        canonical.TIMEZONE
    )


def _report_ids(draft: _Draft, area_table: pd.DataFrame) -> np.ndarray:
    """Return numeric ids: kota code digits, WIB date, number in the kota and day.

    For example ``317520151120000042``: Jakarta Timur, 20 November 2015, the
    42nd report of that kota that day. Unique across kota and days, so tables
    of different kota or periods can be stacked.
    """
    kota_number = (
        area_table["kode_kota"].str.replace(".", "", regex=False).astype(np.int64)
    ).to_numpy()[draft.area]
    day = (draft.created + WIB_OFFSET) // DAY
    sequence = _rank_in_group(kota_number * 100_000 + day, draft.created) + 1

    as_date = day.astype("datetime64[D]")
    month_start = as_date.astype("datetime64[M]")
    yyyymmdd = (
        (month_start.astype("datetime64[Y]").astype(np.int64) + 1970) * 10_000
        + (month_start.astype(np.int64) % 12 + 1) * 100
        + (as_date - month_start).astype(np.int64)
        + 1
    )
    return (kota_number * 100_000_000 + yyyymmdd) * 1_000_000 + sequence


def _rank_in_group(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Return each row's 0-based rank within its group, ordered by key (stable)."""
    order = np.lexsort((key, group))
    sorted_group = group[order]
    position = np.arange(len(order))
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = sorted_group[1:] != sorted_group[:-1]
    first = np.maximum.accumulate(np.where(starts, position, 0))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = position - first
    return rank


# --------------------------------------------------------------------------
# The November 2015 sample
# --------------------------------------------------------------------------


def _november_created(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Draw the month's 4,577 creation times; flag those in the week."""
    days = np.arange(MONTH_START.date(), NOVEMBER_EXPORT.date(), dtype="datetime64[D]")
    swing = rng.gamma(DAY_NOISE_SHAPE, 1 / DAY_NOISE_SHAPE, len(days))
    share = _weekday_factor(days) * swing
    counts = rng.multinomial(sum(NOVEMBER_TOTALS.values()), share / share.sum())

    created = np.sort(_created_times(np.repeat(_day_starts(days), counts), rng))
    in_week = (created >= WEEK_START.timestamp()) & (created < WEEK_END.timestamp())
    return created, in_week


def _featured_week(
    age: np.ndarray, in_week: np.ndarray, featured: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Deal the three published kelurahan their week, outcome by outcome.

    Returns the area (-1 where not dealt), the status at the week's cutoff (-1
    where not set) and the fast flag. Each outcome draws, without replacement,
    from the week's reports old enough for it, older ones weighing more; the
    most demanding outcome (hijau slow) goes first.
    """
    area = np.full(len(age), -1)
    state = np.full(len(age), -1)
    fast = np.zeros(len(age), dtype=bool)
    maturity = _ripeness(age, 12)
    outcomes = (  # (position in NOVEMBER_WEEK, status, fast, old enough, weight)
        (2, 2, False, age >= SLOW_FLOOR + 2 * HOUR, age),
        (3, 2, True, age >= 2 * HOUR, maturity),
        (1, 1, False, age >= HOUR / 2, maturity),
        (0, 0, False, age >= 0, 1.5 - maturity),
    )
    for column, status, quick, old_enough, weight in outcomes:
        for position, target in zip(featured, NOVEMBER_WEEK.values(), strict=True):
            free = in_week & (area < 0) & old_enough
            chosen = _weighted_sample(np.where(free, weight, 0), target[column], rng)
            area[chosen], state[chosen], fast[chosen] = position, status, quick
    return area, state, fast


def _other_areas(
    area: np.ndarray,
    in_week: np.ndarray,
    weight: np.ndarray,
    featured: np.ndarray,
    area_table: pd.DataFrame,
    rng: np.random.Generator,
) -> np.ndarray:
    """Deal the reports not yet dealt, by the kelurahan weights.

    In the week only the other kelurahan take part; over the rest of the month
    the three published ones keep the share they had in the week.
    """
    area = area.copy()
    week_share = np.bincount(area[area >= 0], minlength=len(weight)) / in_week.sum()
    others = weight / weight.sum()
    others[featured] = 0.0
    others = np.minimum(others, OTHER_WEEK_MOST / in_week.sum())
    others *= (1 - week_share.sum()) / others.sum()

    for rows, share in (in_week & (area < 0), others), (~in_week, others + week_share):
        picked = np.flatnonzero(rows)
        kota_row = np.zeros(len(picked), dtype=np.int64)
        area[picked] = _pick_areas(kota_row, area_table, share, rng)
    return area


def _other_week_states(
    age: np.ndarray, area: np.ndarray, speed: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw week statuses by age-dependent chance, then cap each kelurahan's points.

    Busy kelurahan fall behind: beyond ``BUSY_WEEK`` reports their chance of
    finishing drops. Slow hijau only where the report is old enough for it.
    """
    load = np.bincount(area)[area]
    capacity = 0.65 * np.sqrt(np.clip(BUSY_WEEK / load, 0.3, 1.0))
    done = np.where(
        age >= 2 * HOUR, capacity * _ripeness(age - 2 * HOUR, 30 * speed), 0
    )
    answered = np.where(age >= HOUR / 2, 0.9 * _ripeness(age, 9 * speed), 0)
    draw = rng.random(len(age))
    state = np.select([draw < done, draw < done + (1 - done) * answered], [2, 1], 0)

    could_be_slow = age >= SLOW_FLOOR + 2 * HOUR
    quick = rng.random(len(age)) < np.clip(0.35 / speed, 0.1, 0.8)
    fast = (~could_be_slow | quick) & (state == 2)
    state = _cap_points(area, state, fast, age)
    return state, fast & (state == 2)


def _ripeness(age: np.ndarray, scale_hours: float | np.ndarray) -> np.ndarray:
    """Return 1 - exp(-age / scale): how far an age is toward "surely happened"."""
    return 1 - np.exp(-np.clip(age, 0, None) / (scale_hours * HOUR))


def _cap_points(
    area: np.ndarray, state: np.ndarray, fast: np.ndarray, age: np.ndarray
) -> np.ndarray:
    """Turn a kelurahan's newest hijau kuning until its points are within the cap."""
    state = state.copy()
    for demoted, cost in ((state == 2) & fast, 6), ((state == 2) & ~fast, 5):
        points = np.where(state == 2, np.where(fast, 5, 4), np.where(state == 1, -1, 0))
        total = np.bincount(area, weights=points, minlength=area.max() + 1)
        needed = np.ceil(np.maximum(total - WEEK_POINTS_CAP, 0) / cost)
        candidate = demoted & (state == 2)
        rank = _rank_in_group(np.where(candidate, area, -1), age)
        state[candidate & (rank < needed[area])] = 1
    return state


def _weighted_sample(
    weight: np.ndarray, size: int, rng: np.random.Generator
) -> np.ndarray:
    """Draw ``size`` row indices without replacement, by weight.

    Exponential keys divided by the weights, smallest first (Efraimidis and
    Spirakis); rows of weight 0 are never drawn.
    """
    eligible = int(np.count_nonzero(weight > 0))
    if eligible < size:
        raise ParameterError(
            f"Cannot draw {size} reports from {eligible} eligible ones; "
            "try another seed."
        )
    keys = np.full(len(weight), np.inf)
    np.divide(rng.exponential(size=len(weight)), weight, out=keys, where=weight > 0)
    return np.argsort(keys, kind="stable")[:size]


def _odds(chance: np.ndarray) -> np.ndarray:
    """Return chance / (1 - chance): sharper weights than the chance itself."""
    return chance / (1 - chance)


def _final_states(
    created: np.ndarray,
    in_week: np.ndarray,
    week_state: np.ndarray,
    speed: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Set the export status: week reports move on, the rest fill the totals."""
    state = _moved_on(week_state, WEEK_END.timestamp() - created, rng)

    # What the week left of each total goes to the other reports
    outside = np.flatnonzero(~in_week)
    left = [
        total - int(np.count_nonzero(state[in_week] == code))
        for code, total in enumerate(NOVEMBER_TOTALS.values())
    ]
    if min(left) < 0:
        raise ParameterError("The week alone exceeds a month total; try another seed.")
    state[outside] = _exact_final_states(
        NOVEMBER_EXPORT.timestamp() - created[outside], speed[outside], left, rng
    )
    return state


def _moved_on(
    week_state: np.ndarray, age: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Draw the status three days after the week's cutoff from the one at it."""
    draw = rng.random(len(week_state))
    neglected = age > 48 * HOUR
    from_kuning = np.where(draw < 0.4, 2, 1)
    from_merah = np.where(
        neglected,
        np.where(draw < 0.05, 2, np.where(draw < 0.2, 1, 0)),
        np.where(draw < 0.15, 2, np.where(draw < 0.7, 1, 0)),
    )
    return np.select(
        [week_state == 2, week_state == 1, week_state == 0],
        [2, from_kuning, from_merah],
        default=-1,
    )


def _exact_final_states(
    age: np.ndarray, speed: np.ndarray, left: list[int], rng: np.random.Generator
) -> np.ndarray:
    """Assign exactly ``left`` (merah, kuning, hijau); older ones likelier done."""
    _, kuning, hijau = left
    state = np.zeros(len(age), dtype=np.int64)
    done = np.where(age >= 2 * HOUR, 0.9 * _ripeness(age - 2 * HOUR, 36 * speed), 0)
    state[_weighted_sample(_odds(done), hijau, rng)] = 2

    answered = 0.95 * _ripeness(age, 9 * speed)
    weight = np.where((state == 0) & (age >= HOUR / 4), _odds(answered), 0)
    state[_weighted_sample(weight, kuning, rng)] = 1
    return state


def _fitted_times(
    draft: _Draft,
    in_week: np.ndarray,
    week_state: np.ndarray,
    fast: np.ndarray,
    final: np.ndarray,
    speed: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw response and completion times that give exactly the chosen statuses."""
    to_response, to_completion = _delays(draft.category, speed, rng)
    created = draft.created.astype(float)
    natural_response = created + to_response
    cut, export = WEEK_END.timestamp(), NOVEMBER_EXPORT.timestamp()
    hijau = final == 2

    # Completion window, then the response window below it
    low, high = _completion_window(created, in_week, week_state, fast, cut, export)
    completed = _fit(natural_response + to_completion, created, low, high, rng)
    completed = np.where(hijau, completed, np.nan)

    low = np.where(in_week & (week_state == 0), cut, created)
    high = np.where(in_week & (week_state == 1), cut, export)
    high = np.where(hijau, np.minimum(high, completed + 1), high)
    responded = _fit(natural_response, created, low, high, rng)
    return np.where(final >= 1, responded, np.nan), completed


def _completion_window(
    created: np.ndarray,
    in_week: np.ndarray,
    week_state: np.ndarray,
    fast: np.ndarray,
    cut: float,
    export: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Return [low, high) for the completion of reports hijau at export."""
    done_by_cut = in_week & (week_state == 2)
    low = np.select(
        [done_by_cut & fast, done_by_cut, in_week],
        [created, created + SLOW_FLOOR, cut],
        default=created,
    )
    high = np.select(
        [done_by_cut & fast, done_by_cut],
        [np.minimum(created + FAST_LIMIT, cut), cut],
        default=export,
    )
    return low, high


def _fit(
    natural: np.ndarray,
    created: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Keep natural times inside [low, high); redraw the others log-uniformly.

    The redraw is of the delay since creation, in whole seconds.
    """
    longest = high - created - 1
    shortest = np.maximum(low - created, np.minimum(600, longest / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_delay = np.log(shortest) + rng.random(len(created)) * np.log(
            longest / shortest
        )
    redrawn = created + np.floor(np.exp(log_delay))
    inside = (natural >= low) & (natural < high)
    return np.where(inside, natural, redrawn)
