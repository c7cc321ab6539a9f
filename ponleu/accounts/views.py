"""Login in two steps (password, then TOTP or a recovery code), enrolment, logout, language,
and the devices page (API tokens and open sessions)."""

from __future__ import annotations

import base64
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from ponleu.access.capabilities import CAPABILITIES
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView, get_visible_or_404
from ponleu.audit.middleware import client_ip
from ponleu.common import clock
from ponleu.organisations.models import Membership

from . import second_factor, selectors, services, session_keys
from .forms import CodeForm, DeviceTokenForm, LanguageForm, LoginForm

GENERIC_FAILURE = gettext_lazy(
    "The username or password is not correct, or the account is paused for a while after too many attempts."
)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _pending_user(request, *, window: int = session_keys.PENDING_SECONDS):
    """The user who passed the password step in this session, while the step is fresh."""
    user_id = request.session.get(session_keys.PENDING_USER)
    started = request.session.get(session_keys.PENDING_AT, 0)
    if not user_id or clock.now().timestamp() - started > window:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.is_locked():
        return None
    return user


def _forget_pending(request) -> None:
    request.session.pop(session_keys.PENDING_USER, None)
    request.session.pop(session_keys.PENDING_AT, None)


class LoginView(AppView):
    public = True
    template_name = "accounts/login.html"

    def dispatch(self, request, *args, **kwargs):
        return never_cache(sensitive_post_parameters("password")(csrf_protect(super().dispatch)))(
            request, *args, **kwargs
        )

    def get(self, request):
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        return render(request, self.template_name, {"form": LoginForm(), "next": _safe_next(request, "")})

    def post(self, request):
        form = LoginForm(request.POST)
        next_url = _safe_next(request, "")
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "next": next_url}, status=400)
        result = services.password_check(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            ip=client_ip(request),
        )
        if result.user is None:
            # One answer for an unknown user, a wrong password, a locked account and a
            # throttled address: the page must not tell an attacker which it was.
            form = LoginForm(initial={"username": form.cleaned_data["username"]})
            context = {"form": form, "next": next_url, "failure": GENERIC_FAILURE}
            return render(request, self.template_name, context, status=200)
        # A new session id at the password step, and another at completion (auth.login):
        # an id planted or seen before login is worthless after it.
        request.session.cycle_key()
        request.session[session_keys.PENDING_USER] = str(result.user.pk)
        request.session[session_keys.PENDING_AT] = clock.now().timestamp()
        step = "accounts:verify" if second_factor.has_second_factor(result.user) else "accounts:enrol"
        return redirect(_with_next(reverse(step), next_url))


def _complete_login(request, user, device, method: str) -> None:
    browser = services.login_completed(
        user=user, method=method, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
    )
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    user.refresh_from_db(fields=["session_generation"])
    session_keys.mark_authenticated(request.session, user=user, browser_session=browser)


def _language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


class VerifyView(AppView):
    public = True
    template_name = "accounts/verify.html"

    def dispatch(self, request, *args, **kwargs):
        return never_cache(sensitive_post_parameters("code")(csrf_protect(super().dispatch)))(
            request, *args, **kwargs
        )

    def get(self, request):
        if _pending_user(request) is None:
            _forget_pending(request)
            return redirect("accounts:login")
        return render(request, self.template_name, {"form": CodeForm(), "next": _safe_next(request, "")})

    def post(self, request):
        user = _pending_user(request)
        if user is None:
            _forget_pending(request)
            return redirect("accounts:login")
        form = CodeForm(request.POST)
        device = form.is_valid() and second_factor.verify(user, form.cleaned_data["code"])
        if not device:
            if services.second_factor_failed(user=user):
                # Locked now: the password step has to be passed again after the lockout.
                _forget_pending(request)
                return redirect("accounts:login")
            context = {
                "form": CodeForm(),
                "next": _safe_next(request, ""),
                "failure": _("That code is not valid."),
            }
            return render(request, self.template_name, context, status=200)
        _complete_login(request, user, device, method="totp")
        response = redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
        _language_cookie(response, user.language)
        return response


