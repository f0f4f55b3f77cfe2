"""Names for folders and files made from the names people read."""

from __future__ import annotations

import re


def slug(text: str) -> str:
    """Return lower-case words joined by hyphens (``Jalan Rusak``: ``jalan-rusak``)."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
