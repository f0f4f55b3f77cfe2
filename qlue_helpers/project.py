"""Where the project's own files are: notebooks, sample data, outputs."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
NOTEBOOKS = PROJECT / "notebooks"
WEEKLY = NOTEBOOKS / "weekly_report.ipynb"
SAMPLE = (
    PROJECT / "qlue_helpers" / "data" / "sample" / "laporan_jakarta_timur_2015-11.csv"
)
OUTPUTS = PROJECT / "outputs"
SOURCES = PROJECT / "params" / "sources"
