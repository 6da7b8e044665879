"""Input serializers of the pathway API (issue 3): types, formats and code lists only.

They make sure any body reaches the services as well-typed values (or is refused with a 400),
so no input can cause a server error. The legal rules (dates, reasons, anonymity, scores) are
checked by `services`/`rules`, never here.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from forlob.access import scope_for
from forlob.citizens.serializers import MunicipalityCodeField
from forlob.organisations.models import Intensity, Provider

from .choices import (
    DOMAINS,
    Asks,
    BreachReason,
    Channel,
    Instrument,
    Outcome,
    ScreeningInstrument,
    Substance,
    TrackChoice,
)

MAX_VERSION = 2_147_483_646  # version + 1 must fit the column
TEXT_MAX = 10_000
DATE_MESSAGES = {
    "invalid": _("Skriv en gyldig dato (ÅÅÅÅ-MM-DD)."),
    "datetime": _("Skriv en gyldig dato (ÅÅÅÅ-MM-DD)."),
    "required": _("Angiv datoen."),
    "null": _("Angiv datoen."),
}
CHOICE_MESSAGES = {"invalid_choice": _("Ukendt værdi: {input}.")}
CLOCK_NAMES = [
    ("assessment", _("Afdækning")),
    ("decision", _("Afgørelse")),
    ("doctor", _("Lægesamtale")),
    ("guarantee", _("Behandlingsgaranti")),
]


def date_field(**kwargs):
    return serializers.DateField(error_messages=DATE_MESSAGES, **kwargs)


def optional_date(**kwargs):
    return date_field(required=False, allow_null=True, default=None, **kwargs)


def choice(choices, **kwargs):
    return serializers.ChoiceField(choices=choices, error_messages=CHOICE_MESSAGES, **kwargs)


TEXT_MESSAGES = {
    "invalid": _("Skriv en tekst."),
    "null": _("Skriv en tekst (eller en tom tekst)."),
    "max_length": _("Teksten må højst være {max_length} tegn."),
}
LIST_MESSAGES = {
    "not_a_list": _("Angiv en liste."),
    "max_length": _("Listen må højst have {max_length} elementer."),
    "min_length": _("Listen skal have mindst {min_length} elementer."),
    "empty": _("Listen må ikke være tom."),
}
BOOL_MESSAGES = {"invalid": _("Angiv true eller false."), "null": _("Angiv true eller false.")}


def text(max_length=TEXT_MAX, **kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("default", "")
    return serializers.CharField(allow_blank=True, max_length=max_length, trim_whitespace=True,
                                 error_messages=TEXT_MESSAGES, **kwargs)


def required_text(max_length=TEXT_MAX, **kwargs):
    message = _("Feltet skal udfyldes.")
    return serializers.CharField(max_length=max_length, error_messages={
        **TEXT_MESSAGES, "required": message, "blank": message, "null": message}, **kwargs)


def flag(**kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("default", False)
    return serializers.BooleanField(error_messages=BOOL_MESSAGES, **kwargs)


def mandatory_answer(message):
    """A yes/no question the assessment must answer (retningslinje 3.5.10-11)."""
    return serializers.BooleanField(error_messages={**BOOL_MESSAGES, "required": message,
                                                    "null": message})


def provider_field(**kwargs):
    return serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(), help_text=_("Behandlingstilbuddets id."),
        error_messages={"does_not_exist": _("Ukendt behandlingstilbud."),
                        "incorrect_type": _("Ukendt behandlingstilbud."),
                        "required": _("Angiv behandlingstilbuddet."),
                        "null": _("Angiv behandlingstilbuddet.")},
        **kwargs)


class VersionedSerializer(serializers.Serializer):
    """Every write on a course carries the course version the client read."""

    version = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION,
        help_text=_("Påkrævet: forløbets version, som du læste. Er forløbet ændret siden, "
                    "svarer API'et 409."),
        error_messages={"required": _("Angiv den version, du har læst (feltet version)."),
                        "null": _("Angiv den version, du har læst (feltet version)."),
                        "invalid": _("Versionen skal være et helt tal.")},
    )


class ContactFieldsSerializer(serializers.Serializer):
    """A contact (henvendelse): when, through which channel, about what."""

    received_on = date_field(help_text=_("Dagen henvendelsen kom."))
    channel = choice(Channel.choices)
    substances = choice(Substance.choices)
    asks = choice(Asks.choices, help_text=_("`treatment` registrerer også en anmodning om "
                                            "behandling med samme dato og kanal."))
    notes = text()


class TracksField(serializers.ListField):
    def __init__(self, **kwargs):
        kwargs.setdefault("child", choice(TrackChoice.choices))
        kwargs.setdefault("max_length", len(TrackChoice.choices))
        kwargs["error_messages"] = {**LIST_MESSAGES, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)


class CourseOpenSerializer(ContactFieldsSerializer):
    """The first contact opens a course (henvendelse)."""

    citizen = serializers.UUIDField(
        help_text=_("Borgerens id (UUID) fra /citizens/."),
        error_messages={"invalid": _("Ukendt borger."), "required": _("Angiv borgeren.")})
    acting_municipality = MunicipalityCodeField(
        required=False, allow_null=True, default=None,
        help_text=_("Opholdskommunens kode; som standard borgerens handlekommune."))
    duty_dispute = flag(help_text=_("Uenighed mellem kommuner om handlepligten. Standser "
                                    "aldrig fristerne (retningslinje 3.4.4)."))
    tracks = TracksField(required=False, default=list)

    def validate_acting_municipality(self, value):
        if value is not None and value.pk not in scope_for(
                self.context["request"].user).caseworker_municipalities:
            raise serializers.ValidationError(
                _("Opholdskommunen skal være en kommune, hvor du er sagsbehandler."))
        return value


class ContactWriteSerializer(ContactFieldsSerializer, VersionedSerializer):
    """A further contact on the course."""


class CounsellingWriteSerializer(VersionedSerializer):
    """A counselling session: free, possibly anonymous; never treatment (SEL §§ 10, 12)."""

    held_on = date_field()
    outreach = flag()
    other_needs = text()
    referred_to = text(max_length=300)


class RequestWriteSerializer(VersionedSerializer):
    """A request for treatment and the rights the citizen was told of."""

    requested_on = date_field(help_text=_("Dagen borgeren anmodede, ikke registreringsdagen."))
    channel = choice(Channel.choices)
    representative = text(max_length=200)
    told_representation = flag(help_text=_("Oplyst om ret til partsrepræsentant (FVL § 8)."))
    told_doctor = flag(help_text=_("Oplyst om vederlagsfri lægesamtale (SUL § 142)."))
    told_free_choice = flag(help_text=_("Oplyst om frit valg."))


class TracksWriteSerializer(VersionedSerializer):
    """The legal tracks of the course (replaces the current set)."""

    tracks = TracksField(min_length=1, error_messages={
        "min_length": _("Vælg mindst ét spor."), "not_a_list": _("Angiv sporene som en liste."),
        "required": _("Vælg mindst ét spor."), "empty": _("Vælg mindst ét spor.")},
        allow_empty=False)


class DoctorWriteSerializer(VersionedSerializer):
    """The free doctor consultation (SUL § 142): offered, answered, held."""

    offered_on = date_field()
    accepted = serializers.BooleanField(allow_null=True, required=False, default=None,
                                        error_messages=BOOL_MESSAGES,
                                        help_text=_("null: borgeren har ikke svaret endnu."))
    held_on = optional_date()
    findings = text(help_text=_("Fund, der indgår i afdækningen."))


class DomainWriteSerializer(serializers.Serializer):
    findings = text()
    resources = text()
    needs = text()


class DomainsWriteSerializer(serializers.Serializer):
    """The six mandatory domains (bek. nr. 1477 af 17.12.2019, § 1, stk. 2)."""

    def get_fields(self):
        return {key: DomainWriteSerializer(required=False, help_text=str(label))
                for key, label in DOMAINS}


class ScreeningItemSerializer(serializers.Serializer):
    """One screening: the instrument, the points per item, and the day."""

    instrument = choice(ScreeningInstrument.choices)
    answers = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=4, error_messages={
            "invalid": _("Hvert svar skal være et helt tal fra 0 til 4."),
            "min_value": _("Hvert svar skal være et helt tal fra 0 til 4."),
            "max_value": _("Hvert svar skal være et helt tal fra 0 til 4."),
            "max_string_length": _("Hvert svar skal være et helt tal fra 0 til 4.")}),
        max_length=20,
        help_text=_("Point pr. spørgsmål i rækkefølge: AUDIT 10, DUDIT 11."),
        error_messages={**LIST_MESSAGES, "not_a_list": _("Angiv svarene som en liste af tal.")})
    administered_on = date_field()


class AssessmentWriteSerializer(VersionedSerializer):
    """The holistic assessment (afdækning, retningslinje 3.5) with optional screenings."""

    done_on = date_field()
    instrument = choice(Instrument.choices)
    instrument_on = date_field()
    domains = DomainsWriteSerializer()
    other_help = text()
    screening_needed = flag(help_text=_("Specialiseret screening eller udredning."))
    feedback_on = optional_date()
    children_at_home = mandatory_answer(_("Svar på, om der bor børn under 18 år i hjemmet."))
    children_count = serializers.IntegerField(min_value=0, max_value=30, required=False,
                                              allow_null=True, default=None)
    children_ages = text(max_length=100)
    pregnancy = mandatory_answer(_("Svar på, om der er en kendt graviditet."))
    expectant_father = flag()
    due_date = optional_date()
    notified_on = optional_date(help_text=_("Underretning efter SEL § 153."))
    notified_to = text(max_length=200)
    family_clinic_on = optional_date()
    screenings = serializers.ListField(child=ScreeningItemSerializer(), required=False,
                                       default=list, max_length=10,
                                       error_messages=LIST_MESSAGES)


class ScreeningWriteSerializer(ScreeningItemSerializer, VersionedSerializer):
    """An AUDIT or DUDIT, item by item."""

    assessment = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          min_value=1, max_value=MAX_VERSION,
                                          help_text=_("Afdækningen, den hører til (valgfri)."))


class DecisionWriteSerializer(VersionedSerializer):
    """A decision resting on an assessment, with the visitation proposal (3.6)."""

    assessment = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=MAX_VERSION,
        help_text=_("Afdækningen, afgørelsen bygger på (påkrævet af reglerne)."))
    track = choice(TrackChoice.choices)
    outcome = choice(Outcome.choices)
    decided_on = date_field()
    proposal_focus = required_text(help_text=_("Visitationsoplæg: fokusområder."))
    proposal_goals = required_text(help_text=_("Visitationsoplæg: personlige udviklingsmål."))
    provider = provider_field(required=False, allow_null=True, default=None)
    intensity = choice(Intensity.choices, required=False, allow_blank=True, default="")
    sessions_per_month = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=62,
        help_text=_("Planlagte kontakter pr. måned; skal passe til intensiteten."))
    services = text(help_text=_("Ydelser, omfang og formål."))
    execution = text(help_text=_("Sådan gennemføres behandlingen."))
    reasons = text(help_text=_("Påkrævet, medmindre der gives fuldt ud medhold (FVL § 22)."))
    other_help = text(help_text=_("Anden hjælp, der kan kompensere (ved afslag)."))
    visitation_meeting_on = optional_date()
    told_free_choice = flag()


class FreeChoiceWriteSerializer(VersionedSerializer):
    """The citizen's free choice of a similar offer, or its limitation (SEL § 101, stk. 5-7)."""

    chosen_on = date_field()
    provider = provider_field(required=False, allow_null=True, default=None)
    limited = flag(help_text=_("Frit valg begrænset i borgerens interesse (stk. 7)."))
    limit_reason = text()


