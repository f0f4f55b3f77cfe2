"""The official list of Jakarta's kota, kecamatan and kelurahan.

Every later step names areas by their Kemendagri code; names are for people.
The list itself and its sources are described in ``qlue_helpers/data/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from qlue_helpers.errors import ParameterError
from qlue_helpers.text import slug

AREA_COLUMNS = ["kode_kota", "kota", "kode_kecamatan", "kecamatan"]
LEVELS = ("kota", "kecamatan", "kelurahan")
_PREFIXES = ("kota administrasi ", "kabupaten administrasi ", "kota ", "kabupaten ")
_SHORTHANDS = {
    "jakpus": "31.71",
    "jakut": "31.72",
    "jakbar": "31.73",
    "jaksel": "31.74",
    "jaktim": "31.75",
    "kepulauan seribu": "31.01",
}


@dataclass(frozen=True)
class Kota:
    """A kota (or the kabupaten of Kepulauan Seribu) of DKI Jakarta."""

    kode: str
    nama: str

    @property
    def short_name(self) -> str:
        """Name without "Kota Administrasi", as people write it."""
        return _strip_prefix(self.nama)

    @property
    def slug(self) -> str:
        """Lower-case ASCII name for folder names, e.g. ``jakarta-timur``."""
        return slug(self.short_name)


@cache
def _wilayah() -> pd.DataFrame:
    source = resources.files("qlue_helpers") / "data" / "jakarta_wilayah.csv"
    with source.open("rb") as handle:
        return pd.read_csv(handle, dtype=str)


def wilayah() -> pd.DataFrame:
    """Return the official list, one row per kelurahan.

    Returns
    -------
    pandas.DataFrame
        Columns ``kode_kota, kota, kode_kecamatan, kecamatan, kode_kelurahan,
        kelurahan``, all strings, 267 rows.
    """
    return _wilayah().copy()


def kelurahan_of(kota: Kota | str, kecamatan: str = "") -> pd.DataFrame:
    """Return every kelurahan of a kota, or of one of its kecamatan, in code order.

    Parameters
    ----------
    kota : Kota or str
        The kota, or anything :func:`resolve_kota` accepts.
    kecamatan : str, optional
        Official kecamatan name (see :func:`resolve_kecamatan`); empty for
        the whole kota.

    Returns
    -------
    pandas.DataFrame
        Rows of :func:`wilayah`.
    """
    if not isinstance(kota, Kota):
        kota = resolve_kota(kota)
    table = _wilayah()
    chosen = table["kode_kota"] == kota.kode
    if kecamatan:
        chosen &= table["kecamatan"] == kecamatan
    return table.loc[chosen].sort_values("kode_kelurahan").reset_index(drop=True)


def resolve_kecamatan(kota: Kota, value: str) -> str:
    """Return the official name of a kecamatan of ``kota``.

    Parameters
    ----------
    kota : Kota
        The kota the kecamatan belongs to.
    value : str
        Its name in any case and spacing, or its Kemendagri code
        (``31.75.06``).

    Raises
    ------
    ParameterError
        If the kota has no such kecamatan; the message lists its kecamatan.
    """
    table = kelurahan_of(kota)[["kode_kecamatan", "kecamatan"]].drop_duplicates()
    wanted = _squeezed(value)
    for code, name in table.itertuples(index=False):
        if wanted in (code, _squeezed(name)):
            return name
    raise ParameterError(
        f"{kota.short_name} has no kecamatan {value!r}. Expected one of: "
        f"{', '.join(table['kecamatan'])}."
    )


def from_reports(reports: pd.DataFrame, kota: str = "") -> pd.DataFrame:
    """Build the area list of a city outside Jakarta from its own reports.

    Such sources keep their own levels in the ``kota``, ``kecamatan`` and
    ``kelurahan`` columns (see the intake profiles); their units are the ones
    the data names.

    Parameters
    ----------
    reports : pandas.DataFrame
        Canonical table.
    kota : str, optional
        Keep only this top-level unit (any case); empty for all.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`wilayah`, codes made from the names.
    """
    units = reports[["kota", "kecamatan", "kode_kelurahan", "kelurahan"]]
    if kota:
        units = units.loc[units["kota"].str.casefold() == kota.casefold()]
    units = units.drop_duplicates("kode_kelurahan")
    kode_kota = units["kota"].map(slug)
    return (
        units.assign(
            kode_kota=kode_kota,
            kode_kecamatan=kode_kota + "." + units["kecamatan"].map(slug),
        )[[*AREA_COLUMNS, "kode_kelurahan", "kelurahan"]]
        .sort_values("kode_kelurahan")
        .reset_index(drop=True)
    )


def all_kota() -> list[Kota]:
    """Return the six kota and kabupaten of DKI Jakarta, in code order."""
    pairs = _wilayah()[["kode_kota", "kota"]].drop_duplicates()
    return [Kota(kode, nama) for kode, nama in pairs.itertuples(index=False)]


def resolve_kota(value: str) -> Kota:
    """Find a kota from the way people write it.

    Parameters
    ----------
    value : str
        The official name (``Kota Administrasi Jakarta Timur``), the usual name
        (``Jakarta Timur``, any case), a shorthand (``Jaktim``) or the
        Kemendagri code (``31.75``).

    Returns
    -------
    Kota

    Raises
    ------
    ParameterError
        If nothing matches; the message lists the accepted names.
    """
    wanted = " ".join(str(value).split()).lower()
    wanted = _SHORTHANDS.get(wanted, wanted)
    for kota in all_kota():
        names = {kota.kode, kota.nama.lower(), kota.short_name.lower()}
        if wanted in names or _strip_prefix(wanted) == kota.short_name.lower():
            return kota
    choices = ", ".join(f"{k.short_name} ({k.kode})" for k in all_kota())
    raise ParameterError(
        f"Unknown kota {value!r}. Expected one of: {choices}. "
        "Write the name as above or the Kemendagri code."
    )


def _squeezed(name: str) -> str:
    """Lower case without spaces or punctuation: ``Pulo Gebang`` -> ``pulogebang``."""
    return re.sub(r"[^0-9a-z.]", "", str(name).lower())


def _strip_prefix(name: str) -> str:
    lowered = name.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            return name[len(prefix) :]
    return name
