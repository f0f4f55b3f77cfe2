"""Why a row is set aside: reason codes and their plain explanations."""

from __future__ import annotations

# In order of precedence: a row failing several checks is filed under the
# first; the others are listed beside it.
REASONS = {
    "missing_id": "Tidak ada ID laporan.",
    "duplicate_id": "ID laporan sudah muncul di baris sebelumnya (salinan pertama "
    "dipakai).",
    "bad_date": "Tanggal/waktu tidak terbaca.",
    "missing_created_at": "Waktu laporan dibuat kosong.",
    "responded_before_created": "Waktu tanggapan sebelum laporan dibuat.",
    "completed_before_created": "Waktu selesai sebelum laporan dibuat.",
    "future_time": "Waktu sesudah saat data diekspor.",
    "unknown_area": "Kode kelurahan tidak ada di daftar wilayah resmi.",
    "unknown_status": "Status bukan merah, kuning atau hijau.",
    "status_without_time": "Status hijau tanpa waktu selesai, atau kuning tanpa "
    "waktu tanggapan.",
    "bad_coordinates": "Koordinat di luar rentang lintang/bujur.",
}


def explain(reason: str) -> str:
    """Return the Indonesian explanation of a reason code."""
    return REASONS[reason]
