"""The report's sentences: summary, period rule, formula, data quality.

Each function turns figures into short Markdown in plain Indonesian. Only
official area names and numbers go into the text; nothing a citizen wrote.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from qlue_helpers.areas import Kota
from qlue_helpers.canonical import TIMEZONE
from qlue_helpers.display.format import (
    date_label,
    limit_label,
    number,
    percent,
    period_label,
)
from qlue_helpers.figures import Period, ScoringRule
from qlue_helpers.figures.backlog import OverdueList
from qlue_helpers.figures.ranking import TIE_RULE
from qlue_helpers.figures.service import ServiceLevels
from qlue_helpers.intake import explain

STATUS_WORDS = {
    "merah": "menunggu (merah)",
    "kuning": "sedang diproses (kuning)",
    "hijau": "selesai (hijau)",
}


def heading(
    kota: Kota, period: Period, kecamatan: str = "", categories: tuple[str, ...] = ()
) -> str:
    """Return the report's title block, naming the scope and the period."""
    place = f"Kecamatan {kecamatan}, {kota.nama}" if kecamatan else kota.nama
    lines = [
        "# Laporan Penanganan Pengaduan Qlue",
        f"**{escape(place)}** · periode "
        f"**{period_label(period.start, period.last_day)}**",
    ]
    if categories:
        lines.append(f"Kategori: {escape(', '.join(categories))}")
    return "\n\n".join(lines)


def summary(
    kota: Kota,
    period: Period,
    counts: dict[str, int],
    ranking: pd.DataFrame,
    unit: str = "kelurahan",
) -> str:
    """Return the opening paragraph: volume, statuses, leaders and laggards.

    ``unit`` names the ranked level (``kelurahan`` in Jakarta).
    """
    total = sum(counts.values())
    if total == 0:
        return (
            f"Tidak ada laporan masuk di {escape(kota.short_name)} selama "
            f"{period_label(period.start, period.last_day)}."
        )

    shares = {status: counts[status] / total for status in counts}
    top = ranking.iloc[0]
    ranked = ranking.loc[ranking["laporan"] > 0]
    bottom = ranked.iloc[-1]
    return (
        f"Selama {period_label(period.start, period.last_day)} masuk "
        f"**{number(total)} laporan** warga untuk {escape(kota.short_name)}. "
        f"Pada akhir periode, {number(counts['hijau'])} laporan "
        f"({percent(shares['hijau'])}) sudah selesai, {number(counts['kuning'])} "
        f"({percent(shares['kuning'])}) masih diproses, dan "
        f"**{number(counts['merah'])} ({percent(shares['merah'])}) belum "
        f"ditanggapi**.\n\n"
        f"Peringkat poin tertinggi: **{escape(top['kelurahan'])}** "
        f"({number(top['points'])} poin dari {number(top['laporan'])} laporan). "
        f"Terendah di antara {escape(unit)} yang menerima laporan: "
        f"**{escape(bottom['kelurahan'])}** ({number(bottom['points'])} poin)."
    )


def period_rule(period: Period) -> str:
    """Explain which reports count and when their status is taken."""
    last = "ikut" if period.end_inclusive else "tidak ikut"
    zone = "WIB" if period.timezone == TIMEZONE else f"waktu {period.timezone}"
    return (
        f"**Aturan periode.** Dihitung laporan yang dibuat sejak "
        f"{date_label(period.start)} pukul 00.00 {zone} sampai sebelum "
        f"{date_label(period.closes.date())} pukul 00.00 {zone} ({period.days} hari; "
        f"tanggal akhir {date_label(period.end)} {last} dihitung). Status tiap "
        f"laporan adalah statusnya pada akhir periode, dihitung dari waktu "
        f"tanggapan dan waktu selesai, sehingga angka periode yang lalu tetap "
        f"sama kapan pun laporan ini dibuat ulang."
    )


def formula(rule: ScoringRule) -> str:
    """Return the points formula, the rule's caveat and the tie rule."""
    hours = number(rule.fast_hours, digits=0 if rule.fast_hours % 1 == 0 else 1)
    terms = [
        (rule.hijau_cepat, f"selesai cepat (≤ {hours} jam)"),
        (rule.hijau_lambat, "selesai lambat"),
        (rule.kuning, "diproses"),
        (rule.merah, "menunggu"),
    ]
    text = " ".join(
        f"{'−' if points < 0 else '+'} {number(abs(points))} × {label}"
        for points, label in terms
    ).removeprefix("+ ")
    return (
        f"**Rumus poin** (aturan `{escape(rule.name)}`): poin = {text}.\n\n"
        f"{escape(rule.note)}\n\n{TIE_RULE}"
    )


def data_quality(summary: dict, outside: int) -> str:
    """Describe what came in, what was used and what was set aside, by reason."""
    lines = [
        f"Berkas **{escape(summary['source'])}** (profil "
        f"`{escape(summary.get('profile', 'canonical'))}`): "
        f"{number(summary['rows_in'])} baris masuk, {number(summary['accepted'])} "
        f"dipakai, {number(summary['quarantined'])} disisihkan.",
        "",
    ]
    for reason, count in summary["reasons"].items():
        lines.append(
            f"- {number(count)} baris disisihkan: {explain(reason)} (`{reason}`)"
        )
    for note, count in summary.get("notes", {}).items():
        lines.append(
            f"- {number(count)} baris dipakai dengan catatan: "
            f"{explain(note)} (`{note}`)"
        )
    if outside:
        lines.append(
            f"\n{number(outside)} laporan yang dipakai berada di luar cakupan "
            "laporan ini dan tidak dihitung di sini."
        )
    return "\n".join(lines)


def service_caption(levels: ServiceLevels) -> str:
    """Caption of the service-level table, naming both limits."""
    return (
        f"Laporan yang sudah jatuh tempo: ditanggapi dalam "
        f"{limit_label(levels.answer_hours)}, selesai dalam "
        f"{limit_label(levels.finish_hours)}"
    )


def overdue_intro(
    levels: ServiceLevels, by_agency: OverdueList, unit: str = "kelurahan"
) -> str:
    """Introduce the overdue lists: what overdue means and how many there are."""
    total = int(by_agency.groups["overdue"].sum()) if len(by_agency.groups) else 0
    if total == 0:
        return "Tidak ada laporan yang lewat batas waktu pada akhir periode."
    return (
        f"**{number(total)} laporan lewat batas waktu** pada akhir periode: belum "
        f"ditanggapi lebih dari {limit_label(levels.answer_hours)}, atau belum "
        f"selesai lebih dari {limit_label(levels.finish_hours)}. Daftar di bawah "
        f"menampilkan yang tertua per instansi dan per {escape(unit)}."
    )


def group_headings(groups: pd.DataFrame, column: str) -> dict[str, str]:
    """Heading per overdue group: how many are overdue and how many are listed."""
    headings = {}
    for name, overdue, shown in zip(
        groups[column], groups["overdue"], groups["shown"], strict=True
    ):
        rest = f", {number(shown)} tertua ditampilkan" if overdue > shown else ""
        headings[name] = f"{name}: {number(overdue)} laporan lewat batas{rest}"
    return headings


def unranked(ranking: pd.DataFrame, min_reports: int) -> str | None:
    """Say which kelurahan are listed but not ranked, if any."""
    left_out = ranking.loc[~ranking["ranked"], "kelurahan"]
    if left_out.empty:
        return None
    return (
        f"{number(len(left_out))} kelurahan dengan kurang dari {number(min_reports)} "
        "laporan dalam periode ini dicantumkan tetapi tidak diberi peringkat."
    )
