"""The email of one run folder: a compact rendering, not the full report page.

The message is built from the run folder's ``kpi.json``, ``tables/*.csv`` and
``charts/*.png``::

    multipart/mixed
      multipart/alternative
        text/plain             the headline figures
        multipart/related
          text/html            one column, CSS inlined, no script
          image/png ...        the charts, referenced as cid:
      text/html                the full report (attachment)
      text/csv ...             the tables the body shows (attachments)

The HTML comes from Jinja templates in ``qlue_helpers/templates/email/`` with
autoescaping on; tables go through :func:`qlue_helpers.display.table`, which
escapes every cell, so citizen text shows as text. Mail clients strip
``data:`` images, hence the ``cid:`` parts.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, localtime, make_msgid
from functools import cache
from pathlib import Path
from typing import Any

import css_inline
import jinja2
import pandas as pd

from qlue_helpers import areas, runfolder
from qlue_helpers.delivery.recipients import Recipient
from qlue_helpers.display import format as fmt
from qlue_helpers.display.tables import HtmlFragment, table

logger = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
BODY_LIMIT = 100_000
"""Bytes of HTML above which Gmail may clip the message (it clips near 102 KB)."""
TOP = 5
CHART_ALT = {
    "status_kecamatan": (
        "Grafik batang: jumlah laporan per wilayah menurut status (menunggu, "
        "proses, selesai). Angkanya ada di tabel di bawah."
    ),
    "peringkat": (
        "Grafik batang: poin kelurahan teratas dan terbawah. Angkanya ada di "
        "tabel di bawah."
    ),
}
ATTACHED_TABLES = ("status_kecamatan", "status_kelurahan", "peringkat")
"""The tables the body shows, attached as CSV. Others stay in the full report:
some hold citizen text or report ids (rows set aside, overdue lists)."""
STATUS_COLUMNS = {
    "laporan": "Laporan",
    "merah": "Menunggu",
    "kuning": "Proses",
    "hijau": "Selesai",
    "share_hijau": "% selesai",
}
RANKING_COLUMNS = {
    "rank": "#",
    "kelurahan": "Kelurahan",
    "points": "Poin",
    "hijau": "Selesai",
    "kuning": "Proses",
    "merah": "Menunggu",
}


@dataclass(frozen=True)
class InlineImage:
    """A chart shown in the HTML body through ``cid:``."""

    cid: str
    path: Path


@dataclass(frozen=True)
class Bodies:
    """The two renderings of a run and the images the HTML refers to."""

    subject: str
    text: str
    html: str
    images: list[InlineImage]


def subject(kpi: dict[str, Any]) -> str:
    """Name the period, the scope and the headline figures of a run.

    Returns
    -------
    str
        E.g. ``"Laporan Qlue Jakarta Timur 20-27 November 2015: 1.346 laporan,
        126 menunggu"``.
    """
    return (
        f"Laporan Qlue {scope_label(kpi)} {_period(kpi)}: "
        f"{fmt.number(kpi['reports'])} laporan, "
        f"{fmt.number(kpi['status_counts']['merah'])} menunggu"
    )


def scope_label(kpi: dict[str, Any]) -> str:
    """Name a run's scope briefly, e.g. ``"Kecamatan Cakung, Jakarta Timur"``."""
    label = areas.resolve_kota(kpi["kota"]).short_name
    if kpi.get("kecamatan"):
        label = f"Kecamatan {kpi['kecamatan']}, {label}"
    if kpi.get("categories"):
        label = f"{label} (kategori {', '.join(kpi['categories'])})"
    return label


def render_bodies(folder: Path, domain: str = "qlue.invalid") -> Bodies:
    """Render the plain-text and HTML bodies of a run folder's email.

    Parameters
    ----------
    folder : pathlib.Path
        A finished run folder.
    domain : str
        Right-hand side of the images' Content-IDs (the sender's domain).

    Returns
    -------
    Bodies
        The HTML has its CSS inlined and refers to ``images`` by ``cid:``.
    """
    kpi = runfolder.read_kpi(folder)
    images = _images(Path(folder), kpi, domain)
    context = _context(Path(folder), kpi) | {
        "charts": {name: (image.cid, CHART_ALT[name]) for name, image in images.items()}
    }

    html = _inline(_templates().get_template("report.html.j2").render(context))
    size = len(html.encode("utf-8"))
    if size > BODY_LIMIT:
        logger.warning(
            "the email body of %s is %d bytes; Gmail may clip it", folder, size
        )
    text = _templates().get_template("report.txt.j2").render(context)
    return Bodies(subject(kpi), text, html, list(images.values()))


