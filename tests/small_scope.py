"""A four-kelurahan scope and a table builder for the timing figures' tests.

Scope (two kecamatan of Jakarta Timur, two kelurahan each):

    Cakung    31.75.06.1005 Pulo Gebang    31.75.06.1007 Cakung Barat
    Cipayung  31.75.10.1001 Cipayung       31.75.10.1002 Cilangkap

Cakung Barat never gets a report: it checks that empty units are listed.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from conftest import MENTENG, reports

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

# The scope's tests build tables the same way as the others.
table = reports
