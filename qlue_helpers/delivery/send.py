"""Send run folders to their recipients, or write the messages for a look first.

:func:`send_runs` takes one run folder or a period folder holding several.
Each finished run goes to the recipients whose scope is exactly the run's
(``kpi.json``); each message is also kept as ``mail/<recipient>.eml`` in the
run folder. Without ``send=True`` nothing leaves the machine.

Rules for sending:

- the ledger (``mail/ledger.jsonl``) skips addresses already delivered,
  unless ``resend=True``;
- passing failures are retried (see :class:`~.smtp.Mailer`); an address
  refused for good is reported and the others still go out; once the server
  itself stays unreachable, later messages are not attempted;
- a failed run (``<scope>.failed/``) never goes to its recipients: the
  maintainer (``QLUE_MAIL_ERRORS``) gets a notice naming the failing cell;
- a finished run with a ``.failed`` sibling is held back, since the later
  run of that scope failed.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from qlue_helpers import runfolder
from qlue_helpers.delivery import compose
from qlue_helpers.delivery.errors import DeliveryError
from qlue_helpers.delivery.ledger import MAIL, Ledger
from qlue_helpers.delivery.recipients import Recipient, recipients_for
from qlue_helpers.delivery.smtp import (
    Mailer,
    Outcome,
    SmtpSettings,
    maintainer_from_environment,
    sender_from_environment,
)

logger = logging.getLogger(__name__)
FAILED_SUFFIX = ".failed"
MAINTAINER = "Pengelola Laporan Qlue"
OK_STATUSES = {"written", "sent", "already sent", "no recipient"}


@dataclass(frozen=True)
class Delivery:
    """What became of one message.

    Attributes
    ----------
    folder : pathlib.Path
        The run folder.
    recipient : str
        The recipient's name.
    addresses : tuple of str
        Their addresses.
    status : str
        ``written`` (dry run), ``sent``, ``already sent``, ``no recipient``,
        ``refused`` (5xx), ``failed`` (gave up or not attempted), ``held``
        (a later run failed) or ``run failed`` (the maintainer was told).
    detail : str
        The server's answers or what to do.
    """

    folder: Path
    recipient: str
    addresses: tuple[str, ...]
    status: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        """Whether this message needs nobody's attention."""
        return self.status in OK_STATUSES


def find_runs(target: str | Path) -> list[Path]:
    """Return the run folders in `target`: itself, or the folders it holds.

    Raises
    ------
    DeliveryError
        If `target` is neither a run folder nor holds one.
    """
    target = Path(target)
    if _is_run(target):
        return [target]
    found = []
    if target.is_dir():
        found = sorted(
            p for p in target.iterdir() if not p.name.startswith(".") and _is_run(p)
        )
    if not found:
        raise DeliveryError(
            f"Expected a run folder (holding kpi.json or failure.json) or a period "
            f"folder holding run folders; {target} is neither. Give a folder that "
            "`qlue report` or `qlue weekly` printed, or its parent."
        )
    return found


def send_runs(
    target: str | Path,
    recipients: list[Recipient],
    *,
    send: bool = False,
    resend: bool = False,
    settings: SmtpSettings | None = None,
) -> list[Delivery]:
    """Write, and with `send` deliver, the email of every run in `target`.

    Parameters
    ----------
    target : str or pathlib.Path
        A run folder or a period folder.
    recipients : list of Recipient
        From :func:`~.recipients.load_recipients`.
    send : bool, default False
        Deliver through SMTP; otherwise only write ``mail/*.eml``.
    resend : bool, default False
        Deliver again what the ledger says was delivered.
    settings : SmtpSettings, optional
        Defaults to :meth:`SmtpSettings.from_environment` when sending.

    Returns
    -------
    list of Delivery
        One per message (or per run without recipients).

    Raises
    ------
    DeliveryError
        If settings are missing or wrong, or the server refuses the login.
    """
    runs = find_runs(target)
    if send and settings is None:
        settings = SmtpSettings.from_environment()

    with Mailer(settings) if send else contextlib.nullcontext() as mailer:
        post = _Post(settings, mailer, resend)
        return [item for folder in runs for item in post.run(folder, recipients)]


