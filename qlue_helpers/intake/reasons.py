"""Why a row is set aside: reason codes and their plain explanations."""

from __future__ import annotations

# In order of precedence: a row failing several checks is filed under the
# first; the others are listed beside it.
REASONS = {
    "bad_line": "Baris tidak dapat dipisah menjadi kolom: jumlah kolomnya tidak sama "
    "dengan baris judul.",
    "missing_id": "Tidak ada ID laporan.",
    "duplicate_id": "ID laporan sudah muncul di baris sebelumnya (salinan pertama "
    "dipakai).",
    "bad_date": "Tanggal/waktu tidak terbaca.",
    "missing_created_at": "Waktu laporan dibuat kosong.",
    "missing_status_time": "Waktu perubahan status kosong.",
    "incomplete_history": "Baris lain dari riwayat status laporan ini disisihkan, "
    "jadi riwayatnya tidak lengkap.",
    "responded_before_created": "Waktu tanggapan sebelum laporan dibuat.",
    "completed_before_created": "Waktu selesai sebelum laporan dibuat.",
    "future_time": "Waktu sesudah saat data diekspor.",
    "ambiguous_area": "Nama wilayah cocok dengan beberapa wilayah sekaligus; "
    "kecamatan/kota tidak cukup untuk memilih.",
    "unknown_area": "Wilayah kosong atau tidak ditemukan di daftar wilayah resmi.",
    "unknown_status": "Status kosong atau tidak dikenal (bukan kata status yang "
    "tercantum di profil sumber).",
    "status_without_time": "Status hijau tanpa waktu selesai, atau kuning tanpa "
    "waktu tanggapan.",
    "bad_coordinates": "Koordinat tidak terbaca atau di luar rentang lintang/bujur.",
}

# Facts worth counting that do not set a row aside.
NOTES = {
    "no_point": "Koordinat 0/0 dibaca sebagai tanpa titik (laporan tetap dipakai).",
    "status_derived": "Berkas tanpa kolom status: status diturunkan dari waktu "
    "tanggapan dan waktu selesai.",
    "time_from_status_time": "Waktu tanggapan/selesai diambil dari waktu perubahan "
    "status terakhir.",
    "reopened": "Laporan yang pernah hijau lalu kembali merah/kuning.",
}


def explain(reason: str) -> str:
    """Return the Indonesian explanation of a reason (or note) code."""
    return REASONS.get(reason) or NOTES[reason]
