"""Forms of the treatment section of the case page (issue 4). A form checks the shape of the
input and hands the facts to its service, which applies the rules. Each carries the course
version it was loaded with (optimistic locking, pathway.forms.StepForm)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import Intensity
from forlob.pathway.choices import DOMAINS, Channel
from forlob.pathway.forms import (
    StepForm,
    choice_field,
    date_field,
    style,
    text_field,
    yes_no_field,
)

from . import services
from .choices import GoalStatus, GoalType, Housing, Maintained, Reason, Support, UseStatus
from .models import Discharge, Method, PlanGoal, Review, TreatmentPlan

GOAL_ROWS = 5
BLANK = [("", _("Vælg"))]
PROMPTS = {
    "follow_on_offer": _("Udskrivning fra døgnbehandling: tilbyd borgeren et efterfølgende "
                         "ambulant tilbud eller dagtilbud (retningslinje 2.3.8)."),
    "outreach_contact": _("Uplanlagt udskrivning: kontakt de opsøgende tjenester "
                          "(retningslinje 3.11.6)."),
    "follow_on_treatment": _("Målet er ikke fastholdt: tilbyd borgeren efterfølgende "
                             "behandling. En ny anmodning starter en ny garantifrist."),
}


def _flag(label):
    return forms.BooleanField(label=label, required=False)


class TreatmentStep(StepForm):
    """A step of the treatment section; `prompts` are set by apply (rules' prompts)."""

    prompts: list = []
    new_course = None


class PlanForm(TreatmentStep):
    slug = "behandlingsplan"
    title = _("Behandlingsplan")
    help = _("Lægges ved behandlingens start sammen med borgeren (serviceloven § 101, stk. 8). "
             "En ny plan bliver en ny version.")
    field_map = {"goals": "goal_1_text"}

    agreed_on = date_field(_("Aftalt med borgeren"))
    content = text_field(_("Indhold"), required=True)
    catalogue_methods = forms.ModelMultipleChoiceField(
        label=_("Metoder fra metodekataloget"), required=False,
        queryset=Method.objects.filter(active=True), widget=forms.CheckboxSelectMultiple,
        help_text=_("Dokumenterede metoder (retningslinje 2.1.1)."))
    methods = text_field(_("Metoder, uddybning"))
    expected_duration = text_field(_("Forventet varighed"), rows=0, max_length=200)
    intensity = choice_field(_("Intensitet"), BLANK + list(Intensity.choices), required=False)
    other_actors = text_field(_("Andre aktører"))
    relapse_prevention = text_field(_("Tilbagefaldsforebyggelse"))
    citizen_dissent = text_field(_("Borgerens uenighed"),
                                 help_text=_("Hvor borgeren er uenig i planen."))
    action_plan_141 = _flag(_("Handleplan efter serviceloven § 141"))
    coordinating_plan = _flag(_("Koordinerende indsatsplan (psykiatri)"))
    job_plan = _flag(_("Jobcentrets plan"))
    medical_plan = _flag(_("Lægelig behandlingsplan"))
    other_plans = text_field(_("Bemærkninger om andre planer"), rows=2)

    PLAN_FIELDS = ("agreed_on", "content", "catalogue_methods", "methods", "expected_duration",
                   "intensity", "other_actors", "relapse_prevention", "citizen_dissent")
    LINK_FIELDS = ("action_plan_141", "coordinating_plan", "job_plan", "medical_plan",
                   "other_plans")

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        for i in range(1, GOAL_ROWS + 1):
            self.fields[f"goal_{i}_text"] = text_field(_("Målet med borgerens egne ord"),
                                                       rows=2)
            self.fields[f"goal_{i}_type"] = choice_field(
                _("Måltype"), BLANK + list(GoalType.choices), required=False)
            self.fields[f"goal_{i}_domain"] = choice_field(
                _("Afdækket behov, målet bygger på"), BLANK + list(DOMAINS), required=False)
        style(self)

    def plan_fields(self):
        return [self[f] for f in self.PLAN_FIELDS]

    def link_fields(self):
        return [self[f] for f in self.LINK_FIELDS]

    def goal_rows(self):
        return [(i, [self[f"goal_{i}_{p}"] for p in ("text", "type", "domain")])
                for i in range(1, GOAL_ROWS + 1)]

    def clean(self):
        d = super().clean()
        for i in range(1, GOAL_ROWS + 1):
            text, kind, domain = (d.get(f"goal_{i}_{p}") for p in ("text", "type", "domain"))
            if text and not kind:
                self.add_error(f"goal_{i}_type", _("Vælg en måltype."))
            if text and not domain:
                self.add_error(f"goal_{i}_domain", _("Vælg det behov, målet bygger på."))
            if not text and (kind or domain):
                self.add_error(f"goal_{i}_text", _("Skriv målet med borgerens egne ord."))
        return d

    def apply(self, request):
        d = self.cleaned_data
        plan = TreatmentPlan(**{f: d[f] for f in self.PLAN_FIELDS + self.LINK_FIELDS
                                if f != "catalogue_methods"})
        goals = [PlanGoal(text=d[f"goal_{i}_text"], goal_type=d[f"goal_{i}_type"],
                          need_domain=d[f"goal_{i}_domain"])
                 for i in range(1, GOAL_ROWS + 1) if d.get(f"goal_{i}_text")]
        return services.add_plan(request, self.course, plan, goals, d["catalogue_methods"])


def _answers(value, label):
    """'1, 2, 0 ...' as a list of integers (the service validates each item)."""
    if not value.strip():
        return None
    parts = [p for p in re.split(r"[\s,;]+", value.strip()) if p]
    if not all(p.isdigit() for p in parts):
        raise forms.ValidationError(_("Skriv %(name)s-svarene som tal adskilt af komma.")
                                    % {"name": label})
    return [int(p) for p in parts]


class ReviewForm(TreatmentStep):
    slug = "opfoelgning-plan"
    title = _("Opfølgning på behandlingsplanen")
    help = _("Sæt status for hvert mål i den gældende plan, og gentag målingerne.")
    field_map = {"statuses": None}

    held_on = date_field(_("Afholdt"))
    days_of_use_30 = forms.IntegerField(
        label=_("Dage med brug de seneste 30 dage"), required=False, min_value=0, max_value=30,
        error_messages={"min_value": _("Antal dage skal være mellem 0 og 30."),
                        "max_value": _("Antal dage skal være mellem 0 og 30."),
                        "invalid": _("Skriv et helt tal.")})
    audit = text_field(_("AUDIT-svar (valgfri)"), rows=0,
                       help_text=_("10 tal adskilt af komma, fx 1, 0, 2, ..."))
    dudit = text_field(_("DUDIT-svar (valgfri)"), rows=0,
                       help_text=_("11 tal adskilt af komma."))
    notes = text_field(_("Bemærkninger"))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        plan = services.current_plan(course)
        self.goals = list(plan.goals.all()) if plan else []
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = choice_field(
                goal.text, BLANK + list(GoalStatus.choices))
        style(self)

    def clean_audit(self):
        return _answers(self.cleaned_data["audit"], "AUDIT")

    def clean_dudit(self):
        return _answers(self.cleaned_data["dudit"], "DUDIT")

    def apply(self, request):
        d = self.cleaned_data
        statuses = {g.pk: d[f"goal_{g.pk}"] for g in self.goals}
        screenings = [(name, d[name], d["held_on"]) for name in ("audit", "dudit") if d[name]]
        review = Review(held_on=d["held_on"], days_of_use_30=d["days_of_use_30"],
                        notes=d["notes"])
        return services.add_review(request, self.course, review, statuses, screenings)


class DischargeForm(TreatmentStep):
    slug = "udskrivning"
    title = _("Udskrivning")
    help = _("De syv felter til Stofmisbrugsdatabasen, og en skriftlig status på forløbet.")
    submit = _("Udskriv borgeren")

    discharged_on = date_field(_("Udskrevet"))
    reason = choice_field(_("Årsag"), BLANK + list(Reason.choices))
    use_status = choice_field(_("Status for brug ved udskrivning"),
                              BLANK + list(UseStatus.choices))
    self_help_contact = _flag(_("Kontakt til selvhjælpsnetværk"))
    partner_drug_free = _flag(_("Flytter sammen med en partner uden misbrug"))
    housing = choice_field(_("Bolig efter udskrivning"), BLANK + list(Housing.choices))
    means_of_support = choice_field(_("Forsørgelse"), BLANK + list(Support.choices))
    status_text = text_field(_("Skriftlig status på forløbet"), required=True)
    citizen_view = text_field(_("Borgerens syn, hvor det afviger"))

    def apply(self, request):
        d = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        _discharge, self.prompts = services.discharge(request, self.course, Discharge(**d))


def _task_choices(tasks):
    return [(t.pk, _("Opfølgning %(n)s, senest %(due)s") % {
        "n": t.number, "due": t.due.strftime("%d-%m-%Y")}) for t in tasks]


class DeclineForm(TreatmentStep):
    slug = "afslaa-opfoelgning"
    title = _("Borgeren takker nej til opfølgning")
    help = _("Lukker alle åbne opfølgninger som afslået. Det kan kun gøres om ved et nyt "
             "samtykke.")
    submit = _("Luk opfølgningerne som afslået")

    declined_on = date_field(_("Borgeren takkede nej"))

    def apply(self, request):
        return services.decline_follow_up(request, self.course, self.cleaned_data["declined_on"])


class OutcomeForm(TreatmentStep):
    slug = "opfoelgning-udfald"
    title = _("Udfald af opfølgning efter udskrivning")

    follow_up = choice_field(_("Opfølgning"), [])
    held_on = date_field(_("Afholdt"))
    reached = yes_no_field(_("Fik I kontakt med borgeren?"))
    goal_maintained = choice_field(_("Er målet fastholdt?"), BLANK + list(Maintained.choices),
                                   required=False)
    use_status = choice_field(_("Status for brug"), BLANK + list(UseStatus.choices),
                              required=False)
    other_needs = text_field(_("Andre behov og henvisninger"))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.tasks = {t.pk: t for t in services.open_follow_ups(course)}
        self.fields["follow_up"].choices = _task_choices(self.tasks.values())

    def apply(self, request):
        d = self.cleaned_data
        self.prompts = services.record_follow_up_outcome(
            request, self.course, self.tasks[int(d["follow_up"])], d["held_on"], d["reached"],
            d["goal_maintained"], d["use_status"], d["other_needs"])


class NewRequestForm(TreatmentStep):
    slug = "ny-anmodning"
    title = _("Ny anmodning om behandling ved opfølgning")
    help = _("Opretter et nyt forløb med anmodningen: en ny garantifrist begynder.")
    submit = _("Opret nyt forløb")

    follow_up = choice_field(_("Opfølgning"), [])
    requested_on = date_field(_("Borgeren anmodede"))
    channel = choice_field(_("Kanal"), BLANK + list(Channel.choices))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.tasks = {t.pk: t for t in course.follow_ups.filter(
            declined_on=None, new_course=None).order_by("number")}
        self.fields["follow_up"].choices = _task_choices(self.tasks.values())

    def apply(self, request):
        d = self.cleaned_data
        self.new_course = services.new_request_from_follow_up(
            request, self.course, self.tasks[int(d["follow_up"])], d["requested_on"],
            d["channel"])


def prompt_texts(keys):
    return [str(PROMPTS[k]) for k in keys if k in PROMPTS]
