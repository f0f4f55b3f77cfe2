"""Find each row's area: the official Jakarta list, or a source's own levels.

Matching works on distinct combinations of the area columns, never row by
row, so a million rows with a few hundred kelurahan spellings cost a few
hundred look-ups.

Jakarta rows are matched, in order, by Kemendagri code, by BPS code (through
the crosswalk), or by name: the name is normalised (case, spaces,
punctuation, ``Kel.``/``Kelurahan``/``Kec.`` prefixes), looked up in the
official list and the alias list, then fuzzy-matched above the profile's
threshold. The kecamatan and kota, when given, narrow the candidates first.
A name that fits no candidate is ``unknown_area``; one that fits several
equally well is ``ambiguous_area``. Nothing below the threshold is guessed.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from qlue_helpers import areas as official
from qlue_helpers.errors import ParameterError
from qlue_helpers.intake.profiles import AreaRule

logger = logging.getLogger(__name__)

AREA_FIELDS = ("kode_kelurahan", "kode_bps", "kelurahan", "kecamatan", "kota")
LEVELS = ("kota", "kecamatan", "kelurahan")
OUTPUT = ["kode_kelurahan", "kelurahan", "kecamatan", "kota", "area_problem"]
_PREFIXES = {
    "kelurahan": r"^(?:kelurahan|kel|desa|ds)\s+",
    "kecamatan": r"^(?:kecamatan|kec)\s+",
    "kota": r"^(?:(?:kota|kabupaten|kab)\s+(?:administrasi|adm)|kotamadya|kota|"
    r"kabupaten|kab|wilayah)\s+",
}
_KEMENDAGRI = re.compile(r"^(\d{2})(\d{2})(\d{2})(\d{4})$")


def match_areas(parts: pd.DataFrame, rule: AreaRule) -> pd.DataFrame:
    """Give every row its area codes and names, or the reason it has none.

    Parameters
    ----------
    parts : pandas.DataFrame
        The area columns as text (any of :data:`AREA_FIELDS`; absent ones
        are treated as empty).
    rule : AreaRule
        The profile's area rule.

    Returns
    -------
    pandas.DataFrame
        ``kode_kelurahan, kelurahan, kecamatan, kota, area_problem``, aligned
        with ``parts``; ``area_problem`` is ``unknown_area``,
        ``ambiguous_area`` or missing.
    """
    parts = parts.reindex(columns=list(AREA_FIELDS))
    matcher = _JakartaMatcher.build(rule.threshold)
    # When every row has a valid Kemendagri code, names need not be looked at.
    combos, key = distinct_rows(parts[["kode_kelurahan"]])
    coded = rule.match == "jakarta" and matcher.all_coded(combos["kode_kelurahan"])
    if not coded:
        combos, key = distinct_rows(parts)
    combos = combos.reindex(columns=list(AREA_FIELDS))

    if rule.match == "jakarta":
        found = [matcher.match(*row) for row in combos.itertuples(index=False)]
    else:
        found = _own_levels(combos, rule)
    table = pd.DataFrame(found, columns=OUTPUT, dtype="str")
    if rule.match == "levels":
        # Spellings that differ in case or spaces share a code: use one name.
        names = ["kelurahan", "kecamatan", "kota"]
        table[names] = table.groupby("kode_kelurahan")[names].transform("first")

    logger.info(
        "%s distinct area combinations, %s not matched",
        len(combos),
        int(table["area_problem"].notna().sum()),
    )
    return table.take(key).set_axis(parts.index)


def distinct_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Return the distinct rows of ``frame`` and each row's position among them.

    Missing values count as a value of their own. Works on integer codes, so a
    million rows take milliseconds.
    """
    key = np.zeros(len(frame), dtype="int64")
    for column in frame.columns:
        codes, uniques = pd.factorize(frame[column])
        key, _ = pd.factorize(key * (len(uniques) + 1) + codes + 1)
    first = np.flatnonzero(~pd.Index(key).duplicated())
    return frame.iloc[first].reset_index(drop=True), key


def name_key(text: object, level: str) -> str:
    """Return a name as compared: ASCII lower case, words, no level prefix."""
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return ""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore")
    words = " ".join(re.sub(r"[^0-9a-z]+", " ", plain.decode().lower()).split())
    return re.sub(_PREFIXES[level], "", words)


def _own_levels(combos: pd.DataFrame, rule: AreaRule) -> list[tuple]:
    """Areas of a source outside Jakarta, kept at its own levels."""
    missing = [name_key(value, "kelurahan") for value in rule.missing]
    return [
        _own_area(
            {level: _level_value(getattr(row, level), missing) for level in LEVELS},
            rule,
        )
        for row in combos.itertuples(index=False)
    ]


def _own_area(values: dict[str, str | None], rule: AreaRule) -> tuple:
    """Code and names of one combination; the lowest level is required.

    A level the source lacks repeats the one above it; a missing top level is
    ``rule.whole``.
    """
    if not values["kelurahan"]:
        return (None, None, None, None, "unknown_area")
    if "kecamatan" not in rule.levels:
        values["kecamatan"] = None
    values["kota"] = values["kota"] or rule.whole
    values["kecamatan"] = values["kecamatan"] or values["kota"]

    used = [values[level] for level in LEVELS if level in rule.levels]
    code = ".".join(_slug(value) for value in used)
    return (code, values["kelurahan"], values["kecamatan"], values["kota"], None)


def _level_value(value: object, missing: list[str]) -> str | None:
    key = name_key(value, "kelurahan")
    if not key or any(re.search(rf"\b{re.escape(m)}\b", key) for m in missing if m):
        return None
    return " ".join(str(value).split())


