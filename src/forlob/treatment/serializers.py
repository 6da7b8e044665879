"""Serializers of the treatment API (issue 4): input (types, formats, code lists and bounds
only) and output (the recorded facts and the open items computed by `clocks`).

The rules (dates against start and discharge, goals, declined follow-ups) are checked by
`treatment.services`, never here; these serializers make sure any body reaches the services
as well-typed, bounded values or is refused with a Danish 400.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from forlob.organisations.models import Intensity
from forlob.pathway.choices import DOMAINS, Channel
from forlob.pathway.rules import ClockStatus
from forlob.pathway.serializers_input import (
    LIST_MESSAGES,
    MAX_VERSION,
    ScreeningItemSerializer,
    VersionedSerializer,
    choice,
    date_field,
    flag,
    mandatory_answer,
    required_text,
    text,
)

from .choices import GoalStatus, GoalType, Housing, Maintained, Reason, Support, UseStatus
from .clocks import LABELS
from .measures import SOURCES
from .models import (
    CoordinatingMeeting,
    Discharge,
    FollowUp,
    Method,
    PlanGoal,
    Review,
    ReviewGoalStatus,
    SupervisionVisit,
    TreatmentPlan,
)

GOAL_TEXT_MAX = 2_000
MAX_GOALS = 30
EVENT_FIELDS = ["id", "recorded_at"]


# --- Input ---------------------------------------------------------------------------------

class GoalWriteSerializer(serializers.Serializer):
    """A goal in the citizen's own words, traced to an assessed need (retningslinje 3.7.2)."""

    text = required_text(max_length=GOAL_TEXT_MAX)
    goal_type = choice(GoalType.choices)
    need_domain = choice(DOMAINS, help_text=_("Det afdækkede behov (domæne), målet følger af."))


class PlanWriteSerializer(VersionedSerializer):
    """A treatment plan, or a new version of it (SEL § 101, stk. 8; retningslinje 3.7)."""

    agreed_on = date_field(help_text=_("Dagen planen blev aftalt med borgeren."))
    content = required_text()
    catalogue_methods = serializers.PrimaryKeyRelatedField(
        many=True, required=False, default=list, queryset=Method.objects.filter(active=True),
        help_text=_("Id'er fra metodekataloget (GET /api/v1/methods/), kun metoder i brug."))
    methods = text()
    expected_duration = text(max_length=200)
    intensity = choice(Intensity.choices, required=False, allow_blank=True, default="")
    other_actors = text()
    relapse_prevention = text()
    citizen_dissent = text()
    action_plan_141 = flag()
    coordinating_plan = flag()
    job_plan = flag()
    medical_plan = flag()
    other_plans = text()
    goals = serializers.ListField(child=GoalWriteSerializer(), max_length=MAX_GOALS,
                                  error_messages=LIST_MESSAGES,
                                  help_text=_("Mindst ét mål."))


class GoalStatusWriteSerializer(serializers.Serializer):
    goal = serializers.IntegerField(min_value=1, max_value=MAX_VERSION,
                                    help_text=_("Målets id i den gældende plan."),
                                    error_messages={"invalid": _("Angiv målets id.")})
    status = choice(GoalStatus.choices)


class ReviewWriteSerializer(VersionedSerializer):
    """A review of the current plan (retningslinje 3.9)."""

    held_on = date_field()
    days_of_use_30 = serializers.IntegerField(
        min_value=0, max_value=30, required=False, allow_null=True, default=None,
        help_text=_("Dage med brug de seneste 30 dage."),
        error_messages={"invalid": _("Antal dage skal være et helt tal fra 0 til 30."),
                        "min_value": _("Antal dage skal være mellem 0 og 30."),
                        "max_value": _("Antal dage skal være mellem 0 og 30.")})
    notes = text()
    statuses = serializers.ListField(child=GoalStatusWriteSerializer(), max_length=MAX_GOALS,
                                     error_messages=LIST_MESSAGES,
                                     help_text=_("En status for hvert af planens mål."))
    screenings = serializers.ListField(child=ScreeningItemSerializer(), required=False,
                                       default=list, max_length=4,
                                       error_messages=LIST_MESSAGES,
                                       help_text=_("Gentagne AUDIT/DUDIT-screeninger."))

    def validate_statuses(self, value):
        goals = [item["goal"] for item in value]
        if len(goals) != len(set(goals)):
            raise serializers.ValidationError(_("Angiv hvert mål én gang."))
        return value


class DischargeWriteSerializer(VersionedSerializer):
    """Discharge with the seven SMDB fields and a written status (retningslinje 3.11)."""

    discharged_on = date_field()
    reason = choice(Reason.choices)
    use_status = choice(UseStatus.choices)
    self_help_contact = flag()
    partner_drug_free = flag()
    housing = choice(Housing.choices)
    means_of_support = choice(Support.choices)
    status_text = required_text()
    citizen_view = text()


class DeclineWriteSerializer(VersionedSerializer):
    declined_on = date_field(help_text=_("Dagen borgeren takkede nej."))


