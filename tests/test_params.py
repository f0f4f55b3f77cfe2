"""Parameters are checked before anything runs."""

from pathlib import Path

import pytest

from qlue_helpers import params, rules
from qlue_helpers.areas import resolve_kota
from qlue_helpers.errors import ParameterError
from qlue_helpers.project import WEEKLY

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_RULE = PROJECT / "params" / "scoring" / "default.yaml"
RULE_FILES = {
    "service_levels": str(PROJECT / "params" / "service_levels.yaml"),
    "agencies": str(PROJECT / "params" / "agencies.yaml"),
}


def write(tmp_path, text, name="p.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_notebook_declares_typed_parameters():
    spec = params.declared(WEEKLY)
    assert {"data", "kota", "period_start", "period_end", "scoring"} <= set(spec)
    assert spec["period_start"]["type"] == "str"
    assert spec["fast_hours"]["type"] == "float"
    assert all(s["help"] for s in spec.values())


def test_yaml_dates_stay_text_and_paths_become_absolute(tmp_path):
    path = write(tmp_path, "period_start: 2015-11-20\nscoring: rule.yaml\n")
    values = params.collect(WEEKLY, path)
    assert values["period_start"] == "2015-11-20"
    assert values["scoring"] == str(tmp_path / "rule.yaml")


def test_overrides_are_typed_by_the_notebook(tmp_path):
    values = params.collect(
        WEEKLY,
        None,
        [("fast_hours", "12"), ("end_inclusive", "false"), ("kota", "007")],
    )
    assert values == {"fast_hours": 12.0, "end_inclusive": False, "kota": "007"}


def test_unknown_parameter_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="Unknown parameter 'periode'.*kota"):
        params.collect(WEEKLY, write(tmp_path, "periode: 2015-11\n"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("fast_hours: cepat", "must be float"),
        ("end_inclusive: 3", "must be bool"),
        ("kota: [a, b]", "must be str"),
    ],
)
def test_ill_typed_parameter_is_refused(tmp_path, line, message):
    with pytest.raises(ParameterError, match=message):
        params.collect(WEEKLY, write(tmp_path, line + "\n"))


def test_settings_check_meaning(tmp_path):
    data = write(tmp_path, "x", "data.csv")
    checked = params.settings(
        str(data),
        "jakarta timur",
        "2015-11-20",
        "2015-11-27",
        str(DEFAULT_RULE),
        **RULE_FILES,
    )
    assert checked.kota == resolve_kota("31.75")
    assert checked.period.days == 8
    assert (
        checked.rule.hijau_cepat,
        checked.rule.hijau_lambat,
        checked.rule.kuning,
        checked.rule.merah,
        checked.rule.fast_hours,
    ) == (5, 4, -1, 0, 24.0)

    faster = params.settings(
        str(data),
        "31.75",
        "2015-11-20",
        "2015-11-27",
        str(DEFAULT_RULE),
        **RULE_FILES,
        fast_hours=6,
    )
    assert faster.rule.fast_hours == 6.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kota": "Bekasi"}, "Unknown kota 'Bekasi'"),
        ({"period_end": "2015-11-31"}, "period_end must be a date"),
        ({"data": "/nowhere.csv"}, "data: nothing at"),
    ],
)
def test_settings_refuse_bad_values(tmp_path, change, message):
    values = {
        "data": str(write(tmp_path, "x", "data.csv")),
        "kota": "Jakarta Timur",
        "period_start": "2015-11-20",
        "period_end": "2015-11-27",
        "scoring": str(DEFAULT_RULE),
        **RULE_FILES,
    }
    with pytest.raises(ParameterError, match=message):
        params.settings(**(values | change))


def test_scoring_file_must_be_complete(tmp_path):
    rule = write(tmp_path, "fast_hours: 24\npoints: {hijau_cepat: 5, kuning: -1}\n")
    with pytest.raises(ParameterError, match="exactly hijau_cepat"):
        rules.load_scoring(rule)
    rule = write(
        tmp_path,
        "fast_hours: 24\npoints: {hijau_cepat: 5, hijau_lambat: "
        "x, kuning: -1, merah: 0}\n",
    )
    with pytest.raises(ParameterError, match="whole numbers"):
        rules.load_scoring(rule)
