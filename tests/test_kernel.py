"""The report's kernel: booted early, warmed with the notebook's imports."""

from __future__ import annotations

import sys
import time

import nbformat
import pytest

from qlue_helpers import kernel, runner

pytestmark = pytest.mark.notebook


def run(client, code: str) -> str:
    """Run ``code`` through ``client``; return what it printed."""
    printed = []

    def keep(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    client.execute_interactive(code, output_hook=keep, timeout=60)
    return "".join(printed).strip()


def test_a_booted_kernel_runs_in_its_folder_and_stops_after(tmp_path):
    with kernel.booted(tmp_path) as booted:
        client = booted.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        assert run(client, "import os; print(os.getcwd())") == str(tmp_path)
        client.stop_channels()
        assert booted.is_alive()
    assert not booted.is_alive()


def test_warm_up_runs_first_in_the_notebooks_namespace(tmp_path):
    warm_up = "import fractions as warmed\nimport no_such_module_here"
    with kernel.booted(tmp_path, warm_up) as booted:
        client = booted.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        # The failing import stopped the warm-up quietly; the one before it ran.
        assert run(client, "print(warmed.__name__)") == "fractions"
        client.stop_channels()


def test_report_kernel_has_no_debugger_and_later_clients_work(tmp_path):
    with kernel.booted(tmp_path) as booted:
        first = booted.client()
        first.start_channels()
        first.wait_for_ready(timeout=60)
        reply = first.kernel_info(reply=True, timeout=30)
        # A stock IPython kernel lists "debugger" here.
        assert "debugger" not in reply["content"]["supported_features"]

        second = booted.client()
        assert second is not first
        second.start_channels()
        second.wait_for_ready(timeout=60)
        assert run(second, "print(6 * 7)") == "42"
        first.stop_channels()
        second.stop_channels()


def test_imports_of_lists_each_import_once_and_skips_magics(tmp_path):
    code = nbformat.v4.new_code_cell
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("import this_is_text"),
            code("import pandas as pd\nx = 1\nfrom a.b import c, d"),
            code("%matplotlib inline\nimport skipped"),
            code("def f():\n    import nested\nimport pandas as pd"),
        ]
    )
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)

    assert kernel.imports_of(path) == "import pandas as pd\nfrom a.b import c, d"


def test_a_booted_kernel_stops_once_the_notebook_ran(tmp_path):
    notebook = tmp_path / "n.ipynb"
    cell = nbformat.v4.new_code_cell("x = 1")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), notebook)

    with kernel.booted(tmp_path) as booted:
        runner.execute(notebook, tmp_path / "out.ipynb", booted=booted)
        deadline = time.monotonic() + 10
        while booted.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not booted.is_alive()


def test_a_kernel_that_dies_at_start_is_a_clear_error(tmp_path, monkeypatch):
    from qlue_helpers.errors import RunError

    dying = {**kernel.spec(), "argv": [sys.executable, "-c", "raise SystemExit(3)"]}
    monkeypatch.setattr(kernel, "spec", lambda: dying)
    notebook = tmp_path / "n.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), notebook)

    # Not "did not answer": the death is seen, not waited out.
    with pytest.raises(RunError, match="stopped while starting"):
        runner.execute(notebook, tmp_path / "out.ipynb")
