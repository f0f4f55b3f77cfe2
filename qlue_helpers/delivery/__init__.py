"""Email the weekly report: to each Sudin Teknis, camat and the walikota's office.

``params/recipients.yaml`` names the recipients and the scope of the report
each receives (:mod:`.recipients`). :func:`run_weekly` runs one report per
distinct scope; :func:`send_runs` turns each finished run folder into a compact
email (:mod:`.compose`) and, when asked, delivers it over SMTP (:mod:`.smtp`),
keeping a ledger so nothing goes out twice (:mod:`.ledger`). A failed run is
never sent; the maintainer gets a notice instead.
"""

from qlue_helpers.delivery.compose import (
    failure_message,
    render_bodies,
    report_message,
    subject,
)
from qlue_helpers.delivery.errors import DeliveryError
from qlue_helpers.delivery.ledger import Ledger
from qlue_helpers.delivery.recipients import (
    RECIPIENTS,
    Recipient,
    Scope,
    distinct_scopes,
    load_recipients,
    recipients_for,
)
from qlue_helpers.delivery.send import Delivery, find_runs, send_runs
from qlue_helpers.delivery.smtp import Mailer, RetryPolicy, SmtpSettings
from qlue_helpers.delivery.weekly import ScopeRun, run_weekly

__all__ = [
    "RECIPIENTS",
    "Delivery",
    "DeliveryError",
    "Ledger",
    "Mailer",
    "Recipient",
    "RetryPolicy",
    "Scope",
    "ScopeRun",
    "SmtpSettings",
    "distinct_scopes",
    "failure_message",
    "find_runs",
    "load_recipients",
    "recipients_for",
    "render_bodies",
    "report_message",
    "run_weekly",
    "send_runs",
    "subject",
]
