"""The HTML report: a small notebook run in a real kernel, then rendered."""

import logging
import re
import struct

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from qlue_helpers.rendering import (
    CHROMIUM,
    RenderError,
    render_html,
    screenshot,
    to_html,
)

TITLE = "Laporan <Mingguan> Jakarta Timur"

SETUP = """\
import sys
import warnings

import pandas as pd

from qlue_helpers import display as qd

print("SETUP-OUTPUT")
sys.stderr.write("SETUP-STDERR\\n")
"""

TABLE = """\
frame = pd.DataFrame(
    {
        "kelurahan": ["Pulo Gebang", "<script>alert(1)</script>"],
        "laporan": [4577, 29],
        "catatan": ["<img src=x onerror=alert(1)>", "beres"],
    }
)
qd.table(frame, labels={"laporan": "Laporan"}, caption="Peringkat kelurahan")
"""

CHART = """\
counts = pd.DataFrame(
    {"kecamatan": ["Cakung", "Cipayung"], "merah": [7, 0], "kuning": [3, 0],
     "hijau": [97, 29]}
)
qd.status_by_unit(counts, "kecamatan", "Status laporan per kecamatan")
"""

NOISE = """\
sys.stderr.write("STDERR-LEAK\\n")
warnings.warn("WARNING-LEAK")
"""


def _notebook() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_code_cell(SETUP, metadata={"tags": ["remove-cell"]}),
            new_markdown_cell("# Laporan mingguan\n\nPeriode **20-27 November 2015**."),
            new_code_cell(TABLE),
            new_code_cell(CHART),
            new_code_cell(NOISE),
            new_code_cell(
                'raise ValueError("ERROR-LEAK")',
                metadata={"tags": ["raises-exception"]},
            ),
            new_code_cell('print("SHOWN-OUTPUT")', metadata={"tags": ["remove-input"]}),
            new_code_cell(
                'print("HIDDEN-OUTPUT")', metadata={"tags": ["remove-output"]}
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> nbformat.NotebookNode:
    notebook = _notebook()
    folder = tmp_path_factory.mktemp("run")
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=60,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return notebook


@pytest.mark.notebook
def test_report_html_shows_outputs_only_and_escapes_citizen_text(executed, caplog):
    with caplog.at_level(logging.WARNING):
        html = to_html(executed, title=TITLE).html

    for leaked in ("SETUP-OUTPUT", "import pandas", "qd.table", "print(", "HIDDEN"):
        assert leaked not in html
    for noise in ("STDERR", "WARNING-LEAK", "ERROR-LEAK", "Traceback"):
        assert noise not in html
    for chrome in ("In&nbsp;[", "In [", "jp-InputArea", "input_area", "¶"):
        assert chrome not in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<td class="num">4.577</td>' in html
    assert "SHOWN-OUTPUT" in html
    assert "Alternative text is missing" not in caplog.text


@pytest.mark.notebook
def test_report_html_has_title_language_viewport_and_alt_text(executed):
    html = to_html(executed, title=TITLE).html

    assert f"<title>{TITLE.replace('<', '&lt;').replace('>', '&gt;')}</title>" in html
    assert '<html lang="id">' in html
    viewport = re.search(r'<meta [^>]*name="viewport"[^>]*>', html)
    assert viewport
    assert 'content="width=device-width, initial-scale=1"' in viewport.group()
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 1
    assert 'alt="Status laporan per kecamatan. Diagram batang' in images[0]
    assert 'src="data:image/png;base64,' in images[0]
    assert len(html) < 60_000


@pytest.mark.notebook
def test_render_html_writes_the_page_and_logs_what_it_left_out(
    executed, tmp_path, caplog
):
    with caplog.at_level(logging.WARNING, logger="qlue_helpers.rendering"):
        path = render_html(executed, tmp_path / "out" / "laporan.html", title=TITLE)

    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "stderr output of cell 0 out of the report: SETUP-STDERR" in caplog.text
    assert "STDERR-LEAK" in caplog.text
    assert "WARNING-LEAK" in caplog.text
    assert "ValueError: ERROR-LEAK" in caplog.text


def test_stderr_and_errors_are_dropped_and_returned():
    cell = new_code_cell("x")
    cell.outputs = [
        new_output("stream", name="stdout", text="kept\n"),
        new_output("stream", name="stderr", text="warned\n"),
        new_output("error", ename="KeyError", evalue="'kota'", traceback=["tb"]),
    ]
    report = to_html(new_notebook(cells=[cell]), title="t")

    assert "kept" in report.html
    assert "warned" not in report.html
    assert [(d.cell_index, d.kind) for d in report.dropped] == [
        (0, "stderr"),
        (0, "error"),
    ]
    assert report.dropped[1].text == "KeyError: 'kota'"


def test_one_shared_exporter_keeps_each_page_to_its_own_notebook():
    def notebook(text: str) -> nbformat.NotebookNode:
        cell = new_code_cell("x")
        cell.outputs = [new_output("stream", name="stdout", text=text)]
        return new_notebook(cells=[cell])

    one, two = notebook("pertama\n"), notebook("kedua\n")
    first = to_html(one, title="Judul satu").html
    second = to_html(two, title="Judul dua").html

    assert "pertama" in first
    assert "Judul satu" in first
    assert "kedua" in second
    assert "Judul dua" in second
    assert "pertama" not in second
    assert "Judul satu" not in second
    assert to_html(one, title="Judul satu").html == first


def test_a_script_in_an_output_stops_the_rendering():
    cell = new_code_cell("x")
    cell.outputs = [
        new_output("display_data", data={"text/html": "<SCRIPT>steal()</SCRIPT>"})
    ]
    with pytest.raises(RenderError, match="no <script> element"):
        to_html(new_notebook(cells=[cell]), title="t")


def test_a_missing_notebook_is_explained(tmp_path):
    with pytest.raises(RenderError, match="Expected an executed notebook"):
        to_html(tmp_path / "nothing.ipynb", title="t")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_screenshot_at_phone_width(tmp_path):
    page = render_html(new_notebook(cells=[]), tmp_path / "p.html", title="t")
    picture = screenshot(page, tmp_path / "p.png", width=390, height=300)

    png = picture.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (390, 300)
