"""Readers for the rule files under ``params/``: scoring, service levels, agencies.

``params/scoring/*.yaml`` (see ``default.yaml``)::

    name: perkiraan-2015        # shown beside the ranking
    note: ...                   # what the rule is based on, for readers
    fast_hours: 24              # finished within this many hours = fast
    points: {hijau_cepat: 5, hijau_lambat: 4, kuning: -1, merah: 0}

``params/service_levels.yaml``::

    name: standar-2016          # optional, shown beside the figures
    note: ...                   # optional, for readers
    answer_hours: 24            # first response within this many hours
    finish_hours: 120           # completion within this many hours

``params/agencies.yaml``::

    default: Lainnya / Kelurahan (PPSU)
    agencies:
      Sudin Bina Marga:
        - Jalan rusak
      Satpol PP:
        - PKL liar
        - Pelanggaran aturan

Each reader checks the whole file and raises
:class:`~qlue_helpers.errors.ParameterError` saying what was expected, what
came, and which file to edit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from qlue_helpers.errors import ParameterError
from qlue_helpers.figures.backlog import Agencies
from qlue_helpers.figures.ranking import ScoringRule
from qlue_helpers.figures.service import ServiceLevels

SERVICE_KEYS = {"answer_hours", "finish_hours"}
SERVICE_OPTIONAL = {"name", "note"}
AGENCY_KEYS = {"default", "agencies"}
POINT_KEYS = {"hijau_cepat", "hijau_lambat", "kuning", "merah"}


def load_scoring(path: str | Path) -> ScoringRule:
    """Read a scoring rule file.

    Raises
    ------
    ParameterError
        If a key is missing or unknown, or a value is not a number.
    """
    content = read_yaml(path)
    _check_keys(path, content, {"fast_hours", "points"}, {"name", "note"})
    points = content["points"]
    if not isinstance(points, dict) or set(points) != POINT_KEYS:
        raise ParameterError(
            f"{path}: `points` must give exactly {', '.join(sorted(POINT_KEYS))}; "
            f"found {points!r}. Edit that file."
        )
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in points.values())
    if not whole:
        raise ParameterError(
            f"{path}: points must be whole numbers; found {points}. Edit that file."
        )
    return ScoringRule(
        name=str(content.get("name", Path(path).stem)),
        fast_hours=_hours(path, content, "fast_hours"),
        note=str(content.get("note", "")).strip(),
        **points,
    )


def load_service_levels(path: str | Path) -> ServiceLevels:
    """Read a service levels file (see ``params/service_levels.yaml``).

    Raises
    ------
    ParameterError
        If the file is missing or not YAML, a key is missing or unknown, or a
        limit is not a positive number of hours, or the answer limit is longer
        than the finish limit.
    """
    content = read_yaml(path)
    _check_keys(path, content, SERVICE_KEYS, SERVICE_OPTIONAL)
    answer = _hours(path, content, "answer_hours")
    finish = _hours(path, content, "finish_hours")
    if answer > finish:
        raise ParameterError(
            f"{path}: answer_hours ({answer:g}) should not be longer than "
            f"finish_hours ({finish:g}), since a finished report has been "
            "answered. Edit the limits in that file."
        )

    return ServiceLevels(
        answer_hours=answer,
        finish_hours=finish,
        name=str(content.get("name", Path(path).stem)),
        note=str(content.get("note", "")).strip(),
    )


def load_agencies(path: str | Path) -> Agencies:
    """Read the category owners file (see ``params/agencies.yaml``).

    Raises
    ------
    ParameterError
        If the file is missing or not YAML, ``default`` is not a name,
        ``agencies`` is not a mapping of agency names to lists of category
        names, or a category is listed under two agencies.
    """
    content = read_yaml(path)
    _check_keys(path, content, AGENCY_KEYS, set())
    default = content["default"]
    if not isinstance(default, str) or not default.strip():
        raise ParameterError(
            f"{path}: `default` should name the agency of unlisted categories, "
            f"e.g. 'Lainnya / Kelurahan (PPSU)'; found {default!r}. Edit that file."
        )

    owners: dict[str, str] = {}
    for agency, categories in _agency_lists(path, content["agencies"]).items():
        for category in categories:
            _claim(path, owners, category, agency)
    return Agencies(owners=owners, default=default.strip())


class _PlainLoader(yaml.SafeLoader):
    """YAML loader that leaves dates as the text the person wrote."""


_PlainLoader.yaml_implicit_resolvers = {
    key: [
        (tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: str | Path) -> dict[str, Any]:
    """Read a YAML mapping, keeping dates as text.

    Raises
    ------
    ParameterError
        If the file is missing, not YAML, or not a mapping.
    """
    path = Path(path)
    try:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=_PlainLoader)
    except FileNotFoundError:
        raise ParameterError(
            f"No parameters file at {path}. Give the path of an existing file, "
            "e.g. one copied from the project's params/ folder."
        ) from None
    except yaml.YAMLError as error:
        raise ParameterError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(content, dict):
        raise ParameterError(
            f"{path} should hold `name: value` lines, but holds "
            f"{type(content).__name__}. Edit that file."
        )
    return content


def _check_keys(
    path: str | Path, content: dict[str, Any], required: set[str], optional: set[str]
) -> None:
    missing = sorted(required - set(content))
    unknown = sorted(set(content) - required - optional)
    if missing or unknown:
        raise ParameterError(
            f"{path}: expected the keys {sorted(required)} (and optionally "
            f"{sorted(optional)}); missing {missing}, unknown {unknown}. "
            "Edit that file."
        )


def _hours(path: str | Path, content: dict[str, Any], key: str) -> float:
    value = content[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ParameterError(
            f"{path}: {key} should be a positive number of hours, e.g. 24; "
            f"found {value!r}. Edit that file."
        )
    return float(value)


def _agency_lists(path: str | Path, agencies: Any) -> dict[str, list[str]]:
    def is_names(value: Any) -> bool:
        return isinstance(value, list) and all(
            isinstance(item, str) and item.strip() for item in value
        )

    if not isinstance(agencies, dict) or not all(
        isinstance(name, str) and is_names(value) for name, value in agencies.items()
    ):
        raise ParameterError(
            f"{path}: `agencies` should map each agency name to a list of "
            f"category names (`- Jalan rusak` lines); found {agencies!r}. "
            "Edit that file."
        )
    return agencies


def _claim(
    path: str | Path, owners: dict[str, str], category: str, agency: str
) -> None:
    key = category.strip()
    earlier = next(
        (owners[name] for name in owners if name.casefold() == key.casefold()), None
    )
    if earlier is not None:
        raise ParameterError(
            f"{path}: category {key!r} is listed under both {earlier!r} and "
            f"{agency!r}; each category has one owner. Remove one of them."
        )
    owners[key] = agency.strip()
