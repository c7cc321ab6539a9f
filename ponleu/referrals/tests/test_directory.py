import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.referrals import selectors, services

from . import factories

pytestmark = pytest.mark.django_db


def test_search_by_service_and_commune_nearest_first(world):
    commune = factories.provider(world, name_km="មណ្ឌលសុខភាព ក", areas=("020101",))
    province = factories.provider(world, name_km="មន្ទីរពេទ្យខេត្ត", kind="referral_hospital", areas=("02",))
    # Outside the organisation administrator's province: kept by the installation's administrator.
    elsewhere = factories.provider(world, name_km="មណ្ឌលសុខភាព ពួក", areas=("170701",), admin="system_admin")
    paid = factories.provider(
        world, name_km="គ្លីនិក", areas=("020101",), services_=(("primary_health", "paid"),)
    )
    legal = factories.provider(
        world, name_km="ជំនួយច្បាប់", kind="legal_aid", areas=("0201",), services_=(("legal_aid", "free"),)
    )
    found = selectors.provider_search(service="primary_health", commune="020101")
    assert [p.pk for p in found][:2] in ([commune.pk, paid.pk], [paid.pk, commune.pk])
    assert found[-1].pk == province.pk
    assert elsewhere.pk not in [p.pk for p in found]
    free = selectors.provider_search(service="primary_health", commune="020101", cost="free")
    assert paid.pk not in [p.pk for p in free]
    assert [p.pk for p in selectors.provider_search(service="legal_aid", commune="020101", cost="free")] == [
        legal.pk
    ]
    assert selectors.provider_search(service="legal_aid", commune="020801") == []


def test_only_administrators_maintain_it_with_history(world):
    with pytest.raises(PermissionDenied):
        services.provider_save(actor=world.actor("caseworker_a"), data={})
    provider = factories.provider(world)
    changed = services.provider_save(
        actor=world.actor("org_admin"),
        provider=provider,
        version=provider.version,
        data={
            "kind": "health_centre",
            "name_km": provider.name_km,
            "hours": "07:00-17:00",
            "areas": ["020101", "020801"],
            "services": [{"service": "primary_health", "cost": "free"}],
        },
    )
    history = list(AuditEvent.objects.filter(target_id=str(provider.pk)).order_by("occurred_at", "id"))
    assert [e.action for e in history] == ["directory.provider_created", "directory.provider_changed"]
    assert history[1].changes["hours"] == ["", "07:00-17:00"]
    assert history[1].changes["areas"] == [str(["020101"]), str(["020101", "020801"])]
    with pytest.raises(Conflict):
        services.provider_save(
            actor=world.actor("org_admin"),
            provider=changed,
            version=1,
            data={
                "kind": "health_centre",
                "name_km": "x",
                "areas": ["02"],
                "services": [{"service": "primary_health"}],
            },
        )


def test_bad_input_names_every_field_and_saves_nothing(world):
    with pytest.raises(ValidationFailed) as refused:
        services.provider_save(
            actor=world.actor("org_admin"),
            data={"kind": "spaceport", "name_km": "", "areas": ["99"], "services": [{"service": "x"}]},
        )
    assert set(refused.value.errors) >= {"kind", "name_km", "areas", "services"}
    from ponleu.referrals.models import Provider

    assert not Provider.objects.exists()


def test_a_provider_outside_the_childs_commune_is_flagged(world):
    provider = factories.provider(world, areas=("020101",))
    assert selectors.provider_serves(provider, "02010101")
    assert not selectors.provider_serves(provider, "02080101")
