"""Forms of the caseworker's case page (issue 3). Each step form builds the facts and hands them
to its service in services.py, which validates the legal rules; a form checks only the shape
of the input. Every step form carries the course version it was loaded with (optimistic
locking). Messages are Danish; English comes from the translation catalogue."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.access import scope_for
from forlob.organisations.models import Municipality, Provider

from . import rules, services
from .choices import Asks, BreachReason, Channel, Substance, TrackChoice
from .models import (
    Contact,
    CounsellingSession,
    CustodyHolder,
    FreeChoice,
    TreatmentRequest,
    TreatmentStart,
)

YES_NO = [("ja", _("Ja")), ("nej", _("Nej"))]


def to_bool(value):
    return {"ja": True, "nej": False}.get(value)


def style(form):
    """DKFDS classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-checkbox")
        elif isinstance(widget, forms.RadioSelect):
            widget.attrs.setdefault("class", "form-radio")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.DateInput):
            widget.attrs.setdefault("class", "form-input input-width-s")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-input")


def date_field(label, required=True, help_text=""):
    return forms.DateField(
        label=label, required=required, help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Skriv en gyldig dato."), "required": _("Skriv en dato.")},
    )


def text_field(label, required=False, help_text="", rows=3, max_length=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=widget, max_length=max_length,
                           error_messages={"required": _("Udfyld feltet.")})


def choice_field(label, choices, radio=False, required=True, help_text=""):
    return forms.ChoiceField(
        label=label, choices=choices, required=required, help_text=help_text,
        widget=forms.RadioSelect if radio else forms.Select,
        error_messages={"required": _("Vælg en værdi."),
                        "invalid_choice": _("Vælg en af de viste muligheder.")},
    )


def yes_no_field(label, help_text="", required=True, blank_label=None):
    choices = ([("", blank_label)] if blank_label else []) + YES_NO
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=to_bool, empty_value=None, required=required,
        widget=forms.RadioSelect, help_text=help_text,
        error_messages={"required": _("Svar ja eller nej."),
                        "invalid_choice": _("Svar ja eller nej.")},
    )


def provider_field(label, required=True):
    return forms.ModelChoiceField(
        queryset=Provider.objects.order_by("name"), label=label, required=required,
        empty_label=_("Vælg tilbud"),
        error_messages={"invalid_choice": _("Ukendt behandlingstilbud."),
                        "required": _("Vælg et behandlingstilbud.")},
    )


def track_choices(citizen, exclude=()):
    """The tracks offered for the citizen; § 101 a is for anonymous persons only (the service
    refuses it for an identified citizen, services.set_tracks)."""
    allowed = rules.tracks_allowed(citizen.is_anonymous)
    if not citizen.is_anonymous:
        exclude = {*exclude, rules.Track.ANONYMOUS_DRUG}
    return [(v, label) for v, label in TrackChoice.choices if v in allowed and v not in exclude]


def add_service_errors(form, exc: ValidationError, field_map=None):
    """Put a service's Danish ValidationError on the form (by field where the form has it)."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = field_map.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class StepForm(forms.Form):
    """A step on a course. `apply` calls the step's service; `title` names the section."""

    slug = ""
    title = ""
    submit = _("Gem")
    field_map: dict = {}

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1,
        error_messages={"required": _("Formularen mangler sagens version. Genindlæs siden."),
                        "invalid": _("Formularen mangler sagens version. Genindlæs siden.")},
    )

    def __init__(self, *args, course, **kwargs):
        kwargs.setdefault("prefix", self.slug)
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["version"].initial = course.version
        style(self)

    def apply(self, request):  # pragma: no cover - every step overrides it
        raise NotImplementedError


class FirstContactFields(forms.Form):
    received_on = date_field(
        _("Henvendelsen kom"),
        help_text=_("Den dag borgeren henvendte sig, ikke registreringsdagen."))
    channel = choice_field(_("Kanal"), Channel.choices)
    substances = choice_field(_("Rusmidler"), Substance.choices, radio=True)
    asks = choice_field(_("Henvendelsen drejer sig om"), Asks.choices, radio=True)
    notes = text_field(_("Bemærkninger"))

    def contact(self) -> Contact:
        d = self.cleaned_data
        return Contact(received_on=d["received_on"], channel=d["channel"],
                       substances=d["substances"], asks=d["asks"], notes=d["notes"])


