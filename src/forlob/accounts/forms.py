"""Login, second factor and user administration forms (Danish messages, English in i18n)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Forkert brugernavn eller adgangskode. Bemærk store og små bogstaver."),
        "inactive": _("Brugeren er deaktiveret."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Brugernavn")
        self.fields["password"].label = _("Adgangskode")
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-input"


class TokenForm(forms.Form):
    otp_token = forms.RegexField(
        regex=r"^\d{6}$",
        label=_("Kode fra godkendelses-app"),
        help_text=_("Seks cifre."),
        error_messages={"invalid": _("Koden skal være seks cifre.")},
        widget=forms.TextInput(
            attrs={"class": "form-input input-width-xs", "autocomplete": "one-time-code",
                   "inputmode": "numeric"}
        ),
    )
