"""The weekly run: one report per distinct scope of the recipients, in parallel.

Each scope is one :func:`qlue_helpers.runner.run_report` call with the
overrides ``kota``, ``kecamatan`` and ``categories``, in a pool of worker
processes. A failing scope is recorded and the others still complete; its
notebook is kept in ``<scope>.failed/`` as usual.

Workers are started fresh (``spawn``), so they share no threads or locks with
the caller; their log records are handed back to the caller's logging.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from logging.handlers import QueueHandler, QueueListener
from pathlib import Path
from typing import Any

from qlue_helpers import runner
from qlue_helpers.delivery.recipients import Recipient, Scope, distinct_scopes
from qlue_helpers.errors import ParameterError
from qlue_helpers.project import OUTPUTS, WEEKLY

logger = logging.getLogger(__name__)
SCOPE_PARAMETERS = ("kota", "kecamatan", "categories")


@dataclass(frozen=True)
class ScopeRun:
    """The run of one scope.

    Attributes
    ----------
    scope : Scope
        What the run covers.
    folder : pathlib.Path
        The run folder, or the ``.failed`` folder when the run failed.
    error : str
        Why it failed; empty when it succeeded.
    """

    scope: Scope
    folder: Path
    error: str = ""

    @property
    def ok(self) -> bool:
        """Whether the run succeeded."""
        return not self.error


def run_weekly(
    params_file: str | Path | None,
    recipients: list[Recipient],
    overrides: list[tuple[str, str]] = (),
    *,
    outputs: Path = OUTPUTS,
    jobs: int | None = None,
    notebook: Path = WEEKLY,
) -> list[ScopeRun]:
    """Run the report for every distinct scope of `recipients`.

    Parameters
    ----------
    params_file : path, optional
        YAML file of parameter values (period, data, scoring, ...).
    recipients : list of Recipient
        From :func:`~.recipients.load_recipients`; their scopes are run.
    overrides : list of (name, value)
        Other parameters; the scope's own cannot be given here.
    outputs : pathlib.Path
        Root of the run folders.
    jobs : int, optional
        Notebooks run at once; defaults to the number of CPUs.
    notebook : pathlib.Path
        The report notebook.

    Returns
    -------
    list of ScopeRun
        One per scope, in the order the recipients name them.

    Raises
    ------
    qlue_helpers.errors.ParameterError
        Before anything runs, if a parameter is wrong for any scope.
    """
    _refuse_scope_overrides(overrides, jobs)
    scopes = distinct_scopes(recipients)
    plans = {
        scope: _planned(
            notebook, params_file, [*overrides, *scope.overrides()], outputs
        )
        for scope in scopes
    }

    workers = min(len(scopes), jobs or os.cpu_count() or 1)
    logger.info("running %d scopes, %d at a time", len(scopes), workers)
    with _worker_pool(workers) as pool:
        futures = {
            pool.submit(
                _run_scope,
                params_file,
                [*overrides, *scope.overrides()],
                outputs,
                notebook,
            ): scope
            for scope in scopes
        }
        done = {}
        for future in as_completed(futures):
            scope = futures[future]
            done[scope] = _result(scope, future, plans[scope])
    return [done[scope] for scope in scopes]


def _planned(
    notebook: Path,
    params_file: str | Path | None,
    overrides: list[tuple[str, str]],
    outputs: Path,
) -> Path:
    """Check a scope's parameters and return its run folder."""
    return runner.plan(params_file, overrides, notebook, outputs)[2]


def _run_scope(
    params_file: str | Path | None,
    overrides: list[tuple[str, str]],
    outputs: Path,
    notebook: Path,
) -> str:
    """Run one scope in a worker; return the error text, empty on success."""
    try:
        runner.run_report(params_file, overrides, notebook=notebook, outputs=outputs)
    except Exception as error:  # reported per scope; the others go on
        return str(error) or type(error).__name__
    return ""


def _result(scope: Scope, future: Future, planned: Path) -> ScopeRun:
    try:
        error = future.result()
    except Exception as error:  # the worker died; the others go on
        error = f"the worker process failed: {type(error).__name__}: {error}"
    if not error:
        logger.info("%s: done", scope.slug)
        return ScopeRun(scope, planned)

    logger.error("%s: %s", scope.slug, error)
    failed = planned.with_name(planned.name + ".failed")
    return ScopeRun(scope, failed if failed.is_dir() else planned, error)


def _refuse_scope_overrides(overrides: list[tuple[str, str]], jobs: int | None) -> None:
    given = sorted({name for name, _ in overrides} & set(SCOPE_PARAMETERS))
    if given:
        raise ParameterError(
            f"The weekly run takes {', '.join(SCOPE_PARAMETERS)} from each "
            f"recipient's scope, but -p gave {', '.join(given)}. Drop them, or "
            "run a single scope with `qlue report`."
        )
    if jobs is not None and jobs < 1:
        raise ParameterError(f"--jobs must be 1 or more, not {jobs}.")


@contextlib.contextmanager
def _worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Start fresh worker processes whose log records come back to this one."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    listener = QueueListener(queue, _Relay())
    listener.start()
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(queue, _levels()),
        ) as pool:
            yield pool
    finally:
        listener.stop()


class _Relay(logging.Handler):
    """Hand a worker's record to the logger of the same name in this process."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger(record.name).handle(record)


def _levels() -> dict[str, int]:
    """Return the levels set in this process, to apply in the workers."""
    loggers = logging.root.manager.loggerDict.items()
    levels = {
        name: item.level
        for name, item in loggers
        if isinstance(item, logging.Logger) and item.level
    }
    return levels | {"": logging.root.level}


def _start_worker(queue: Any, levels: dict[str, int]) -> None:
    """Send the worker's log records to the caller instead of printing them."""
    root = logging.getLogger()
    root.handlers = [QueueHandler(queue)]
    for name, level in levels.items():
        logging.getLogger(name or None).setLevel(level)
