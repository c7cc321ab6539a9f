"""Login in two steps (password, then TOTP or a recovery code), enrolment, logout, language,
the devices page (API tokens and open sessions), changing the password, and password reset
links (issued by the organisation's user manager, used once by the member)."""

from __future__ import annotations

import base64
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
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
from ponleu.access.scopes import Scope
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView, get_visible_or_404
from ponleu.common import clock
from ponleu.common.client_address import client_ip
from ponleu.organisations.choices import Role
from ponleu.organisations.models import Membership

from . import second_factor, selectors, services, session_keys
from .forms import CodeForm, DeviceTokenForm, LanguageForm, LoginForm, NewPasswordForm, PasswordChangeForm

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
        request.session.pop(session_keys.ENROL_KEY, None)  # a key shown for someone else
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

    def _context(self, user, key: str, form, failure=None):
        device = second_factor.enrolment_device(user, key)
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
        # A new key on every visit, kept in this session only until it is confirmed.
        key = second_factor.new_enrolment_key()
        request.session[session_keys.ENROL_KEY] = key
        return render(request, self.template_name, self._context(user, key, CodeForm()))

    def post(self, request):
        user = self._user(request)
        if user is None:
            return redirect("accounts:login")
        key = request.session.get(session_keys.ENROL_KEY)
        if not key:
            return redirect("accounts:enrol")  # no key was shown in this session
        form = CodeForm(request.POST)
        enrolled = form.is_valid() and second_factor.enrolment_confirm(
            user=user, key=key, code=form.cleaned_data["code"]
        )
        if not enrolled:
            if second_factor.has_second_factor(user):
                return redirect("accounts:login")  # another browser finished enrolling first
            failure = _("That code is not valid. Check the time on your phone and try again.")
            return render(request, self.template_name, self._context(user, key, CodeForm(), failure))
        device, codes = enrolled
        request.session.pop(session_keys.ENROL_KEY, None)
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

    def dispatch(self, request, *args, **kwargs):
        return sensitive_post_parameters("password")(super().dispatch)(request, *args, **kwargs)

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
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            _errors_into(form, exc)
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


class OrganisationDevicesView(AppView):
    """The organisation's device tokens that still work, for whoever manages its users: a lost
    phone, a member who left, or a token issued long ago is revoked here (``old=1``: only
    those issued more than ``TOKEN_REVIEW_DAYS`` ago, as "Today" asks)."""

    capability = "users.manage"
    scope = Scope.ORG

    def get(self, request):
        old = request.GET.get("old") == "1"
        tokens = selectors.organisation_tokens(self.actor, old=old)
        page = Paginator(tokens, USERS_PAGE_SIZE).get_page(request.GET.get("page"))
        now = clock.now()
        context = {
            "rows": [
                {**_token_row(token, now), "role": Role(token.membership.role).label}
                for token in page.object_list
            ],
            "page": page,
            "old": old,
            "review_days": selectors.TOKEN_REVIEW_DAYS,
        }
        return render(request, "accounts/organisation_devices.html", context)


class OrganisationDeviceRevokeView(AppView):
    """Revoke a token of the organisation (its id in the form); one that no longer works or is
    another organisation's is simply not found."""

    capability = "users.manage"
    scope = Scope.ORG

    def post(self, request):
        try:
            token_id = uuid.UUID(request.POST.get("device", ""))
        except ValueError:
            raise Http404(NOT_FOUND_MESSAGE) from None
        token = get_visible_or_404(selectors.organisation_tokens(self.actor), pk=token_id)
        services.token_revoke(actor=self.actor, token=token)
        messages.success(
            request,
            _("The token for “%(name)s” of %(member)s no longer works.")
            % {"name": token.name, "member": token.user.display_name},
        )
        return redirect("accounts:organisation_devices")


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- the password ------------------------------------------------------------------------


