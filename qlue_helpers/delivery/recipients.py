"""Who receives which report: the recipients file, checked, and scope matching.

``params/recipients.yaml`` lists the recipients::

    recipients:
      - name: Camat Cakung
        email: [camat.cakung@example.go.id]
        scope: {kota: Jakarta Timur, kecamatan: Cakung}

A scope is a whole kota, one kecamatan of it, or the categories a Sudin Teknis
owns (a kecamatan and categories together narrow it further). Recipients with
the same scope share one report run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path
from typing import Any

from qlue_helpers import areas
from qlue_helpers.errors import ParameterError
from qlue_helpers.rules import read_yaml
from qlue_helpers.synthetic import CATEGORY_NAMES
from qlue_helpers.text import slug

RECIPIENTS = Path(__file__).resolve().parents[2] / "params" / "recipients.yaml"
ENTRY_KEYS = {"name", "email", "scope"}
SCOPE_KEYS = {"kota", "kecamatan", "categories"}
# Known shortcoming: the known categories are the 2016 app's list kept with the
# sample data; a category Qlue adds later must be added there first.
KNOWN_CATEGORIES = {name.casefold(): name for name in CATEGORY_NAMES}


@dataclass(frozen=True)
class Scope:
    """What one report covers: a kota, maybe one kecamatan, maybe categories.

    Attributes
    ----------
    kota : qlue_helpers.areas.Kota
        The kota.
    kecamatan : str
        Official kecamatan name; empty for the whole kota.
    categories : tuple of str
        Category names as the app spells them, in the app's order; empty for
        all categories.
    """

    kota: areas.Kota
    kecamatan: str = ""
    categories: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """Name of the scope's run folder, as :attr:`params.Settings.slug`."""
        parts = [self.kota.short_name, self.kecamatan, *self.categories]
        return "--".join(slug(part) for part in parts if part)

    def overrides(self) -> list[tuple[str, str]]:
        """Return the report parameters that select this scope."""
        return [
            ("kota", self.kota.short_name),
            ("kecamatan", self.kecamatan),
            ("categories", ",".join(self.categories)),
        ]

    def matches(self, kpi: Mapping[str, Any]) -> bool:
        """Tell whether a run's ``kpi.json`` covers exactly this scope."""
        categories = {str(c).casefold() for c in kpi.get("categories", [])}
        return (
            areas.resolve_kota(kpi["kota"]).kode == self.kota.kode
            and kpi.get("kecamatan", "") == self.kecamatan
            and categories == {c.casefold() for c in self.categories}
        )


@dataclass(frozen=True)
class Recipient:
    """A person or office that receives one scope's report.

    Attributes
    ----------
    name : str
        Shown in the ``To`` header and the ledger, e.g. ``Camat Cakung``.
    addresses : tuple of str
        One or more email addresses.
    scope : Scope
        The report they receive.
    """

    name: str
    addresses: tuple[str, ...]
    scope: Scope

    @property
    def slug(self) -> str:
        """File name stem of this recipient's message, e.g. ``camat-cakung``."""
        return slug(self.name)


def load_recipients(path: str | Path | None = None) -> list[Recipient]:
    """Read and check a recipients file.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        YAML file with a ``recipients`` list, see the module's docstring;
        defaults to the project's ``params/recipients.yaml``.

    Returns
    -------
    list of Recipient
        In the file's order.

    Raises
    ------
    qlue_helpers.errors.ParameterError
        Naming the file, the entry and the key to fix, what was expected and
        what came.
    """
    path = RECIPIENTS if path is None else path
    content = read_yaml(path)
    entries = content.get("recipients")
    if not isinstance(entries, list) or not entries:
        raise ParameterError(
            f"{path}: expected a non-empty list under `recipients:`, found "
            f"{_shown(entries)}. See params/recipients.yaml for the layout."
        )

    found = [
        _recipient(entry, f"{path}, entry {n}") for n, entry in enumerate(entries, 1)
    ]
    _refuse_duplicate_names(found, path)
    return found


def recipients_for(
    recipients: list[Recipient], kpi: Mapping[str, Any]
) -> list[Recipient]:
    """Return the recipients whose scope is exactly the run's scope."""
    return [r for r in recipients if r.scope.matches(kpi)]


