from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ponleu.common.numerals import to_ascii_digits

NEW_PASSWORD_HELP = _(
    "At least 12 characters. A few words that belong together only for you are easy to"
    " remember and hard to guess. Not a common password, not only digits, not like your name."
)


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _password_field(label, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": autocomplete})
    )


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
        ),
        help_text=_("Six digits, or one of your recovery codes."),
    )


class NewPasswordForm(forms.Form):
    """A new password, typed twice and checked against every password rule."""

    new_password1 = _password_field(_("New password"), "new-password")
    new_password2 = _password_field(_("New password again"), "new-password")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["new_password1"].help_text = NEW_PASSWORD_HELP
        self.fields["new_password1"].widget.attrs["aria-describedby"] = "new-password-help"

    def clean_new_password2(self):
        first = self.cleaned_data.get("new_password1")
        second = self.cleaned_data.get("new_password2")
        if first and second and first != second:
            raise forms.ValidationError(
                _("The two new passwords are not the same."), code="password_mismatch"
            )
        return second

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("new_password1")
        if password and not self.has_error("new_password2"):
            try:
                password_validation.validate_password(password, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)


class PasswordChangeForm(NewPasswordForm):
    """Both factors again, then the new password."""

    current_password = _password_field(_("Current password"), "current-password")
    code = _code_field()

    field_order = ["current_password", "code", "new_password1", "new_password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["aria-describedby"] = "code-help"

    def clean_code(self):
        return to_ascii_digits(self.cleaned_data["code"]).strip()


class CodeForm(forms.Form):
    code = _code_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["aria-describedby"] = "code-help"


class DeviceTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Device name"),
        max_length=80,
        help_text=_("So you can recognise it later, for example “Sokha’s phone”."),
    )
    capabilities = forms.MultipleChoiceField(
        label=_("What this device may do"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose only what the device needs. You can never give more than your role allows."),
    )

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Asked again because a token lets a device act as you for days."),
    )

    def __init__(self, *args, capabilities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capabilities"].choices = list(capabilities)
        self.fields["name"].widget.attrs["aria-describedby"] = "token-name-help"
        self.fields["password"].widget.attrs["aria-describedby"] = "token-password-help"


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=())
    next = forms.CharField(required=False)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages
