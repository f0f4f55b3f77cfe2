"""The browser tier: the sample report as a reader sees it, in headless Chromium.

Runs Debian's Chromium (``/usr/bin/chromium``, installed by ``.ci/run``)
through Playwright, at a phone width and a desktop width.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
WIDTHS = {"phone": 390, "desktop": 1280}

pytestmark = [pytest.mark.browser, pytest.mark.notebook]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    outputs = tmp_path_factory.mktemp("outputs")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "qlue_helpers.cli",
            "report",
            "params/weekly.yaml",
            "--outputs",
            str(outputs),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return Path(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_report_reads_well(browser, report, width, tmp_path):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(report.as_uri())

    # No sideways scrolling of the page itself: wide tables scroll in their box.
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width

    # Every chart loaded and fits the screen.
    images = page.evaluate(
        "[...document.images].map(i => [i.complete && i.naturalWidth > 0,"
        " i.getBoundingClientRect().right, i.alt])"
    )
    assert len(images) >= 2
    for loaded, right, alt in images:
        assert loaded
        assert right <= width + 1
        assert alt

    text = page.inner_text("body")
    assert "Pulo Gebang" in text
    assert "460" in text
    assert not errors
    page.screenshot(path=tmp_path / f"report-{width}.png", full_page=True)
    page.close()
