"""Turn environment.yml into pip requirement lines.

environment.yml is the project's one list of dependencies. This script lets a
machine with pip but no conda build the same environment:

    python tools/requirements.py            # everything but `# lab` lines
    python tools/requirements.py --lab      # only the `# lab` lines

It reads the file line by line instead of with a YAML parser so that it runs on
a bare Python before anything is installed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ENVIRONMENT = Path(__file__).resolve().parent.parent / "environment.yml"
NOT_ON_PIP = {"python", "pip"}
ITEM = re.compile(r"^\s*-\s+(?P<spec>[^#]+?)\s*(?:#\s*(?P<tag>\S+).*)?$")


def requirements(text: str, lab: bool) -> list[str]:
    """Return the pip requirement lines of an environment.yml text.

    Parameters
    ----------
    text : str
        Contents of environment.yml.
    lab : bool
        Return only the lines tagged ``# lab`` when true, all others when false.

    Returns
    -------
    list of str
        Requirement specifiers, in file order.
    """
    lines = []
    body = text.split("\ndependencies:", 1)[-1]
    for raw in body.splitlines():
        match = ITEM.match(raw)
        if match is None or match["spec"].endswith(":"):
            continue
        spec = match["spec"]
        name = re.split(r"[<>=!\s\[]", spec, maxsplit=1)[0]
        if name in NOT_ON_PIP or (match["tag"] == "lab") != lab:
            continue
        lines.append(spec)
    return lines


def main() -> int:
    """Print the requirements chosen on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lab", action="store_true", help="only `# lab` lines")
    args = parser.parse_args()
    print("\n".join(requirements(ENVIRONMENT.read_text(), args.lab)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
