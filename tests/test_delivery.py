"""Fast delivery tests: the recipients file, SMTP settings, retries, the ledger.

No notebook and no mail server here; tests/test_mail.py has those.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qlue_helpers import params
from qlue_helpers.delivery import (
    DeliveryError,
    Ledger,
    RetryPolicy,
    SmtpSettings,
    distinct_scopes,
    load_recipients,
    recipients_for,
)
from qlue_helpers.errors import ParameterError

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "qlue_helpers/data/sample/laporan_jakarta_timur_2015-11.csv"
SCORING = PROJECT / "params/scoring/default.yaml"
SECRET = "Rahasia-Sekali-7731"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "recipients.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_project_recipients_file_is_valid():
    recipients = load_recipients()
    names = {r.name: r for r in recipients}
    assert names["Camat Cakung"].scope.kecamatan == "Cakung"
    assert names["Sudin Bina Marga Jakarta Timur"].scope.categories == ("Jalan rusak",)
    walikota = names["Kantor Walikota Jakarta Timur"]
    assert walikota.scope.kecamatan == ""
    assert walikota.scope.categories == ()
    assert len(walikota.addresses) == 2
    assert len(distinct_scopes(recipients)) == len(recipients)


def test_recipients_share_a_scope_and_names_are_normalised(tmp_path):
    path = write(
        tmp_path,
        """
recipients:
  - name: Camat Cakung
    email: camat.cakung@example.go.id
    scope: {kota: jaktim, kecamatan: CAKUNG}
  - name: Sekcam Cakung
    email: [sekcam.cakung@example.go.id]
    scope: {kota: "31.75", kecamatan: "31.75.06"}
  - name: Sudin Perhubungan
    email: [dishub@example.go.id]
    scope: {kota: Jakarta Timur, categories: [kemacetan, PARKIR LIAR]}
""",
    )
    recipients = load_recipients(path)
    assert recipients[0].addresses == ("camat.cakung@example.go.id",)
    assert recipients[0].scope == recipients[1].scope
    assert recipients[2].scope.categories == ("Parkir liar", "Kemacetan")
    assert len(distinct_scopes(recipients)) == 2


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "scope: {kota: Jakarta Timur, kecamatan: Cakungg}",
            ["entry 1 (Camat X)", "scope", "no kecamatan 'Cakungg'", "Cakung"],
        ),
        (
            "scope: {kota: Jakarta Tengah}",
            ["entry 1 (Camat X)", "Unknown kota 'Jakarta Tengah'", "Jakarta Timur"],
        ),
        (
            "scope: {kota: Jakarta Timur, categories: [Jalan rusakk]}",
            ["entry 1 (Camat X)", "unknown categories ['Jalan rusakk']", "Jalan rusak"],
        ),
        (
            "scope: {kota: Jakarta Timur, kecamatn: Cakung}",
            ["unknown keys ['kecamatn']", "kecamatan"],
        ),
        ("scope: Jakarta Timur", ["expected a mapping with `kota`", "'Jakarta Timur'"]),
    ],
)
def test_bad_scope_is_explained(tmp_path, entry, expected):
    path = write(
        tmp_path,
        f"recipients:\n  - name: Camat X\n    email: [x@example.go.id]\n    {entry}\n",
    )
    with pytest.raises(ParameterError) as caught:
        load_recipients(path)
    message = str(caught.value)
    assert str(path) in message
    for part in expected:
        assert part in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("recipients: []\n", "non-empty list under `recipients:`"),
        ("penerima: []\n", "found nothing"),
        (
            "recipients:\n  - name: A\n    email: [bukan-alamat]\n"
            "    scope: {kota: Jakarta Timur}\n",
            "entry 1 (A): email: expected an email address",
        ),
        (
            "recipients:\n  - {name: A, email: [], scope: {kota: Jakarta Timur}}\n",
            "expected one address or a list",
        ),
        (
            "recipients:\n  - {email: [a@x.id], scope: {kota: Jakarta Timur}}\n",
            "entry 1: `name` must be",
        ),
        (
            "recipients:\n"
            "  - {name: Camat A, email: a@x.id, scope: {kota: Jakarta Timur}}\n"
            "  - {name: camat a, email: b@x.id, scope: {kota: Jakarta Timur}}\n",
            "are the same recipient",
        ),
    ],
)
def test_bad_file_is_explained(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ParameterError, match="recipients.yaml") as caught:
        load_recipients(path)
    assert expected in str(caught.value)


def test_scope_slug_is_the_run_folder_name(tmp_path):
    path = write(
        tmp_path,
        """
recipients:
  - {name: A, email: a@x.id, scope: {kota: Jakarta Timur}}
  - {name: B, email: b@x.id, scope: {kota: Jakarta Timur, kecamatan: Duren Sawit}}
  - {name: C, email: c@x.id, scope: {kota: Jakarta Timur, categories: [Jalan rusak]}}
