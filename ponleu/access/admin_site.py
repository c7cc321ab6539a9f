"""The admin site: staff only, second factor verified, logged in through Ponleu's own login.

Admin routes carry no capability of their own; the route-inventory test accepts them only
because this site refuses everyone who is not active staff with a verified second factor.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from ponleu.organisations.choices import Role

from . import policy


class PonleuAdminSite(OTPAdminSite):
    site_header = _("Ponleu administration")
    site_title = _("Ponleu administration")
    index_title = _("Administration")

    def __init__(self, name="admin"):
        # OTPAdminSite names itself "otpadmin"; the admin's templates reverse "admin:".
        super().__init__(name=name)

    def login(self, request, extra_context=None):
        # One door for everyone: the login with lockout, throttling and the second factor.
        # The admin's own password form would bypass all three.
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, login_url=settings.LOGIN_URL)

    def get_urls(self):
        return [path("policy/", self.admin_view(self.policy_view), name="policy"), *super().get_urls()]

    def policy_view(self, request):
        """The policy table, read-only: what each role may do, and how far."""
        context = {
            **self.each_context(request),
            "title": _("Roles and what they may do"),
            "roles": [Role(r).label for r in policy.ROLE_COLUMNS],
            "rows": policy.grid(),
        }
        return render(request, "admin/access/policy.html", context)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is None:
            apps.insert(
                0,
                {
                    "name": _("Access"),
                    "app_label": "access_policy",
                    "app_url": reverse("admin:policy", current_app=self.name),
                    "has_module_perms": True,
                    "models": [
                        {
                            "name": _("Roles and what they may do"),
                            "object_name": "policy",
                            "admin_url": reverse("admin:policy", current_app=self.name),
                            "view_only": True,
                            "perms": {"view": True},
                        }
                    ],
                },
            )
        return apps
