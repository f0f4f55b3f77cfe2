"""The notebook tier: the real `qlue report` runs the real notebook in a kernel.

Expected values are the figures published for Jakarta Timur, November 2015
(typed in by hand) and counts made with plain pandas on the sample file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "qlue_helpers/data/sample/laporan_jakarta_timur_2015-11.csv"
WEEKLY = PROJECT / "params" / "weekly.yaml"
QLUE = [sys.executable, "-m", "qlue_helpers.cli"]
WEEK_FOLDER = Path("2015-11-20_2015-11-27") / "jakarta-timur"

pytestmark = pytest.mark.notebook


def qlue(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*QLUE, *args], capture_output=True, text=True, cwd=PROJECT, timeout=300
    )


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("outputs")


@pytest.fixture(scope="module")
def week_run(outputs) -> subprocess.CompletedProcess:
    return qlue("report", str(WEEKLY), "--outputs", str(outputs))


@pytest.fixture(scope="module")
def week_kpi(week_run, outputs) -> dict:
    assert week_run.returncode == 0, week_run.stderr
    return json.loads((outputs / WEEK_FOLDER / "kpi.json").read_text())


def plain_week_counts() -> pd.Series:
    """Week 20-27 Nov: created in [20 Nov, 28 Nov) WIB, status at 28 Nov 00:00."""
    table = pd.read_csv(SAMPLE, dtype=str)
    created = pd.to_datetime(table["created_at"], format="ISO8601", utc=True)
    responded = pd.to_datetime(table["responded_at"], format="ISO8601", utc=True)
    completed = pd.to_datetime(table["completed_at"], format="ISO8601", utc=True)
    close = pd.Timestamp("2015-11-28 00:00", tz="Asia/Jakarta")
    week = created.ge(pd.Timestamp("2015-11-20", tz="Asia/Jakarta")) & created.lt(close)
    status = pd.Series("merah", index=table.index)
    status[responded.lt(close)] = "kuning"
    status[completed.lt(close)] = "hijau"
    return status[week].value_counts()


def test_prints_the_html_path_last(week_run, outputs):
    assert week_run.returncode == 0, week_run.stderr
    last = week_run.stdout.strip().splitlines()[-1]
    assert Path(last) == outputs / WEEK_FOLDER / "report.html"
    assert Path(last).is_file()


def test_run_folder_holds_everything(week_kpi, outputs):
    folder = outputs / WEEK_FOLDER
    assert (folder / "report.ipynb").is_file()
    assert (folder / "parameters.yaml").is_file()
    tables = {p.name for p in (folder / "tables").glob("*.csv")}
    assert {"status_kecamatan.csv", "status_kelurahan.csv", "peringkat.csv"} <= tables
    ranking = pd.read_csv(folder / "tables" / "peringkat.csv")
    assert len(ranking) == 65


def test_published_ranking_of_the_week(week_kpi):
    top = [
        (e["kelurahan"], e["rank"], e["points"], e["hijau"], e["kuning"], e["merah"])
        for e in week_kpi["ranking"][:3]
    ]
    assert top == [
        ("Pulo Gebang", 1, 460, 97, 3, 7),
        ("Cipayung", 2, 145, 29, 0, 0),
        ("Duren Sawit", 3, 128, 40, 38, 2),
    ]
    assert len(week_kpi["ranking"]) == 65
    assert week_kpi["ranking"][0]["kode_kelurahan"] == "31.75.06.1005"


def test_week_counts_match_plain_pandas(week_kpi):
    expected = plain_week_counts()
    assert week_kpi["status_counts"] == {
        s: int(expected.get(s, 0)) for s in ("merah", "kuning", "hijau")
    }
    assert week_kpi["reports"] == int(expected.sum())
    assert (week_kpi["period_start"], week_kpi["period_end"]) == (
        "2015-11-20",
        "2015-11-27",
    )
    assert week_kpi["kota"] == "Kota Administrasi Jakarta Timur"


def test_published_month(outputs):
    run = qlue(
        "report",
        str(WEEKLY),
        "--outputs",
        str(outputs),
        "-p",
        "period_start",
        "2015-11-01",
        "-p",
        "period_end",
        "2015-11-30",
    )
    assert run.returncode == 0, run.stderr
    kpi = json.loads(
        Path(run.stdout.strip().splitlines()[-1]).with_name("kpi.json").read_text()
    )
    assert kpi["reports"] == 4577
    assert kpi["status_counts"] == {"merah": 397, "kuning": 1216, "hijau": 2964}


def test_html_shows_figures_and_no_code(week_kpi, outputs):
    html = (outputs / WEEK_FOLDER / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    for expected in (
        "Pulo Gebang",
        "460",
        "Cipayung",
        "145",
        "Duren Sawit",
        "128",
        "20-27 November 2015",
        "Aturan periode",
        "Rumus poin",
    ):
        assert expected in text
    total = f"{week_kpi['reports']:,}".replace(",", ".")
    assert total in text
    for leak in (
        "<script",
        "import ",
        "display(",
        "figures.",
        "Traceback",
        "Warning",
        "output_dir",
        "In&nbsp;[",
    ):
        assert leak not in html


def test_executed_notebook_has_no_stderr_or_errors(week_kpi, outputs):
    notebook = nbformat.read(outputs / WEEK_FOLDER / "report.ipynb", as_version=4)
    outputs_ = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs_ if o.output_type == "error"]
    assert not [o for o in outputs_ if o.get("name") == "stderr"]


def test_unknown_parameter_fails_before_running(tmp_path):
    run = qlue(
        "report", str(WEEKLY), "--outputs", str(tmp_path), "-p", "periode", "2015-11"
    )
    assert run.returncode == 2
    assert "Unknown parameter 'periode'" in run.stderr
    assert not any(tmp_path.iterdir())


def test_failing_cell_keeps_notebook_and_last_good_run(week_kpi, outputs, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text("no,canonical,columns\n1,2,3\n")
    good = (outputs / WEEK_FOLDER / "kpi.json").read_text()

    run = qlue(
        "report", str(WEEKLY), "--outputs", str(outputs), "-p", "data", str(broken)
    )
    assert run.returncode == 1
    assert "Cell" in run.stderr
    assert "lacks the canonical columns" in run.stderr
    failed = outputs / WEEK_FOLDER.parent / "jakarta-timur.failed"
    assert (failed / "report.ipynb").is_file()
    failure = json.loads((failed / "failure.json").read_text())
    assert "lacks the canonical columns" in failure["error"]
    assert (outputs / WEEK_FOLDER / "kpi.json").read_text() == good


def test_kecamatan_scope(outputs):
    run = qlue(
        "report", str(WEEKLY), "--outputs", str(outputs), "-p", "kecamatan", "cakung"
    )
    assert run.returncode == 0, run.stderr
    html = Path(run.stdout.strip().splitlines()[-1])
    assert html.parent.name == "jakarta-timur--cakung"
    kpi = json.loads(html.with_name("kpi.json").read_text())
    assert kpi["kecamatan"] == "Cakung"
    notebook = nbformat.read(html.with_name("report.ipynb"), as_version=4)
    outputs_ = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs_ if o.get("name") == "stderr"]
    # Cakung (31.75.06) has seven kelurahan; Pulo Gebang leads it with 460.
    assert len(kpi["ranking"]) == 7
    assert {e["kode_kelurahan"][:8] for e in kpi["ranking"]} == {"31.75.06"}
    assert (kpi["ranking"][0]["kelurahan"], kpi["ranking"][0]["points"]) == (
        "Pulo Gebang",
        460,
    )


def test_explore_notebook_runs(tmp_path):
    from qlue_helpers.project import NOTEBOOKS
    from qlue_helpers.runner import execute

    executed = tmp_path / "explore.ipynb"
    execute(NOTEBOOKS / "explore.ipynb", executed)
    notebook = nbformat.read(executed, as_version=4)
    outputs_ = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs_ if o.output_type == "error"]
    assert not [o for o in outputs_ if o.get("name") == "stderr"]
    # The first code cell ends with the intake summary of the sample.
    summary = notebook.cells[2].outputs[0]["data"]["text/plain"]
    assert "'rows_in': 4577" in summary


def test_timing_sections_render_and_kpi_has_them(week_kpi, outputs):
    html = (outputs / WEEK_FOLDER / "report.html").read_text(encoding="utf-8")
    for heading in (
        "Waktu tanggapan dan penyelesaian",
        "Tingkat layanan",
        "Tunggakan pada akhir periode",
        "Tren mingguan",
        "Kategori laporan",
        "Daftar istilah",
        "Kualitas data",
    ):
        assert f">{heading}<" in html
    for key in (
        "response_hours_median",
        "completion_hours_median",
        "answered_within_share",
        "finished_within_share",
    ):
        assert key in week_kpi

    # Backlog at the close, by plain pandas: created before 28 Nov 00:00 WIB
    # and not completed before it, whenever created.
    table = pd.read_csv(SAMPLE, dtype=str)
    created = pd.to_datetime(table["created_at"], format="ISO8601", utc=True)
    completed = pd.to_datetime(table["completed_at"], format="ISO8601", utc=True)
    close = pd.Timestamp("2015-11-28 00:00", tz="Asia/Jakarta")
    still_open = created.lt(close) & ~completed.lt(close)
    assert week_kpi["backlog_open"] == int(still_open.sum())
    assert sum(week_kpi["backlog_by_age"].values()) == int(still_open.sum())
    age_days = (close - created[still_open]).dt.total_seconds() / 86400
    assert week_kpi["backlog_by_age"]["age_7_plus"] == int((age_days >= 7).sum())


def test_unknown_medians_are_said_not_hidden(week_kpi, outputs):
    # By plain pandas: kecamatan where over half the week's reports are still
    # unfinished at the close have no known median completion time.
    table = pd.read_csv(SAMPLE, dtype=str)
    created = pd.to_datetime(table["created_at"], format="ISO8601", utc=True)
    completed = pd.to_datetime(table["completed_at"], format="ISO8601", utc=True)
    close = pd.Timestamp("2015-11-28 00:00", tz="Asia/Jakarta")
    week = created.ge(pd.Timestamp("2015-11-20", tz="Asia/Jakarta")) & created.lt(close)
    done_share = completed[week].lt(close).groupby(table.loc[week, "kecamatan"]).mean()
    assert (done_share < 0.5).any()

    html = (outputs / WEEK_FOLDER / "report.html").read_text(encoding="utf-8")
    assert "belum diketahui" in html


def test_tables_are_safe_to_open_in_excel(tmp_path):
    from qlue_helpers.runfolder import save_tables

    table = pd.DataFrame(
        {
            "description": ['=HYPERLINK("http://x","klik")', "+62 812", "Sampah", None],
            "points": [-5, 4, 0, 1],
        }
    )
    save_tables(tmp_path, {"t": table})
    back = pd.read_csv(tmp_path / "tables" / "t.csv", encoding="utf-8-sig")
    assert list(back["description"].iloc[:3]) == [
        '\'=HYPERLINK("http://x","klik")',
        "'+62 812",
        "Sampah",
    ]
    assert list(back["points"]) == [-5, 4, 0, 1]  # numbers stay numbers


def test_table_files_read_back_as_written(tmp_path):
    from qlue_helpers.runfolder import write_csv

    wib = "Asia/Jakarta"
    table = pd.DataFrame(
        {
            "teks": ['koma, "kutip"\nbaris baru', "Sampah", None],
            "hari": pd.to_datetime(["2015-11-20", None, "2015-11-27"]),
            "waktu": pd.to_datetime(
                ["2015-11-20 08:30", "2015-11-21 00:00", None]
            ).tz_localize(wib),
            "selesai": [True, False, True],
            "status": pd.Categorical(["merah", "hijau", None]),
            "jumlah": pd.array([3, None, 0], dtype="Int64"),
            "jam": [1.5, 2.0, float("nan")],
        }
    )
    write_csv(table, tmp_path / "t.csv")

    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 by its BOM
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig", dtype=str)
    assert list(back["teks"].fillna("")) == ['koma, "kutip"\nbaris baru', "Sampah", ""]
    assert list(back["hari"].fillna("")) == ["2015-11-20", "", "2015-11-27"]
    assert list(back["waktu"].fillna("")) == [
        "2015-11-20 08:30:00+07:00",
        "2015-11-21 00:00:00+07:00",
        "",
    ]
    assert list(back["selesai"]) == ["True", "False", "True"]
    assert list(back["status"].fillna("")) == ["merah", "hijau", ""]
    assert list(back["jumlah"].fillna("")) == ["3", "", "0"]
    assert list(back["jam"].fillna("")) == ["1.5", "2", ""]
