"""Deny by default: every route of the URL conf, Ninja operations included, declares who may use it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import path

from ponleu.access.views import AppView, requires
from ponleu.testing.permissions import declaration_problems, routes


def test_every_route_declares_a_capability_or_public():
    found = routes()
    assert len(found) > 10
    problems = declaration_problems(found)
    assert not problems, "\n".join(problems)


def test_the_inventory_sees_views_api_operations_and_the_admin():
    kinds = {rm.kind for rm in routes()}
    assert {"view", "api", "admin"} <= kinds
    names = {rm.name for rm in routes()}
    assert {"audit:event_list", "audit:person_access", "audit:break_glass", "api:health"} <= names


def test_an_undeclared_view_cannot_even_be_defined():
    with pytest.raises(ImproperlyConfigured, match="declares no capability"):

        class Forgotten(AppView):
            def get(self, request):
                return None

    with pytest.raises(ImproperlyConfigured, match="unknown capability"):
        requires("registry.peek")


def test_an_undeclared_route_is_reported(settings, tmp_path):
    """The walker is not vacuous: a plain Django view and a bare Ninja operation are caught."""
    from ninja import NinjaAPI

    def bare(request):
        return None

    api = NinjaAPI(urls_namespace="probe_api")
    api.get("/leak")(bare)
    module = type("urlconf", (), {})()
    module.urlpatterns = [path("bare/", bare, name="bare"), path("probe/", api.urls)]
    import sys

    sys.modules["probe_urlconf"] = module
    settings.ROOT_URLCONF = "probe_urlconf"
    try:
        problems = declaration_problems()
    finally:
        del sys.modules["probe_urlconf"]
    assert any("/bare/" in p for p in problems)
    assert any("/probe/leak" in p for p in problems)
