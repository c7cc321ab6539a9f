import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ponleu.common import clock
from ponleu.early_warning.engine import synthetic
from ponleu.early_warning.models import RiskScore
from ponleu.education.models import AcademicYear, AttendanceMonth, Enrolment, School
from ponleu.registry.models import Person

PP = zoneinfo.ZoneInfo("Asia/Phnom_Penh")


@pytest.fixture(scope="module")
def history_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    synthetic.generate_history(folder, students=120, cohorts=2, seed=3, first_year=2024)
    return folder


def _import(world, folder):
    """``ponleu ews import`` of ``folder`` into the world's organisation, at one village."""
    call_command(
        "ews", "import", str(folder), "--organisation", world.org.short_name, "--village", "02010101"
    )


def test_import_loads_a_history_folder_into_the_tables(world, history_folder, capsys):
    with clock.frozen(dt.datetime(2026, 5, 12, 9, tzinfo=PP)):
        _import(world, history_folder)
    out = capsys.readouterr().out
    assert "120 enrolments" in out
    assert AcademicYear.objects.filter(organisation=world.org).count() == 2
    assert Enrolment.objects.count() == 120
    assert AttendanceMonth.objects.exists()
    assert School.objects.filter(organisation=world.org).exists()
    assert Person.objects.filter(organisation=world.org, family_name_latin="Student").exists()
    # The same folder again: every cohort is already there, nothing more is written.
    with pytest.raises(CommandError, match="already a school year"):
        _import(world, history_folder)
    assert Enrolment.objects.count() == 120


def test_a_broken_folder_lists_every_problem_and_writes_nothing(world, history_folder, tmp_path):
    for name in ("cohorts.csv", "students.csv", "outcomes.csv"):
        (tmp_path / name).write_bytes((history_folder / name).read_bytes())
    students = (tmp_path / "students.csv").read_text().splitlines()
    students[2] = students[1]  # a duplicate student
    (tmp_path / "students.csv").write_text("\n".join(students) + "\n")
    with (tmp_path / "outcomes.csv").open("a") as handle:
        handle.write("ghost,stayed,\n")
    with pytest.raises(CommandError) as refused:
        _import(world, tmp_path)
    text = str(refused.value)
    assert "students.csv" in text
    assert "outcomes.csv" in text
    assert not Enrolment.objects.exists()


def test_score_rescores_every_enrolled_student(world, history_folder, capsys):
    with clock.frozen(dt.datetime(2025, 12, 15, 9, tzinfo=PP)):
        _import(world, history_folder)
        call_command("ews", "score", "--organisation", world.org.short_name)
    out = capsys.readouterr().out
    assert "students in" in out
    assert RiskScore.objects.exists()
    assert RiskScore.objects.values("enrolment").distinct().count() == RiskScore.objects.count()
