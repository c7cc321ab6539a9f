"""The model card: a model trained on an imported history, read and put in use in Khmer."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from ponleu.common import clock
from ponleu.early_warning.choices import ModelStatus
from ponleu.early_warning.engine import synthetic
from ponleu.early_warning.engine.model import TrainingSettings
from ponleu.early_warning.models import RiskModel
from ponleu.early_warning.services import history_import, training

PP = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
# One candidate of each kind, so the test trains in seconds.
QUICK = TrainingSettings(
    boosting_grid=({"learning_rate": 0.1, "max_iter": 60, "max_leaf_nodes": 7, "min_samples_leaf": 40},),
    logistic_grid=(0.1,),
    calibration_methods=("sigmoid",),
    calibration_folds=3,
)


@pytest.fixture
def trained(world, tmp_path):
    synthetic.generate_history(tmp_path, students=800, cohorts=2, seed=3, first_year=2023)
    with clock.frozen(dt.datetime(2026, 5, 12, 9, tzinfo=PP)):
        history_import.history_import(actor=world.actor("org_admin"), folder=tmp_path, village="02010101")
        yield training.model_train(actor=world.actor("me_officer"), settings=QUICK)


def test_the_model_card_speaks_the_readers_language(world, login_as, trained):
    reader = world.user("me_officer")
    reader.language = "km"
    reader.save(update_fields=["language"])
    client = login_as(reader)
    page = client.get(reverse("early_warning:model_detail", kwargs={"model_id": trained.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "ភេទ" in body  # the table by group: sex
    assert "ស្រី" in body  # female
    assert "បាត់ដំបង" in body  # the province by name, not its code
    assert "Dropped out after the cut-off" not in body
    assert ">F<" not in body
    assert "poverty_level" not in body


def test_putting_a_model_in_use_needs_the_capability_and_is_audited(world, login_as, trained):
    from ponleu.audit.models import AuditEvent

    url = reverse("early_warning:model_detail", kwargs={"model_id": trained.pk})
    assert login_as(world.user("caseworker_a")).post(url, {"action": "activate"}).status_code == 403
    response = login_as(world.user("me_officer")).post(
        url, {"action": "activate", "reason": "Beats the rules"}
    )
    assert response.status_code == 302
    assert RiskModel.objects.get(pk=trained.pk).status == ModelStatus.ACTIVE
    assert AuditEvent.objects.filter(target_id=str(trained.pk)).exists()
