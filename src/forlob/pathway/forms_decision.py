"""The decision form (afgørelse), resting on an assessment (issue 3 item 7; retningslinje 3.6).
Whether reasons, a provider or a visitation meeting are needed is decided by the service."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import Intensity

from . import services as pathway_services
from .choices import Outcome
from .forms import (
    StepForm,
    choice_field,
    date_field,
    provider_field,
    style,
    text_field,
    track_choices,
)
from .models import Decision


class AssessmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Afdækning afsluttet %(day)s") % {"day": obj.done_on.strftime("%d-%m-%Y")}


class DecisionForm(StepForm):
    slug = "afgoerelse"
    title = _("Afgørelse")
    help = _("Afgørelsen bygger på afdækningen og visitationsoplægget. Den skal begrundes, "
             "medmindre borgeren får fuldt ud medhold (forvaltningsloven §§ 22-24).")

    assessment = AssessmentChoiceField(
        queryset=None, label=_("Afdækning, som afgørelsen bygger på"),
        empty_label=_("Vælg afdækning"),
        error_messages={"invalid_choice": _("Vælg en afdækning fra dette forløb."),
                        "required": _("En afgørelse skal bygge på en afdækning.")})
    proposal_focus = text_field(_("Visitationsoplæg: fokusområder"), required=True)
    proposal_goals = text_field(_("Visitationsoplæg: personlige udviklingsmål"), required=True)
    track = choice_field(_("Spor"), [])
    outcome = choice_field(_("Afgørelse"), Outcome.choices, radio=True)
    decided_on = date_field(_("Afgørelsen truffet"))
    provider = provider_field(_("Tilbud"), required=False)
    provider.help_text = _("Skal udfyldes ved bevilling og delvis bevilling.")
    intensity = choice_field(_("Intensitet"), [("", _("Vælg intensitet")), *Intensity.choices],
                             required=False,
                             help_text=_("Ambulant: 2-8 gange om måneden. Dagbehandling: 8 "
                                         "gange eller flere. Ad hoc-kontakt er ikke "
                                         "behandling."))
    sessions_per_month = forms.IntegerField(
        label=_("Planlagte kontakter pr. måned"), required=False, min_value=0, max_value=62,
        help_text=_("Valgfri. Skal passe til intensiteten."),
        widget=forms.NumberInput(attrs={"class": "form-input input-width-xs"}))
    services = text_field(_("Ydelser, omfang og formål"))
    execution = text_field(_("Sådan gennemføres behandlingen"))
    reasons = text_field(_("Begrundelse"), rows=5,
                         help_text=_("Skal udfyldes ved delvis bevilling og afslag. Et afslag "
                                     "nævner retsgrundlaget."))
    other_help = text_field(_("Anden hjælp, der kan kompensere"))
    visitation_meeting_on = date_field(
        _("Visitationsmøde holdt"), required=False,
        help_text=_("Dag- og døgnbehandling kræver et visitationsmøde før afgørelsen."))
    told_free_choice = forms.BooleanField(label=_("Borgeren er oplyst om frit valg"),
                                          required=False)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.fields["assessment"].queryset = course.assessments.order_by("-done_on", "-pk")
        latest = self.fields["assessment"].queryset.first()
        if latest is not None:
            self.fields["assessment"].initial = latest.pk
        choices = track_choices(course.citizen, exclude={"sel101a"})
        mine = set(course.tracks.values_list("track", flat=True))
        self.fields["track"].choices = [c for c in choices if c[0] in mine] or choices
        self.fields["track"].widget.attrs.update({
            "hx-get": reverse("pathway:complaint_route"), "hx-trigger": "change",
            "hx-target": "#klagevejledning", "hx-swap": "innerHTML"})
        style(self)

    def selected_track(self):
        value = self["track"].value()
        valid = [c[0] for c in self.fields["track"].choices]
        return value if value in valid else (valid[0] if valid else None)

    def apply(self, request):
        d = self.cleaned_data
        decision = Decision(
            assessment=d["assessment"], track=d["track"], outcome=d["outcome"],
            decided_on=d["decided_on"], proposal_focus=d["proposal_focus"],
            proposal_goals=d["proposal_goals"], provider=d["provider"],
            intensity=d["intensity"], sessions_per_month=d["sessions_per_month"],
            services=d["services"], execution=d["execution"],
            reasons=d["reasons"], other_help=d["other_help"],
            visitation_meeting_on=d["visitation_meeting_on"],
            told_free_choice=d["told_free_choice"],
        )
        return pathway_services.decide(request, self.course, decision)
