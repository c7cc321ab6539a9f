"""Django's password-rule messages, marked here so that makemessages copies them into the
accounts catalogue.

Django's Khmer catalogue leaves them untranslated, and a Khmer-only reader choosing a new
password must understand why it was refused. The accounts catalogue comes before Django's
(INSTALLED_APPS order), so these translations replace Django's. Nothing imports this module;
it exists for message extraction (as ponleu/web/django_messages.py does for form errors).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "n",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is entirely numeric."),
    # What UserAttributeSimilarityValidator names in its message.
    gettext_noop("username"),
    gettext_noop("first name"),
    gettext_noop("last name"),
    gettext_noop("email address"),
)