def report_message(folder: Path, recipient: Recipient, sender: str) -> EmailMessage:
    """Build the email of a run folder for one recipient.

    Parameters
    ----------
    folder : pathlib.Path
        A finished run folder.
    recipient : Recipient
        Named in ``To`` with all their addresses.
    sender : str
        The ``From`` header, e.g. ``Qlue Jaktim <qlue@example.go.id>``.

    Returns
    -------
    EmailMessage
        Structured as the module's docstring shows, with a fresh Message-ID.
    """
    domain = _domain(sender)
    bodies = render_bodies(folder, domain)
    message = _headed(bodies.subject, sender, recipient.name, recipient.addresses)

    message.set_content(bodies.text)
    message.add_alternative(bodies.html, subtype="html")
    html_part = message.get_payload()[1]
    for image in bodies.images:
        html_part.add_related(
            image.path.read_bytes(),
            "image",
            "png",
            cid=f"<{image.cid}>",
            disposition="inline",
            filename=image.path.name,
        )

    _attach_report(message, Path(folder))
    message["Content-Language"] = "id"  # after the body: set_content drops it
    return message


def failure_message(
    failed: Path, recipients: list[Recipient], sender: str, maintainer: str
) -> EmailMessage:
    """Build the notice that a run failed, for the maintainer.

    Parameters
    ----------
    failed : pathlib.Path
        A ``<scope>.failed`` folder holding ``failure.json``.
    recipients : list of Recipient
        Those who did not get their report.
    sender, maintainer : str
        ``From`` and ``To``.
    """
    failure = _failure(failed)
    scope, _, _ = failed.name.partition(".failed")
    period = failed.parent.name.replace("_", " s.d. ")
    context = {
        "scope": scope,
        "period": period,
        "recipients": recipients,
        "failure": failure,
        "folder": failed,
    }
    message = _headed(
        f"Laporan Qlue GAGAL dibuat: {scope}, {period}",
        sender,
        "Pengelola Laporan Qlue",
        (maintainer,),
    )
    message.set_content(_templates().get_template("failure.txt.j2").render(context))
    message["Content-Language"] = "id"
    return message


def _context(folder: Path, kpi: dict[str, Any]) -> dict[str, Any]:
    counts, total = kpi["status_counts"], kpi["reports"]
    ranked = _ranked(folder)
    return {
        "kpi": kpi,
        "place": _place(kpi),
        "categories": ", ".join(kpi.get("categories", [])),
        "period": _period(kpi),
        "total": fmt.number(total),
        "figures": _figures(counts, total),
        "status_table": _status_table(folder, kpi),
        "ranking_tables": _ranking_tables(ranked),
        "top_text": _ranking_lines(kpi["ranking"], slice(None, 3)),
        "bottom_text": _ranking_lines(kpi["ranking"], slice(-3, None)),
        "attachments": _attachment_names(folder, kpi),
        "speed": _speed_lines(kpi),
    }


def _speed_lines(kpi: dict[str, Any]) -> list[tuple[str, str]]:
    """Response, completion, service levels and backlog, as (label, value) lines.

    Runs made before these figures existed have none of them: no lines.
    """
    if "backlog_open" not in kpi:
        return []

    def hours(key: str) -> str:
        value = kpi.get(key)
        return "belum diketahui" if value is None else fmt.hours_label(value)

    def share(key: str) -> str:
        value = kpi.get(key)
        return "–" if value is None else fmt.percent(value)

    older = kpi.get("backlog_by_age", {}).get("age_7_plus", 0)
    return [
        ("Median waktu tanggapan", hours("response_hours_median")),
        ("Median waktu penyelesaian", hours("completion_hours_median")),
        (
            f"Ditanggapi dalam {fmt.limit_label(kpi['answer_limit_hours'])}",
            share("answered_within_share"),
        ),
        (
            f"Selesai dalam {fmt.limit_label(kpi['finish_limit_hours'])}",
            share("finished_within_share"),
        ),
        (
            "Tunggakan pada akhir periode",
            f"{fmt.number(kpi['backlog_open'])} laporan "
            f"({fmt.number(older)} lebih dari 7 hari)",
        ),
    ]


def _images(folder: Path, kpi: dict[str, Any], domain: str) -> dict[str, InlineImage]:
    """Name the charts the body shows, each with a fresh Content-ID.

    The status chart of a single kecamatan is left out: one bar says nothing.
    """
    names = [
        n for n in CHART_ALT if not (kpi.get("kecamatan") and n == "status_kecamatan")
    ]
    paths = {name: folder / runfolder.CHARTS / f"{name}.png" for name in names}
    return {
        name: InlineImage(f"{name}.{secrets.token_hex(6)}@{domain}", path)
        for name, path in paths.items()
        if path.is_file()
    }


def _figures(counts: dict[str, int], total: int) -> list[dict[str, str]]:
    labels = {"merah": "Menunggu", "kuning": "Proses", "hijau": "Selesai"}
    return [
        {
            "status": status,
            "label": label,
            "value": fmt.number(counts[status]),
            "share": fmt.percent(counts[status] / total) if total else fmt.MISSING,
        }
        for status, label in labels.items()
    ]