class OpenCourseForm(FirstContactFields):
    """The first contact opens a course (issue 3 item 1)."""

    tracks = forms.MultipleChoiceField(
        label=_("Spor"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Et forløb kan kombinere social og lægelig behandling."),
        error_messages={"invalid_choice": _("Vælg spor fra listen.")},
    )
    acting_municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("Opholdskommune (handlekommune)"),
        error_messages={"invalid_choice": _("Vælg en af dine kommuner."),
                        "required": _("Vælg opholdskommunen.")},
    )
    duty_dispute = forms.BooleanField(
        label=_("Der er uenighed mellem kommuner om handlepligten"), required=False,
        help_text=_("En uenighed standser aldrig fristerne (retningslinje 3.4.4)."),
    )

    def __init__(self, *args, citizen, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.citizen = citizen
        mine = scope_for(user).caseworker_municipalities
        self.fields["acting_municipality"].queryset = Municipality.objects.filter(pk__in=mine)
        if citizen.acting_municipality_id in mine:
            self.fields["acting_municipality"].initial = citizen.acting_municipality_id
        self.fields["tracks"].choices = track_choices(citizen)
        self.fields["received_on"].initial = clock.today()
        style(self)

    def apply(self, request):
        d = self.cleaned_data
        return services.open_course(request, self.citizen, self.contact(), tracks=d["tracks"],
                                    acting_municipality=d["acting_municipality"],
                                    duty_dispute=d["duty_dispute"])


class ContactForm(FirstContactFields, StepForm):
    slug = "kontakt"
    title = _("Ny henvendelse")
    help = _("Anmoder borgeren om behandling, registreres anmodningen også under "
             "»Anmodning om behandling«.")

    def apply(self, request):
        return services.add_contact(request, self.course, self.contact())


class CounsellingForm(StepForm):
    slug = "raadgivning"
    title = _("Rådgivningssamtale")
    help = _("Rådgivning er gratis og er aldrig behandling: den standser ingen frist.")

    held_on = date_field(_("Afholdt"))
    outreach = forms.BooleanField(label=_("Opsøgende"), required=False)
    other_needs = text_field(_("Andre behov, rådgivningen har afdækket"))
    referred_to = text_field(_("Henvist til andre tilbud"), rows=0, max_length=300)

    def apply(self, request):
        d = self.cleaned_data
        return services.add_counselling(request, self.course, CounsellingSession(
            held_on=d["held_on"], outreach=d["outreach"], other_needs=d["other_needs"],
            referred_to=d["referred_to"]))


class RequestForm(StepForm):
    slug = "anmodning"
    title = _("Anmodning om behandling")
    help = _("Garantien regnes fra den første anmodning til en kommunal myndighed: den dag "
             "borgeren anmodede, ikke registreringsdagen.")
    told_fields = ("told_representation", "told_doctor", "told_free_choice")
    told_legend = _("Borgeren er oplyst om")

    requested_on = date_field(_("Borgeren anmodede"))
    channel = choice_field(_("Kanal"), Channel.choices)
    representative = text_field(_("Partsrepræsentant"), rows=0, max_length=200)
    told_representation = forms.BooleanField(
        label=_("Retten til at lade sig repræsentere (forvaltningsloven § 8)"), required=False)
    told_doctor = forms.BooleanField(
        label=_("Den vederlagsfri lægesamtale (sundhedsloven § 142)"), required=False)
    told_free_choice = forms.BooleanField(label=_("Frit valg af behandlingstilbud"),
                                          required=False)

    def apply(self, request):
        d = self.cleaned_data
        return services.add_request(request, self.course, TreatmentRequest(
            requested_on=d["requested_on"], channel=d["channel"],
            representative=d["representative"], told_representation=d["told_representation"],
            told_doctor=d["told_doctor"], told_free_choice=d["told_free_choice"]))


class TracksForm(StepForm):
    slug = "spor"
    title = _("Spor")
    submit = _("Gem spor")

    tracks = forms.MultipleChoiceField(
        label=_("Forløbets spor"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vælg mindst ét spor."),
                        "invalid_choice": _("Vælg spor fra listen.")},
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.fields["tracks"].choices = track_choices(course.citizen)
        self.fields["tracks"].initial = list(course.tracks.values_list("track", flat=True))

    def apply(self, request):
        return services.set_tracks(request, self.course, self.cleaned_data["tracks"])


class DoctorForm(StepForm):
    slug = "laegesamtale"
    title = _("Vederlagsfri lægesamtale")
    help = _("Takker borgeren ja, holdes samtalen inden behandlingen iværksættes og inden for "
             "de 14 dage (sundhedsloven § 142). Fundene indgår i afdækningen.")

    offered_on = date_field(_("Tilbudt"))
    accepted = yes_no_field(_("Takkede borgeren ja?"), required=False,
                            blank_label=_("Ikke svaret endnu"))
    held_on = date_field(_("Afholdt"), required=False)
    findings = text_field(_("Fund"))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        doctor = getattr(course, "doctor", None)
        if doctor is not None:
            self.initial.update({
                "offered_on": doctor.offered_on, "held_on": doctor.held_on,
                "findings": doctor.findings,
                "accepted": {True: "ja", False: "nej"}.get(doctor.accepted, ""),
            })

    def apply(self, request):
        d = self.cleaned_data
        return services.record_doctor(request, self.course, d["offered_on"], d["accepted"],
                                      d["held_on"], d["findings"])


class FreeChoiceForm(StepForm):
    slug = "frit-valg"
    title = _("Frit valg")
    help = _("Vælger borgeren et andet godkendt tilbud af samme slags, bortfalder "
             "14-dagesgarantien, men behandlingen skal iværksættes hurtigst muligt "
             "(serviceloven § 101, stk. 5-7).")

    chosen_on = date_field(_("Valgt"))
    provider = provider_field(_("Valgt tilbud"), required=False)
    limited = forms.BooleanField(label=_("Det frie valg er begrænset af hensyn til borgeren "
                                         "(stk. 7)"), required=False)
    limit_reason = text_field(_("Begrundelse for begrænsningen"))

    def apply(self, request):
        d = self.cleaned_data
        return services.record_free_choice(request, self.course, FreeChoice(
            chosen_on=d["chosen_on"], provider=d["provider"], limited=d["limited"],
            limit_reason=d["limit_reason"]))


class StartForm(StepForm):
    slug = "ivaerksaettelse"
    title = _("Iværksættelse og tilknytning til tilbud")
    help = _("Tilknytningen giver tilbuddets behandlere adgang til borgeren.")

    started_on = date_field(_("Behandlingen iværksat"))
    enrolled_on = date_field(_("Tilknyttet tilbuddet"))
    provider = provider_field(_("Tilbud"))
    pre_treatment = forms.BooleanField(
        label=_("Iværksat som forbehandling, der opfylder indhold og omfang af behandling "
                "(Ankestyrelsen 23-18)"), required=False)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        decision = course.decisions.exclude(provider=None).order_by("-decided_on").first()
        if decision is not None:
            self.fields["provider"].initial = decision.provider_id

    def apply(self, request):
        d = self.cleaned_data
        return services.start_treatment(request, self.course, TreatmentStart(
            started_on=d["started_on"], enrolled_on=d["enrolled_on"], provider=d["provider"],
            pre_treatment=d["pre_treatment"]))


class BreachForm(StepForm):
    slug = "overskridelse"
    title = _("Registrér fristoverskridelse")
    submit = _("Registrér overskridelsen")

    clock = choice_field(_("Frist"), [])
    reason = choice_field(_("Årsag"), BreachReason.choices)
    note = text_field(_("Bemærkning"))

    def __init__(self, *args, course, clocks=(), labels=None, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        labels = labels or {}
        self.fields["clock"].choices = [(c, labels.get(c, c)) for c in clocks]

    def apply(self, request):
        d = self.cleaned_data
        return services.record_breach(request, self.course, d["clock"], d["reason"], d["note"])



class CustodyHolderForm(StepForm):
    """A custody holder of a citizen under 18 (issue 3 item 4)."""

    slug = "foraeldremyndighed"
    title = _("Forældremyndighedsindehaver")
    submit = _("Tilføj forældremyndighedsindehaver")
    help = _("Er borgeren under 18 år, registreres hver indehaver af forældremyndigheden.")

    name = text_field(_("Navn"), required=True, rows=0, max_length=200)
    relation = text_field(_("Relation til borgeren"), rows=0, max_length=100,
                          help_text=_("Fx mor, far eller værge."))
    phone = forms.CharField(label=_("Telefon"), required=False, max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel"}))

    def apply(self, request):
        d = self.cleaned_data
        return services.add_custody_holder(request, self.course, CustodyHolder(
            name=d["name"], relation=d["relation"], phone=d["phone"]))


class YouthRouteForm(StepForm):
    """The day the course was routed to the children and youth service (issue 3 item 4)."""

    slug = "boerne-og-ungeomraadet"
    title = _("Henvisning til børne- og ungeområdet")
    help = _("Borgere under 18 år hører under børne- og ungeområdet (serviceloven § 101, "
             "stk. 12).")
    field_map = {"youth_routed_on": "routed_on"}

    routed_on = date_field(_("Henvist til børne- og ungeområdet"))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.fields["routed_on"].initial = course.youth_routed_on

    def apply(self, request):
        return services.route_youth(request, self.course, self.cleaned_data["routed_on"])


class ScreeningStartForm(StepForm):
    """The flagged specialised screening or udredning has begun (retningslinje 3.8)."""

    slug = "udredning"
    title = _("Specialiseret screening eller udredning påbegyndt")
    help = _("Afdækningen pegede på specialiseret screening eller udredning. Den skal ikke "
             "forsinke behandlingsstarten, men bør begynde senest ved starten.")
    field_map = {"screening_started_on": "started_on"}

    started_on = date_field(_("Påbegyndt"))

    def apply(self, request):
        return services.start_screening(request, self.course, self.cleaned_data["started_on"])

