"""The kernel a report notebook runs in: this very Python, booted early.

Booting a kernel takes about a second (ipykernel and IPython import), and so
does importing pandas and papermill in the process that drives it. The
``qlue report`` command boots the kernel first with :func:`booted` and does
its own imports while the kernel starts; the notebook then runs in it. This
module imports only jupyter_client, so that the boot starts at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jupyter_client import KernelManager

KERNEL = "qlue-report"


def spec() -> dict[str, Any]:
    """Describe a kernel of this Python: charts off-screen, warnings not fatal."""
    launch = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    return {
        "argv": [
            *launch,
            "--IPKernelApp.log_level=ERROR",
            "--HistoryManager.enabled=False",
        ],
        "display_name": "Qlue report",
        "language": "python",
        "env": {"MPLBACKEND": "Agg", "PYTHONWARNINGS": "default"},
    }


@contextlib.contextmanager
def registered() -> Iterator[str]:
    """Make a kernel named :data:`KERNEL` known to Jupyter while inside; yield it."""
    with tempfile.TemporaryDirectory(prefix="qlue-kernel-") as home:
        folder = Path(home) / "kernels" / KERNEL
        folder.mkdir(parents=True)
        (folder / "kernel.json").write_text(json.dumps(spec()))
        saved = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [home, saved]))
        try:
            yield KERNEL
        finally:
            if saved is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = saved


@contextlib.contextmanager
def booted(cwd: str | Path) -> Iterator[KernelManager]:
    """Start a kernel working in ``cwd`` now; stop it when the block ends.

    Parameters
    ----------
    cwd : str or pathlib.Path
        The kernel's working folder: the notebook's, so its relative paths
        work.

    Yields
    ------
    jupyter_client.KernelManager
        The running kernel, for :func:`qlue_helpers.runner.execute`.
    """
    with registered() as name:
        manager = KernelManager(kernel_name=name)
        manager.start_kernel(cwd=str(cwd))
        try:
            yield manager
        finally:
            manager.shutdown_kernel(now=True)
