"""Output serializers of the pathway API (issue 3): a course, its facts and its clocks.

Nothing here computes a rule: clocks, legal basis and the duty to notify come from
`rules`/`services`. Write (input) serializers are in `serializers_input.py`.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forlob.citizens.serializers import MunicipalityCodeField

from . import rules, services
from .choices import CLOCK_LABELS, TrackChoice
from .models import (
    Assessment,
    Breach,
    Contact,
    CounsellingSession,
    Course,
    CustodyHolder,
    Decision,
    DoctorConsultation,
    FreeChoice,
    ScreeningResult,
    TreatmentRequest,
    TreatmentStart,
)

EVENT_FIELDS = ["id", "recorded_at"]


class ClockSerializer(serializers.Serializer):
    """One clock of a course as computed by `rules.clocks` (never computed here)."""

    name = serializers.ChoiceField(
        choices=list(CLOCK_LABELS),
        help_text="assessment (afdækning), decision (afgørelse), doctor (lægesamtale), "
        "guarantee (behandlingsgaranti: iværksættelse), screening (specialiseret screening "
        "eller udredning påbegyndt).")
    started = serializers.DateField(help_text="Første anmodning om behandling.")
    due = serializers.DateField(allow_null=True, help_text="Frist; null når garantien er "
                                "frafaldet (frit valg): ventedage tælles i stedet.")
    status = serializers.ChoiceField(choices=[s.value for s in rules.ClockStatus])
    done_on = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True,
                                         help_text="Dage til fristen; negativ når overskredet.")
    waiting_days = serializers.IntegerField(allow_null=True,
                                            help_text="Ventedage, når garantien er frafaldet.")


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = [*EVENT_FIELDS, "received_on", "channel", "substances", "asks", "notes"]


class CounsellingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CounsellingSession
        fields = [*EVENT_FIELDS, "held_on", "outreach", "other_needs", "referred_to"]


class RequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = TreatmentRequest
        fields = [*EVENT_FIELDS, "requested_on", "channel", "representative",
                  "told_representation", "told_doctor", "told_free_choice"]


class DoctorSerializer(serializers.ModelSerializer):
    class Meta:
        model = DoctorConsultation
        fields = [*EVENT_FIELDS, "offered_on", "accepted", "held_on", "findings"]


class ScreeningSerializer(serializers.ModelSerializer):
    answers = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = ScreeningResult
        fields = [*EVENT_FIELDS, "instrument", "administered_on", "answers", "total",
                  "assessment"]


class DomainSerializer(serializers.Serializer):
    findings = serializers.CharField(allow_blank=True)
    resources = serializers.CharField(allow_blank=True)
    needs = serializers.CharField(allow_blank=True)


class AssessmentSerializer(serializers.ModelSerializer):
    domains = serializers.SerializerMethodField()
    notification_duty = serializers.SerializerMethodField(
        help_text="Børn i hjemmet eller kendt graviditet: skærpet underretningspligt "
        "(SEL § 153).")
    screenings = ScreeningSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [*EVENT_FIELDS, "done_on", "instrument", "instrument_on", "domains",
                  "other_help", "screening_needed", "feedback_on", "children_at_home",
                  "children_count", "children_ages", "pregnancy", "expectant_father",
                  "due_date", "notification_duty", "notified_on", "notified_to",
                  "family_clinic_on", "screenings"]

    @extend_schema_field(serializers.DictField(child=DomainSerializer()))
    def get_domains(self, obj) -> dict:
        return obj.domains if isinstance(obj.domains, dict) else {}

    def get_notification_duty(self, obj) -> bool:
        return rules.notification_duty(obj.children_at_home, obj.pregnancy)


class DecisionSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True,
                                          allow_null=True, default=None)
    legal_basis = serializers.SerializerMethodField()
    has_letter = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [*EVENT_FIELDS, "assessment", "track", "legal_basis", "outcome", "decided_on",
                  "proposal_focus", "proposal_goals", "provider", "provider_name", "intensity",
                  "sessions_per_month",
                  "services", "execution", "reasons", "other_help", "visitation_meeting_on",
                  "told_free_choice", "letter_sent_on", "has_letter"]

    def get_legal_basis(self, obj) -> str:
        return rules.legal_basis(obj.track)

    def get_has_letter(self, obj) -> bool:
        return obj.letter_pdf is not None


class FreeChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FreeChoice
        fields = [*EVENT_FIELDS, "chosen_on", "provider", "limited", "limit_reason"]


class StartSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = TreatmentStart
        fields = [*EVENT_FIELDS, "started_on", "enrolled_on", "provider", "provider_name",
                  "pre_treatment"]


class BreachSerializer(serializers.ModelSerializer):
    class Meta:
        model = Breach
        fields = [*EVENT_FIELDS, "clock", "reason", "note"]


class CustodyHolderSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustodyHolder
        fields = ["id", "name", "relation", "phone"]


class CourseSummarySerializer(serializers.ModelSerializer):
    """A course as a list row. `version` is what every write must send back."""

    citizen = serializers.UUIDField(source="citizen.public_id", read_only=True,
                                    help_text="Borgerens offentlige id (UUID).")
    citizen_display_name = serializers.CharField(source="citizen.display_name", read_only=True)
    acting_municipality = MunicipalityCodeField(read_only=True)
    caseworker = serializers.CharField(source="caseworker.username", read_only=True,
                                       allow_null=True, default=None)
    tracks = serializers.SerializerMethodField()
    first_request_on = serializers.SerializerMethodField(
        help_text="Første anmodning om behandling: garantiens startdato (SEL § 101, stk. 4).")

    class Meta:
        model = Course
        fields = ["id", "citizen", "citizen_display_name", "acting_municipality",
                  "duty_dispute", "caseworker", "tracks", "first_request_on", "version",
                  "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(
        choices=TrackChoice.choices)))
    def get_tracks(self, obj) -> list:
        return sorted(t.track for t in obj.tracks.all())

    @extend_schema_field(OpenApiTypes.DATE)
    def get_first_request_on(self, obj):
        return services.first_request(obj)


class CourseDetailSerializer(CourseSummarySerializer):
    """A course with every recorded fact and the clocks the rules compute from them."""

    is_youth = serializers.SerializerMethodField(help_text="Under 18 år (SEL § 101, stk. 12).")
    can_act = serializers.SerializerMethodField(
        help_text="Om du kan registrere trin på forløbet (sagsbehandler i opholdskommunen).")
    clocks = serializers.SerializerMethodField()
    contacts = ContactSerializer(many=True, read_only=True)
    counselling = CounsellingSerializer(many=True, read_only=True)
    requests = RequestSerializer(many=True, read_only=True)
    doctor = DoctorSerializer(read_only=True, allow_null=True)
    assessments = AssessmentSerializer(many=True, read_only=True)
    screenings = ScreeningSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    free_choices = FreeChoiceSerializer(many=True, read_only=True)
    start = StartSerializer(read_only=True, allow_null=True)
    breaches = BreachSerializer(many=True, read_only=True)
    custody_holders = CustodyHolderSerializer(many=True, read_only=True)

    class Meta(CourseSummarySerializer.Meta):
        fields = [*CourseSummarySerializer.Meta.fields, "is_youth", "can_act",
                  "youth_routed_on", "clocks", "contacts", "counselling", "requests", "doctor",
                  "assessments", "screenings", "decisions", "free_choices", "start",
                  "breaches", "custody_holders"]
        read_only_fields = fields

    def _facts(self, obj):
        if getattr(obj, "_api_facts", None) is None:
            obj._api_facts = services.course_facts(obj)
        return obj._api_facts

    def get_is_youth(self, obj) -> bool:
        return self._facts(obj).is_youth

    def get_can_act(self, obj) -> bool:
        request = self.context.get("request")
        return bool(request) and services.can_act(request.user, obj)

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, obj):
        from forlob import clock

        return ClockSerializer(rules.clocks(self._facts(obj), clock.today()), many=True).data


class WorklistItemSerializer(serializers.Serializer):
    """One open clock on the caseworker's worklist."""

    course = serializers.IntegerField(source="course.pk")
    citizen = serializers.UUIDField(source="course.citizen.public_id")
    citizen_display_name = serializers.CharField(source="course.citizen.display_name")
    clock = ClockSerializer()
