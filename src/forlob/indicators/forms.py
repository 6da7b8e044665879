"""The dashboard's selection (issue 5): period, track, municipality, provider, cluster, sex and
age group, turned into Filters within the user's scope. Bad input is a form error (400), never
a 500; a municipality or cluster outside the user's scope answers 404, as if it did not exist.
Every indicator page and the API build their selection here, so each answers alike."""

import datetime as dt
import re

from django import forms
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.citizens.models import Sex
from forlob.organisations.models import Cluster, Provider
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

#: A well-formed id in the query (anything else is left to the form's own 400).
_ID = re.compile(r"[0-9]{1,9}")


def defaults() -> dict:
    """The period shown without one: this year up to today."""
    today = clock.today()
    return {"start": dt.date(today.year, 1, 1), "end": today}


def _out_of_scope(data, municipalities) -> bool:
    """Whether `data` names, by a well-formed id, a municipality or a cluster none of the
    user's municipalities lies in (issue 5, bad input: 404 for out of scope; a non-existent id
    looks the same, so the answer reveals nothing)."""
    allowed = {"municipality": {m.pk for m in municipalities},
               "cluster": {m.cluster_id for m in municipalities}}
    for name, ids in allowed.items():
        value = str(data.get(name, ""))
        if _ID.fullmatch(value) and int(value) not in ids:
            return True
    return False


class DashboardForm(forms.Form):
    start = date_field(_("Fra og med"))
    end = date_field(_("Til og med"))
    cluster = forms.TypedChoiceField(label=_("Klynge"), coerce=int, required=False,
                                     empty_value=None)
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
        """`data` is the query: any parameter binds the form, a missing or empty start or
        end taking the default period. A municipality or cluster outside `municipalities`
        (the user's) raises Http404."""
        initial = defaults()
        self.municipalities = list(municipalities)
        if data:
            if _out_of_scope(data, self.municipalities):
                raise Http404
            data = data.copy()
            for name, day in initial.items():
                if not data.get(name):
                    data[name] = day.isoformat()
        super().__init__(data or None, initial=initial, **kwargs)
        self.fields["municipality"].choices = [("", _("Alle mine kommuner"))] + [
            (m.pk, m.name) for m in self.municipalities]
        self.fields["cluster"].choices = [("", _("Alle mine klynger"))] + [
            (c.pk, c.name) for c in Cluster.objects.filter(
                pk__in={m.cluster_id for m in self.municipalities}).order_by("name")]
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
        chosen, cluster = data.get("municipality"), data.get("cluster")
        if chosen is not None and cluster is not None and chosen not in {
                m.pk for m in self.municipalities if m.cluster_id == cluster}:
            self.add_error("municipality", _("Kommunen ligger ikke i den valgte klynge."))
        if start and end:
            if end < start:
                self.add_error("end", _("Slutdatoen ligger før startdatoen."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Vælg en periode på højst ti år."))
        return data

    def filters(self) -> Filters:
        """The selection as Filters; only valid forms. The municipalities are the user's,
        narrowed by the chosen municipality and cluster, never widened: a cluster selects its
        municipalities among the user's, not the cluster's others."""
        d = self.cleaned_data if self.is_bound else {
            "start": self.initial["start"], "end": self.initial["end"]}
        ids = {m.pk for m in self.municipalities}
        chosen, cluster = d.get("municipality"), d.get("cluster")
        if chosen in ids:
            ids = {chosen}
        if cluster is not None:
            ids = {m.pk for m in self.municipalities if m.pk in ids and m.cluster_id == cluster}
        return Filters(
            start=d["start"], end=d["end"], municipalities=frozenset(ids), cluster=cluster,
            track=d.get("track") or None, provider=d.get("provider"),
            sex={"": None, "-": ""}.get(d.get("sex") or "", d.get("sex")),
            age_group=d.get("age_group") or None)


class CompareForm(DashboardForm):
    """The comparison's selection: the dashboard's without the municipality, since every
    municipality of the comparison is a row of its own, and with one indicator or all. A
    cluster narrows the rows to its municipalities."""

    def __init__(self, data=None, *, municipalities, **kwargs):
        from .catalogue import CATALOGUE  # read when used: tests stand in their own

        super().__init__(data, municipalities=municipalities, **kwargs)
        del self.fields["municipality"]
        self.fields["kpi"] = forms.ChoiceField(
            label=_("Indikator"), required=False,
            choices=[("", _("Alle indikatorer"))] + [
                (code, kpi.name(get_language())) for code, kpi in CATALOGUE.items()])
        style(self)
