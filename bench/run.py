"""Benchmark the weekly run against the obvious alternatives, side by side.

Run after ``make report``::

    .venv/bin/python bench/run.py            # all six kota, five years
    .venv/bin/python bench/run.py --small    # one kota, three months (a minute)

It builds its data with the project's own generator into ``bench/data/``,
measures each case in a fresh process (median of several runs, and the
process's peak memory), runs intake, figures and a whole report once more
alternating with their baselines in one process (the ratio of each pair, less
exposed to a shared machine's drift), prints a table of ratios against each baseline and
writes ``bench/results.json``. It exits non-zero if the project's figures
differ from DuckDB's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import nbformat
import pandas as pd

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(BENCH))

SIZES = {
    "full": {
        "kota": None,
        "start": date(2015, 1, 1),
        "end": date(2019, 12, 31),
        "intake_rows": 1_000_000,
        "repeat": 5,
        "week": ("2019-11-20", "2019-11-27"),
    },
    "small": {
        "kota": ["Jakarta Timur"],
        "start": date(2015, 9, 1),
        "end": date(2015, 11, 30),
        "intake_rows": 20_000,
        "repeat": 2,
        "week": ("2015-11-20", "2015-11-27"),
    },
}
KOTA = "Jakarta Timur"
TREND_WEEKS = 8
SCOPES = 12


# --- data -------------------------------------------------------------------


def build_data(size: str, data: Path) -> dict:
    """Generate the history and the intake CSV once per size."""
    from qlue_helpers import store, synthetic

    spec = SIZES[size]
    stamp = data / "built.json"
    if stamp.exists() and json.loads(stamp.read_text()).get("size") == size:
        return json.loads(stamp.read_text())

    reports = synthetic.generate(spec["kota"], spec["start"], spec["end"], seed=7)
    store.write_history(reports, data / "history")
    reports.head(spec["intake_rows"]).to_csv(data / "intake.csv", index=False)
    facts = {
        "size": size,
        "history_rows": len(reports),
        "intake_rows": min(len(reports), spec["intake_rows"]),
    }
    stamp.write_text(json.dumps(facts))
    return facts


# --- cases, each run in its own process ---------------------------------------


def case_intake_pandas(data: Path) -> None:
    """Read the intake CSV with plain pandas."""
    pd.read_csv(data / "intake.csv")


def case_intake_qlue(data: Path) -> None:
    """Do what `qlue ingest` does: read, check, write the intake folder."""
    from qlue_helpers import intake

    intake.ingest(data / "intake.csv", "canonical", data / "ingested")


def _week(size: str):
    from qlue_helpers import areas
    from qlue_helpers.figures import Period
    from qlue_helpers.rules import load_scoring

    start, end = SIZES[size]["week"]
    rule = load_scoring(PROJECT / "params" / "scoring" / "default.yaml")
    return areas.kelurahan_of(KOTA), Period.parse(start, end), rule


def ours(data: Path, size: str) -> dict[str, pd.DataFrame]:
    """Compute the weekly figures as the report does."""
    from qlue_helpers import figures, store
    from qlue_helpers.figures import backlog, timings, trends

    scope, period, rule = _week(size)
    since = period.shifted(1 - TREND_WEEKS).opens
    reports = store.read_window(data / "history", "31.75", since, period.closes)
    return {
        "kecamatan": figures.status_summary(reports, scope, period, "kecamatan"),
        "ranking": figures.rank_kelurahan(reports, scope, period, rule),
        "timings": timings.timing_summary(reports, scope, period, "kecamatan"),
        "backlog": backlog.backlog_summary(reports, scope, period, "kecamatan"),
        "trends": trends.weekly_trends(reports, scope, period, weeks=TREND_WEEKS),
    }


def theirs(data: Path, size: str) -> dict[str, pd.DataFrame]:
    """Compute the same figures with DuckDB."""
    from duckdb_figures import weekly_figures

    from qlue_helpers.figures.trends import weekly_periods

    scope, period, rule = _week(size)
    weeks = weekly_periods(period, TREND_WEEKS)
    return weekly_figures(data / "history", scope, period, rule, weeks)


def case_figures_ours(data: Path, size: str) -> None:
    """Compute the weekly figures with the project's code."""
    ours(data, size)


