"""Names of the values Ponleu keeps in a session, and the one place that sets them at login."""

from __future__ import annotations

from ponleu.common import clock

PENDING_USER = "ponleu_pending_user"
PENDING_AT = "ponleu_pending_at"
AUTH_AT = "ponleu_auth_at"
SEEN_AT = "ponleu_seen_at"
GENERATION = "ponleu_generation"
BROWSER_SESSION = "ponleu_browser_session"
# [browser session key, User.actor_version] at which that browser session row was last seen open.
OPEN_CHECKED = "ponleu_open_checked"
# The authenticator key shown on the latest visit of the enrolment page (hex), until confirmed.
ENROL_KEY = "ponleu_enrol_key"
# The hash of the password reset link this browser opened.
RESET_DIGEST = "ponleu_reset_digest"
# The password step is valid for this long before the second factor must follow; setting up
# an authenticator app for the first time gets longer.
PENDING_SECONDS = 5 * 60
ENROL_PENDING_SECONDS = 15 * 60


def mark_authenticated(session, *, user, browser_session) -> None:
    """After both factors: start the idle and absolute clocks and tie the session to its row."""
    now = clock.now().timestamp()
    session[AUTH_AT] = now
    session[SEEN_AT] = now
    session[GENERATION] = user.session_generation
    session[BROWSER_SESSION] = str(browser_session.key)
    session.pop(OPEN_CHECKED, None)
    session.pop(PENDING_USER, None)
    session.pop(PENDING_AT, None)
