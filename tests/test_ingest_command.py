"""`qlue ingest` as a user runs it: files written, counts printed, errors clear."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

PROJECT = Path(__file__).resolve().parent.parent
CROP = PROJECT / "tests" / "data" / "intake" / "crop_jaktim_2015-11.csv"


def qlue(*args):
    return subprocess.run(
        [sys.executable, "-m", "qlue_helpers.cli", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=120,
    )


def report_on(export: Path, outputs: Path, **parameters: str):
    """Run `qlue report` on a raw export with the given notebook parameters."""
    command = ["report", "params/weekly.yaml", "--outputs", str(outputs)]
    for name, value in {"data": str(export), **parameters}.items():
        command += ["-p", name, value]
    return qlue(*command)


def test_ingest_writes_the_folder_and_counts_add_up(tmp_path):
    out = tmp_path / "ingested"
    run = qlue(
        "ingest",
        str(CROP),
        "--source",
        "qlue",
        "--out",
        str(out),
        "--exported-at",
        "2015-12-01 00:00",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == str(out)

    summary = json.loads((out / "summary.json").read_text())
    reports = pd.read_parquet(out / "reports.parquet")
    quarantine = pd.read_csv(out / "quarantine.csv")
    # The file has 14 data rows; the counts printed are the ones written.
    assert summary["rows_in"] == 14
    assert summary["rows_in"] == summary["accepted"] + summary["quarantined"]
    assert len(reports) == summary["accepted"]
    assert len(quarantine) == summary["quarantined"]
    assert f"14 rows in, {summary['accepted']} accepted" in run.stdout
    # Reporter identities never reach any output.
    for name in ("Nama Pelapor", "No HP"):
        assert name not in quarantine.columns
        assert name not in reports.columns


def test_ingest_refuses_an_unusable_file_and_writes_nothing(tmp_path):
    out = tmp_path / "ingested"
    run = qlue("ingest", str(PROJECT / "README.md"), "--out", str(out))
    assert run.returncode == 1
    assert "expected an export" in run.stderr
    assert not out.exists()


def test_report_takes_a_raw_export_and_shows_unmatched_names(tmp_path):
    run = report_on(
        CROP, tmp_path, source="qlue", exported_at="2015-12-01T00:00:00+07:00"
    )
    assert run.returncode == 0, run.stderr
    html = Path(run.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert "Antah Berantah" in html  # the name no official area matches
    assert "crop_jaktim_2015-11.csv" in html


def test_report_on_a_city_outside_jakarta_uses_its_own_levels(tmp_path):
    nyc = PROJECT / "tests" / "data" / "intake" / "nyc311_2011-03.csv"
    run = report_on(
        nyc,
        tmp_path,
        source="nyc311",
        kota="",
        period_start="2011-03-01",
        period_end="2011-03-07",
        exported_at="2011-03-10T00:00:00-05:00",
    )
    assert run.returncode == 0, run.stderr
    html_path = Path(run.stdout.strip().splitlines()[-1])
    kpi = json.loads(html_path.with_name("kpi.json").read_text())

    # By hand from the file: three of its six rows are usable, all created
    # 1-2 March (New York time). At the close (8 March 00:00 New York):
    # 19950001 closed 18 h 48 min after it came in (hijau, fast: 5 points),
    # 19950002 still open (merah), 19950003 assigned 3 March (kuning: -1).
    assert kpi["reports"] == 3
    assert kpi["status_counts"] == {"merah": 1, "kuning": 1, "hijau": 1}
    ranking = {e["kelurahan"]: (e["rank"], e["points"]) for e in kpi["ranking"]}
    assert ranking == {"01 BROOKLYN": (1, 4), "12 MANHATTAN": (2, 0)}

    html = html_path.read_text(encoding="utf-8")
    assert "Status laporan per community board" in html
    assert "America/New_York" in html
    # Table headers name the source's levels, not Jakarta's.
    assert ">Kelurahan<" not in html
    assert ">Community board<" in html
