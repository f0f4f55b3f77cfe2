"""The run folder: where one report run keeps everything it produced.

``outputs/<period_start>_<period_end>/<kota>/`` holds

- ``report.ipynb``     the executed notebook
- ``report.html``      the rendered report
- ``tables/*.csv``     every table of the report
- ``kpi.json``         the headline figures
- ``charts/*.png``     every chart, for the email rendering
- ``parameters.yaml``  the parameters as used

A run whose notebook failed is kept as ``<scope>.failed/`` beside it, with the
partly executed notebook and ``failure.json`` naming the failing cell.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from qlue_helpers.text import spreadsheet_safe

logger = logging.getLogger(__name__)
NOTEBOOK = "report.ipynb"
HTML = "report.html"
KPI = "kpi.json"
PARAMETERS = "parameters.yaml"
TABLES = "tables"
CHARTS = "charts"
FAILURE = "failure.json"


def run_folder(outputs: Path, period_start: str, period_end: str, slug: str) -> Path:
    """Return the run folder of one period and one scope."""
    return Path(outputs) / f"{period_start}_{period_end}" / slug


def save_tables(folder: str | Path, tables: dict[str, pd.DataFrame]) -> None:
    """Write each table as ``tables/<name>.csv`` (UTF-8 with BOM, for Excel).

    Text that Excel would take for a formula is quoted (see
    :func:`qlue_helpers.text.spreadsheet_safe`).
    """
    target = Path(folder) / TABLES
    target.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        spreadsheet_safe(table).to_csv(
            target / f"{name}.csv", index=False, encoding="utf-8-sig"
        )
    logger.debug("wrote %s tables to %s", len(tables), target)


def save_charts(folder: str | Path, charts: dict[str, Any]) -> None:
    """Write each chart's PNG as ``charts/<name>.png`` (objects with ``.png``)."""
    target = Path(folder) / CHARTS
    target.mkdir(parents=True, exist_ok=True)
    for name, chart in charts.items():
        (target / f"{name}.png").write_bytes(chart.png)


def save_kpi(folder: str | Path, kpi: dict[str, Any]) -> None:
    """Write the headline figures as ``kpi.json``."""
    path = Path(folder) / KPI
    path.write_text(json.dumps(kpi, ensure_ascii=False, indent=2), encoding="utf-8")


def read_kpi(folder: str | Path) -> dict[str, Any]:
    """Read a run's ``kpi.json``."""
    return json.loads((Path(folder) / KPI).read_text(encoding="utf-8"))
