"""The ledger: what a run folder's mail has already reached, one JSON line each.

``<run folder>/mail/ledger.jsonl`` is only ever appended to. Each line records
one delivered message: the recipient's name, the addresses the server took,
the ``Message-ID`` and the time (WIB). An address is done for a recipient once
a line lists it, so a second ``qlue send --send`` skips it. While a folder's
mail goes out, the ledger is locked, so two sends at once cannot both deliver.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from qlue_helpers.canonical import TIMEZONE

logger = logging.getLogger(__name__)
MAIL = "mail"
LEDGER = "ledger.jsonl"


class Ledger:
    """The delivery record of one run folder.

    Parameters
    ----------
    folder : pathlib.Path
        The run folder; the ledger lives in its ``mail/`` folder.
    """

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / MAIL / LEDGER

    def delivered(self, recipient: str) -> set[str]:
        """Return the addresses `recipient` has already been sent to."""
        return {
            address
            for entry in self.entries()
            if entry.get("recipient") == recipient
            for address in entry.get("addresses", [])
        }

    def entries(self) -> list[dict]:
        """Return every readable line; a broken line is logged and skipped."""
        if not self.path.is_file():
            return []
        found = []
        for number, line in enumerate(self.path.read_text("utf-8").splitlines(), 1):
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:
                logger.warning("%s line %d is unreadable; ignored", self.path, number)
        return found

    def record(self, recipient: str, addresses: list[str], message_id: str) -> None:
        """Append one delivered message, and make sure it is on disk."""
        entry = {
            "recipient": recipient,
            "addresses": addresses,
            "message_id": message_id,
            "time": datetime.now(ZoneInfo(TIMEZONE)).isoformat(timespec="seconds"),
        }
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    @contextlib.contextmanager
    def locked(self) -> Iterator[Ledger]:
        """Hold the folder's mail lock (``mail/.lock``) while sending."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with (self.path.parent / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield self
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
