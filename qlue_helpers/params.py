"""The report's parameters: read, typed and checked before anything runs.

The notebook's ``parameters`` cell is the one declaration of the parameters:
each line ``name: type = default  # help``. This module reads that cell,
takes values from a YAML file and ``-p NAME VALUE`` pairs, and refuses unknown
names and values of the wrong type. :func:`settings` then checks what the
values mean (dates, kota, files) so a bad value fails before a kernel starts.
"""

from __future__ import annotations

import ast
import inspect
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from qlue_helpers import areas, rules
from qlue_helpers.canonical import TIMEZONE
from qlue_helpers.errors import ParameterError
from qlue_helpers.figures import Period, ScoringRule
from qlue_helpers.figures.backlog import Agencies
from qlue_helpers.figures.service import ServiceLevels
from qlue_helpers.intake import Profile, load_profile
from qlue_helpers.rules import read_yaml
from qlue_helpers.text import slug

logger = logging.getLogger(__name__)
WHOLE_SOURCE = "semua"  # the code of "every top-level unit" outside Jakarta
JAKARTA_NAMES = {"kota": "Kota", "kecamatan": "Kecamatan", "kelurahan": "Kelurahan"}
PARAMS_DIR = Path(__file__).resolve().parent.parent / "params"
PATH_PARAMETERS = ("data", "scoring", "service_levels", "agencies")
TRUE_WORDS = {"true", "yes", "ya", "1"}
FALSE_WORDS = {"false", "no", "tidak", "0"}


