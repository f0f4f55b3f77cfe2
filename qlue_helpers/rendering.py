"""Turn an executed report notebook into one small HTML page, and look at it.

The page is what officials open from their email, often on a phone. It is
built by nbconvert's :class:`~nbconvert.HTMLExporter` with the project's
``report`` template (``qlue_helpers/templates/report/``), which extends
nbconvert's ``basic`` cell markup with a short inline style sheet and no
scripts. Code, prompts and anchor links are left out; cells can be hidden with
the tags ``remove-cell``, ``remove-input`` and ``remove-output``.

Warnings and tracebacks (``stderr`` streams and ``error`` outputs) never reach
the page: :class:`DropStderrPreprocessor` takes them out and hands them back,
and :func:`render_html` logs them as warnings. Markdown cells and the HTML of
:func:`qlue_helpers.display.table` are trusted; citizen text must reach the
page only through such escaping helpers.
"""

from __future__ import annotations

import copy
import functools
import logging
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor
from PIL import Image, ImageOps
from traitlets.config import Config

from qlue_helpers.errors import QlueError

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "report"
CHROMIUM = Path("/usr/bin/chromium")
PHONE_WIDTH = 390
DESKTOP_WIDTH = 1280
FULL_PAGE_HEIGHT = 12_000
BROWSER_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
"""What Debian's Chromium needs here: run as root, no GPU, no calls home."""
_SCREENSHOT_FLAGS = (
    "--headless",
    *BROWSER_FLAGS,
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
_CHROMIUM_TIMEOUT = 90
_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)
_EXPORTING = threading.Lock()


class RenderError(QlueError):
    """The notebook cannot be turned into HTML or a screenshot."""


@dataclass(frozen=True)
class DroppedOutput:
    """An output left out of the HTML: a warning, a log line or a traceback.

    Attributes
    ----------
    cell_index : int
        Position of the cell in the notebook, from 0.
    kind : str
        ``"stderr"`` or ``"error"``.
    text : str
        The stream's text, or the error's name and message.
    """

    cell_index: int
    kind: str
    text: str


@dataclass(frozen=True)
class RenderedReport:
    """The HTML of a report and what was left out of it.

    Attributes
    ----------
    html : str
        The complete page.
    dropped : list of DroppedOutput
        Outputs taken out; empty for a clean notebook.
    """

    html: str
    dropped: list[DroppedOutput] = field(default_factory=list)


class DropStderrPreprocessor(Preprocessor):
    """Take ``stderr`` streams and ``error`` outputs out of every code cell.

    What was taken out is listed in ``resources["dropped_outputs"]`` as
    :class:`DroppedOutput` items, for the caller to log. :func:`to_html` runs
    it before nbconvert's own preprocessors, so cells later removed by tag are
    searched too and cell positions are those of the notebook as run.
    """

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict]:
        """Remove the outputs and record them in `resources`."""
        dropped: list[DroppedOutput] = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                cell.outputs = _kept_outputs(cell.outputs, index, dropped)
        resources["dropped_outputs"] = dropped
        return nb, resources


def to_html(
    notebook: str | Path | nbformat.NotebookNode, *, title: str
) -> RenderedReport:
    """Render an executed notebook as the report's HTML, in memory.

    Parameters
    ----------
    notebook : str, Path or nbformat.NotebookNode
        The executed notebook, or the path of its ``.ipynb`` file. A node is
        not changed.
    title : str
        The page title (the browser tab and the email's preview); escaped.

    Returns
    -------
    RenderedReport
        The HTML and the outputs left out of it.

    Raises
    ------
    RenderError
        If the file cannot be read as a notebook, or the page would carry a
        ``<script>`` element.
    """
    node = copy.deepcopy(_load(notebook))
    node, found = DropStderrPreprocessor().preprocess(node, {})

    exporter = prepare()
    with _EXPORTING:
        html, _ = exporter.from_notebook_node(node, resources={"report_title": title})
    _refuse_scripts(html)
    return RenderedReport(html, found["dropped_outputs"])


def render_html(
    notebook: str | Path | nbformat.NotebookNode, html_path: str | Path, *, title: str
) -> Path:
    """Render an executed notebook to the report's HTML file.

    Outputs left out of the page (stderr, tracebacks) are logged as warnings.

    Parameters
    ----------
    notebook : str, Path or nbformat.NotebookNode
        The executed notebook, or the path of its ``.ipynb`` file.
    html_path : str or Path
        Where to write the page; missing folders are made.
    title : str
        The page title; escaped.

    Returns
    -------
    Path
        `html_path`.

    Raises
    ------
    RenderError
        As :func:`to_html`.
    """
    report = to_html(notebook, title=title)
    for item in report.dropped:
        logger.warning(
            "Left %s output of cell %d out of the report: %s",
            item.kind,
            item.cell_index,
            _shorten(item.text),
        )

    path = Path(html_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.html, encoding="utf-8")
    logger.debug("Wrote %s (%d bytes)", path, len(report.html.encode("utf-8")))
    return path


