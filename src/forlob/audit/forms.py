"""Filters for the administrator's view of the audit log. Bad values become Danish form
errors, never a server error."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forlob.accounts.models import Role

from .models import Action

DATE_INVALID = _("Skriv en gyldig dato, fx 2026-06-15.")


def _date_field(label):
    return forms.DateField(
        label=label, required=False,
        error_messages={"invalid": DATE_INVALID},
        widget=forms.DateInput(attrs={"type": "date", "class": "form-input input-width-s"},
                               format="%Y-%m-%d"),
    )


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the configured time zone (Europe/Copenhagen)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


#: The log's filter dates: wide enough for any record, narrow enough to stay clear of the
#: calendar's ends (a date of 9999-12-31 plus one day does not exist).
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)

class AuditFilterForm(forms.Form):
    date_from = _date_field(_("Fra dato"))
    date_to = _date_field(_("Til dato"))
    username = forms.CharField(
        label=_("Brugernavn"), required=False, max_length=150,
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off"}),
    )
    action = forms.ChoiceField(
        label=_("Handling"), required=False,
        choices=[("", _("Alle handlinger"))] + list(Action.choices),
        error_messages={"invalid_choice": _("Ukendt handling. Vælg en handling fra listen.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    citizen_ref = forms.UUIDField(
        label=_("Borgerreference"), required=False,
        help_text=_("Borgerens reference (UUID) fra adressen på borgerens side."),
        error_messages={"invalid": _("Borgerreferencen skal være et UUID, fx "
                                     "3f2c1a9e-8b7d-4c6e-9a1f-2b3c4d5e6f70.")},
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Rolle"), required=False,
        choices=[("", _("Alle roller"))] + list(Role.choices),
        error_messages={"invalid_choice": _("Ukendt rolle. Vælg en rolle fra listen.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not (EARLIEST <= day <= LATEST):
                self.add_error(name, _("Vælg en dato mellem %(a)s og %(b)s.")
                               % {"a": EARLIEST.strftime("%d.%m.%Y"),
                                  "b": LATEST.strftime("%d.%m.%Y")})
                data.pop(name, None)
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Til-datoen ligger før fra-datoen."))
        return data

    def is_filtered(self) -> bool:
        return self.is_bound and any(self.cleaned_data.get(f) for f in self.fields)

    def apply(self, qs):
        """The queryset narrowed by the (valid) filters."""
        data = self.cleaned_data
        if data.get("date_from"):
            qs = qs.filter(at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            qs = qs.filter(at__lt=_start_of(data["date_to"] + dt.timedelta(days=1)))
        if data.get("username"):
            qs = qs.filter(username__icontains=data["username"].strip())
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("citizen_ref"):
            qs = qs.filter(citizen_ref=str(data["citizen_ref"]))
        if data.get("role"):
            qs = qs.filter(role=data["role"])
        return qs