def case_figures_duckdb(data: Path, size: str) -> None:
    """Compute the weekly figures with DuckDB."""
    theirs(data, size)


def _qlue_report(data: Path, size: str, *parameters: str) -> Path:
    """Run `qlue report` on the store for the benchmark week, as a user would."""
    start, end = SIZES[size]["week"]
    values = {
        "data": str(data / "history"),
        "period_start": start,
        "period_end": end,
        "exported_at": "",
    }
    pairs = [*values.items(), *zip(parameters[::2], parameters[1::2], strict=True)]
    command = [
        sys.executable,
        "-m",
        "qlue_helpers.cli",
        "report",
        str(PROJECT / "params" / "weekly.yaml"),
        "--outputs",
        str(data / "outputs"),
    ]
    for name, value in pairs:
        command += ["-p", name, value]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return Path(done.stdout.strip().splitlines()[-1]).with_suffix(".ipynb")


def case_report(data: Path, size: str) -> dict[str, float]:
    """Run a whole `qlue report` over the history; say how long its cells took.

    papermill records each cell's run time in the executed notebook, so the
    time outside the cells (command start, kernel, rendering) comes from the
    same run.
    """
    executed = nbformat.read(_qlue_report(data, size), as_version=4)
    cells = sum(
        cell.metadata.get("papermill", {}).get("duration") or 0.0
        for cell in executed.cells
    )
    return {"cells_seconds": cells}


def case_report_code(data: Path, size: str) -> None:
    """Run the report notebook's code in this process: no kernel, no rendering.

    Every display is formatted as a kernel formats it, then dropped; the last
    cell writes the tables and charts as in a real run.
    """
    import IPython.display
    from IPython.core.formatters import DisplayFormatter

    from qlue_helpers import runner
    from qlue_helpers.project import WEEKLY

    formatter = DisplayFormatter()
    IPython.display.display = lambda *shown, **_: [formatter.format(o) for o in shown]
    start, end = SIZES[size]["week"]
    overrides = [
        ("data", str(data / "history")),
        ("period_start", start),
        ("period_end", end),
        ("exported_at", ""),
    ]
    values, _, _ = runner.plan(PROJECT / "params" / "weekly.yaml", overrides)
    values["output_dir"] = str(data / "report_code")

    notebook = nbformat.read(WEEKLY, as_version=4)
    namespace: dict = {}
    here = Path.cwd()
    os.chdir(WEEKLY.parent)
    try:
        for cell in notebook.cells:
            if cell.cell_type == "code":
                exec(cell.source, namespace)
            if "parameters" in cell.metadata.get("tags", []):
                namespace.update(values)
    finally:
        os.chdir(here)


def case_empty_notebook(data: Path, size: str) -> None:
    """Run and render an empty notebook: the machinery alone."""
    from qlue_helpers.rendering import render_html
    from qlue_helpers.runner import execute

    empty = data / "empty.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), empty
    )
    execute(empty, data / "empty.out.ipynb")
    render_html(data / "empty.out.ipynb", data / "empty.html", title="kosong")


def _scoped_report(args: tuple) -> None:
    data, size, kecamatan = args
    _qlue_report(data, size, "kecamatan", kecamatan)


def _scopes(data: Path, size: str) -> list[tuple]:
    from qlue_helpers import areas

    names = list(areas.kelurahan_of(KOTA)["kecamatan"].unique())
    return [(data, size, names[i % len(names)]) for i in range(SCOPES)]


def case_scoped_serial(data: Path, size: str) -> None:
    """Run the scoped reports one after another."""
    for scope in _scopes(data, size):
        _scoped_report(scope)


def case_scoped_parallel(data: Path, size: str) -> None:
    """Run the scoped reports in parallel processes."""
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        list(pool.map(_scoped_report, _scopes(data, size)))


CASES = {
    name[5:]: value for name, value in globals().items() if name.startswith("case_")
}


