"""Log a test client in as a fully verified user (password and second factor done)."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.accounts import services, session_keys


def login(client, user) -> None:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    session = client.session
    user.refresh_from_db(fields=["session_generation"])
    session_keys.mark_authenticated(session, user=user, browser_session=services.session_open(user=user))
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
