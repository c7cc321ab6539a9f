"""The demo's directory, referrals and family support: the browser tests' small world holds them all."""

from __future__ import annotations

from ponleu.common import clock
from ponleu.early_warning.models import Flag
from ponleu.family_support.models import SupportPlan
from ponleu.referrals.choices import ProviderKind, ReferralStatus, ServiceType
from ponleu.referrals.models import Provider, Referral, SharedRecord
from ponleu.referrals.selectors import provider_search
from ponleu.registry.models import Consent, Person


def the_small_world_has_a_directory_and_referrals_in_every_state():
    # Every kind of provider, each with a service, a phone and hours; no real NGO owns any.
    kinds = set(Provider.objects.values_list("kind", flat=True))
    assert kinds == set(ProviderKind.values)
    for provider in Provider.objects.prefetch_related("services", "areas"):
        # An employer (youth employment's offers) need offer no service to refer to.
        assert provider.services.all() or provider.is_employer, provider
        assert provider.areas.all(), provider
        assert provider.phone
        assert provider.hours
    owners = {p.organisation.name_en for p in Provider.objects.filter(organisation__isnull=False)}
    assert owners
    assert all(name.endswith("(demo)") for name in owners)
    # A health centre and a commune committee in every child's commune.
    for code in set(Person.objects.filter(kind="child").values_list("area_code", flat=True)):
        for service in (ServiceType.PRIMARY_HEALTH, ServiceType.DOCUMENTS):
            assert provider_search(service=service, commune=code[:6]), (code, service)

    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(ReferralStatus.values)
    between = Referral.objects.filter(receiver__isnull=False)
    outside = Referral.objects.filter(receiver__isnull=True)
    assert between.exists()
    assert outside.exists()
    origins = set(Referral.objects.values_list("origin", flat=True))
    assert {"case", "household"} <= origins
    if Flag.objects.exists():  # a flagged pupil is referred back to school from the flag
        assert "risk_flag" in origins
        flagged = Referral.objects.filter(origin="risk_flag").select_related("risk_flag__enrolment")
        assert all(r.risk_flag.enrolment.person_id == r.person_id for r in flagged)
    # The receiving organisations took the accepted children into their own registries.
    for referral in between.filter(status__in=["accepted", "completed"]):
        assert referral.receiver_person.organisation_id == referral.receiver_id

    # A consent withdrawn while its referral was open: withdrawn with it, nothing shared any more.
    ended = Referral.objects.filter(status="withdrawn", consent__withdrawn_at__isnull=False)
    assert ended.exists()
    for referral in ended:
        assert referral.sharing_ended_at is not None
        assert SharedRecord.objects.get(referral=referral).name == ""
    assert Consent.objects.filter(withdrawn_at__isnull=False, purpose="share").exists()
    # An emergency sent under a legal exception a supervisor approved.
    assert Referral.objects.filter(exception_approved_at__isnull=False, status="sent").exists()

    # Family support (the same small world): households at every stage, dates in order, none
    # after the build's today; the late worker's next visit is overdue.
    today = clock.today()
    plans = list(SupportPlan.objects.select_related("household").prefetch_related("needs", "visits"))
    assert {p.status for p in plans} == {"open", "graduated"}
    stages = set()
    for plan in plans:
        visits = list(plan.visits.all())
        needs = [n for n in plan.needs.all() if n.level != "none"]
        assert plan.assessed_on <= today
        assert plan.created_at.date() <= today
        assert all(plan.assessed_on <= v.visited_on <= today for v in visits)
        assert all(n.service for n in needs)
        assert all(n.met_on is None or plan.assessed_on <= n.met_on <= today for n in needs)
        if plan.status == "graduated":
            assert plan.graduated_on <= today
            assert all(n.met_on is not None for n in needs)
            assert max(v.visited_on for v in visits) <= plan.graduated_on
            stages.add("graduated")
        elif visits:
            assert plan.next_visit_on > max(v.visited_on for v in visits)
            stages.add("overdue" if plan.next_visit_on < today else "visits")
        else:
            stages.add("assessment")
    assert stages == {"assessment", "overdue", "visits", "graduated"}

    # A caseworker of each organisation reported a health centre's entry wrong a week ago.
    reported = Provider.objects.filter(flagged_on__isnull=False)
    assert reported.exists()
    assert all(p.kind == ProviderKind.HEALTH_CENTRE and p.flagged_on < today for p in reported)
