"""Shared test helpers: small hand-made canonical tables."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from qlue_helpers.canonical import STATUS_DTYPE, TIME_DTYPE
from qlue_helpers.rendering import BROWSER_FLAGS, CHROMIUM

WIB = "Asia/Jakarta"
PULO_GEBANG = "31.75.06.1005"
CIPAYUNG = "31.75.10.1001"
DUREN_SAWIT = "31.75.07.1001"
MENTENG = "31.71.06.1001"  # Jakarta Pusat, outside Jakarta Timur


def wib(text: str | None) -> pd.Timestamp:
    """A WIB timestamp from ``YYYY-MM-DD HH:MM`` (None gives NaT)."""
    return pd.Timestamp(text).tz_localize(WIB) if text else pd.NaT


def reports(rows: list[tuple]) -> pd.DataFrame:
    """Build a canonical table from (id, kode, created, responded, completed,
    status[, category]) with times as ``YYYY-MM-DD HH:MM`` WIB or None.

    Category defaults to Sampah; area names are placeholders, as the figures
    take names from the areas.
    """
    full = [row if len(row) == 7 else (*row, "Sampah") for row in rows]
    frame = pd.DataFrame(
        full,
        columns=[
            "report_id",
            "kode_kelurahan",
            "created_at",
            "responded_at",
            "completed_at",
            "status",
            "category",
        ],
    )
    for column in ("created_at", "responded_at", "completed_at"):
        frame[column] = pd.Series(
            [wib(text) for text in frame[column]], index=frame.index, dtype=TIME_DTYPE
        )
    return frame.astype(
        {"status": STATUS_DTYPE, "category": "str", "report_id": "str"}
    ).assign(
        description="",
        kelurahan="-",
        kecamatan="-",
        kota="-",
        lat=float("nan"),
        lon=float("nan"),
    )


@pytest.fixture
def jaktim_areas() -> pd.DataFrame:
    """The official list of Jakarta Timur, read with plain pandas."""
    from importlib import resources

    path = resources.files("qlue_helpers") / "data" / "jakarta_wilayah.csv"
    with path.open("rb") as handle:
        table = pd.read_csv(handle, dtype=str)
    return table.loc[table["kode_kota"] == "31.75"].reset_index(drop=True)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (CI must have it)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: install Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(BROWSER_FLAGS)
        )
        yield chromium
        chromium.close()
