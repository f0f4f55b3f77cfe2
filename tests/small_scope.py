"""A four-kelurahan scope and a table builder for the timing figures' tests.

Scope (two kecamatan of Jakarta Timur, two kelurahan each):

    Cakung    31.75.06.1005 Pulo Gebang    31.75.06.1007 Cakung Barat
    Cipayung  31.75.10.1001 Cipayung       31.75.10.1002 Cilangkap

Cakung Barat never gets a report: it checks that empty units are listed.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from conftest import MENTENG, wib

from qlue_helpers.canonical import STATUS_DTYPE, TIME_DTYPE
from qlue_helpers.figures import Period

PULO_GEBANG = "31.75.06.1005"
CAKUNG_BARAT = "31.75.06.1007"
CIPAYUNG = "31.75.10.1001"
CILANGKAP = "31.75.10.1002"
OUTSIDE = MENTENG
WEEK = Period(date(2015, 11, 20), date(2015, 11, 27))  # closes 28 Nov 00:00 WIB

_KOTA = ("31.75", "Kota Administrasi Jakarta Timur")
AREAS = pd.DataFrame(
    [
        (*_KOTA, "31.75.06", "Cakung", PULO_GEBANG, "Pulo Gebang"),
        (*_KOTA, "31.75.06", "Cakung", CAKUNG_BARAT, "Cakung Barat"),
        (*_KOTA, "31.75.10", "Cipayung", CIPAYUNG, "Cipayung"),
        (*_KOTA, "31.75.10", "Cipayung", CILANGKAP, "Cilangkap"),
    ],
    columns=[
        "kode_kota",
        "kota",
        "kode_kecamatan",
        "kecamatan",
        "kode_kelurahan",
        "kelurahan",
    ],
)


def table(rows: list[tuple]) -> pd.DataFrame:
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
