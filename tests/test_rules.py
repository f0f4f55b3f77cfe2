"""Reading params/service_levels.yaml and params/agencies.yaml."""

from pathlib import Path

import pytest

from qlue_helpers.errors import ParameterError
from qlue_helpers.rules import load_agencies, load_service_levels
from qlue_helpers.synthetic import CATEGORY_NAMES

PARAMS = Path(__file__).resolve().parent.parent / "params"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_service_levels():
    levels = load_service_levels(PARAMS / "service_levels.yaml")
    assert (levels.answer_hours, levels.finish_hours) == (24.0, 120.0)
    assert levels.name == "standar-2016"
    assert levels.note.startswith("Batas waktu")


def test_bundled_agencies_cover_the_generator_categories():
    agencies = load_agencies(PARAMS / "agencies.yaml")
    assert agencies.default == "Lainnya / Kelurahan (PPSU)"
    assert agencies.owners["Jalan rusak"] == "Sudin Bina Marga"
    assert agencies.owners["PKL liar"] == "Satpol PP"
    assert set(agencies.owners) <= set(CATEGORY_NAMES)
    assert set(CATEGORY_NAMES) - set(agencies.owners) == {"Fasilitas umum"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("answer_hours: 24\n", r"missing \['finish_hours'\]"),
        ("answer_hours: 24\nfinish_hours: 120\nspeed: 3\n", r"unknown \['speed'\]"),
        ("answer_hours: -1\nfinish_hours: 120\n", "positive number of hours"),
        ("answer_hours: yes\nfinish_hours: 120\n", "positive number of hours"),
        ("answer_hours: 48\nfinish_hours: 24\n", "not be longer than"),
        ("- 24\n- 120\n", "`name: value` lines"),
        ("answer_hours: [24\n", "not valid YAML"),
    ],
)
def test_bad_service_levels_say_what_to_fix(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ParameterError, match=message) as caught:
        load_service_levels(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("agencies: {}\n", r"missing \['default'\]"),
        ("default: ''\nagencies: {}\n", "`default` should name"),
        ("default: X\nagencies: [Sampah]\n", "map each agency name"),
        ("default: X\nagencies:\n  Satpol PP: PKL liar\n", "map each agency name"),
        (
            "default: X\nagencies:\n  A: [Sampah]\n  B: [' sampah']\n",
            "'sampah' is listed under both 'A' and 'B'",
        ),
    ],
)
def test_bad_agencies_say_what_to_fix(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ParameterError, match=message) as caught:
        load_agencies(path)
    assert str(path) in str(caught.value)


def test_missing_file_is_a_parameter_error(tmp_path):
    with pytest.raises(ParameterError, match="No parameters file"):
        load_agencies(tmp_path / "nowhere.yaml")