def distinct_scopes(recipients: list[Recipient]) -> list[Scope]:
    """Return each scope once, in the order recipients first name it."""
    return list(dict.fromkeys(r.scope for r in recipients))


def parse_address(text: Any, where: str) -> str:
    """Check one email address (``name@domain``) and return it.

    Raises
    ------
    qlue_helpers.errors.ParameterError
        If `text` is not a plain address; the message names `where`.
    """
    try:
        address = Address(addr_spec=str(text).strip())
    except (ValueError, IndexError, HeaderParseError):
        address = None
    if not isinstance(text, str) or address is None or not address.domain:
        raise ParameterError(
            f"{where}: expected an email address like nama@example.go.id, "
            f"found {_shown(text)}."
        )
    return address.addr_spec


def _recipient(entry: Any, where: str) -> Recipient:
    if not isinstance(entry, dict):
        raise ParameterError(
            f"{where}: expected `name`, `email` and `scope`, found {_shown(entry)}."
        )
    _refuse_unknown_keys(entry, ENTRY_KEYS, where)

    name = entry.get("name")
    if not isinstance(name, str) or not slug(name):
        raise ParameterError(
            f"{where}: `name` must be the recipient's name, e.g. Camat Cakung; "
            f"found {_shown(name)}."
        )
    where = f"{where} ({name})"
    return Recipient(
        name=name.strip(),
        addresses=_addresses(entry.get("email"), f"{where}: email"),
        scope=_scope(entry.get("scope"), f"{where}: scope"),
    )


def _addresses(value: Any, where: str) -> tuple[str, ...]:
    listed = [value] if isinstance(value, str) else value
    if not isinstance(listed, list) or not listed:
        raise ParameterError(
            f"{where}: expected one address or a list of them, found {_shown(value)}."
        )
    return tuple(dict.fromkeys(parse_address(item, where) for item in listed))


def _scope(value: Any, where: str) -> Scope:
    if not isinstance(value, dict) or "kota" not in value:
        raise ParameterError(
            f"{where}: expected a mapping with `kota` and optionally `kecamatan` "
            f"or `categories`, found {_shown(value)}."
        )
    _refuse_unknown_keys(value, SCOPE_KEYS, where)

    try:
        kota = areas.resolve_kota(str(value["kota"]))
        kecamatan = value.get("kecamatan") or ""
        if kecamatan:
            kecamatan = areas.resolve_kecamatan(kota, str(kecamatan))
    except ParameterError as error:
        raise ParameterError(f"{where}: {error}") from None
    categories = _categories(value.get("categories"), f"{where}.categories")
    return Scope(kota, kecamatan, categories)


def _categories(value: Any, where: str) -> tuple[str, ...]:
    listed = [] if value is None else [value] if isinstance(value, str) else value
    if not isinstance(listed, list) or not all(isinstance(c, str) for c in listed):
        raise ParameterError(
            f"{where}: expected a list of category names, found {_shown(value)}."
        )

    unknown = [c for c in listed if c.strip().casefold() not in KNOWN_CATEGORIES]
    if unknown:
        raise ParameterError(
            f"{where}: unknown categories {unknown}. Expected names from: "
            f"{', '.join(CATEGORY_NAMES)}."
        )
    chosen = {KNOWN_CATEGORIES[c.strip().casefold()] for c in listed}
    return tuple(name for name in CATEGORY_NAMES if name in chosen)


def _refuse_unknown_keys(value: dict, known: set[str], where: str) -> None:
    unknown = sorted(str(key) for key in set(value) - known)
    if unknown:
        raise ParameterError(
            f"{where}: unknown keys {unknown}; expected only {sorted(known)}."
        )


def _refuse_duplicate_names(found: list[Recipient], path: str | Path) -> None:
    seen: dict[str, str] = {}
    for recipient in found:
        if recipient.slug in seen:
            raise ParameterError(
                f"{path}: the names {seen[recipient.slug]!r} and {recipient.name!r} "
                "are the same recipient for the ledger. Give each recipient its "
                "own name, or list both addresses under one entry."
            )
        seen[recipient.slug] = recipient.name


def _shown(value: Any) -> str:
    return "nothing" if value is None else f"{value!r} ({type(value).__name__})"
