"""Forms of the aftercare duties (issue 4 items 2, 8, 9): the supervision visit and the
coordinating-plan meeting on the case page, and a municipality's settings. A form checks the
shape of the input; services_aftercare applies the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forlob.pathway.choices import TRACK_CHOICES
from forlob.pathway.forms import choice_field, date_field, style, text_field, yes_no_field

from . import rules, services, services_aftercare
from .choices import FollowUpBy
from .clocks import LABELS
from .forms import TreatmentStep
from .models import CoordinatingMeeting, SupervisionVisit


class SupervisionForm(TreatmentStep):
    slug = "tilsyn"
    title = _("Personrettet tilsyn")
    help = _("Tilsyn med borgerens døgnanbringelse (serviceloven § 148): progression, og om "
             "anbringelsen stadig passer til borgeren.")

    visited_on = date_field(_("Tilsyn udført"))
    progression = text_field(_("Borgerens progression"), required=True)
    placement_fits = yes_no_field(_("Passer anbringelsen stadig til borgeren?"))
    note = text_field(_("Bemærkninger"))

    def apply(self, request):
        d = self.cleaned_data
        return services_aftercare.add_supervision_visit(request, self.course, SupervisionVisit(
            visited_on=d["visited_on"], progression=d["progression"],
            placement_fits=d["placement_fits"], note=d["note"]))


class CoordinatingMeetingForm(TreatmentStep):
    slug = "indsatsplan-moede"
    title = _("Møde om koordinerende indsatsplan")
    help = _("Opfølgningsmøder på den koordinerende indsatsplan holdes mindst hver 6. måned.")

    held_on = date_field(_("Afholdt"))
    note = text_field(_("Bemærkninger"))

    def apply(self, request):
        d = self.cleaned_data
        meeting = CoordinatingMeeting(held_on=d["held_on"], note=d["note"])
        return services_aftercare.add_coordinating_meeting(request, self.course, meeting)


class DischargeTaskForm(TreatmentStep):
    slug = "opgave-efter-udskrivning"
    title = _("Opgave efter udskrivningen")
    help = _("Det, udskrivningen gav anledning til: et efterfølgende tilbud efter "
             "døgnbehandling (retningslinje 2.3.8), eller kontakt til de opsøgende tjenester "
             "efter en uplanlagt udskrivning (retningslinje 3.11.6).")

    task = choice_field(_("Opgave"), [])
    done_on = date_field(_("Udført"))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.fields["task"].choices = [(t, LABELS[t])
                                       for t in services.open_discharge_tasks(course)]

    def apply(self, request):
        d = self.cleaned_data
        return services.record_discharge_task(request, self.course, d["task"], d["done_on"])


def _months(label, maximum, required=True, help_text=""):
    message = _("Skriv et antal måneder mellem 1 og %(max)s.") % {"max": maximum}
    return forms.IntegerField(
        label=label, required=required, min_value=1, max_value=maximum, help_text=help_text,
        error_messages={"min_value": message, "max_value": message, "required": message,
                        "invalid": _("Skriv et helt tal.")})


class SettingsForm(forms.Form):
    """A municipality's aftercare settings; blank review interval = the default, 3 months."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    supervision_months = _months(_("Måneder mellem personrettede tilsyn"),
                                 rules.SUPERVISION_MONTHS_MAX,
                                 help_text=_("Døgnanbringelser (serviceloven § 148)."))
    follow_up_by = choice_field(_("Opfølgning efter udskrivning varetages af"),
                                FollowUpBy.choices, radio=True)

    def __init__(self, *args, municipality, **kwargs):
        self.municipality = municipality
        super().__init__(*args, prefix=f"kommune-{municipality.pk}", **kwargs)
        for track, label in TRACK_CHOICES:
            self.fields[f"review_{track}"] = _months(
                label, rules.REVIEW_MONTHS_MAX, required=False,
                help_text=_("Tom: hver 3. måned."))
        style(self)

    def review_fields(self):
        return [self[f"review_{track}"] for track, _label in TRACK_CHOICES]

    def save(self, user):
        d = self.cleaned_data
        return services_aftercare.save_settings(
            user, self.municipality, d["version"], d["supervision_months"], d["follow_up_by"],
            {track: d[f"review_{track}"] for track, _label in TRACK_CHOICES})


def settings_initial(settings, intervals):
    initial = {"version": settings.version, "supervision_months": settings.supervision_months,
               "follow_up_by": settings.follow_up_by}
    initial.update({f"review_{track}": months for track, months in intervals.items()})
    return initial
