"""`ponleu ews backtest` end to end on synthetic histories with a known signal."""

import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from ponleu.early_warning.engine import backtest, history, model, synthetic


def _documented_report() -> dict:
    """The example report in FORMAT.md: the format's one statement, which the code must follow."""
    text = (Path(backtest.__file__).parent / "FORMAT.md").read_text(encoding="utf-8")
    example = text.split("`report.json` holds one object:", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    return json.loads(example)


DOCUMENTED = _documented_report()["cutoffs"][0]
FORMAT_KEYS = set(DOCUMENTED)
SUBGROUP_KEYS = set(DOCUMENTED["subgroups"]["sex"]["F"])


@pytest.fixture(scope="module")
def reports(small_history_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    call_command(
        "ews",
        "backtest",
        str(small_history_folder),
        "--cutoffs",
        "28,56",
        "--truth",
        str(small_history_folder / "truth.csv"),
        "--out",
        str(out / "report.json"),
        "--html",
        str(out / "report.html"),
    )
    return json.loads((out / "report.json").read_text()), (out / "report.html").read_text()


def test_the_report_follows_the_format(reports):
    report, _html = reports
    assert report["split"] == "cohort"
    assert report["test_cohort"] == "2021-2022"
    assert report["train_cohorts"] == ["2019-2020", "2020-2021"]
    assert [c["cutoff_days"] for c in report["cutoffs"]] == [28, 56]
    for block in report["cutoffs"]:
        assert set(block) >= FORMAT_KEYS
        assert set(block["rule_index"]) == {"flag_rate", "precision", "recall"}
        assert set(block["model_at_rule_flag_rate"]) == {"precision", "recall"}
        assert set(block["subgroups"]) == {"sex", "disability", "poverty_level", "province_code"}
        for groups in block["subgroups"].values():
            for row in groups.values():
                assert set(row) >= SUBGROUP_KEYS
        assert block["base_rate"] == pytest.approx(block["positives"] / block["n"], abs=1e-6)
        low, high = block["roc_auc_ci95"]
        assert low < block["roc_auc"] < high
    assert set(report["inputs"]) == {
        f"{n}.csv" for n in ("cohorts", "students", "attendance", "assessments", "behaviour", "outcomes")
    }


def test_the_model_reaches_what_the_signal_allows_and_beats_the_rule_index(reports):
    report, _html = reports
    for block in report["cutoffs"]:
        oracle = block["oracle"]
        # Close to the best any model can do with the same records, below the hidden-traits bound.
        assert block["roc_auc"] > oracle["roc_auc"] - 0.05, block["cutoff_days"]
        assert oracle["roc_auc"] < oracle["roc_auc_hidden_traits"]
        rule, ours = block["rule_index"], block["model_at_rule_flag_rate"]
        assert ours["precision"] > rule["precision"]
        assert ours["recall"] > rule["recall"]


def test_the_html_report_is_self_contained(reports):
    _report, html = reports
    assert html.count("<svg") == 2  # a reliability plot per cut-off
    assert "<script" not in html
    assert "http://" not in html
    assert "https://" not in html
    assert "<link" not in html
    for heading in (
        "Results by cut-off",
        "Model against the rule index",
        "Lead time",
        "Subgroups",
        "Reliability",
    ):
        assert heading in html


def test_a_single_cohort_falls_back_to_cross_validation_labelled_optimistic(tmp_path):
    synthetic.generate_history(tmp_path, students=900, cohorts=1, seed=5)
    options = backtest.BacktestOptions(
        cutoffs=[56],
        training=model.TrainingSettings(families=("logistic",), logistic_grid=(0.3,)),
        resamples=200,
    )
    result = backtest.run_backtest(history.read_history(tmp_path), options)
    report = result.report
    assert report["split"] == "cv"
    assert report["test_cohort"] is None
    assert report["note"] == "random split; optimistic"
    block = report["cutoffs"][0]
    assert 0.6 < block["roc_auc"] < 0.95
    assert block["roc_auc_ci95"] is not None
    assert set(block) >= FORMAT_KEYS


def test_too_few_dropouts_keep_the_rule_index_and_say_why(tmp_path):
    synthetic.generate_history(tmp_path, students=300, cohorts=2, seed=6)
    result = backtest.run_backtest(history.read_history(tmp_path), backtest.BacktestOptions(cutoffs=[28]))
    block = result.report["cutoffs"][0]
    assert "at least 50 are needed" in block["model_refused"]
    assert block["roc_auc"] is None
    assert block["roc_auc_ci95"] is None
    assert block["rule_index"]["flag_rate"] is not None
    assert block["subgroups"]["sex"]["F"]["roc_auc"] is None
    assert block["subgroups"]["sex"]["F"]["n"] > 0


def test_a_broken_folder_is_refused_before_any_work(tmp_path):
    (tmp_path / "cohorts.csv").write_text("cohort_id,start_date,end_date\n2023,2023-11-01,2024-08-15\n")
    (tmp_path / "students.csv").write_text("student_id,cohort_id,school_id\ns1,2024,A\n")
    (tmp_path / "outcomes.csv").write_text("student_id,outcome,date\ns1,dropped_out,\ns9,stayed,\n")
    out = tmp_path / "report.json"
    with pytest.raises(CommandError) as caught:
        call_command("ews", "backtest", str(tmp_path), "--out", str(out), "--html", str(tmp_path / "r.html"))
    text = str(caught.value)
    assert "students.csv, line 2, column cohort_id" in text
    assert "outcomes.csv, line 2, column date" in text
    assert "outcomes.csv, line 3, column student_id" in text
    assert not out.exists()


def test_the_generator_writes_a_history_the_reader_accepts(tmp_path):
    call_command("ews", "generate", str(tmp_path / "h"), "--students", "200", "--cohorts", "2", "--seed", "3")
    h = history.read_history(tmp_path / "h")
    assert len(h.cohorts) == 2
    assert h.n_students == 200
    assert h.students.has_person_id
    again = h.students.person[h.students.cohort == 1]
    assert np.isin(again, h.students.person[h.students.cohort == 0]).any()  # children continue across years
    with pytest.raises(CommandError, match="--force"):
        call_command("ews", "generate", str(tmp_path / "h"), "--students", "200")