def _status_table(folder: Path, kpi: dict[str, Any]) -> HtmlFragment:
    level = "kelurahan" if kpi.get("kecamatan") else "kecamatan"
    frame = _read_table(folder, f"status_{level}")
    is_total = frame[f"kode_{level}"].isna()
    shown = [level, *STATUS_COLUMNS]
    return table(
        frame.loc[~is_total, shown],
        labels={level: level.capitalize(), **STATUS_COLUMNS},
        formats={"share_hijau": "percent"},
        caption=f"Status laporan per {level}",
        total_row=frame.loc[is_total, shown].iloc[0] if is_total.any() else None,
    )


def _ranked(folder: Path) -> pd.DataFrame:
    frame = _read_table(folder, "peringkat")
    return frame.loc[frame["ranked"].astype(bool), list(RANKING_COLUMNS)]


def _ranking_tables(ranked: pd.DataFrame) -> list[HtmlFragment]:
    """Show every kelurahan of a small scope, else the top and the bottom."""
    if len(ranked) <= 2 * TOP:
        parts = [(ranked, f"Semua {len(ranked)} kelurahan")]
    else:
        parts = [
            (ranked.head(TOP), f"{TOP} teratas"),
            (ranked.tail(TOP), f"{TOP} terbawah"),
        ]
    return [
        table(rows, labels=RANKING_COLUMNS, caption=caption) for rows, caption in parts
    ]


def _ranking_lines(entries: list[dict[str, Any]], part: slice) -> list[str]:
    """Describe the ranked kelurahan in `part` of the ranking, one line each."""
    ranked = [entry for entry in entries if entry.get("rank") is not None]
    return [
        f"{entry['rank']}. {entry['kelurahan']}: {fmt.number(entry['points'])} poin "
        f"({fmt.number(entry['hijau'])} selesai, {fmt.number(entry['kuning'])} "
        f"proses, {fmt.number(entry['merah'])} menunggu)"
        for entry in ranked[part]
    ]


def _attach_report(message: EmailMessage, folder: Path) -> None:
    """Attach the full report and the tables, byte for byte (UTF-8)."""
    names = _attachment_names(folder, runfolder.read_kpi(folder))
    files = [(folder / runfolder.HTML, "html", names["report"])]
    files += [(path, "csv", name) for path, name in names["tables"]]
    for path, subtype, name in files:
        message.add_attachment(
            path.read_bytes(),
            "text",
            subtype,
            filename=name,
            params={"charset": "utf-8"},
        )


def _attachment_names(folder: Path, kpi: dict[str, Any]) -> dict[str, Any]:
    stem = f"{folder.name}_{kpi['period_start']}_{kpi['period_end']}"
    tables = [folder / runfolder.TABLES / f"{name}.csv" for name in ATTACHED_TABLES]
    return {
        "report": f"laporan-qlue_{stem}.html",
        "tables": [
            (path, f"{path.stem}_{stem}.csv") for path in tables if path.is_file()
        ],
    }


def _headed(
    title: str, sender: str, name: str, addresses: tuple[str, ...]
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = sender
    message["To"] = [Address(display_name=name, addr_spec=a) for a in addresses]
    message["Date"] = format_datetime(localtime())
    message["Message-ID"] = make_msgid("qlue", _domain(sender))
    message["Auto-Submitted"] = "auto-generated"
    return message


def _read_table(folder: Path, name: str) -> pd.DataFrame:
    path = folder / runfolder.TABLES / f"{name}.csv"
    codes = {"kode_kecamatan": str, "kode_kelurahan": str}
    return pd.read_csv(path, encoding="utf-8-sig", dtype=codes)


def _failure(failed: Path) -> dict[str, Any]:
    path = failed / runfolder.FAILURE
    if not path.is_file():
        return {"notebook": "?", "cell_index": "?", "cell": "?", "error": "?"}
    return json.loads(path.read_text(encoding="utf-8"))


def _place(kpi: dict[str, Any]) -> str:
    kecamatan = kpi.get("kecamatan")
    return f"Kecamatan {kecamatan}, {kpi['kota']}" if kecamatan else kpi["kota"]


def _period(kpi: dict[str, Any]) -> str:
    end = date.fromisoformat(kpi["period_end"])
    if not kpi.get("period_end_inclusive", True):
        end -= timedelta(days=1)
    return fmt.period_label(date.fromisoformat(kpi["period_start"]), end)


def _domain(sender: str) -> str:
    return sender.rpartition("@")[2].rstrip(">").strip() or "qlue.invalid"


def _inline(html: str) -> str:
    """Move the template's CSS into style attributes; keep @media rules."""
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    return inliner.inline(html)


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
