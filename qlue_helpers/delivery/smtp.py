"""SMTP settings from the environment, one connection, and retries.

Settings come only from environment variables, never from files:

========================  ====================================================
``QLUE_SMTP_HOST``        the mail server (required to send)
``QLUE_SMTP_PORT``        its port; default 25, 587 or 465 by security
``QLUE_SMTP_SECURITY``    ``none``, ``starttls`` (default) or ``ssl``
``QLUE_SMTP_USER``        login name; no login when unset
``QLUE_SMTP_PASSWORD``    its password (needed with a user)
``QLUE_MAIL_FROM``        the sender, e.g. ``Qlue Jaktim <qlue@example.go.id>``
``QLUE_MAIL_ERRORS``      the maintainer told when a report run failed
``QLUE_SMTP_ATTEMPTS``    tries per message for passing failures (default 4)
``QLUE_SMTP_RETRY_DELAY`` seconds before the first retry, doubled after each
                          (default 5)
``QLUE_SMTP_TIMEOUT``     seconds to wait for the server (default 30)
========================  ====================================================

Certificates are checked against the system's store (``SSL_CERT_FILE`` names
another one). The password is kept out of every repr, log line and message.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from qlue_helpers.delivery.errors import DeliveryError
from qlue_helpers.delivery.recipients import parse_address
from qlue_helpers.errors import ParameterError

logger = logging.getLogger(__name__)
PORTS = {"none": 25, "starttls": 587, "ssl": 465}
PLACEHOLDER_SENDER = "Laporan Qlue <qlue@localhost.invalid>"


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a message is retried after passing failures.

    Attributes
    ----------
    attempts : int
        Tries per message, the first included.
    delay : float
        Seconds before the second try; each later wait doubles.
    """

    attempts: int = 4
    delay: float = 5.0

    def waits(self) -> Iterator[float]:
        """Yield the wait before each retry: delay, 2 x delay, 4 x delay, ..."""
        for retry in range(self.attempts - 1):
            yield self.delay * 2**retry


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send, read by :meth:`from_environment`."""

    host: str
    port: int
    security: str
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)
    maintainer: str = ""
    timeout: float = 30.0
    retry: RetryPolicy = RetryPolicy()

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings:
        """Read the settings from ``QLUE_*`` variables (see the module's table).

        Raises
        ------
        DeliveryError
            Naming the variable that is missing or wrong.
        """
        env = os.environ if environ is None else environ
        security = env.get("QLUE_SMTP_SECURITY", "starttls").strip().lower()
        if security not in PORTS:
            raise DeliveryError(
                f"QLUE_SMTP_SECURITY must be none, starttls or ssl; found "
                f"{security!r}. Ask the mail server's administrator which one."
            )
        user, password = (
            env.get("QLUE_SMTP_USER", ""),
            env.get("QLUE_SMTP_PASSWORD", ""),
        )
        _check_login(user, password, security)

        return cls(
            host=_required(
                env, "QLUE_SMTP_HOST", "the mail server, e.g. smtp.example.go.id"
            ),
            port=_number(env, "QLUE_SMTP_PORT", PORTS[security], int),
            security=security,
            sender=sender_from_environment(env, required=True),
            user=user,
            password=password,
            maintainer=maintainer_from_environment(env),
            timeout=_number(env, "QLUE_SMTP_TIMEOUT", 30.0, float),
            retry=RetryPolicy(
                attempts=max(1, _number(env, "QLUE_SMTP_ATTEMPTS", 4, int)),
                delay=_number(env, "QLUE_SMTP_RETRY_DELAY", 5.0, float),
            ),
        )

    def scrub(self, text: str) -> str:
        """Return `text` with the password blotted out, for anything shown."""
        return text.replace(self.password, "***") if self.password else text


def sender_from_environment(
    environ: Mapping[str, str] | None = None, *, required: bool = False
) -> str:
    """Return ``QLUE_MAIL_FROM``, or a placeholder for a dry run without it.

    Raises
    ------
    DeliveryError
        If the variable is missing and `required`, or holds no address.
    """
    env = os.environ if environ is None else environ
    if required:
        _required(env, "QLUE_MAIL_FROM", "the sender, e.g. qlue@example.go.id")
    sender = env.get("QLUE_MAIL_FROM", "").strip() or PLACEHOLDER_SENDER
    try:
        parse_address(sender.rpartition("<")[2].rstrip(">"), "QLUE_MAIL_FROM")
    except ParameterError as error:
        raise DeliveryError(str(error)) from None
    return sender


def maintainer_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """Return ``QLUE_MAIL_ERRORS`` (checked), or ``""`` when unset."""
    env = os.environ if environ is None else environ
    text = env.get("QLUE_MAIL_ERRORS", "").strip()
    try:
        return parse_address(text, "QLUE_MAIL_ERRORS") if text else ""
    except ParameterError as error:
        raise DeliveryError(str(error)) from None


@dataclass
class Outcome:
    """What became of one message: delivered, refused for good, or given up.

    Attributes
    ----------
    delivered : list of str
        Addresses the server accepted.
    refused : dict of str to str
        Addresses refused for good (5xx), with the server's answer.
    failed : dict of str to str
        Addresses still failing after every attempt, with the last error.
    unreachable : bool
        Whether the last failure was the server itself (no connection, dropped
        connection, 4xx for everyone), so later messages would fail too.
    """

    delivered: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    unreachable: bool = False


class Mailer:
    """One SMTP connection, opened when first needed and reopened after a drop.

    Use as a context manager so the connection is closed at the end.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._connection: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._connection is not None:
            try:
                self._connection.quit()
            except (smtplib.SMTPException, OSError):
                self._connection.close()
            self._connection = None

    def deliver(self, message: EmailMessage, addresses: list[str]) -> Outcome:
        """Send `message` to `addresses`, retrying passing failures.

        A 4xx answer, a refused or dropped connection and a timeout are tried
        again after the policy's waits, for the addresses still pending; a 5xx
        answer for an address is final for that address.

        Raises
        ------
        DeliveryError
            If the login or the TLS handshake fails: no message can go.
        """
        outcome, pending = Outcome(), list(addresses)
        waits = self.settings.retry.waits()
        while pending:
            pending = self._attempt(message, pending, outcome)
            wait = next(waits, None) if pending else None
            if wait is None:
                break
            logger.info("retrying %d address(es) in %.1f s", len(pending), wait)
            time.sleep(wait)

        outcome.failed = {a: outcome.failed.get(a, "no answer") for a in pending}
        return outcome

    def _attempt(
        self, message: EmailMessage, pending: list[str], outcome: Outcome
    ) -> list[str]:
        """Try once; record what is settled and return the addresses to retry."""
        # Known shortcoming: if the connection drops after the server took the
        # message but before it answered, the retry delivers a second copy.
        try:
            rejected = self._connect().send_message(message, to_addrs=pending)
        except smtplib.SMTPRecipientsRefused as error:
            rejected = error.recipients
        except OSError as error:  # smtplib's errors, sockets and timeouts alike
            return self._failed_attempt(error, pending, outcome)

        outcome.unreachable = False
        outcome.delivered += [a for a in pending if a not in rejected]
        for address, (code, answer) in rejected.items():
            target = outcome.refused if code >= 500 else outcome.failed
            target[address] = self._answer(code, answer)
        return [a for a, (code, _) in rejected.items() if code < 500]

    def _failed_attempt(
        self, error: Exception, pending: list[str], outcome: Outcome
    ) -> list[str]:
        self._drop()
        code = getattr(error, "smtp_code", 0)
        reason = self._describe(error)
        logger.warning("sending to %s failed: %s", ", ".join(pending), reason)
        if code >= 500:
            outcome.refused.update(dict.fromkeys(pending, reason))
            return []
        outcome.failed.update(dict.fromkeys(pending, reason))
        outcome.unreachable = True
        return pending

    def _connect(self) -> smtplib.SMTP:
        if self._connection is None:
            self._connection = self._open()
        return self._connection

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        logger.debug("connecting to %s:%s (%s)", s.host, s.port, s.security)
        context = ssl.create_default_context()
        try:
            if s.security == "ssl":
                connection = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=context
                )
            else:
                connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.security == "starttls":
                self._guarded(connection, connection.starttls, context=context)
        except (ssl.SSLError, smtplib.SMTPNotSupportedError) as error:
            raise DeliveryError(
                f"No secure connection to {s.host}:{s.port} with "
                f"QLUE_SMTP_SECURITY={s.security}: {self._describe(error)}. Check "
                "QLUE_SMTP_SECURITY and QLUE_SMTP_PORT with the server's "
                "administrator."
            ) from None

        if s.user:
            self._login(connection)
        return connection

    def _login(self, connection: smtplib.SMTP) -> None:
        s = self.settings
        try:
            self._guarded(connection, connection.login, s.user, s.password)
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryError(
                f"The server {s.host} refused the login of QLUE_SMTP_USER "
                f"{s.user!r} ({self._describe(error)}). Check QLUE_SMTP_USER and "
                "QLUE_SMTP_PASSWORD."
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError(
                f"The server {s.host}:{s.port} offers no login on this connection, "
                f"but QLUE_SMTP_USER is set. Check QLUE_SMTP_SECURITY and "
                "QLUE_SMTP_PORT, or unset QLUE_SMTP_USER and QLUE_SMTP_PASSWORD "
                "if the server takes mail without a login."
            ) from None

    @staticmethod
    def _guarded(
        connection: smtplib.SMTP, step: Any, *args: Any, **kwargs: Any
    ) -> None:
        """Run one step of opening; close the connection if it fails."""
        try:
            step(*args, **kwargs)
        except BaseException:
            connection.close()
            raise

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _answer(self, code: int, answer: bytes | str) -> str:
        text = (
            answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
        )
        return self.settings.scrub(f"{code} {text}")

    def _describe(self, error: Exception) -> str:
        if isinstance(error, smtplib.SMTPResponseException):
            return self._answer(error.smtp_code, error.smtp_error)
        return self.settings.scrub(f"{type(error).__name__}: {error}")


def _required(env: Mapping[str, str], name: str, what: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise DeliveryError(
            f"The environment variable {name} is not set; it should hold {what}. "
            "Mail settings are read only from the environment."
        )
    return value


def _number(env: Mapping[str, str], name: str, default: Any, kind: type) -> Any:
    text = env.get(name, "").strip()
    try:
        return kind(text) if text else default
    except ValueError:
        raise DeliveryError(
            f"{name} must be a {kind.__name__} number, found {text!r}."
        ) from None


def _check_login(user: str, password: str, security: str) -> None:
    if bool(user) != bool(password):
        missing = "QLUE_SMTP_PASSWORD" if user else "QLUE_SMTP_USER"
        raise DeliveryError(
            f"The environment variable {missing} is not set, but its partner is: "
            "set both QLUE_SMTP_USER and QLUE_SMTP_PASSWORD, or neither."
        )
    if user and security == "none":
        raise DeliveryError(
            "QLUE_SMTP_USER is set but QLUE_SMTP_SECURITY is none, so the password "
            "would cross the network unencrypted. Set QLUE_SMTP_SECURITY to "
            "starttls or ssl."
        )
