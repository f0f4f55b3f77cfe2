"""Run a report notebook with papermill and keep the result in its run folder.

A run works in a hidden staging folder beside its run folder and takes the
run folder's place only once the notebook and its HTML are complete, so a
failed rerun never destroys the last good report. A failed run is kept as
``<run folder>.failed`` for a person to open.
"""

from __future__ import annotations

import json
import logging
import shutil
import signal
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill
import yaml
from jupyter_client import KernelManager
from papermill.exceptions import PapermillExecutionError

from qlue_helpers import kernel, params, runfolder
from qlue_helpers.errors import RunError
from qlue_helpers.project import OUTPUTS, WEEKLY

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Run:
    """A finished run: its folder and the files a reader wants."""

    folder: Path

    @property
    def html(self) -> Path:
        """The rendered report."""
        return self.folder / runfolder.HTML

    @property
    def kpi(self) -> dict[str, Any]:
        """The headline figures."""
        return runfolder.read_kpi(self.folder)


def run_report(
    params_file: str | Path | None,
    overrides: list[tuple[str, str]] = (),
    *,
    notebook: Path = WEEKLY,
    outputs: Path = OUTPUTS,
    booted: KernelManager | None = None,
) -> Run:
    """Check the parameters, execute the notebook, render it, publish the folder.

    Parameters
    ----------
    params_file : path, optional
        YAML file of parameter values.
    overrides : list of (name, value)
        Values given on the command line; they win over the file.
    notebook : pathlib.Path
        The notebook to run.
    outputs : pathlib.Path
        Root of the run folders.
    booted : jupyter_client.KernelManager, optional
        A kernel already started in the notebook's folder
        (:func:`qlue_helpers.kernel.booted`); by default one is started.

    Raises
    ------
    qlue_helpers.errors.ParameterError
        Before anything runs, if a parameter is unknown or wrong.
    qlue_helpers.errors.RunError
        If a cell fails; the message names the cell and the kept notebook.
    """
    values, checked, folder = plan(params_file, overrides, notebook, outputs)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))

    try:
        with ThreadPoolExecutor(max_workers=1) as background:
            # nbconvert takes over half a second to import and its templates
            # a tenth to compile: do both while the kernel works.
            background.submit(_prepare_rendering)
            run_values = values | {"output_dir": str(staging)}
            executed = _execute(notebook, staging, run_values, booted)
        _render(executed, staging, checked)
        _write_parameters(staging, values)
    except RunError as error:
        kept = _keep_failed(staging, folder)
        raise RunError(f"{error} The partly executed notebook is in {kept}.") from None
    except BaseException:
        _keep_failed(staging, folder)
        raise
    _publish(staging, folder)
    logger.info("report ready in %s", folder)
    return Run(folder)


def plan(
    params_file: str | Path | None,
    overrides: list[tuple[str, str]] = (),
    notebook: Path = WEEKLY,
    outputs: Path = OUTPUTS,
) -> tuple[dict[str, Any], params.Settings, Path]:
    """Check a run's parameters and say where it will land, running nothing.

    Returns
    -------
    values : dict
        Every parameter's value, as the notebook will get it.
    settings : qlue_helpers.params.Settings
        What the values mean, checked.
    folder : pathlib.Path
        The run folder.

    Raises
    ------
    qlue_helpers.errors.ParameterError
        If a parameter is unknown or wrong.
    """
    values = params.resolved(notebook, params_file, overrides)
    checked = params.check(values)
    period = checked.period
    folder = runfolder.run_folder(
        outputs, period.start.isoformat(), period.end.isoformat(), checked.slug
    )
    return values, checked, folder


def execute(
    notebook: Path,
    target: Path,
    parameters: dict[str, Any] | None = None,
    booted: KernelManager | None = None,
) -> nbformat.NotebookNode:
    """Run a notebook in a kernel of this Python, writing the executed copy.

    Parameters
    ----------
    notebook : pathlib.Path
        The notebook; it runs in its own folder, so relative paths in it work.
    target : pathlib.Path
        Where the executed notebook goes (also when a cell fails).
    parameters : dict, optional
        Values for the notebook's ``parameters`` cell.
    booted : jupyter_client.KernelManager, optional
        A kernel already started in the notebook's folder
        (:func:`qlue_helpers.kernel.booted`); it is stopped once the notebook
        has run. By default one is booted here, warmed with the notebook's
        imports.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook, as written to ``target``.

    Raises
    ------
    papermill.exceptions.PapermillExecutionError
        If a cell fails.
    qlue_helpers.errors.RunError
        If the kernel it boots does not start.
    """
    if booted is None:
        with kernel.booted(notebook.parent, kernel.imports_of(notebook)) as started:
            return execute(notebook, target, parameters, started)

    logger.info("running %s", notebook.name)
    with kernel.registered() as name:
        try:
            return papermill.execute_notebook(
                str(notebook),
                str(target),
                parameters=parameters or {},
                kernel_name=name,
                km=booted,
                progress_bar=False,
                cwd=str(notebook.parent),
                # Written once at the end (also when a cell fails), not after
                # every cell: a report's charts make each write cost.
                request_save_on_cell_execute=False,
            )
        finally:
            # Papermill leaves a kernel it did not start running. Every output
            # is in, so it is stopped at once (as papermill's own "immediate"
            # stop does) and is gone by the time the page is rendered.
            booted.signal_kernel(signal.SIGKILL)


def _execute(
    notebook: Path,
    staging: Path,
    values: dict[str, Any],
    booted: KernelManager | None,
) -> nbformat.NotebookNode:
    try:
        return execute(notebook, staging / runfolder.NOTEBOOK, values, booted)
    except PapermillExecutionError as error:
        failure = {
            "notebook": notebook.name,
            "cell_index": error.cell_index,
            "cell": _first_line(error.source),
            "error": f"{error.ename}: {error.evalue}",
        }
        (staging / runfolder.FAILURE).write_text(json.dumps(failure, indent=2))
        raise RunError(
            f"Cell {error.cell_index} of {notebook.name} failed "
            f"({failure['cell']}): {failure['error']}"
        ) from None


def _prepare_rendering() -> None:
    from qlue_helpers.rendering import prepare

    prepare()


def _first_line(source: str) -> str:
    lines = [line.strip("# ").strip() for line in source.splitlines() if line.strip()]
    return lines[0][:80] if lines else "empty cell"


def _render(
    executed: nbformat.NotebookNode, staging: Path, checked: params.Settings
) -> None:
    from qlue_helpers.display.format import period_label
    from qlue_helpers.rendering import render_html

    period = checked.period
    title = (
        f"Laporan Qlue {checked.kota.short_name}, "
        f"{period_label(period.start, period.last_day)}"
    )
    render_html(executed, staging / runfolder.HTML, title=title)


def _write_parameters(staging: Path, values: dict[str, Any]) -> None:
    used = {k: v for k, v in values.items() if k != "output_dir"}
    (staging / runfolder.PARAMETERS).write_text(
        yaml.safe_dump(used, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def _publish(staging: Path, folder: Path) -> None:
    """Put the finished staging folder in place of the run folder."""
    retired = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if folder.exists():
        folder.rename(retired)
    staging.rename(folder)
    shutil.rmtree(retired, ignore_errors=True)
    shutil.rmtree(folder.with_name(f"{folder.name}.failed"), ignore_errors=True)


def _keep_failed(staging: Path, folder: Path) -> Path:
    failed = folder.with_name(f"{folder.name}.failed")
    shutil.rmtree(failed, ignore_errors=True)
    staging.rename(failed)
    return failed
