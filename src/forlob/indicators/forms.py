"""The dashboard's selection (issue 5): period, track, municipality, provider, cluster, sex and
age group, turned into Filters within the user's scope. Bad input is a form error, never a 500."""

import datetime as dt

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.citizens.models import Sex
from forlob.organisations.models import Provider
from forlob.pathway.choices import TRACK_CHOICES
from forlob.pathway.forms import choice_field, date_field, style

from . import rules
from .filters import Filters

#: The longest period one request may compute [inference: ten years of months keeps a trend
#: chart readable and the queries bounded].
MAX_DAYS = 3660

#: Dates outside these years are refused (the API does the same): no course lies there, and
#: date arithmetic near year 1 or 9999 would overflow.
FIRST_YEAR, LAST_YEAR = 1900, 2100

ALL = [("", _("Alle"))]


class DashboardForm(forms.Form):
    start = date_field(_("Fra og med"))
    end = date_field(_("Til og med"))
    municipality = forms.TypedChoiceField(label=_("Kommune"), coerce=int, required=False,
                                          empty_value=None)
    track = choice_field(_("Spor"), ALL + TRACK_CHOICES + [("youth", _("Unge under 18"))],
                         required=False)
    provider = forms.TypedChoiceField(label=_("Behandlingstilbud"), coerce=int,
                                      required=False, empty_value=None)
    sex = choice_field(_("Køn"), ALL + [("M", Sex.MALE.label), ("F", Sex.FEMALE.label),
                                        ("-", _("Ikke oplyst"))], required=False)
    age_group = choice_field(_("Aldersgruppe"), ALL + [
        (code, _("Under 18") if code == "u18" else code) for code, _lo, _hi in rules.AGE_GROUPS],
        required=False)

    def __init__(self, data=None, *, municipalities, **kwargs):
        today = clock.today()
        initial = {"start": dt.date(today.year, 1, 1), "end": today}
        data = data if data and "start" in data else None
        super().__init__(data, initial=initial, **kwargs)
        self.municipalities = list(municipalities)
        self.fields["municipality"].choices = [("", _("Alle mine kommuner"))] + [
            (m.pk, m.name) for m in self.municipalities]
        self.fields["provider"].choices = [("", _("Alle"))] + [
            (p.pk, p.name) for p in Provider.objects.order_by("name")]
        style(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name, day in (("start", start), ("end", end)):
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(name, _("Vælg en dato mellem år %(first)s og %(last)s.")
                               % {"first": FIRST_YEAR, "last": LAST_YEAR})
                return data
        if start and end:
            if end < start:
                self.add_error("end", _("Slutdatoen ligger før startdatoen."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Vælg en periode på højst ti år."))
        return data

    def filters(self) -> Filters:
        """The selection as Filters; only valid forms, and only the user's municipalities."""
        d = self.cleaned_data if self.is_bound else {
            "start": self.initial["start"], "end": self.initial["end"]}
        ids = {m.pk for m in self.municipalities}
        chosen = d.get("municipality")
        return Filters(
            start=d["start"], end=d["end"],
            municipalities=frozenset({chosen} if chosen in ids else ids),
            track=d.get("track") or None, provider=d.get("provider"),
            sex={"": None, "-": ""}.get(d.get("sex") or "", d.get("sex")),
            age_group=d.get("age_group") or None)


class CompareForm(DashboardForm):
    """The comparison's selection: the dashboard's without the municipality, since every
    municipality of the comparison is a row of its own, and with one indicator or all."""

    def __init__(self, data=None, *, municipalities, **kwargs):
        from .catalogue import CATALOGUE  # read when used: tests stand in their own

        super().__init__(data, municipalities=municipalities, **kwargs)
        del self.fields["municipality"]
        self.fields["kpi"] = forms.ChoiceField(
            label=_("Indikator"), required=False,
            choices=[("", _("Alle indikatorer"))] + [
                (code, kpi.name(get_language())) for code, kpi in CATALOGUE.items()])
        style(self)
