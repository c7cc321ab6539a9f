"""XLSForm uploads: the standard forms, errors placed by sheet/row/column in the reader's
language, versions, publication to teams."""

from __future__ import annotations

import pytest
from django.utils import translation

from ponleu.collection import services, standard_forms, xlsform
from ponleu.collection.models import CollectionForm
from ponleu.collection.standard_forms import StandardForm, q, workbook
from ponleu.common.errors import PermissionDenied

from .helpers import VISIT, actor, publish_visit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", sorted(standard_forms.FORMS))
def test_every_standard_form_compiles_with_khmer_english_and_french(key):
    compiled = xlsform.compile_xlsform(standard_forms.xlsx(key), public_key="QUJD")
    assert compiled.form_id == standard_forms.FORMS[key].form_id
    assert compiled.version == standard_forms.VERSION
    for language in standard_forms.LANGUAGES:
        assert f'lang="{language}"' in compiled.xml
    assert 'default="true()"' in compiled.xml.split('lang="Khmer (km)"')[1][:20]
    assert compiled.encrypted
    assert 'base64RsaPublicKey="QUJD"' in compiled.xml
    assert compiled.title == standard_forms.FORMS[key].title[0]


def _broken(*rows) -> bytes:
    return workbook(StandardForm(form_id="broken", title=("ខូច", "Broken", "Cassé"), survey=rows))


def test_a_duplicate_name_is_placed_and_said_in_khmer():
    data = _broken(q("text", "a", "ក", "A", "A"), q("text", "a", "ខ", "B", "B"))
    said = {}
    for language in ("en", "km"):
        with pytest.raises(xlsform.XLSFormInvalid) as raised, translation.override(language):
            xlsform.compile_xlsform(data)
        (problem,) = raised.value.problems
        assert (problem.sheet, problem.row, problem.column) == ("survey", 3, "name")
        with translation.override(language):
            said[language] = str(problem)
    assert said["en"].startswith("sheet “survey”, row 3, column “name”: this name is used twice")
    assert "survey" in said["km"]
    assert "3" in said["km"]
    assert "name" in said["km"]
    assert "used twice" not in said["km"]
    assert "sheet" not in said["km"]


def test_an_unknown_question_type_names_the_type_column():
    with pytest.raises(xlsform.XLSFormInvalid) as raised, translation.override("en"):
        xlsform.compile_xlsform(_broken(q("selectone", "a", "ក", "A", "A")))
    (problem,) = raised.value.problems
    assert (problem.sheet, problem.column) == ("survey", "type")
    assert "“selectone” is not a question type" in problem.message


def test_a_file_that_is_no_spreadsheet_is_refused_plainly():
    for data in (b"", b"form_id,version\n", b"PK\x03\x04not really a zip"):
        with pytest.raises(xlsform.XLSFormInvalid):
            xlsform.compile_xlsform(data)


def test_a_form_without_version_is_refused_on_the_settings_sheet():
    with pytest.raises(xlsform.XLSFormInvalid) as raised:
        xlsform.compile_xlsform(workbook(VISIT, version=""))
    assert raised.value.problems[0].sheet == "settings"
    assert raised.value.problems[0].column == "version"


def test_uploads_make_versions_and_the_same_version_twice_is_refused(world):
    first = publish_visit(world, version="1")
    second = services.form_upload(actor=actor(world.members["org_admin"]), data=workbook(VISIT, version="2"))
    form = CollectionForm.objects.get(pk=first.form_id)
    assert second.form_id == form.pk
    assert form.current_version == second
    assert list(form.versions.order_by("version").values_list("version", flat=True)) == ["1", "2"]
    assert second.encrypted
    assert not first.encrypted
    with pytest.raises(xlsform.XLSFormInvalid):
        services.form_upload(actor=actor(world.members["org_admin"]), data=workbook(VISIT, version="2"))
    assert form.versions.count() == 2


def test_only_managers_upload_and_publish_only_to_their_organisations_teams(world):
    with pytest.raises(PermissionDenied):
        services.form_upload(actor=actor(world.members["field_worker"]), data=workbook(VISIT))
    version = publish_visit(world)
    partner_team = world.other_org.teams.create(name="Partner team")
    with pytest.raises(PermissionDenied):
        services.form_publish(
            actor=actor(world.members["org_admin"]), form=version.form, team_ids=[partner_team.pk]
        )
    assert list(version.form.teams.all()) == [world.team_a]


def test_fillable_forms_follow_the_teams_a_form_is_published_to(world):
    publish_visit(world, teams=[world.team_b])
    assert not CollectionForm.objects.fillable_by(actor(world.members["field_worker"])).exists()
    assert CollectionForm.objects.fillable_by(actor(world.members["caseworker_b"])).count() == 1
    assert not CollectionForm.objects.fillable_by(actor(world.members["partner"])).exists()