class PasswordChangeView(AppView):
    """Change one's password: the current one and a code again, then the new one twice.

    Every other browser session and every device token of the user ends; this one goes on.
    """

    capability = "web.use"
    template_name = "accounts/password_change.html"

    def dispatch(self, request, *args, **kwargs):
        sensitive = sensitive_post_parameters("current_password", "code", "new_password1", "new_password2")
        return never_cache(sensitive(super().dispatch))(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": PasswordChangeForm(user=request.user)})

    def post(self, request):
        user = request.user
        form = PasswordChangeForm(request.POST, user=user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            outcome = services.password_change(
                user=user,
                current_password=form.cleaned_data["current_password"],
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password1"],
                ip=client_ip(request),
                keep_session=request.session.get(session_keys.BROWSER_SESSION),
            )
        except ValidationError as exc:
            _errors_into(form, exc)
            return render(request, self.template_name, {"form": form}, status=400)
        if outcome is services.PasswordChange.LOCKED:
            # Too many wrong codes: whoever holds this session must log in again, later.
            services.session_end(key=request.session.get(session_keys.BROWSER_SESSION))
            auth.logout(request)
            messages.error(request, GENERIC_FAILURE)
            return redirect("accounts:login")
        if outcome is not services.PasswordChange.CHANGED:
            # Password inputs never show what was typed, so the form comes back empty.
            if outcome is services.PasswordChange.WRONG_PASSWORD:
                form.add_error("current_password", services.WRONG_PASSWORD_AGAIN)
            else:
                form.add_error("code", _("That code is not valid."))
            return render(request, self.template_name, {"form": form}, status=400)
        # This session stays: a new id, and the password and generation it now belongs to.
        user.refresh_from_db()
        auth.update_session_auth_hash(request, user)
        request.session[session_keys.GENERATION] = user.session_generation
        messages.success(
            request,
            _("Your password is changed. Your other browsers and your device tokens have been logged out."),
        )
        return redirect("accounts:devices")


USERS_PAGE_SIZE = 100


class UsersView(AppView):
    """The organisation's members, for whoever manages its users: who has a second factor,
    who is locked, and a one-time password reset link for one who forgot their password."""

    capability = "users.manage"
    scope = Scope.ORG
    template_name = "accounts/users.html"

    def get(self, request):
        now = clock.now()
        # ``setup=1`` (from "Today"): only the members whose phone is not set up yet.
        to_set_up = request.GET.get("setup") == "1"
        members = selectors.members_with_second_factor(self.actor, to_set_up=to_set_up)
        page = Paginator(members, USERS_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            {
                "membership": membership,
                "user": membership.user,
                "role": Role(membership.role).label,
                "has_second_factor": membership.has_second_factor,
                "locked": membership.user.locked_until is not None and membership.user.locked_until > now,
                "is_self": membership.user_id == self.actor.user_id,
            }
            for membership in page.object_list
        ]
        context = {"rows": rows, "page": page, "to_set_up": to_set_up}
        return render(request, self.template_name, context)


class UserResetView(AppView):
    """Issue a reset link for one member (its membership id in the form); shown once."""

    capability = "users.manage"
    scope = Scope.ORG

    def post(self, request):
        try:
            membership_id = uuid.UUID(request.POST.get("member", ""))
        except ValueError:
            raise Http404(NOT_FOUND_MESSAGE) from None
        membership = get_visible_or_404(selectors.managed_members(self.actor), pk=membership_id)
        try:
            issued = services.password_reset_issue(actor=self.actor, membership=membership)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("accounts:users")
        link = request.build_absolute_uri(reverse("accounts:reset", kwargs={"token": issued.plaintext}))
        context = {
            "member": membership.user,
            "link": link,
            "qr_svg": second_factor.svg_qr(link),
            "expires_at": issued.reset.expires_at,
            "minutes": int(services.RESET_LIFETIME.total_seconds() // 60),
        }
        return render(request, "accounts/reset_issued.html", context, status=201)


class ResetLinkView(AppView):
    """The link an administrator handed over. It only moves the link's hash into the session
    and sends the browser on, so the secret leaves the address bar, the history and every
    page (a link that does not work is told so on the next page too)."""

    public = True

    def dispatch(self, request, *args, **kwargs):
        return never_cache(super().dispatch)(request, *args, **kwargs)

    def get(self, request, token):
        digest = selectors.reset_digest(token)
        request.session.cycle_key()
        if selectors.usable_reset(digest) is None:
            request.session.pop(session_keys.RESET_DIGEST, None)
        else:
            request.session[session_keys.RESET_DIGEST] = digest
        return redirect("accounts:reset_password")


def _reset_unusable(request):
    request.session.pop(session_keys.RESET_DIGEST, None)
    return render(request, "accounts/reset_unusable.html", status=200)


class ResetPasswordView(AppView):
    """Choose a new password with the link in this session; then log in as usual, with the
    second factor. Whoever has only the link gets a password they cannot use alone."""

    public = True
    template_name = "accounts/reset_password.html"

    def dispatch(self, request, *args, **kwargs):
        sensitive = sensitive_post_parameters("new_password1", "new_password2")
        return never_cache(sensitive(csrf_protect(super().dispatch)))(request, *args, **kwargs)

    def _reset(self, request):
        return selectors.usable_reset(request.session.get(session_keys.RESET_DIGEST))

    def get(self, request):
        reset = self._reset(request)
        if reset is None:
            return _reset_unusable(request)
        form = NewPasswordForm(user=reset.user)
        return render(request, self.template_name, {"form": form, "member": reset.user})

    def post(self, request):
        reset = self._reset(request)
        if reset is None:
            return _reset_unusable(request)
        form = NewPasswordForm(request.POST, user=reset.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "member": reset.user}, status=400)
        try:
            user = services.password_reset_complete(
                digest=request.session[session_keys.RESET_DIGEST],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            _errors_into(form, exc)
            return render(request, self.template_name, {"form": form, "member": reset.user}, status=400)
        if user is None:
            return _reset_unusable(request)
        if request.user.is_authenticated:
            auth.logout(request)  # a browser someone else was logged in on
        else:
            request.session.flush()
        messages.success(request, _("Your password is changed. Log in with it and a code from your phone."))
        return redirect("accounts:login")