""",
    )
    for recipient in load_recipients(path):
        values = dict(recipient.scope.overrides())
        settings = params.settings(
            data=str(SAMPLE),
            kota=values["kota"],
            period_start="2015-11-20",
            period_end="2015-11-27",
            scoring=str(SCORING),
            kecamatan=values["kecamatan"],
            categories=values["categories"],
        )
        assert recipient.scope.slug == settings.slug


def test_scope_matches_only_its_own_run():
    recipients = load_recipients()
    kota_run = {
        "kota": "Kota Administrasi Jakarta Timur",
        "kecamatan": "",
        "categories": [],
    }
    cakung_run = kota_run | {"kecamatan": "Cakung"}
    roads_run = kota_run | {"categories": ["jalan rusak"]}
    assert [r.name for r in recipients_for(recipients, kota_run)] == [
        "Kantor Walikota Jakarta Timur"
    ]
    assert [r.name for r in recipients_for(recipients, cakung_run)] == ["Camat Cakung"]
    assert [r.name for r in recipients_for(recipients, roads_run)] == [
        "Sudin Bina Marga Jakarta Timur"
    ]
    pusat = kota_run | {"kota": "Kota Administrasi Jakarta Pusat"}
    assert recipients_for(recipients, pusat) == []


BASE_ENV = {
    "QLUE_SMTP_HOST": "smtp.example.go.id",
    "QLUE_MAIL_FROM": "Laporan Qlue <qlue@example.go.id>",
}


@pytest.mark.parametrize("missing", ["QLUE_SMTP_HOST", "QLUE_MAIL_FROM"])
def test_missing_setting_names_the_variable(missing):
    env = {k: v for k, v in BASE_ENV.items() if k != missing}
    with pytest.raises(DeliveryError, match=missing):
        SmtpSettings.from_environment(env)


def test_settings_defaults_and_ports():
    settings = SmtpSettings.from_environment(BASE_ENV)
    assert (settings.security, settings.port) == ("starttls", 587)
    assert (
        SmtpSettings.from_environment(BASE_ENV | {"QLUE_SMTP_SECURITY": "ssl"}).port
        == 465
    )
    custom = SmtpSettings.from_environment(
        BASE_ENV | {"QLUE_SMTP_SECURITY": "none", "QLUE_SMTP_PORT": "2525"}
    )
    assert (custom.security, custom.port, custom.user) == ("none", 2525, "")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"QLUE_SMTP_SECURITY": "tls"}, "QLUE_SMTP_SECURITY must be none, starttls"),
        ({"QLUE_SMTP_PORT": "lima"}, "QLUE_SMTP_PORT must be a int"),
        ({"QLUE_SMTP_USER": "qlue"}, "QLUE_SMTP_PASSWORD is not set"),
        ({"QLUE_SMTP_PASSWORD": SECRET}, "QLUE_SMTP_USER is not set"),
        (
            {
                "QLUE_SMTP_USER": "qlue",
                "QLUE_SMTP_PASSWORD": SECRET,
                "QLUE_SMTP_SECURITY": "none",
            },
            "unencrypted",
        ),
        ({"QLUE_MAIL_ERRORS": "pengelola"}, "QLUE_MAIL_ERRORS"),
    ],
)
def test_wrong_settings_are_explained_without_the_password(extra, expected):
    with pytest.raises(DeliveryError) as caught:
        SmtpSettings.from_environment(BASE_ENV | extra)
    assert expected in str(caught.value)
    assert SECRET not in str(caught.value)


def test_password_stays_out_of_repr():
    settings = SmtpSettings.from_environment(
        BASE_ENV | {"QLUE_SMTP_USER": "qlue", "QLUE_SMTP_PASSWORD": SECRET}
    )
    assert settings.password == SECRET
    assert SECRET not in repr(settings)
    assert settings.scrub(f"535 bad {SECRET}") == "535 bad ***"


def test_retry_waits_double():
    assert list(RetryPolicy(attempts=4, delay=0.5).waits()) == [0.5, 1.0, 2.0]
    assert list(RetryPolicy(attempts=1).waits()) == []
    settings = SmtpSettings.from_environment(
        BASE_ENV | {"QLUE_SMTP_ATTEMPTS": "3", "QLUE_SMTP_RETRY_DELAY": "0.01"}
    )
    assert settings.retry == RetryPolicy(attempts=3, delay=0.01)


def test_ledger_records_addresses_per_recipient(tmp_path):
    ledger = Ledger(tmp_path)
    assert ledger.delivered("Camat Cakung") == set()
    ledger.path.parent.mkdir()
    ledger.record("Camat Cakung", ["a@example.go.id"], "<1@example.go.id>")
    ledger.record("Camat Cakung", ["b@example.go.id"], "<2@example.go.id>")
    ledger.record("Camat Makasar", ["c@example.go.id"], "<3@example.go.id>")
    assert ledger.delivered("Camat Cakung") == {"a@example.go.id", "b@example.go.id"}

    lines = ledger.path.read_text().splitlines()
    entry = json.loads(lines[0])
    assert set(entry) == {"recipient", "addresses", "message_id", "time"}
    assert entry["time"].endswith("+07:00")


def test_ledger_ignores_a_broken_line(tmp_path, caplog):
    ledger = Ledger(tmp_path)
    ledger.path.parent.mkdir()
    ledger.record("Camat Cakung", ["a@example.go.id"], "<1@example.go.id>")
    with ledger.path.open("a") as handle:
        handle.write('{"recipient": "Camat Cak')
    assert ledger.delivered("Camat Cakung") == {"a@example.go.id"}
    assert "line 2 is unreadable" in caplog.text
