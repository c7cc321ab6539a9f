"""Each rule a scheme sets gives one line; rules not set give none."""

from types import SimpleNamespace

from ponleu.scholarships.eligibility import Facts, eligible, rules


def scheme(**rules_set):
    base = dict(
        idpoor_levels=[],
        requires_hiv_affected=False,
        requires_orphan=False,
        requires_disability=False,
        requires_risk_flag=False,
        grade_min=None,
        grade_max=None,
    )
    return SimpleNamespace(**(base | rules_set))


def test_no_rules_means_everyone_is_eligible():
    assert rules(scheme(), Facts()) == {}
    assert eligible({})


def test_idpoor_hiv_orphan_disability_grade_and_risk():
    rules_set = scheme(
        idpoor_levels=["level_1", "level_2"],
        requires_hiv_affected=True,
        requires_orphan=True,
        requires_disability=True,
        requires_risk_flag=True,
        grade_min=4,
        grade_max=9,
    )
    child = Facts(
        idpoor_status="level_2",
        hiv_affected=True,
        orphan=True,
        functional_difficulty=True,
        grade=4,
        risk_flag=True,
    )
    assert eligible(rules(rules_set, child))
    assert rules(rules_set, Facts(idpoor_status="not_poor", grade=10)) == {
        "idpoor": False,
        "hiv_affected": False,
        "orphan": False,
        "disability": False,
        "grade_min": True,
        "grade_max": False,
        "risk_flag": False,
    }


def test_a_child_never_assessed_for_functioning_does_not_meet_the_disability_rule():
    assert rules(scheme(requires_disability=True), Facts(functional_difficulty=None)) == {"disability": False}
    assert rules(scheme(grade_min=1), Facts(grade=None)) == {"grade_min": False}
