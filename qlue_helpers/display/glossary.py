"""A short glossary of the report's figures, in Indonesian Markdown.

The definitions follow the rules the figures use (see
:mod:`qlue_helpers.figures.timings`, ``.service`` and ``.backlog``), with the
limits of the run's own parameters filled in.
"""

from __future__ import annotations

from qlue_helpers.display.format import limit_label, number
from qlue_helpers.figures.backlog import AGE_GROUPS
from qlue_helpers.figures.service import ServiceLevels

HEADING = "## Daftar istilah"


def glossary(levels: ServiceLevels, min_reports: int = 0) -> str:
    """Return the glossary as Markdown: a heading and one bullet per term.

    Parameters
    ----------
    levels : ServiceLevels
        The run's limits, quoted in the definitions.
    min_reports : int, default 0
        The ranking's minimum number of reports; above 0 the definition of
        the ranking says who is left unranked.

    Returns
    -------
    str
    """
    terms = [
        *_reports_and_colours(),
        *_times(),
        *_service(levels),
        *_backlog(levels),
        *_ranking(min_reports),
    ]
    bullets = "\n".join(f"- **{term}**: {text}" for term, text in terms)
    return f"{HEADING}\n\n{bullets}"


def _reports_and_colours() -> list[tuple[str, str]]:
    return [
        (
            "Laporan",
            "pengaduan warga lewat aplikasi Qlue (foto, titik lokasi, kategori, "
            "keterangan singkat). Laporan masuk ke kelurahan tempat titiknya berada.",
        ),
        ("Merah (menunggu)", "laporan belum ditindaklanjuti sama sekali."),
        (
            "Kuning (proses)",
            "kelurahan sudah menanggapi, tetapi laporan belum selesai.",
        ),
        (
            "Hijau (selesai)",
            "laporan sudah ditutup sebagai selesai, dengan foto sesudah perbaikan.",
        ),
        (
            "Aturan periode",
            "satu periode memuat laporan yang dibuat sejak pukul 00.00 WIB hari "
            "pertama sampai sebelum pukul 00.00 WIB sesudah hari terakhir. Status, "
            "waktu dan umur laporan diukur pada saat penutupan itu; kejadian tepat "
            "pada saat penutupan belum dihitung.",
        ),
        (
            "Kategori Lainnya",
            "semua kategori di luar kategori terbanyak yang ditampilkan sendiri.",
        ),
    ]


def _times() -> list[tuple[str, str]]:
    return [
        (
            "Waktu tanggapan",
            "waktu dari laporan dibuat sampai tanggapan pertama (atau sampai "
            "selesai, bila laporan langsung diselesaikan).",
        ),
        (
            "Waktu penyelesaian",
            "waktu dari laporan dibuat sampai laporan ditandai selesai (hijau).",
        ),
        (
            "Laporan terbuka",
            "laporan yang pada saat penutupan belum ditanggapi (untuk waktu "
            "tanggapan) atau belum selesai (untuk waktu penyelesaian). Waktunya "
            "belum diketahui, hanya pasti tidak lebih singkat dari umurnya, maka "
            "laporan ini dihitung paling lambat, tidak diabaikan.",
        ),
        (
            "Median",
            "waktu yang cukup untuk separuh laporan: sedikitnya separuh laporan "
            "ditangani dalam waktu ini atau lebih cepat. Bila lebih dari separuh "
            "laporan masih terbuka, median tertulis belum diketahui.",
        ),
        (
            "Persentil ke-90",
            "waktu yang cukup untuk 90% laporan. Bila lebih dari 10% laporan masih "
            "terbuka, nilainya tertulis belum diketahui.",
        ),
        (
            "Tingkat penyelesaian",
            "persentase laporan yang masuk dalam satu minggu dan sudah hijau pada "
            "akhir minggu itu. Perubahan dihitung terhadap minggu sebelumnya.",
        ),
    ]


def _service(levels: ServiceLevels) -> list[tuple[str, str]]:
    answer, finish = limit_label(levels.answer_hours), limit_label(levels.finish_hours)
    return [
        (
            "Tingkat layanan",
            f"persentase laporan yang ditanggapi dalam {answer} dan yang "
            f"diselesaikan dalam {finish} sejak dibuat; tepat pada batas masih "
            "tepat waktu. Hanya laporan yang batas waktunya sudah lewat pada saat "
            "penutupan yang dinilai (sudah jatuh tempo), baik yang sudah ditangani "
            "maupun yang masih terbuka; laporan yang lebih baru dihitung terpisah "
            "sebagai belum jatuh tempo.",
        )
    ]


def _backlog(levels: ServiceLevels) -> list[tuple[str, str]]:
    groups = ", ".join(
        f'"{label}" ({rule})'
        for label, rule in zip(
            AGE_GROUPS.values(),
            [
                "kurang dari 1 hari",
                "1 hari sampai kurang dari 3 hari",
                "3 hari sampai kurang dari 7 hari",
                "7 hari atau lebih",
            ],
            strict=True,
        )
    )
    answer, finish = limit_label(levels.answer_hours), limit_label(levels.finish_hours)
    return [
        (
            "Tunggakan (backlog)",
            "semua laporan yang masih merah atau kuning pada saat penutupan, kapan "
            "pun laporan itu dibuat, tidak hanya laporan periode ini.",
        ),
        (
            "Umur laporan",
            f"waktu dari laporan dibuat sampai saat penutupan. Kelompok umur: "
            f"{groups}.",
        ),
        (
            "Lewat batas",
            f"laporan tunggakan yang masih merah lebih dari {answer}, atau belum "
            f"selesai lebih dari {finish} sejak dibuat.",
        ),
        (
            "Instansi pemilik",
            "suku dinas (Sudin) atau instansi yang biasanya menangani kategori "
            "laporan, menurut daftar perkiraan proyek ini; kategori yang tidak "
            "terdaftar masuk Lainnya / Kelurahan (PPSU).",
        ),
        (
            "Laporan dibuka kembali",
            "laporan yang pernah selesai tetapi statusnya kembali merah atau "
            "kuning, misalnya karena warga menilai perbaikannya buruk. Dihitung "
            "menurut status saat data diekspor.",
        ),
    ]


def _ranking(min_reports: int) -> list[tuple[str, str]]:
    ranked = "Kelurahan dengan poin sama berbagi peringkat."
    if min_reports > 0:
        ranked += (
            f" Kelurahan dengan kurang dari {number(min_reports)} laporan dalam "
            "periode tetap ditampilkan, tetapi tanpa peringkat."
        )
    return [
        (
            "Poin",
            "nilai tiap laporan menurut statusnya pada akhir periode, dijumlahkan "
            "per kelurahan, menurut aturan poin yang tertulis di samping tabel "
            "peringkat. Aturan ini perkiraan: Qlue tidak pernah menerbitkan "
            "rumusnya.",
        ),
        ("Peringkat", f"urutan kelurahan menurut poin. {ranked}"),
        (
            "Perubahan peringkat",
            "selisih peringkat minggu sebelumnya dengan minggu ini; angka positif "
            "berarti naik.",
        ),
    ]
