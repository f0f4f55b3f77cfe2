"""The official area list and how people name a kota."""

import pytest

from qlue_helpers import areas
from qlue_helpers.errors import ParameterError


@pytest.mark.parametrize(
    "written",
    [
        "Jakarta Timur",
        "jakarta  timur",
        "Kota Administrasi Jakarta Timur",
        "31.75",
        "Jaktim",
        "Kota Jakarta Timur",
    ],
)
def test_kota_as_people_write_it(written):
    kota = areas.resolve_kota(written)
    assert (kota.kode, kota.nama) == ("31.75", "Kota Administrasi Jakarta Timur")
    assert kota.slug == "jakarta-timur"


def test_bps_code_is_not_taken_for_kemendagri():
    # 3172 is Jakarta Timur in BPS; Kemendagri's codes are dotted.
    with pytest.raises(ParameterError, match="Unknown kota '3172'"):
        areas.resolve_kota("3172")


def test_official_list_sizes():
    table = areas.wilayah()
    assert len(table) == 267
    assert table["kode_kecamatan"].nunique() == 44
    assert len(areas.all_kota()) == 6
    jaktim = areas.kelurahan_of("Jakarta Timur")
    assert len(jaktim) == 65
    assert jaktim["kecamatan"].nunique() == 10


def test_names_that_are_both_kecamatan_and_kelurahan_keep_their_codes():
    jaktim = areas.kelurahan_of("31.75").set_index("kode_kelurahan")
    assert jaktim.loc["31.75.10.1001", "kelurahan"] == "Cipayung"
    assert jaktim.loc["31.75.10.1001", "kecamatan"] == "Cipayung"
    assert jaktim.loc["31.75.06.1005", "kecamatan"] == "Cakung"
