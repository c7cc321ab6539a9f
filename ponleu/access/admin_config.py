"""Django's admin, served by Ponleu's admin site (staff and a verified second factor).

Listed in INSTALLED_APPS in place of ``django.contrib.admin``; kept apart from admin_site.py
because INSTALLED_APPS is read before any model can be imported.
"""

from django.contrib.admin.apps import AdminConfig


class PonleuAdminConfig(AdminConfig):
    default_site = "ponleu.access.admin_site.PonleuAdminSite"
