"""The benchmark runs on a small size, and both engines agree."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.notebook


def test_bench_runs_small_and_engines_agree(tmp_path):
    results = tmp_path / "results.json"
    run = subprocess.run(
        [
            sys.executable,
            str(PROJECT / "bench" / "run.py"),
            "--small",
            "--repeat",
            "1",
            "--cases",
            "intake_pandas,intake_qlue,figures_ours,figures_duckdb,report_code,report",
            "--data",
            str(tmp_path / "data"),
            "--results",
            str(results),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert "weekly figures" in run.stdout
    saved = json.loads(results.read_text())
    assert saved["engines_agree"] is True
    assert saved["facts"]["history_rows"] > 10_000
    assert set(saved["results"]) == {
        "intake_pandas",
        "intake_qlue",
        "figures_ours",
        "figures_duckdb",
        "report_code",
        "report",
    }
    for case in ("intake_qlue", "figures_ours", "report"):
        paired = saved["results"][case]["paired"]
        assert paired["ratio"] > 0
        assert len(paired["ratios"]) == 1
    report = saved["results"]["report"]
    assert 0 < report["outside_cells_seconds"] < report["seconds"]
    assert "report cost beyond its own code" in run.stdout
    # The notebook's code ran through to its last cell, which saves the tables.
    assert (tmp_path / "data" / "report_code" / "kpi.json").is_file()
