"""The delivery's own error kind."""

from qlue_helpers.errors import QlueError


class DeliveryError(QlueError):
    """Mail cannot go out: settings missing or wrong, or the server refuses us.

    Messages never carry the SMTP password.
    """