def declared(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """Return the parameters a notebook declares: name -> type, default, help."""
    # Imported here: the report's kernel imports this module but never this
    # function, and papermill takes a third of a second to import.
    import papermill

    found = papermill.inspect_notebook(str(notebook))
    return {
        name: {
            "type": spec["inferred_type_name"],
            "default": spec["default"],
            "help": spec["help"],
        }
        for name, spec in found.items()
    }


def defaults(notebook: str | Path) -> dict[str, Any]:
    """Return the default value of each parameter the notebook declares.

    Default paths are relative to the notebook's folder; they come back
    absolute.
    """
    return _defaults(declared(notebook), notebook)


def resolved(
    notebook: str | Path,
    params_file: str | Path | None = None,
    overrides: list[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Return every parameter's value: the notebook's default, the file's, ``-p``.

    Later sources win; see :func:`defaults` and :func:`collect`.
    """
    spec = declared(notebook)
    return _defaults(spec, notebook) | _collected(spec, params_file, overrides)


def _defaults(spec: dict, notebook: str | Path) -> dict[str, Any]:
    base = Path(notebook).resolve().parent
    values = {name: ast.literal_eval(item["default"]) for name, item in spec.items()}
    for name in PATH_PARAMETERS:
        if values.get(name):
            values[name] = str((base / values[name]).resolve())
    return values


def collect(
    notebook: str | Path,
    params_file: str | Path | None = None,
    overrides: list[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Merge a parameters file and ``-p`` overrides, typed as the notebook says.

    Paths in the file are relative to the file; paths given with ``-p`` are
    relative to the current folder. Both come back absolute.

    Raises
    ------
    ParameterError
        On an unknown name or a value of the wrong type; the message lists
        the notebook's parameters.
    """
    return _collected(declared(notebook), params_file, overrides)


def _collected(
    spec: dict, params_file: str | Path | None, overrides: list[tuple[str, str]]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if params_file is not None:
        base = Path(params_file).resolve().parent
        for name, value in read_yaml(params_file).items():
            values[name] = _typed(name, value, spec, base)
    for name, text in overrides:
        values[name] = _typed(name, _from_text(name, text, spec), spec, Path.cwd())
    return values


def _typed(name: str, value: Any, spec: dict, base: Path) -> Any:
    if name not in spec:
        known = ", ".join(f"{n} ({s['type']})" for n, s in spec.items())
        raise ParameterError(f"Unknown parameter {name!r}. Known parameters: {known}.")

    wanted = spec[name]["type"]
    kinds = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}
    ok = isinstance(value, kinds.get(wanted, (object,)))
    if not ok or (wanted in ("int", "float") and isinstance(value, bool)):
        raise ParameterError(
            f"Parameter {name!r} must be {wanted}, but {value!r} "
            f"({type(value).__name__}) was given."
        )
    if name in PATH_PARAMETERS and value:
        return str((base / value).resolve())
    if name == "source" and str(value).endswith((".yaml", ".yml")):
        return str((base / value).resolve())
    return float(value) if wanted == "float" else value


def _from_text(name: str, text: str, spec: dict) -> Any:
    wanted = spec.get(name, {}).get("type", "str")
    try:
        if wanted == "bool" and text.lower() in TRUE_WORDS | FALSE_WORDS:
            return text.lower() in TRUE_WORDS
        if wanted in ("int", "float"):
            return int(text) if wanted == "int" else float(text)
    except ValueError:
        pass
    return text


@dataclass(frozen=True)
class Settings:
    """What the parameters mean, checked.

    ``kecamatan`` (official name) and ``categories`` narrow the scope; empty
    means the whole kota and every category.
    """

    data: Path
    kota: areas.Kota
    period: Period
    rule: ScoringRule
    levels: ServiceLevels
    agencies: Agencies
    kecamatan: str = ""
    categories: tuple[str, ...] = ()
    trend_weeks: int = 8
    min_reports: int = 0
    source: str = ""
    level_names: dict[str, str] = field(default_factory=lambda: dict(JAKARTA_NAMES))
    official: bool = True

    def scope(self, reports: pd.DataFrame) -> pd.DataFrame:
        """Return the areas the report covers, every one listed even if quiet.

        Jakarta reports cover the official list; a city elsewhere covers the
        units its own reports name.
        """
        if self.official:
            return areas.kelurahan_of(self.kota, self.kecamatan)
        everywhere = self.kota.kode == WHOLE_SOURCE
        chosen = areas.from_reports(reports, "" if everywhere else self.kota.nama)
        if self.kecamatan:
            wanted = self.kecamatan.casefold()
            chosen = chosen.loc[chosen["kecamatan"].str.casefold() == wanted]
        if chosen.empty:
            raise ParameterError(
                f"The data names no area {self.kota.nama!r} "
                f"{self.kecamatan!r}; it has: "
                f"{', '.join(sorted(reports['kota'].unique()))}. Check `kota`."
            )
        return chosen

    @property
    def slug(self) -> str:
        """Folder name of the scope, e.g. ``jakarta-timur--cakung``."""
        parts = [self.kota.short_name, self.kecamatan, *self.categories]
        return "--".join(slug(part) for part in parts if part)


def settings(
    data: str,
    kota: str,
    period_start: str,
    period_end: str,
    scoring: str,
    service_levels: str = str(PARAMS_DIR / "service_levels.yaml"),
    agencies: str = str(PARAMS_DIR / "agencies.yaml"),
    end_inclusive: bool = True,
    fast_hours: float = 0.0,
    kecamatan: str = "",
    categories: str = "",
    trend_weeks: int = 8,
    min_reports: int = 0,
    source: str = "",
) -> Settings:
    """Check the meaning of the report parameters.

    Parameters
    ----------
    data : str
        Canonical table file (CSV or Parquet), or a history folder (see
        :mod:`qlue_helpers.history`).
    kota : str
        Anything :func:`qlue_helpers.areas.resolve_kota` accepts.
    period_start, period_end : str
        Dates ``YYYY-MM-DD`` (WIB).
    scoring, service_levels, agencies : str
        Rule files, see :mod:`qlue_helpers.rules`; the last two default to
        the project's ``params/`` files.
    end_inclusive : bool
        Whether ``period_end`` belongs to the period.
    fast_hours : float
        Replaces the rule's fast limit when above zero.
    kecamatan : str
        Limit the report to one kecamatan of the kota (name or code).
    categories : str
        Comma-separated categories the report counts (any case); empty for
        all.
    trend_weeks : int
        Weeks the trends look back, 1 or more.
    min_reports : int
        Kelurahan with fewer reports in the period are listed, not ranked.
    source : str
        Profile of a raw export (see :mod:`qlue_helpers.intake`); a profile
        that keeps its own areas (a city outside Jakarta) makes ``kota`` one of
        its top-level units (empty: all) and the days run in its timezone.

    Raises
    ------
    ParameterError
        Naming the parameter at fault and what it should be.
    """
    if not Path(data).exists():
        raise ParameterError(
            f"data: nothing at {data}. Give the path of a canonical table (.csv "
            "or .parquet) or of a history folder, relative to the parameters file."
        )
    rule = rules.load_scoring(scoring)
    if fast_hours < 0 or trend_weeks < 1 or min_reports < 0:
        raise ParameterError(
            "Expected fast_hours >= 0, trend_weeks >= 1 and min_reports >= 0; got "
            f"{fast_hours}, {trend_weeks} and {min_reports}."
        )
    if fast_hours > 0:
        rule = ScoringRule(**{**rule.__dict__, "fast_hours": fast_hours})
    profile = load_profile(source, search=[PARAMS_DIR / "sources"]) if source else None
    official = profile is None or profile.areas.match == "jakarta"
    if official:
        found = areas.resolve_kota(kota)
        kecamatan = areas.resolve_kecamatan(found, kecamatan) if kecamatan else ""
    else:
        found = areas.Kota(slug(kota) or WHOLE_SOURCE, kota or profile.areas.whole)
    timezone = profile.timezone if profile else TIMEZONE
    return Settings(
        data=Path(data),
        kota=found,
        period=Period.parse(period_start, period_end, end_inclusive, timezone),
        rule=rule,
        levels=rules.load_service_levels(service_levels),
        agencies=rules.load_agencies(agencies),
        kecamatan=kecamatan,
        categories=tuple(c.strip() for c in categories.split(",") if c.strip()),
        trend_weeks=trend_weeks,
        min_reports=min_reports,
        source=source,
        level_names=JAKARTA_NAMES if official else _level_names(profile),
        official=official,
    )


def _level_names(profile: Profile) -> dict[str, str]:
    """Headers for a source's own levels; a missing level repeats the one above."""
    names, above = {}, profile.areas.whole
    for level in ("kota", "kecamatan", "kelurahan"):
        above = profile.areas.levels.get(level) or above
        names[level] = above[:1].upper() + above[1:]
    return names


def check(values: dict[str, Any]) -> Settings:
    """Run :func:`settings` on the report parameters among ``values``."""
    names = inspect.signature(settings).parameters
    return settings(**{name: values[name] for name in names if name in values})
