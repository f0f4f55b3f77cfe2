"""The mail tier: real report runs, a real SMTP server, a real browser.

`qlue weekly` runs the real notebook for three scopes; `qlue send` delivers
them to an aiosmtpd server on 127.0.0.1, and each received message is parsed
back with the ``email`` package. Expected figures come from each run's
``kpi.json``, formatted by hand (1346 -> "1.346").
"""

from __future__ import annotations

import email
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from pathlib import Path

import nbformat
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from qlue_helpers import cli
from qlue_helpers.delivery import compose, load_recipients, run_weekly

PROJECT = Path(__file__).resolve().parent.parent
WEEKLY = PROJECT / "params" / "weekly.yaml"
PERIOD = "2015-11-20_2015-11-27"
PASSWORD = "Sandi-Rahasia-48151623"
WALIKOTA = ("walikota.jaktim@example.go.id", "tapem.jaktim@example.go.id")
RECIPIENTS = f"""
recipients:
  - name: Kantor Walikota Jakarta Timur
    email: [{WALIKOTA[0]}, {WALIKOTA[1]}]
    scope: {{kota: Jakarta Timur}}
  - name: Sudin Bina Marga Jakarta Timur
    email: [binamarga.jaktim@example.go.id]
    scope: {{kota: Jakarta Timur, categories: [Jalan rusak]}}
  - name: Camat Cakung
    email: [camat.cakung@example.go.id]
    scope: {{kota: Jakarta Timur, kecamatan: Cakung}}
"""
MAINTAINER = "pengelola.qlue@example.go.id"
FAILING_CELL = """\
# Test: a failure made on purpose for the Cakung scope only
if kecamatan.strip().lower() == "cakung":
    raise RuntimeError("kegagalan buatan untuk uji")
"""

pytestmark = [pytest.mark.mail, pytest.mark.notebook]


# --- the runs -------------------------------------------------------------


