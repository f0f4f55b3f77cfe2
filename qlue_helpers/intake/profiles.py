"""Source profiles: how one kind of export maps onto the canonical table.

A profile is a small YAML file. The built-in ones live beside this module
(``profiles/*.yaml``); a user writes more under ``params/sources/`` without
touching code, often starting with ``extends: qlue``. Every value in a profile
is read as text (YAML's yes/no/dates are not interpreted), so header
spellings and status words arrive exactly as written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from qlue_helpers.canonical import COLUMNS, STATUSES
from qlue_helpers.errors import InputError, ParameterError

logger = logging.getLogger(__name__)

# Columns a profile can map: the canonical ones plus two helpers.
FIELDS = (*COLUMNS, "kode_bps", "status_time")
LAYOUTS = ("reports", "history")
JAKARTA_LEVELS = {"kota": "kota", "kecamatan": "kecamatan", "kelurahan": "kelurahan"}
KEYS = {
    "name",
    "description",
    "extends",
    "layout",
    "timezone",
    "columns",
    "required",
    "dates",
    "statuses",
    "identity_columns",
    "areas",
}
AREA_KEYS = {"match", "threshold", "levels", "missing", "whole"}

# Header words that mark a column about the person who reported.
_IDENTITY_WORDS = {
    "email",
    "mail",
    "surel",
    "phone",
    "telp",
    "telepon",
    "tlp",
    "hp",
    "handphone",
    "ponsel",
    "whatsapp",
    "wa",
    "nik",
    "ktp",
    "pelapor",
    "reporter",
    "username",
    "user",
    "contact",
    "kontak",
    "author",
    "penulis",
}
_NAME_WORDS = {"nama", "name"}
_PERSON_WORDS = {"profile", "profil", "full", "first", "last", "lengkap", "display"}


class _TextLoader(yaml.SafeLoader):
    """YAML loader that reads every scalar as text."""


_TextLoader.yaml_implicit_resolvers = {
    key: [(tag, regex) for tag, regex in resolvers if tag == "tag:yaml.org,2002:null"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class AreaRule:
    """How a source names its areas.

    Attributes
    ----------
    match : str
        ``jakarta`` (match to the official list by code or name) or
        ``levels`` (keep the source's own levels).
    threshold : float
        Least fuzzy-match score (0-100) a name needs; below it nothing is
        guessed.
    levels : dict
        Canonical column (``kota``, ``kecamatan``, ``kelurahan``) to the
        source's name for that level; a level not named repeats the one above.
    missing : tuple of str
        Values that mean "no area" (e.g. NYC's ``Unspecified``).
    whole : str
        Name used for a missing top level.
    """

    match: str = "jakarta"
    threshold: float = 90.0
    levels: dict[str, str] = field(default_factory=lambda: dict(JAKARTA_LEVELS))
    missing: tuple[str, ...] = ()
    whole: str = "Seluruh wilayah"


@dataclass(frozen=True)
class Profile:
    """One kind of export, read from a profile file.

    Attributes
    ----------
    name, description : str
        For people; ``name`` goes into summary.json.
    origin : str
        The file the profile came from (to name in error messages).
    layout : str
        ``reports`` (one row per report) or ``history`` (one row per status
        change: report, status, ``status_time``).
    timezone : str
        Zone of times written without an offset.
    columns : dict
        Field to header spellings, tried in order; case, spaces and
        punctuation do not matter.
    required : tuple of tuple of str
        Each inner tuple needs at least one of its fields present.
    date_formats : tuple of str
        ``strftime`` formats tried in order, plus ``ISO8601`` and ``excel``
        (serial day numbers); ISO 8601 is always tried last.
    statuses : dict
        Normalised status word to ``merah``/``kuning``/``hijau``.
    identity_columns : tuple of str
        Reporter columns dropped on read (look-alikes are dropped too).
    areas : AreaRule
    """

    name: str
    origin: str
    columns: dict[str, tuple[str, ...]]
    description: str = ""
    layout: str = "reports"
    timezone: str = "Asia/Jakarta"
    required: tuple[tuple[str, ...], ...] = (("report_id",), ("created_at",))
    date_formats: tuple[str, ...] = ("ISO8601",)
    statuses: dict[str, str] = field(default_factory=dict)
    identity_columns: tuple[str, ...] = ()
    areas: AreaRule = field(default_factory=AreaRule)

    @property
    def edit_hint(self) -> str:
        """Where a person changes this profile (never the package's own files)."""
        if self.origin.startswith("built-in:"):
            return (
                "a mapping file under params/sources/ that starts with "
                f"`extends: {self.name}`"
            )
        return self.origin

    @property
    def levels(self) -> dict[str, str | None]:
        """Canonical area column to the source's level name (None: not a level)."""
        return {level: self.areas.levels.get(level) for level in JAKARTA_LEVELS}

    def resolve(self, headers: Iterable[str], file_name: str) -> dict[str, str]:
        """Find each field's column among a file's headers.

        Parameters
        ----------
        headers : iterable of str
            The file's column names.
        file_name : str
            For the error message.

        Returns
        -------
        dict
            Field to the header that holds it (fields not found are absent).

        Raises
        ------
        InputError
            If a required field has none of its spellings in the file.
        """
        by_key: dict[str, str] = {}
        for header in headers:
            by_key.setdefault(header_key(header), header)

        found: dict[str, str] = {}
        for name in FIELDS:
            spelled = (by_key.get(header_key(s)) for s in self.columns.get(name, ()))
            free = [h for h in spelled if h is not None and h not in found.values()]
            if free:
                found[name] = free[0]

        self._check_required(found, list(by_key.values()), file_name)
        return found

    def lists_identity(self, header: str) -> bool:
        """Tell whether the profile names a column as the reporter's."""
        return header_key(header) in {header_key(n) for n in self.identity_columns}

    @staticmethod
    def looks_like_identity(header: str) -> bool:
        """Tell whether a column's name looks like one about the reporter."""
        words = set(header_key(header).split())
        named = bool(words & _NAME_WORDS) and words <= _NAME_WORDS | _PERSON_WORDS
        return bool(words & _IDENTITY_WORDS) or named

    def _check_required(
        self, found: Mapping[str, str], headers: list[str], file_name: str
    ) -> None:
        missing = [group for group in self.required if not set(group) & set(found)]
        if not missing:
            return
        wanted = "; ".join(" or ".join(self._spelled(f) for f in g) for g in missing)
        raise InputError(
            f"{file_name} lacks the {self.name} columns {wanted}. It has: "
            f"{', '.join(map(str, headers)) or 'no columns'}. Pick the profile "
            f"that fits the file (--source: {', '.join(builtin_names())} or a "
            f"mapping file), or add the file's headers under `columns:` in "
            f"{self.edit_hint}."
        )

    def _spelled(self, name: str) -> str:
        spellings = [s for s in self.columns.get(name, ()) if s != name]
        return f"{name} ({' / '.join(spellings[:4])})" if spellings else name


def header_key(text: object) -> str:
    """Return a header as compared: lower case, words split on punctuation."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split())


def word_key(text: str) -> str:
    """Return a status word as compared: lower case, single spaces."""
    return " ".join(str(text).lower().split())


def builtin_names() -> list[str]:
    """Return the names of the profiles shipped with the package."""
    folder = resources.files("qlue_helpers.intake") / "profiles"
    return sorted(
        p.name.removesuffix(".yaml")
        for p in folder.iterdir()
        if p.name.endswith(".yaml")
    )


def load_profile(
    source: str | Path | Profile, search: Iterable[str | Path] = ()
) -> Profile:
    """Return a profile from its built-in name or a mapping file.

    Parameters
    ----------
    source : str, pathlib.Path or Profile
        ``qlue``, ``open311``, ``nyc311``, ``canonical``, the path of a
        ``.yaml`` mapping file, or the name of one in a ``search`` folder.
        A Profile is returned as is.
    search : iterable of str or pathlib.Path, optional
        Folders where ``<source>.yaml`` is looked for (e.g. the project's
        ``params/sources/``).

    Returns
    -------
    Profile

    Raises
    ------
    ParameterError
        If the name is unknown or the file is missing or malformed.
    """
    if isinstance(source, Profile):
        return source
    text = str(source)
    if text in builtin_names():
        return _from_content(_merged(_builtin(text), set()), f"built-in:{text}")
    candidates = [Path(text), *(Path(folder) / f"{text}.yaml" for folder in search)]
    path = next((p for p in candidates if _is_yaml(p)), None)
    if path is None:
        raise ParameterError(
            f"Unknown source {text!r}: expected a built-in profile "
            f"({', '.join(builtin_names())}) or a .yaml mapping file (see "
            "params/sources/)."
        )
    return _from_content(_merged(path, set()), str(path))


def _is_yaml(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml") and path.is_file()


def _builtin(name: str) -> Path:
    folder = resources.files("qlue_helpers.intake") / "profiles"
    return Path(str(folder / f"{name}.yaml"))


def _merged(path: Path, seen: set[Path]) -> dict[str, Any]:
    """Read a profile file, laid over the profile it extends."""
    content = _read(path)
    base = content.pop("extends", None)
    if base is None:
        return content
    if path.resolve() in seen:
        raise ParameterError(f"{path}: `extends` goes round in a circle.")
    seen.add(path.resolve())
    if str(base) in builtin_names():
        parent = _merged(_builtin(str(base)), seen)
    else:
        parent = _merged(path.parent / str(base), seen)
    return _overlay(parent, content)


def _overlay(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child keys replace the parent's; mappings are merged one level deep."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(parent.get(key), dict):
            merged[key] = {**parent[key], **value}
        else:
            merged[key] = value
    return merged


def _read(path: Path) -> dict[str, Any]:
    try:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextLoader)
    except FileNotFoundError:
        raise ParameterError(f"No profile file at {path}.") from None
    except yaml.YAMLError as error:
        raise ParameterError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(content, dict):
        raise ParameterError(f"{path} must be a mapping of profile keys.")
    unknown = sorted(set(content) - KEYS)
    if unknown:
        raise ParameterError(
            f"{path}: unknown key(s) {', '.join(unknown)}; a profile has "
            f"{', '.join(sorted(KEYS))}."
        )
    return content


def _from_content(content: dict[str, Any], origin: str) -> Profile:
    """Check a merged profile mapping and build the Profile."""
    areas = _area_rule(content.get("areas") or {}, origin)
    profile = Profile(
        name=str(content.get("name") or Path(origin).stem.removeprefix("built-in:")),
        description=str(content.get("description") or ""),
        origin=origin,
        layout=_choice(content.get("layout", "reports"), LAYOUTS, "layout", origin),
        timezone=str(content.get("timezone") or "Asia/Jakarta"),
        columns=_columns(content.get("columns") or {}, origin),
        required=_required(content.get("required"), origin),
        date_formats=tuple(_texts(content.get("dates") or ["ISO8601"])),
        statuses=_statuses(content.get("statuses") or {}, origin),
        identity_columns=tuple(_texts(content.get("identity_columns") or [])),
        areas=areas,
    )
    logger.debug("profile %s from %s", profile.name, origin)
    return profile


def _columns(content: dict[str, Any], origin: str) -> dict[str, tuple[str, ...]]:
    unknown = sorted(set(content) - set(FIELDS))
    if unknown:
        raise ParameterError(
            f"{origin}: `columns` has unknown field(s) {', '.join(unknown)}; the "
            f"fields are {', '.join(FIELDS)}."
        )
    return {name: tuple(_texts(spellings)) for name, spellings in content.items()}


def _required(content: Any, origin: str) -> tuple[tuple[str, ...], ...]:
    groups = tuple(
        tuple(_texts(item)) for item in (content or ["report_id", "created_at"])
    )
    unknown = sorted({name for group in groups for name in group} - set(FIELDS))
    if unknown:
        raise ParameterError(
            f"{origin}: `required` names unknown field(s) {', '.join(unknown)}."
        )
    return groups


def _statuses(content: dict[str, Any], origin: str) -> dict[str, str]:
    unknown = sorted(set(content) - set(STATUSES))
    if unknown:
        raise ParameterError(
            f"{origin}: `statuses` has {', '.join(unknown)}; expected lists of words "
            f"under {', '.join(STATUSES)}."
        )
    return {
        word_key(word): status
        for status, words in content.items()
        for word in [status, *_texts(words)]
    }


def _area_rule(content: dict[str, Any], origin: str) -> AreaRule:
    unknown = sorted(set(content) - AREA_KEYS)
    if unknown:
        raise ParameterError(
            f"{origin}: `areas` has unknown key(s) {', '.join(unknown)}; expected "
            f"{', '.join(sorted(AREA_KEYS))}."
        )
    match = _choice(
        content.get("match", "jakarta"), ("jakarta", "levels"), "match", origin
    )
    levels = content.get("levels") or dict(JAKARTA_LEVELS)
    if set(levels) - set(JAKARTA_LEVELS) or "kelurahan" not in levels:
        raise ParameterError(
            f"{origin}: `areas.levels` maps kota/kecamatan/kelurahan to the "
            "source's level names, and needs at least kelurahan (the lowest level)."
        )
    try:
        threshold = float(content.get("threshold", 90))
    except ValueError:
        raise ParameterError(f"{origin}: `areas.threshold` must be 0-100.") from None
    return AreaRule(
        match=match,
        threshold=threshold,
        levels={key: str(value) for key, value in levels.items()},
        missing=tuple(_texts(content.get("missing") or [])),
        whole=str(content.get("whole") or AreaRule.whole),
    )


def _choice(value: Any, choices: tuple[str, ...], key: str, origin: str) -> str:
    if str(value) not in choices:
        raise ParameterError(
            f"{origin}: `{key}` is {value!r}; expected one of {', '.join(choices)}."
        )
    return str(value)


def _texts(value: Any) -> list[str]:
    """Return a scalar or a list of scalars as a list of text."""
    values = value if isinstance(value, list) else [value]
    return [str(item) for item in values if item is not None]