def measure(case: str, data: Path, size: str, repeat: int) -> dict:
    """Time one case in this process; report its peak memory too."""
    function = CASES[case]
    arguments = (data,) if case.startswith("intake") else (data, size)
    times, outside = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        told = function(*arguments)
        times.append(time.perf_counter() - start)
        if told:
            outside.append(times[-1] - told["cells_seconds"])
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    found = {
        "seconds": statistics.median(times),
        "runs": times,
        "peak_mb": max(own, children) / 1024,
    }
    if outside:
        found["outside_cells_seconds"] = statistics.median(outside)
    return found


PAIRED = {
    "intake_qlue": "intake_pandas",
    "figures_ours": "figures_duckdb",
    "report": "report_code",
}
"""Cases also measured alternating with their baseline in one process."""


def measure_pair(case: str, data: Path, size: str, repeat: int) -> dict:
    """Run a case and its baseline alternately; return each pair's ratio and gap.

    The machine's speed drifts from second to second on a shared host;
    alternating keeps each pair under the same conditions.
    """
    functions = CASES[case], CASES[PAIRED[case]]
    arguments = (data,) if case.startswith("intake") else (data, size)
    for function in functions:
        function(*arguments)  # warm up: imports, file cache
    ratios, gaps = [], []
    for _ in range(repeat):
        took = []
        for function in functions:
            start = time.perf_counter()
            function(*arguments)
            took.append(time.perf_counter() - start)
        ratios.append(took[0] / took[1])
        gaps.append(took[0] - took[1])
    return {
        "ratio": statistics.median(ratios),
        "ratios": ratios,
        "gap_seconds": statistics.median(gaps),
    }