class OutcomeWriteSerializer(VersionedSerializer):
    """The outcome of a follow-up after discharge (bek. 1477 § 4)."""

    held_on = date_field()
    reached = mandatory_answer(_("Svar ja eller nej."))
    goal_maintained = choice(Maintained.choices, required=False, allow_blank=True, default="")
    use_status = choice(UseStatus.choices, required=False, allow_blank=True, default="")
    other_needs = text()


class NewRequestWriteSerializer(VersionedSerializer):
    requested_on = date_field()
    channel = choice(Channel.choices)


class SupervisionWriteSerializer(VersionedSerializer):
    """Personal supervision of a residential placement (SEL § 148; issue 4 item 9)."""

    visited_on = date_field()
    progression = required_text(help_text=_("Borgerens progression."))
    placement_fits = mandatory_answer(_("Svar ja eller nej."))
    note = text()


class DischargeTaskWriteSerializer(VersionedSerializer):
    """A task the discharge prompted, done (retningslinje 2.3.8 and 3.11.6)."""

    task = serializers.ChoiceField(choices=["follow_on_offer", "outreach_contact"], help_text=_(
        "follow_on_offer: efterfølgende tilbud efter døgnbehandling; outreach_contact: kontakt "
        "til opsøgende tjenester efter uplanlagt udskrivning."))
    done_on = date_field()


class CoordinatingMeetingWriteSerializer(VersionedSerializer):
    """A meeting on the coordinating action plan (retningslinje 2.6.13)."""

    held_on = date_field()
    note = text()


# --- Output --------------------------------------------------------------------------------

class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanGoal
        fields = ["id", "text", "goal_type", "need_domain"]


class MethodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Method
        fields = ["id", "name", "description", "knowledge_level", "target_groups", "link",
                  "active"]


class PlanSerializer(serializers.ModelSerializer):
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = TreatmentPlan
        fields = [*EVENT_FIELDS, "number", "agreed_on", "content", "catalogue_methods", "methods",
                  "expected_duration", "intensity", "other_actors", "relapse_prevention",
                  "citizen_dissent", "action_plan_141", "coordinating_plan", "job_plan",
                  "medical_plan", "other_plans", "goals"]


class GoalStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewGoalStatus
        fields = ["goal", "status"]


class ReviewSerializer(serializers.ModelSerializer):
    goal_statuses = GoalStatusSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [*EVENT_FIELDS, "plan", "held_on", "days_of_use_30", "notes", "goal_statuses"]


class DischargeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Discharge
        fields = [*EVENT_FIELDS, "discharged_on", "reason", "use_status", "self_help_contact",
                  "partner_drug_free", "housing", "means_of_support", "status_text",
                  "citizen_view"]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = [*EVENT_FIELDS, "number", "due", "declined_on", "held_on", "reached",
                  "goal_maintained", "use_status", "other_needs", "new_course"]


class SupervisionVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisionVisit
        fields = [*EVENT_FIELDS, "visited_on", "progression", "placement_fits", "note"]


class CoordinatingMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoordinatingMeeting
        fields = [*EVENT_FIELDS, "held_on", "note"]


class MeasurePointSerializer(serializers.Serializer):
    """One measurement (treatment.measures.measure_points)."""

    on = serializers.DateField()
    value = serializers.IntegerField()
    source = serializers.ChoiceField(choices=list(SOURCES))


class MeasuresSerializer(serializers.Serializer):
    audit = MeasurePointSerializer(many=True)
    dudit = MeasurePointSerializer(many=True)
    days = MeasurePointSerializer(many=True, help_text="Dage med brug de seneste 30 dage.")


class DueItemSerializer(serializers.Serializer):
    """An open item computed by `treatment.worklist.due_items` (never computed here)."""

    name = serializers.ChoiceField(choices=list(LABELS), source="clock.name")
    label = serializers.CharField()
    started = serializers.DateField(source="clock.started", allow_null=True)
    due = serializers.DateField(source="clock.due")
    status = serializers.ChoiceField(choices=[s.value for s in ClockStatus],
                                     source="clock.status")
    days_left = serializers.IntegerField(source="clock.days_left",
                                         help_text="Dage til fristen; negativ når overskredet.")


class TreatmentSerializer(serializers.Serializer):
    """The treatment part of a course: plans with goals, reviews, discharge, follow-ups and
    what is due."""

    course = serializers.IntegerField()
    version = serializers.IntegerField()
    can_write = serializers.BooleanField(
        help_text="Om du kan registrere trin i behandlingen (sagsbehandler i "
        "opholdskommunen eller behandler i tilbuddet).")
    plans = PlanSerializer(many=True)
    reviews = ReviewSerializer(many=True)
    discharge = DischargeSerializer(allow_null=True)
    follow_ups = FollowUpSerializer(many=True)
    supervision_visits = SupervisionVisitSerializer(many=True)
    coordinating_meetings = CoordinatingMeetingSerializer(many=True)
    measures = MeasuresSerializer(help_text="AUDIT, DUDIT og dage med brug over tid.")
    due = DueItemSerializer(many=True)


class WorklistRowSerializer(serializers.Serializer):
    """A row of a worklist: the course and one due item."""

    course = serializers.IntegerField(source="course.pk")
    item = DueItemSerializer(source="row")