class StartWriteSerializer(VersionedSerializer):
    """Treatment start (iværksættelse) and provider enrolment (tilbudstilknytning)."""

    started_on = date_field()
    enrolled_on = date_field()
    provider = provider_field()
    pre_treatment = flag(help_text=_("Forbehandling, der opfylder kravene til behandling "
                                     "(Ankestyrelsen 23-18)."))


class BreachWriteSerializer(VersionedSerializer):
    """A missed deadline with its reason code."""

    clock = choice(CLOCK_NAMES)
    reason = choice(BreachReason.choices)
    note = text()


class CourseFilterSerializer(serializers.Serializer):
    citizen = serializers.UUIDField(required=False, error_messages={
        "invalid": _("Ukendt borger.")})


class WorklistFilterSerializer(serializers.Serializer):
    all = serializers.BooleanField(required=False, default=False, error_messages=BOOL_MESSAGES)


class CustodyHolderWriteSerializer(VersionedSerializer):
    """A custody holder of a citizen under 18 (forældremyndighedsindehaver, issue 3 item 4)."""

    name = required_text(max_length=200)
    relation = text(max_length=100, help_text=_("Fx mor, far eller værge."))
    phone = text(max_length=30)


class YouthRoutingWriteSerializer(VersionedSerializer):
    """The day the course was routed to the children and youth service (SEL § 101, stk. 12)."""

    routed_on = date_field(help_text=_("Dagen forløbet blev henvist til børne- og "
                                       "ungeområdet; ikke i fremtiden. Et nyt kald retter "
                                       "datoen."))


class ScreeningStartWriteSerializer(VersionedSerializer):
    """The flagged specialised screening or udredning has begun (retningslinje 3.8)."""

    started_on = date_field(help_text=_("Dagen screeningen eller udredningen begyndte; ikke i "
                                        "fremtiden og ikke før afdækningen."))
