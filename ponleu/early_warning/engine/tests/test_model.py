"""Training, refusing, protected attributes, explanations and serialisation of risk models."""

import copy

import numpy as np
import pytest

from ponleu.early_warning.engine import backtest, explain, model, scoring


@pytest.fixture(scope="module")
def training(small_history):
    cohorts = backtest.CohortData(small_history)
    return backtest.join([cohorts.slice(0, 84), cohorts.slice(1, 84)]), cohorts.slice(2, 84)


@pytest.fixture(scope="module")
def trained(training):
    train, _test = training
    return model.train_model(train.frame, train.y, groups=train.groups, window={"cohorts": ["a", "b"]})


def test_fewer_than_fifty_dropouts_refuse_to_train(training):
    train, _test = training
    dropouts = np.flatnonzero(train.y == 1)[:49]
    keep = np.concatenate([dropouts, np.flatnonzero(train.y == 0)])
    with pytest.raises(model.NotEnoughDropouts) as caught:
        model.train_model(train.frame.take(keep), train.y[keep])
    message = str(caught.value)
    assert "49 dropouts" in message
    assert "at least 50" in message
    assert "rule index stays in use" in message


def test_a_model_is_chosen_on_training_data_calibrated_and_carded(trained, training):
    _train, test = training
    card = trained.card
    assert card["family"] in ("gradient_boosting", "logistic")
    assert {c["family"] for c in card["validation"]["candidates"]} == {"gradient_boosting", "logistic"}
    assert card["calibration"] in ("sigmoid", "isotonic")
    assert card["training"]["cohorts"] == ["a", "b"]
    assert card["training"]["dropouts"] >= 50
    assert card["protected_inputs"] is False
    assert "sex" not in card["features"]
    assert "disability" not in card["features"]
    p = trained.predict_proba(test.frame)
    assert ((p > 0) & (p < 1)).all()
    assert abs(p.mean() - test.y.mean()) < 0.05  # calibrated in the large


def test_permuting_sex_and_disability_leaves_every_prediction_identical(small_history, trained, training):
    _train, test = training
    shuffled = copy.deepcopy(small_history)
    rng = np.random.default_rng(0)
    shuffled.students.sex = rng.permutation(shuffled.students.sex)
    shuffled.students.disability = np.where(rng.random(len(shuffled.students.ids)) < 0.5, "yes", "no").astype(
        object
    )
    cohorts = backtest.CohortData(shuffled)
    retrain = backtest.join([cohorts.slice(0, 84), cohorts.slice(1, 84)])
    again = model.train_model(retrain.frame, retrain.y, groups=retrain.groups, window={"cohorts": ["a", "b"]})
    permuted_test = cohorts.slice(2, 84)
    assert not np.array_equal(permuted_test.attributes["sex"], test.attributes["sex"])
    assert np.array_equal(trained.predict_proba(test.frame), trained.predict_proba(permuted_test.frame))
    assert np.array_equal(trained.predict_proba(test.frame), again.predict_proba(permuted_test.frame))


def test_protected_attributes_are_inputs_when_an_organisation_opts_in(small_history):
    cohorts = backtest.CohortData(small_history)
    train = backtest.join(
        [cohorts.slice(0, 84, use_protected=True), cohorts.slice(1, 84, use_protected=True)]
    )
    settings = model.TrainingSettings(families=("logistic",), logistic_grid=(1.0,))
    opted = model.train_model(train.frame, train.y, groups=train.groups, settings=settings)
    assert opted.card["protected_inputs"] is True
    assert {"sex", "disability"} <= set(opted.feature_names)


def test_top_factors_name_what_raises_a_students_risk(trained, training):
    _train, test = training
    risk = trained.predict_proba(test.frame)
    top = np.argsort(-risk)[:20]
    factors = explain.explain(trained, test.frame.take(top))
    assert all(factors)
    for student in factors:
        weights = [f.contribution for f in student]
        assert weights == sorted(weights, reverse=True)
        assert weights[0] > 0
        assert len(student) <= 3
        assert all(str(f) and "%(" not in str(f) for f in student)
    codes = {f.code for student in factors for f in student}
    assert codes & {"attendance_recent", "attendance_year", "scores", "poverty", "absence_runs"}


def test_serialised_models_carry_their_card_and_refuse_tampering(trained, training):
    _train, test = training
    p = trained.predict_proba(test.frame)
    block, _extras = backtest.evaluate(
        test.y, p, test.frame.keys, test.attributes, np.zeros(len(p), bool), intervals=False
    )
    trained.record_evaluation(block, population="2021-2022 at 84 days")
    blob = model.dumps(trained, key=b"organisation-key")
    card = model.read_card(blob)
    assert card["family"] == trained.card["family"]
    assert card["evaluation"]["subgroups"]["sex"]["F"]["n"] > 0
    assert card["training"]["cohorts"] == ["a", "b"]
    restored = model.loads(blob, key=b"organisation-key")
    assert np.array_equal(restored.predict_proba(test.frame), trained.predict_proba(test.frame))
    tampered = blob[:-10] + bytes(10)
    with pytest.raises(model.ModelFormatError):
        model.loads(tampered, key=b"organisation-key")
    with pytest.raises(model.ModelFormatError, match="signature"):
        model.loads(blob, key=b"another-key")
    with pytest.raises(model.ModelFormatError):
        model.loads(b"not a model")


def test_scoring_with_and_without_a_model(trained, training):
    _train, test = training
    frame = test.frame.take(np.arange(60))
    rules_only = scoring.score(frame)
    assert rules_only.risk is None
    assert rules_only.factors is None
    order = rules_only.ranking()
    assert (np.diff(rules_only.rules.score[order]) <= 0).all()
    full = scoring.score(frame, model=trained)
    assert len(full.factors) == 60
    top = full.top(10)
    assert set(top) == set(np.argsort(-full.risk, kind="stable")[:10]) or len(set(full.risk[top])) < 10
    assert full.risk[top].min() >= np.delete(full.risk, top).max()
