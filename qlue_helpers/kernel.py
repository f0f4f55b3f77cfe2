"""The kernel a report notebook runs in: this very Python, booted early.

Booting a kernel takes over half a second (ipykernel and IPython import),
and so does importing pandas and papermill in the process that drives it. The
``qlue report`` command boots the kernel first with :func:`booted` and does
its own imports while the kernel starts; the notebook then runs in it. This
module imports only jupyter_client, so that the boot starts at once.

While the command imports, the kernel runs the notebook's own import
statements (:func:`imports_of`), so its first cells find pandas and matplotlib
loaded. The client papermill gets is connected from the start and is ready
without jupyter_client's closing 0.2 s wait for stray broadcasts.

Run as ``python -m qlue_helpers.kernel -f <connection file>``, this module is
that kernel: an IPython kernel without the debugger. A report is never
stepped through, and importing debugpy is a third of the kernel's start.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client import BlockingKernelClient, KernelManager

from qlue_helpers.errors import RunError

KERNEL = "qlue-report"
STARTUP_TIMEOUT = 60
"""Seconds a kernel may take to answer before the run fails."""


def spec() -> dict[str, Any]:
    """Describe a kernel of this Python: charts off-screen, warnings not fatal."""
    launch = [sys.executable, "-m", __name__, "-f", "{connection_file}"]
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


def imports_of(notebook: str | Path) -> str:
    """Return the import statements of a notebook's code cells, one per line.

    Cells that are not plain Python (magics) are passed over.
    """
    content = json.loads(Path(notebook).read_text(encoding="utf-8"))
    found = []
    for cell in content["cells"]:
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:
            continue
        found += [
            ast.unparse(node)
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
        ]
    return "\n".join(dict.fromkeys(found))


@contextlib.contextmanager
def booted(cwd: str | Path, warm_up: str = "") -> Iterator[KernelManager]:
    """Start a kernel working in ``cwd`` now; stop it when the block ends.

    Parameters
    ----------
    cwd : str or pathlib.Path
        The kernel's working folder: the notebook's, so its relative paths
        work.
    warm_up : str, optional
        Code the kernel runs as soon as it is up, quietly, before anything
        else: the notebook's imports (:func:`imports_of`), say, which then
        take no time in its cells. Errors are left for the notebook to meet.

    Yields
    ------
    jupyter_client.KernelManager
        The running kernel, for :func:`qlue_helpers.runner.execute`.
    """
    with registered() as name:
        manager = _EarlyManager(kernel_name=name, client_class=f"{__name__}._Client")
        manager.start_kernel(cwd=str(cwd))
        manager.connect_early(warm_up)
        try:
            yield manager
        finally:
            manager.shutdown_kernel(now=True)
            manager.disconnect_early()


class _Client(BlockingKernelClient):
    """A client that is ready once the kernel answers, with no settling wait."""

    def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait until the kernel answers on its request and broadcast channels.

        jupyter_client's own wait ends by listening 0.2 s for stray broadcasts;
        papermill ignores messages that answer no request of its, so that
        wait is left out.
        """
        limit = STARTUP_TIMEOUT if timeout is None else timeout
        deadline = time.monotonic() + limit
        while not self._answers():
            if not self.parent.is_alive():
                raise RunError(
                    "The report kernel stopped while starting; its own error is "
                    "printed above. If a package is missing, rebuild .venv with "
                    "`make`."
                )
            if time.monotonic() > deadline:
                raise RunError(
                    f"The report kernel did not answer within {limit:g} s of "
                    "starting. The machine may be overloaded: run fewer reports "
                    "at once (qlue weekly --jobs)."
                )

    def _answers(self) -> bool:
        """Ask for the kernel's info; true once the reply and a broadcast came."""
        asked = self.kernel_info()
        try:
            reply = self.shell_channel.get_msg(timeout=1)
            while reply["parent_header"].get("msg_id") != asked:
                reply = self.shell_channel.get_msg(timeout=1)
            # The kernel says it is busy, then idle, on every request; hearing
            # that proves the broadcast channel is subscribed.
            self.iopub_channel.get_msg(timeout=0.2)
        except Empty:
            return False
        self._handle_kernel_info_reply(reply)
        return True


class _EarlyManager(KernelManager):
    """A kernel manager whose first client connects while the kernel boots."""

    _early: _Client | None = None
    _waiting: _Client | None = None

    def connect_early(self, warm_up: str) -> None:
        """Connect a client now and queue ``warm_up``; :meth:`client` hands it out."""
        self._early = self._waiting = super().client()
        # The heartbeat thread starts with the caller's start_channels().
        self._early.start_channels(hb=False)
        if warm_up:
            self._early.execute(warm_up, silent=True, store_history=False)

    def client(self, **kwargs: Any) -> BlockingKernelClient:
        """Return the early client the first time, new ones after."""
        waiting, self._waiting = self._waiting, None
        return waiting or super().client(**kwargs)

    def disconnect_early(self) -> None:
        """Close the early client's channels (papermill leaves them open)."""
        if self._early is not None:
            self._early.stop_channels()


def _launch() -> None:
    """Start an IPython kernel that finds no debugger to load."""
    # ipykernel switches its debugger off when debugpy cannot be imported.
    sys.modules["debugpy"] = None
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    _launch()