class _Post:
    """One sending session: the sender, the mailer, and whether to stop."""

    def __init__(
        self, settings: SmtpSettings | None, mailer: Mailer | None, resend: bool
    ) -> None:
        self.sender = settings.sender if settings else sender_from_environment()
        self.maintainer = (
            settings.maintainer if settings else maintainer_from_environment()
        )
        self.mailer = mailer
        self.resend = resend
        self.stopped = ""

    def run(self, folder: Path, recipients: list[Recipient]) -> list[Delivery]:
        """Handle one run folder, holding its ledger's lock while sending."""
        with Ledger(folder).locked():
            if _is_failed(folder):
                return [self._notify_failure(folder, recipients)]
            if _failed_sibling(folder).is_dir():
                return self._held(folder, recipients)
            return self._send_report(folder, recipients)

    def _send_report(self, folder: Path, recipients: list[Recipient]) -> list[Delivery]:
        chosen = recipients_for(recipients, runfolder.read_kpi(folder))
        if not chosen:
            logger.warning("no recipient's scope is the scope of %s", folder)
            return [Delivery(folder, "", (), "no recipient", "nobody to send to")]
        return [
            self._deliver(
                folder,
                recipient.name,
                recipient.addresses,
                compose.report_message(folder, recipient, self.sender),
                recipient.slug,
            )
            for recipient in chosen
        ]

    def _held(self, folder: Path, recipients: list[Recipient]) -> list[Delivery]:
        detail = (
            f"a later run of this scope failed ({_failed_sibling(folder).name}); "
            "rerun the report, then send again"
        )
        logger.warning("holding %s back: %s", folder, detail)
        chosen = recipients_for(recipients, runfolder.read_kpi(folder))
        return [Delivery(folder, r.name, r.addresses, "held", detail) for r in chosen]

    def _notify_failure(self, folder: Path, recipients: list[Recipient]) -> Delivery:
        scope = folder.name.removesuffix(FAILED_SUFFIX)
        missed = [r for r in recipients if r.scope.slug == scope]
        names = ", ".join(r.name for r in missed) or "nobody"
        if not self.maintainer:
            logger.error("%s failed and QLUE_MAIL_ERRORS is not set", folder)
            return Delivery(
                folder,
                names,
                (),
                "run failed",
                "QLUE_MAIL_ERRORS is not set: nobody told",
            )

        message = compose.failure_message(folder, missed, self.sender, self.maintainer)
        notice = self._deliver(
            folder, MAINTAINER, (self.maintainer,), message, "pengelola"
        )
        detail = f"not sent to {names}; notice to maintainer: {notice.status}"
        return Delivery(folder, names, notice.addresses, "run failed", detail)

    def _deliver(
        self,
        folder: Path,
        name: str,
        addresses: tuple[str, ...],
        message: EmailMessage,
        stem: str,
    ) -> Delivery:
        """Write the message; when sending, deliver it where the ledger lacks it."""
        if self.mailer is None:
            eml = _write_eml(folder, stem, message)
            return Delivery(folder, name, addresses, "written", str(eml))

        ledger = Ledger(folder)
        done = set() if self.resend else ledger.delivered(name)
        pending = [a for a in addresses if a not in done]
        if not pending:
            return Delivery(folder, name, addresses, "already sent")
        if self.stopped:
            return Delivery(folder, name, addresses, "failed", self.stopped)

        _write_eml(folder, stem, message)
        outcome = self._send(folder, name, message, pending)
        return _delivery(folder, name, addresses, outcome)

    def _send(
        self, folder: Path, name: str, message: EmailMessage, pending: list[str]
    ) -> Outcome:
        """Deliver, record what went, and stop the session if the server is gone."""
        outcome = self.mailer.deliver(message, pending)
        if outcome.delivered:
            Ledger(folder).record(name, outcome.delivered, message["Message-ID"])
            logger.info("sent %s to %s", folder.name, ", ".join(outcome.delivered))
        if outcome.unreachable and outcome.failed:
            self.stopped = "not attempted: the mail server stayed unreachable"
        return outcome


def _delivery(
    folder: Path, name: str, addresses: tuple[str, ...], outcome: Outcome
) -> Delivery:
    problems = {**outcome.refused, **outcome.failed}
    if not problems:
        return Delivery(folder, name, addresses, "sent")
    detail = "; ".join(f"{address}: {answer}" for address, answer in problems.items())
    status = "failed" if outcome.failed else "refused"
    return Delivery(folder, name, addresses, status, detail)


def _write_eml(folder: Path, stem: str, message: EmailMessage) -> Path:
    path = folder / MAIL / f"{stem}.eml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(message))
    return path


def _is_run(folder: Path) -> bool:
    return (folder / runfolder.KPI).is_file() or (folder / runfolder.FAILURE).is_file()


def _is_failed(folder: Path) -> bool:
    return folder.name.endswith(FAILED_SUFFIX) or not (folder / runfolder.KPI).is_file()


def _failed_sibling(folder: Path) -> Path:
    return folder.with_name(folder.name + FAILED_SUFFIX)