def _slug(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", value.lower()).strip("-")


@dataclass(frozen=True)
class _JakartaMatcher:
    """The official list, keyed for look-ups by code and by name.

    ``choices[level]`` holds (code, compact name) pairs. Kemendagri codes are
    hierarchical (``31.75.06.1005`` lies in ``31.75.06`` and ``31.75``), so
    "within a kecamatan or kota" is a code prefix.
    """

    names: dict[str, tuple[str, str, str]]
    choices: dict[str, list[tuple[str, str]]]
    bps: dict[str, str]
    aliases: dict[tuple[str, str], set[str]]
    threshold: float
    memo: dict[tuple, frozenset[str]] = field(default_factory=dict)

    @classmethod
    @cache
    def build(cls, threshold: float) -> _JakartaMatcher:
        table = official.wilayah()
        names = table.set_index("kode_kelurahan")[["kelurahan", "kecamatan", "kota"]]
        choices = {
            level: sorted(
                {(code, _compact(level)(name)) for code, name in
                 table[[f"kode_{level}", level]].itertuples(index=False)}
            )
            for level in LEVELS
        }  # fmt: skip
        return cls(
            {code: tuple(rest) for code, *rest in names.itertuples(name=None)},
            choices,
            _bps_codes(),
            _aliases(),
            threshold,
        )

    def match(self, kode, kode_bps, kelurahan, kecamatan, kota) -> tuple:
        """Match one combination; return the :data:`OUTPUT` values."""
        code = self._by_code(kode) or self.bps.get(_digits(kode_bps))
        if code is None and name_key(kelurahan, "kelurahan"):
            code, problem = self._by_name(kelurahan, kecamatan, kota)
        else:
            problem = None if code else "unknown_area"
        if code is None:
            return (None, None, None, None, problem)
        return (code, *self.names[code], None)

    def all_coded(self, codes: pd.Series) -> bool:
        """Whether every value is a valid Kemendagri kelurahan code."""
        return codes.notna().all() and all(map(self._by_code, codes.unique()))

    def _by_code(self, kode: object) -> str | None:
        found = _KEMENDAGRI.match(_digits(kode))
        code = ".".join(found.groups()) if found else None
        return code if code in self.names else None

    def _by_name(self, kelurahan, kecamatan, kota) -> tuple[str | None, str | None]:
        within: tuple[str, ...] = ()
        for level, value in (("kota", kota), ("kecamatan", kecamatan)):
            if name_key(value, level):
                within = tuple(self._codes(level, name_key(value, level), within))
                if not within:
                    return None, "unknown_area"
        codes = self._codes("kelurahan", name_key(kelurahan, "kelurahan"), within)
        if len(codes) == 1:
            return next(iter(codes)), None
        if codes or self._part_of_several(kelurahan, within):
            return None, "ambiguous_area"
        return None, "unknown_area"

    def _codes(self, level: str, name: str, within: tuple[str, ...]) -> frozenset[str]:
        """Codes of ``level`` a name may mean: exact or alias, else best fuzzy."""
        if (level, name, within) not in self.memo:
            self.memo[level, name, within] = self._lookup(level, name, within)
        return self.memo[level, name, within]

    def _lookup(self, level: str, name: str, within: tuple[str, ...]) -> frozenset[str]:
        key = name.replace(" ", "")
        choices = [(c, k) for c, k in self.choices[level] if _inside(c, within)]
        allowed = {code for code, _ in choices}
        named = {code for code, known in choices if known == key}
        named |= self.aliases.get((level, key), set()) & allowed
        if level == "kota":
            named |= _kota_code(name) & allowed
        if named:
            return frozenset(named)

        scored = process.extract(
            key,
            [known for _, known in choices],
            scorer=fuzz.ratio,
            score_cutoff=self.threshold,
            limit=None,
        )
        best = max((score for _, score, _ in scored), default=None)
        return frozenset(choices[i][0] for _, score, i in scored if score == best)

    def _part_of_several(self, value: object, within: tuple[str, ...]) -> bool:
        """Whether the name is a whole-word part of several kelurahan names."""
        words = f" {name_key(value, 'kelurahan')} "
        hits = [
            code
            for code, (kelurahan, _, _) in self.names.items()
            if _inside(code, within)
            and words in f" {name_key(kelurahan, 'kelurahan')} "
        ]
        return len(hits) > 1


def _inside(code: str, within: tuple[str, ...]) -> bool:
    """Whether a code lies within one of the codes above it (any, if none)."""
    return not within or code.startswith(within)


def _compact(level: str):
    return lambda value: name_key(value, level).replace(" ", "")


def _digits(value: object) -> str:
    return re.sub(r"\D", "", str(value)) if isinstance(value, str) else ""


@cache
def _kota_code(key: str) -> frozenset[str]:
    """Find the kota a name, shorthand (``jaktim``) or code stands for."""
    try:
        return frozenset({official.resolve_kota(key).kode})
    except ParameterError:
        return frozenset()


@cache
def _bps_codes() -> dict[str, str]:
    source = resources.files("qlue_helpers") / "data"
    with (source / "jakarta_wilayah_bps_crosswalk.csv").open("rb") as handle:
        table = pd.read_csv(handle, dtype=str).dropna(subset="kode_kelurahan_bps")
    return dict(
        zip(
            table["kode_kelurahan_bps"], table["kode_kelurahan_kemendagri"], strict=True
        )
    )


@cache
def _aliases() -> dict[tuple[str, str], set[str]]:
    source = resources.files("qlue_helpers") / "data"
    with (source / "jakarta_name_aliases.csv").open("rb") as handle:
        table = pd.read_csv(handle, dtype=str)
    found: dict[tuple[str, str], set[str]] = {}
    for alias, level, kode in table[["alias", "level", "kode"]].itertuples(index=False):
        found.setdefault((level, _compact(level)(alias)), set()).add(kode)
    return found