@pytest.fixture(scope="module")
def recipients_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("params") / "recipients.yaml"
    path.write_text(RECIPIENTS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def weekly(tmp_path_factory, recipients_file) -> subprocess.CompletedProcess:
    """`qlue weekly` for three scopes, two notebooks at a time."""
    outputs = tmp_path_factory.mktemp("outputs")
    return subprocess.run(
        [sys.executable, "-m", "qlue_helpers.cli", "weekly", str(WEEKLY)]
        + ["--recipients", str(recipients_file), "--jobs", "2"]
        + ["--outputs", str(outputs)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=600,
    )


@pytest.fixture(scope="module")
def weekly_period(weekly) -> Path:
    assert weekly.returncode == 0, weekly.stderr
    return Path(weekly.stdout.split()[0]).parent


@pytest.fixture(scope="module")
def failing_weekly(tmp_path_factory, recipients_file):
    """The weekly run with a notebook that fails for Cakung only."""
    folder = tmp_path_factory.mktemp("failing")
    # The notebook's default paths point beside notebooks/: mirror that layout.
    for name in ("params", "qlue_helpers"):
        (folder / name).symlink_to(PROJECT / name)
    (folder / "notebooks").mkdir()
    notebook = nbformat.read(PROJECT / "notebooks" / "weekly_report.ipynb", 4)
    notebook.cells.insert(1, nbformat.v4.new_code_cell(FAILING_CELL))
    nbformat.write(notebook, folder / "notebooks" / "weekly_report.ipynb")
    chosen = [r for r in load_recipients(recipients_file) if r.name != WALIKOTA_NAME]
    runs = run_weekly(
        WEEKLY,
        chosen,
        outputs=folder / "outputs",
        jobs=2,
        notebook=folder / "notebooks" / "weekly_report.ipynb",
    )
    return runs


WALIKOTA_NAME = "Kantor Walikota Jakarta Timur"


@pytest.fixture
def period(weekly_period, tmp_path) -> Path:
    """A private copy of the weekly period folder, for one test's ledger."""
    return Path(shutil.copytree(weekly_period, tmp_path / PERIOD))


def kpi_of(folder: Path) -> dict:
    return json.loads((folder / "kpi.json").read_text(encoding="utf-8"))


def subject_of(message: EmailMessage) -> str:
    """The subject as a reader sees it (folding may leave a leading space)."""
    return str(message["Subject"]).strip()


def dotted(value: int) -> str:
    """Indonesian thousands, written by hand: 1346 -> 1.346."""
    return f"{value:,}".replace(",", ".")


# --- the SMTP server ------------------------------------------------------


class Recorder:
    """An aiosmtpd handler that keeps what it receives and misbehaves on request."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()
        self.drops = 0
        self.busy = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Kotak surat tidak ada"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drops:
            self.drops -= 1
            server.transport.close()
            return "421 4.4.2 connection dropped"
        if self.busy:
            self.busy -= 1
            return "451 4.3.0 Coba lagi nanti"
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for rcpt, message in self.received if address in rcpt]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_env(monkeypatch):
    """Environment for a plain local server; the port is set by the server."""
    for name in ("QLUE_SMTP_USER", "QLUE_SMTP_PASSWORD", "QLUE_SMTP_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QLUE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("QLUE_SMTP_SECURITY", "none")
    monkeypatch.setenv(
        "QLUE_MAIL_FROM", "Laporan Qlue Jakarta Timur <qlue@example.go.id>"
    )
    monkeypatch.setenv("QLUE_MAIL_ERRORS", MAINTAINER)
    monkeypatch.setenv("QLUE_SMTP_ATTEMPTS", "3")
    monkeypatch.setenv("QLUE_SMTP_RETRY_DELAY", "0.01")
    monkeypatch.setenv("QLUE_SMTP_TIMEOUT", "5")
    return monkeypatch


@pytest.fixture
def server(smtp_env):
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    smtp_env.setenv("QLUE_SMTP_PORT", str(port))
    yield recorder
    controller.stop()


def qlue(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main([*args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def send(capsys, recipients_file, target: Path, *flags: str) -> tuple[int, str, str]:
    return qlue(
        capsys, "send", str(target), "--recipients", str(recipients_file), *flags
    )


# --- weekly -----------------------------------------------------------------


def test_weekly_runs_each_scope_once(weekly, weekly_period):
    folders = [Path(line) for line in weekly.stdout.split()]
    assert [f.name for f in folders] == [
        "jakarta-timur",
        "jakarta-timur--jalan-rusak",
        "jakarta-timur--cakung",
    ]
    kpis = [kpi_of(folder) for folder in folders]
    assert [(k["kecamatan"], k["categories"]) for k in kpis] == [
        ("", []),
        ("", ["Jalan rusak"]),
        ("Cakung", []),
    ]
    # The whole kota holds more reports than either narrower scope.
    assert kpis[0]["reports"] > max(kpis[1]["reports"], kpis[2]["reports"]) > 0


def test_weekly_failure_leaves_the_other_scopes_done(failing_weekly):
    by_slug = {run.scope.slug: run for run in failing_weekly}
    good, bad = by_slug["jakarta-timur--jalan-rusak"], by_slug["jakarta-timur--cakung"]
    assert good.ok
    assert (good.folder / "kpi.json").is_file()
    assert not bad.ok
    assert "kegagalan buatan untuk uji" in bad.error
    assert bad.folder.name == "jakarta-timur--cakung.failed"
    failure = json.loads((bad.folder / "failure.json").read_text())
    assert failure["cell"].startswith("Test: a failure made on purpose")


# --- dry run ----------------------------------------------------------------


def test_dry_run_writes_messages_and_sends_nothing(
    server, period, recipients_file, capsys
):
    code, out, err = send(capsys, recipients_file, period)

    assert code == 0, err
    assert server.received == []
    assert "dry run" in err
    statuses = [line.split("\t")[0] for line in out.splitlines()]
    assert statuses == ["written"] * 3
    for slug, stem in [
        ("jakarta-timur", "kantor-walikota-jakarta-timur"),
        ("jakarta-timur--cakung", "camat-cakung"),
        ("jakarta-timur--jalan-rusak", "sudin-bina-marga-jakarta-timur"),
    ]:
        eml = period / slug / "mail" / f"{stem}.eml"
        message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert subject_of(message).startswith("Laporan Qlue ")
        assert not (period / slug / "mail" / "ledger.jsonl").exists()


def test_dry_run_needs_no_smtp_settings(period, recipients_file, capsys, monkeypatch):
    for name in list(os.environ):
        if name.startswith("QLUE_"):
            monkeypatch.delenv(name)
    code, out, err = send(capsys, recipients_file, period / "jakarta-timur")
    assert code == 0, err
    assert out.startswith("written\tKantor Walikota Jakarta Timur")


# --- the message ------------------------------------------------------------


def parts_of(message: EmailMessage) -> dict:
    """Split a received message into its bodies, images and attachments."""
    alternative, *attachments = message.iter_parts()
    plain, related = alternative.iter_parts()
    html_part, *images = related.iter_parts()
    return {
        "types": (
            message.get_content_type(),
            alternative.get_content_type(),
            plain.get_content_type(),
            related.get_content_type(),
            html_part.get_content_type(),
        ),
        "text": plain.get_content(),
        "html": html_part.get_content(),
        "images": {image["Content-ID"].strip().strip("<>"): image for image in images},
        "attachments": {part.get_filename(): part for part in attachments},
    }


def test_message_structure_and_content(server, period, recipients_file, capsys):
    run = period / "jakarta-timur"
    kpi = kpi_of(run)
    code, out, err = send(capsys, recipients_file, run, "--send")
    assert code == 0, err + out

    [(rcpt, message)] = server.received
    assert sorted(rcpt) == sorted(WALIKOTA)
    counts = kpi["status_counts"]
    assert subject_of(message) == (
        f"Laporan Qlue Jakarta Timur 20-27 November 2015: "
        f"{dotted(kpi['reports'])} laporan, {dotted(counts['merah'])} menunggu"
    )
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == "id"
    assert message["Message-ID"]
    assert {a.addr_spec for a in message["To"].addresses} == set(WALIKOTA)

    parts = parts_of(message)
    assert parts["types"] == (
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
    )
    html = parts["html"]
    cids = re.findall(r'src="cid:([^"]+)"', html)
    assert len(cids) == 2
    assert set(cids) == set(parts["images"])
    assert all(p.get_content_type() == "image/png" for p in parts["images"].values())
    assert "data:" not in html
    assert "<script" not in html.lower()
    assert len(html.encode("utf-8")) < 100_000

    text = parts["text"]
    for figure in (kpi["reports"], counts["merah"], counts["kuning"], counts["hijau"]):
        assert dotted(figure) in text
    assert "20-27 November 2015" in text
    top = kpi["ranking"][0]
    assert f"{top['kelurahan']}: {dotted(top['points'])} poin" in text
    older = kpi["backlog_by_age"]["age_7_plus"]
    assert (
        f"Tunggakan pada akhir periode: {dotted(kpi['backlog_open'])} laporan "
        f"({dotted(older)} lebih dari 7 hari)"
    ) in text
    share = f"{kpi['answered_within_share'] * 100:.1f}".replace(".", ",") + "%"
    assert f"Ditanggapi dalam 24 jam: {share}" in text

    attachments = parts["attachments"]
    report = attachments[f"laporan-qlue_jakarta-timur_{PERIOD}.html"]
    assert report.get_content_type() == "text/html"
    assert report.get_content().encode("utf-8") == (run / "report.html").read_bytes()
    ranking = attachments[f"peringkat_jakarta-timur_{PERIOD}.csv"]
    assert ranking.get_content_type() == "text/csv"
    assert (
        ranking.get_payload(decode=True) == (run / "tables/peringkat.csv").read_bytes()
    )
    # Only the tables the body shows: rows set aside and overdue lists, which
    # hold citizen text and report ids, stay out of the mail.
    assert {name for name in attachments if name.endswith(".csv")} == {
        f"{table}_jakarta-timur_{PERIOD}.csv"
        for table in ("status_kecamatan", "status_kelurahan", "peringkat")
    }


def test_each_recipient_gets_the_report_of_their_scope(
    server, period, recipients_file, capsys
):
    code, out, err = send(capsys, recipients_file, period, "--send")
    assert code == 0, err + out
    assert len(server.received) == 3

    expected = {
        "camat.cakung@example.go.id": ("jakarta-timur--cakung", "Kecamatan Cakung, "),
        "binamarga.jaktim@example.go.id": (
            "jakarta-timur--jalan-rusak",
            "Jakarta Timur (kategori Jalan rusak)",
        ),
        WALIKOTA[0]: ("jakarta-timur", "Laporan Qlue Jakarta Timur 20-27"),
    }
    for address, (slug, words) in expected.items():
        [message] = server.to(address)
        kpi = kpi_of(period / slug)
        assert words in subject_of(message)
        assert f": {dotted(kpi['reports'])} laporan," in subject_of(message)
        assert dotted(kpi["status_counts"]["hijau"]) in parts_of(message)["text"]


def test_ledger_prevents_a_second_delivery(server, period, recipients_file, capsys):
    run = period / "jakarta-timur--cakung"
    assert send(capsys, recipients_file, run, "--send")[0] == 0
    assert len(server.received) == 1
    ledger = (run / "mail/ledger.jsonl").read_text().splitlines()
    [entry] = [json.loads(line) for line in ledger]
    assert entry["recipient"] == "Camat Cakung"
    assert entry["addresses"] == ["camat.cakung@example.go.id"]
    assert entry["message_id"] == server.received[0][1]["Message-ID"]

    code, out, _ = send(capsys, recipients_file, run, "--send")
    assert code == 0
    assert out.startswith("already sent\tCamat Cakung")
    assert len(server.received) == 1

    code, out, _ = send(capsys, recipients_file, run, "--send", "--resend")
    assert code == 0
    assert out.startswith("sent\tCamat Cakung")
    assert len(server.received) == 2
    assert len((run / "mail/ledger.jsonl").read_text().splitlines()) == 2


# --- failures ---------------------------------------------------------------


def test_refused_address_is_reported_and_the_rest_still_go(
    server, period, recipients_file, capsys
):
    server.refuse = {WALIKOTA[1]}
    code, out, _ = send(capsys, recipients_file, period, "--send")

    assert code == 1
    assert {address for rcpt, _ in server.received for address in rcpt} == {
        WALIKOTA[0],
        "camat.cakung@example.go.id",
        "binamarga.jaktim@example.go.id",
    }
    [line] = [line for line in out.splitlines() if "Walikota" in line]
    assert line.startswith("refused\t")
    assert f"{WALIKOTA[1]}: 550 5.1.1 Kotak surat tidak ada" in line

    # Once the mailbox exists, only the refused address is sent to.
    server.refuse = set()
    server.received.clear()
    code, _, _ = send(capsys, recipients_file, period, "--send")
    assert code == 0
    assert [rcpt for rcpt, _ in server.received] == [[WALIKOTA[1]]]


def test_dropped_connection_is_retried(server, period, recipients_file, capsys):
    server.drops = 1
    code, out, err = send(capsys, recipients_file, period / "jakarta-timur", "--send")
    assert code == 0, out + err
    assert len(server.received) == 1
    assert out.startswith("sent\t")


def test_temporary_refusal_is_retried(server, period, recipients_file, capsys, caplog):
    server.busy = 2
    code, out, err = send(capsys, recipients_file, period / "jakarta-timur", "--send")
    assert code == 0, out + err
    assert len(server.received) == 1
    assert caplog.text.count("451 4.3.0 Coba lagi nanti") == 2


def test_unreachable_server_gives_up_quickly(smtp_env, period, recipients_file, capsys):
    smtp_env.setenv("QLUE_SMTP_PORT", str(free_port()))
    code, out, _ = send(capsys, recipients_file, period, "--send")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("failed\t") for line in lines)
    assert "ConnectionRefusedError" in lines[0]
    assert all("not attempted" in line for line in lines[1:])
    assert not list(period.glob("*/mail/ledger.jsonl"))


def test_failed_run_goes_to_the_maintainer_only(
    server, period, failing_weekly, recipients_file, capsys
):
    failed = next(run.folder for run in failing_weekly if not run.ok)
    shutil.copytree(failed, period / failed.name)
    code, out, _ = send(capsys, recipients_file, period, "--send")

    assert code == 1
    assert server.to("camat.cakung@example.go.id") == []
    assert len(server.to(WALIKOTA[0])) == 1
    assert len(server.to("binamarga.jaktim@example.go.id")) == 1
    held = [line for line in out.splitlines() if line.startswith("held")]
    assert len(held) == 1
    assert "Camat Cakung" in held[0]

    [notice] = server.to(MAINTAINER)
    assert "GAGAL" in notice["Subject"]
    assert "jakarta-timur--cakung" in notice["Subject"]
    body = notice.get_content()
    assert "Test: a failure made on purpose for the Cakung scope only" in body
    assert "RuntimeError: kegagalan buatan untuk uji" in body
    assert "Camat Cakung (camat.cakung@example.go.id)" in body

    # The notice is in the failed folder's ledger: not sent twice.
    code, _, _ = send(capsys, recipients_file, period, "--send")
    assert code == 1
    assert len(server.to(MAINTAINER)) == 1


def test_not_a_run_folder_is_explained(tmp_path, recipients_file, capsys):
    code, _, err = send(capsys, recipients_file, tmp_path)
    assert code == 1
    assert "Expected a run folder" in err


# --- TLS and the password ---------------------------------------------------


@pytest.fixture
def certificate(tmp_path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed; it makes the test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(smtp_env, certificate, request):
    """A server that wants TLS (STARTTLS or implicit) and a login."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    security = request.param
    recorder = Recorder()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    port = free_port()
    # aiosmtpd offers AUTH only after its own STARTTLS unless told otherwise.
    tls = {"ssl_context": context, "auth_require_tls": False}
    if security == "starttls":
        tls = {"tls_context": context}
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=port,
        require_starttls=security == "starttls",
        auth_required=True,
        authenticator=authenticator,
        **tls,
    )
    controller.start()
    smtp_env.setenv("QLUE_SMTP_PORT", str(port))
    smtp_env.setenv("QLUE_SMTP_SECURITY", security)
    smtp_env.setenv("QLUE_SMTP_USER", "qlue-jaktim")
    smtp_env.setenv("SSL_CERT_FILE", str(cert))
    yield recorder
    controller.stop()


# With implicit TLS aiosmtpd cannot tell the connection is encrypted and warns.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("tls_server", ["starttls", "ssl"], indirect=True)
def test_tls_and_login(tls_server, smtp_env, period, recipients_file, capsys):
    smtp_env.setenv("QLUE_SMTP_PASSWORD", PASSWORD)
    code, out, err = send(capsys, recipients_file, period / "jakarta-timur", "--send")
    assert code == 0, out + err
    assert len(tls_server.received) == 1


@pytest.mark.parametrize("tls_server", ["starttls"], indirect=True)
def test_password_never_shown(
    tls_server, smtp_env, period, recipients_file, capsys, caplog
):
    caplog.set_level("DEBUG")
    smtp_env.setenv("QLUE_SMTP_PASSWORD", PASSWORD + "-salah")
    code, out, err = qlue(
        capsys,
        "-v",
        "send",
        str(period),
        "--recipients",
        str(recipients_file),
        "--send",
    )

    assert code == 1
    assert tls_server.received == []
    assert "refused the login of QLUE_SMTP_USER 'qlue-jaktim'" in err
    assert "535" in err
    for shown in (out, err, caplog.text):
        assert PASSWORD not in shown
    for path in period.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


# --- what a reader sees -------------------------------------------------------


def viewable(message: EmailMessage, folder: Path) -> Path:
    """Write the HTML body with each cid: turned into the extracted image's file."""
    parts = parts_of(message)
    html = parts["html"]
    for cid, image in parts["images"].items():
        path = folder / f"{cid.split('@')[0]}.png"
        path.write_bytes(image.get_content())
        html = html.replace(f"cid:{cid}", path.as_uri())
    page = folder / "body.html"
    page.write_text(html, encoding="utf-8")
    return page


def open_page(browser, page_path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "dialog", lambda dialog: (problems.append(dialog.message), dialog.dismiss())
    )
    page.goto(page_path.as_uri())
    return page, problems


@pytest.mark.browser
@pytest.mark.parametrize(("width", "shot"), [(390, "phone"), (1280, "desktop")])
def test_email_reads_well(
    browser, server, period, recipients_file, capsys, tmp_path, width, shot
):
    assert send(capsys, recipients_file, period / "jakarta-timur", "--send")[0] == 0
    [(_, message)] = server.received
    page, problems = open_page(browser, viewable(message, tmp_path), width)

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    images = page.evaluate(
        "[...document.images].map(i => [i.naturalWidth, i.alt,"
        " i.getBoundingClientRect().right])"
    )
    assert len(images) == 2
    for natural_width, alt, right in images:
        assert natural_width > 0
        assert alt
        assert right <= width
    container = page.evaluate(
        "document.querySelector('table.container').getBoundingClientRect().width"
    )
    assert container <= 600

    text = page.inner_text("body")
    kpi = kpi_of(period / "jakarta-timur")
    assert dotted(kpi["reports"]) in text
    assert kpi["ranking"][0]["kelurahan"] in text
    assert not problems
    page.screenshot(path=f"/tmp/mail_{shot}.png", full_page=True)
    page.close()


MALICIOUS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


@pytest.mark.browser
def test_citizen_text_stays_text(browser, period, tmp_path):
    run = period / "jakarta-timur"
    top = kpi_of(run)["ranking"][0]["kelurahan"]
    ranking = run / "tables" / "peringkat.csv"
    ranking.write_text(
        ranking.read_text("utf-8-sig").replace(top, MALICIOUS[0]), "utf-8-sig"
    )
    status = run / "tables" / "status_kecamatan.csv"
    status.write_text(
        status.read_text("utf-8-sig").replace("Cakung", MALICIOUS[1]), "utf-8-sig"
    )

    bodies = compose.render_bodies(run)
    html = bodies.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html
    assert "<img src=x" not in html

    for image in bodies.images:
        html = html.replace(f"cid:{image.cid}", image.path.as_uri())
    page_path = tmp_path / "body.html"
    page_path.write_text(html, encoding="utf-8")
    page, problems = open_page(browser, page_path, 390)
    text = page.inner_text("body")
    assert MALICIOUS[0] in text
    assert MALICIOUS[1] in text
    assert page.evaluate("document.scripts.length") == 0
    assert page.evaluate("[...document.images].filter(i => i.src.endsWith('/x'))") == []
    assert not problems
    page.close()