def screenshot(
    html_path: str | Path,
    png_path: str | Path,
    width: int = PHONE_WIDTH,
    height: int | None = None,
    *,
    full_page: bool = False,
) -> Path:
    """Take a picture of a page with headless Chromium, as a reader would see it.

    Parameters
    ----------
    html_path : str or Path
        The page, e.g. from :func:`render_html`.
    png_path : str or Path
        Where to write the PNG; missing folders are made.
    width : int, default 390
        Window width in CSS pixels: 390 for a phone, 1280 for a desktop.
    height : int, optional
        Window height; only this much of the page is captured. Defaults to
        about one screen: 844 for phone widths, 800 otherwise.
    full_page : bool, default False
        Capture the whole page instead (up to 12,000 pixels): the picture is
        taken in a tall window and its blank bottom cut off.

    Returns
    -------
    Path
        `png_path`.

    Raises
    ------
    RenderError
        If Chromium is missing, fails, or writes no picture.
    """
    source, target = Path(html_path).resolve(), Path(png_path).resolve()
    browser = _chromium(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    if full_page:
        height = FULL_PAGE_HEIGHT
    height = height or (844 if width < 600 else 800)

    with tempfile.TemporaryDirectory(prefix="qlue-chromium-") as profile:
        command = [
            browser,
            *_SCREENSHOT_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={target}",
            f"--window-size={width},{height}",
            source.as_uri(),
        ]
        _run_chromium(command, target)
    if full_page:
        _trim_bottom(target)
    return target


def _kept_outputs(
    outputs: list[Any], index: int, dropped: list[DroppedOutput]
) -> list[Any]:
    kept = []
    for output in outputs:
        if output.output_type == "stream" and output.get("name") == "stderr":
            dropped.append(DroppedOutput(index, "stderr", output.get("text", "")))
        elif output.output_type == "error":
            text = f"{output.get('ename', '')}: {output.get('evalue', '')}"
            dropped.append(DroppedOutput(index, "error", text))
        else:
            kept.append(output)
    return kept


def _load(notebook: str | Path | nbformat.NotebookNode) -> nbformat.NotebookNode:
    if isinstance(notebook, nbformat.NotebookNode):
        return notebook
    path = Path(notebook)
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError) as error:
        raise RenderError(
            f"Expected an executed notebook at {path}, but it cannot be read "
            f"({error}). Check the path and that the run finished."
        ) from error


class _ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter without its closing pass over the whole page.

    HTMLExporter parses the finished page again with BeautifulSoup to give
    images without alt text a stock English one and to make every cell
    focusable by keyboard. Every chart here carries its own Indonesian alt
    text and the report has no code cells to step through, while that pass
    took 0.6-1 s of the 0.8-1.2 s a report with six charts and long tables
    needs to render (measured). The page is written as the template makes it.
    """

    def from_notebook_node(
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Render with the filters HTMLExporter's templates need, nothing after."""
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", Highlight2HTML(parent=self))
        chooser = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("filter_data_type", chooser)
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


@functools.cache
def prepare() -> HTMLExporter:
    """Return the report's exporter, its template read and compiled.

    One exporter serves every render of the process (one at a time). A
    caller with time to spare, such as a run waiting for its kernel, can call
    this early: reading and compiling the templates is most of a render.
    """
    exporter = _exporter()
    # Templates extend others, compiled as first used: render an empty page.
    exporter.from_notebook_node(
        nbformat.v4.new_notebook(), resources={"report_title": ""}
    )
    return exporter


def _exporter() -> HTMLExporter:
    config = Config()
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    config.HTMLExporter.template_name = TEMPLATE_NAME
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.exclude_anchor_links = True
    config.HTMLExporter.language_code = "id"
    # Check the notebook once, after every preprocessor, not after each.
    config.HTMLExporter.optimistic_validation = True

    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    config.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}

    return _ReportExporter(config=config)


def _refuse_scripts(html: str) -> None:
    found = _SCRIPT.search(html)
    if found:
        context = html[max(found.start() - 80, 0) : found.start() + 80]
        raise RenderError(
            "The report must carry no <script> element, but the rendered HTML "
            f"has one near: {context!r}. Remove the output that brings it "
            "(or tag its cell remove-output), and show citizen text only "
            "through qlue_helpers.display, which escapes it."
        )


def _shorten(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _chromium(source: Path) -> str:
    if not source.is_file():
        raise RenderError(
            f"Expected an HTML file to photograph at {source}, found none. "
            "Render it first with render_html()."
        )
    browser = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    if browser is None:
        raise RenderError(
            f"Screenshots need Chromium at {CHROMIUM} or on the PATH; found none. "
            "Install it with `apt-get install chromium`."
        )
    return browser


def _trim_bottom(path: Path, margin: int = 24) -> None:
    with Image.open(path) as picture:
        picture.load()
    content = ImageOps.invert(picture.convert("L")).getbbox()
    if content is None:
        return

    bottom = content[3]
    if bottom >= picture.height:
        logger.warning(
            "The page is taller than %d pixels; the picture %s is cut.",
            picture.height,
            path,
        )
    picture.crop((0, 0, picture.width, min(bottom + margin, picture.height))).save(path)


def _run_chromium(command: list[str], target: Path) -> None:
    target.unlink(missing_ok=True)
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=_CHROMIUM_TIMEOUT
        )
    except subprocess.TimeoutExpired as error:
        raise RenderError(
            f"Chromium took over {_CHROMIUM_TIMEOUT} s for a screenshot and was "
            "stopped. Check that the page has no external resources to wait for."
        ) from error

    logger.debug("Chromium said: %s", done.stderr)
    if done.returncode != 0 or not target.is_file():
        raise RenderError(
            f"Chromium exited with code {done.returncode} and wrote no picture "
            f"to {target}. Its last words: {_shorten(done.stderr[-600:])}"
        )