class EnrolView(AppView):
    """First login: set up the authenticator app (QR code or typed key), then recovery codes."""

    public = True
    template_name = "accounts/enrol.html"

    def dispatch(self, request, *args, **kwargs):
        return never_cache(sensitive_post_parameters("code")(csrf_protect(super().dispatch)))(
            request, *args, **kwargs
        )

    def _user(self, request):
        user = _pending_user(request, window=session_keys.ENROL_PENDING_SECONDS)
        if user is None or second_factor.has_second_factor(user):
            return None
        return user

    def _context(self, user, form, failure=None):
        device = second_factor.enrolment_device(user)
        return {
            "form": form,
            "qr_svg": second_factor.qr_svg(device),
            "secret_groups": _groups_of_four(base64.b32encode(device.bin_key).decode().rstrip("=")),
            "failure": failure,
        }

    def get(self, request):
        user = self._user(request)
        if user is None:
            return redirect("accounts:login")
        return render(request, self.template_name, self._context(user, CodeForm()))

    def post(self, request):
        user = self._user(request)
        if user is None:
            return redirect("accounts:login")
        form = CodeForm(request.POST)
        device = second_factor.enrolment_device(user)
        codes = form.is_valid() and second_factor.enrolment_confirm(
            user=user, device=device, code=form.cleaned_data["code"]
        )
        if not codes:
            failure = _("That code is not valid. Check the time on your phone and try again.")
            return render(request, self.template_name, self._context(user, CodeForm(), failure))
        _complete_login(request, user, device, method="totp-enrolment")
        response = render(request, "accounts/recovery_codes.html", {"codes": codes})
        _language_cookie(response, user.language)
        return response


def _groups_of_four(key: str) -> str:
    """The key as it is easiest to type on a phone: ABCD EFGH … (apps ignore the spaces)."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


class LogoutView(AppView):
    """Logging out ends every session and device token of the user, not just this browser's."""

    public = True

    def post(self, request):
        user = request.user
        if user.is_authenticated:
            services.sessions_invalidate(user=user)
        auth.logout(request)
        messages.info(request, _("You are logged out."))
        return redirect("accounts:login")


class LanguageView(AppView):
    """Switch the interface language; remembered on the user as well as in a cookie."""

    public = True

    def post(self, request):
        form = LanguageForm(request.POST, languages=settings.LANGUAGES)
        target = _safe_next(request, reverse("web:home"))
        if not form.is_valid():
            return redirect(target)
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.language_set(user=request.user, language=language)
        response = redirect(target)
        _language_cookie(response, language)
        return response


# --- devices: API tokens and open sessions ---------------------------------------------


def _token_choices(actor):
    """The capabilities a token may be given: the member's own, less the basic one every token has."""
    return [
        (name, cap.label)
        for name, cap in CAPABILITIES.items()
        if actor.can(name) and name != services.BASIC_CAPABILITY
    ]


def _token_row(token, now) -> dict:
    if token.revoked_at is not None:
        state = _("revoked")
    elif not token.is_usable(now):
        state = _("expired")
    else:
        state = _("active until %(moment)s") % {
            "moment": date_format(timezone.localtime(token.expires_at), "SHORT_DATETIME_FORMAT")
        }
    labels = [str(CAPABILITIES[name].label) for name in token.capabilities if name in CAPABILITIES]
    return {
        "token": token,
        "labels": labels,
        "state": state,
        "usable": token.revoked_at is None and token.is_usable(now),
    }


class DevicesView(AppView):
    capability = "web.use"
    template_name = "accounts/devices.html"

    def _render(self, request, form, status=200):
        actor = self.actor
        now = clock.now()
        context = {
            "form": form,
            "tokens": [_token_row(token, now) for token in selectors.tokens_visible_to(actor)],
            "sessions": selectors.open_sessions(request.user),
            "current_session": request.session.get(session_keys.BROWSER_SESSION),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self._render(request, DeviceTokenForm(capabilities=_token_choices(self.actor)))

    def post(self, request):
        actor = self.actor
        form = DeviceTokenForm(request.POST, capabilities=_token_choices(actor))
        if not form.is_valid():
            return self._render(request, form, status=400)
        membership = Membership.objects.get(pk=actor.membership_id, user_id=actor.user_id)
        try:
            issued = services.token_issue(
                actor=actor,
                membership=membership,
                name=form.cleaned_data["name"],
                capabilities=form.cleaned_data["capabilities"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self._render(request, form, status=400)
        context = {
            "token": issued.token,
            "plaintext": issued.plaintext,
            "qr_svg": second_factor.svg_qr(issued.plaintext),
        }
        return render(request, "accounts/token_issued.html", context, status=201)


class DeviceRevokeView(AppView):
    """Revoke one of one's own tokens (its id in the form). Anyone else's is simply not found."""

    capability = "web.use"

    def post(self, request):
        try:
            token_id = uuid.UUID(request.POST.get("token", ""))
        except ValueError:
            raise Http404(NOT_FOUND_MESSAGE) from None
        token = get_visible_or_404(selectors.tokens_visible_to(self.actor), pk=token_id)
        services.token_revoke(actor=self.actor, token=token)
        messages.success(request, _("The token for “%(name)s” no longer works.") % {"name": token.name})
        return redirect("accounts:devices")
