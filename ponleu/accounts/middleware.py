"""Session lifetime (idle and absolute limits, logout everywhere, session cap, second factor)
and the user's language."""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.http import HttpResponse
from django.utils import translation

from ponleu.common import clock

from . import selectors, services, session_keys


def _ended(request, user) -> str | None:
    """Why this logged-in session must end now, or None while it may go on."""
    if not user.is_active:
        return "inactive"
    # Only the two-step login marks a session verified. A session that got a user some other
    # way (Django's own login views, a forgotten force_login) never reaches anything.
    if not user.is_verified():
        return "unverified"
    session = request.session
    now = clock.now().timestamp()
    auth_at = session.get(session_keys.AUTH_AT)
    seen_at = session.get(session_keys.SEEN_AT)
    if auth_at is None or seen_at is None:
        return "unverified"
    if now - seen_at > settings.PONLEU_SESSION_IDLE_SECONDS:
        return "idle"
    if now - auth_at > settings.PONLEU_SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    if session.get(session_keys.GENERATION) != user.session_generation:
        return "logged-out-everywhere"
    # The row is looked at again only when the user's actor_version moved: every service
    # that ends a session row bumps it (services._sessions_ended).
    key = session.get(session_keys.BROWSER_SESSION)
    checked = [key, user.actor_version]
    if session.get(session_keys.OPEN_CHECKED) != checked:
        if not selectors.browser_session_is_open(user=user, key=key):
            return "ended"
        session[session_keys.OPEN_CHECKED] = checked
    return None


# The idle clock restarts at most once a minute: a page that only reads then leaves the
# session row alone instead of writing it on every request. The session may end up to this
# much before the idle limit, never after it.
SEEN_AT_STEP_SECONDS = 60


def _seen(session) -> None:
    now = clock.now().timestamp()
    if (
        now - session.get(session_keys.SEEN_AT, 0) >= SEEN_AT_STEP_SECONDS
        or now < session[session_keys.SEEN_AT]
    ):
        session[session_keys.SEEN_AT] = now


class SessionLifetimeMiddleware:
    """Ends a session that is over, then lets the request go on as anonymous.

    The view decides what an anonymous visitor gets: a public page as usual, the login page
    for one that needs a capability, a 401 from the API. Only HTMX requests are answered
    here, because a redirect inside a fragment would paste the login page into the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if _ended(request, user) is not None:
                key = request.session.get(session_keys.BROWSER_SESSION)
                if key:
                    services.session_end(key=key)
                auth.logout(request)
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=401)
                    response["HX-Redirect"] = settings.LOGIN_URL_PATH
                    return response
            else:
                _seen(request.session)
        return self.get_response(request)


class UserLanguageMiddleware:
    """A logged-in user's saved language wins over the browser's and the cookie's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