def in_child(*arguments: str) -> object:
    """Run this script with ``arguments`` in a fresh process; return its JSON.

    Every heavy step runs in a child so that this process stays small and
    each measured peak is the step's own.
    """
    done = subprocess.run(
        [sys.executable, __file__, *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- comparison and table -----------------------------------------------------


COMPARED = {
    "kecamatan": ["kecamatan", "laporan", "merah", "kuning", "hijau"],
    "ranking": ["kode_kelurahan", "points", "rank", "merah", "kuning", "hijau"],
    "timings": [
        "kecamatan",
        "response_median_hours",
        "response_p90_hours",
        "completion_median_hours",
        "completion_p90_hours",
    ],
    "backlog": ["kecamatan", "open", "age_0_1", "age_1_3", "age_3_7", "age_7_plus"],
    "trends": [
        "week_offset",
        "kecamatan",
        "laporan",
        "hijau",
        "completion_rate",
        "completion_median_hours",
    ],
}


def check_agreement(data: Path, size: str) -> list[str]:
    """Return the differences between our figures and DuckDB's (none, we hope)."""
    mine, yours = ours(data, size), theirs(data, size)
    problems = []
    for name, columns in COMPARED.items():
        left = mine[name][columns].sort_values(columns[:2]).reset_index(drop=True)
        right = yours[name][columns].sort_values(columns[:2]).reset_index(drop=True)
        try:
            pd.testing.assert_frame_equal(
                left.astype({c: "float64" for c in columns[1:] if c != "kecamatan"}),
                right.astype({c: "float64" for c in columns[1:] if c != "kecamatan"}),
                check_dtype=False,
                rtol=1e-9,
            )
        except AssertionError as error:
            problems.append(f"{name}: {error}")
    return problems


COMPARISONS = [
    ("intake of the CSV", "intake_qlue", ["intake_pandas"], "pandas.read_csv"),
    ("weekly figures", "figures_ours", ["figures_duckdb"], "DuckDB SQL"),
    (
        "whole qlue report",
        "report",
        ["figures_ours", "empty_notebook"],
        "figures + empty notebook",
    ),
    (
        "report beyond its code",
        "report",
        ["report_code"],
        "the notebook's code in one process",
    ),
    (
        f"{SCOPES} scoped reports",
        "scoped_parallel",
        ["scoped_serial"],
        "one after another",
    ),
]


def table(results: dict, facts: dict) -> str:
    """Format the measurements as a plain-text table."""
    rows = [
        f"{'what':<24}{'ours s':>9}{'baseline s':>12}{'ratio':>8}  "
        f"{'peak MB':>8}  baseline"
    ]
    for label, case, baseline, name in COMPARISONS:
        if not {case, *baseline} <= set(results):
            continue
        mine = results[case]["seconds"]
        base = sum(results[b]["seconds"] for b in baseline)
        ratio = mine / base
        if "paired" in results[case] and len(baseline) == 1:
            ratio = results[case]["paired"]["ratio"]
        rows.append(
            f"{label:<24}{mine:>9.2f}{base:>12.2f}{ratio:>8.2f}  "
            f"{results[case]['peak_mb']:>8.0f}  {name}"
        )
    if any("paired" in found for found in results.values()):
        rows.append(
            "ratios of intake, figures and report beyond its code: median of runs "
            "alternating with the baseline in one process; times: medians of "
            "separate runs"
        )
    rows.append(f"history: {facts['history_rows']:,} rows")
    if {"intake_qlue", "intake_pandas"} <= set(results):
        speeds = [
            facts["intake_rows"] / results[case]["seconds"]
            for case in ("intake_qlue", "intake_pandas")
        ]
        rows.append(
            f"intake rows per second: {speeds[0]:,.0f} (pandas.read_csv "
            f"{speeds[1]:,.0f}) for {facts['intake_rows']:,} rows"
        )
    if "report" in results:
        report = results["report"]
        per_million = report["peak_mb"] / (facts["history_rows"] / 1e6)
        rows.append(f"report peak per million rows of history: {per_million:.0f} MB")
        rows.append(
            f"report time outside its notebook cells (command, kernel start and "
            f"imports, rendering): {report['outside_cells_seconds']:.2f} s of "
            f"{report['seconds']:.2f} s"
        )
    if {"report", "report_code"} <= set(results):
        beyond = results["report"]["seconds"] - results["report_code"]["seconds"]
        paired = results["report"].get("paired")
        rows.append(
            f"report cost beyond its own code (kernel, imports, papermill, "
            f"rendering): {beyond:.2f} s by medians"
            + (f", {paired['gap_seconds']:.2f} s by pairs" if paired else "")
        )
    return "\n".join(rows)


def _runs(case: str, repeat: int) -> int:
    """Say how often to run a case: a dozen reports once, one report thrice."""
    if case.startswith("scoped"):
        return 1
    return min(repeat, 3) if case.startswith(("report", "empty")) else repeat


def main() -> int:
    """Build the data, measure every case, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a quick small run")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--pair", help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=["build", "check"], help=argparse.SUPPRESS)
    parser.add_argument("--size", default="full", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, help="runs per case (median)")
    parser.add_argument("--cases", help="comma-separated cases (default: all)")
    parser.add_argument("--data", type=Path, default=BENCH / "data")
    parser.add_argument("--results", type=Path, default=BENCH / "results.json")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(measure(args.case, args.data, args.size, args.repeat)))
        return 0
    if args.pair:
        print(json.dumps(measure_pair(args.pair, args.data, args.size, args.repeat)))
        return 0
    if args.step == "build":
        print(json.dumps(build_data(args.size, args.data)))
        return 0
    if args.step == "check":
        print(json.dumps(check_agreement(args.data, args.size)))
        return 0

    size = "small" if args.small else "full"
    repeat = args.repeat or SIZES[size]["repeat"]
    args.data.mkdir(parents=True, exist_ok=True)
    common = ["--size", size, "--data", str(args.data)]
    facts = in_child("--step", "build", *common)
    problems = in_child("--step", "check", *common)
    results = {}
    chosen = args.cases.split(",") if args.cases else list(CASES)
    for case in chosen:
        runs = str(_runs(case, repeat))
        results[case] = in_child("--case", case, "--repeat", runs, *common)
    for case, baseline in PAIRED.items():
        if {case, baseline} <= set(chosen):
            pairs = str(_runs(case, repeat))
            paired = in_child("--pair", case, "--repeat", pairs, *common)
            results[case]["paired"] = paired
    print(table(results, facts))

    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "system": platform.platform(),
    }
    args.results.write_text(
        json.dumps(
            {
                "size": size,
                "facts": facts,
                "machine": machine,
                "results": results,
                "engines_agree": not problems,
                "differences": problems,
            },
            indent=2,
        )
    )
    if problems:
        print("\n".join(["figures differ from DuckDB's:", *problems]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
