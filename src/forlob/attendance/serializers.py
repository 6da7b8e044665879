"""Serializers of the attendance API (issue 4 item 5): input (types, formats, code lists and
bounds only) and output (the recorded facts and the open items computed by `clocks`). The rules
are checked by `attendance.services`, never here."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from forlob.pathway.rules import ClockStatus
from forlob.pathway.serializers_input import (
    VersionedSerializer,
    choice,
    date_field,
    mandatory_answer,
    optional_date,
    required_text,
    text,
)

from .clocks import LABELS
from .models import (
    Appointment,
    AppointmentKind,
    Attendance,
    Channel,
    ContactAttempt,
    GiftVoucher,
    NewDecisionRequest,
    OutreachTask,
    RelapseEvent,
    RelapseKind,
)

MAX_AMOUNT = 1_000_000
EVENT_FIELDS = ["id", "recorded_at"]


# --- Input ---------------------------------------------------------------------------------

class AppointmentWriteSerializer(VersionedSerializer):
    held_on = date_field(help_text=_("Aftalens dato. Kun en aflysning må ligge i fremtiden."))
    appointment_type = choice(AppointmentKind.choices, source="kind")
    attendance = choice(Attendance.choices, help_text=_(
        "no_show opretter en opsøgende opgave (retningslinje 3.10.4)."))
    notes = text()


class AttemptWriteSerializer(VersionedSerializer):
    attempted_on = date_field()
    contact_channel = choice(Channel.choices, source="channel")
    reached = mandatory_answer(_("Svar ja eller nej."))
    note = text()


class CloseOutreachWriteSerializer(VersionedSerializer):
    closed_on = date_field()
    close_reason = required_text()


class RelapseWriteSerializer(VersionedSerializer):
    occurred_on = date_field()
    relapse_type = choice(RelapseKind.choices, source="kind",
                          help_text=_("slip (skred) eller relapse (tilbagefald)."))
    notes = text()
    resumed_on = optional_date(help_text=_("Dagen behandlingen blev genoptaget."))


class NewDecisionWriteSerializer(VersionedSerializer):
    requested_on = date_field()
    reason = required_text()


class CloseNewDecisionWriteSerializer(VersionedSerializer):
    closed_on = date_field()
    close_note = required_text()


class VoucherWriteSerializer(VersionedSerializer):
    given_on = date_field()
    amount = serializers.IntegerField(
        min_value=1, max_value=MAX_AMOUNT, help_text=_("Beløb i hele kroner."),
        error_messages={"invalid": _("Skriv et helt antal kroner."),
                        "required": _("Angiv beløbet."), "null": _("Angiv beløbet."),
                        "min_value": _("Beløbet skal være positivt."),
                        "max_value": _("Beløbet er for stort.")})
    reason = required_text()


# --- Output --------------------------------------------------------------------------------

class AppointmentSerializer(serializers.ModelSerializer):
    appointment_type = serializers.ChoiceField(AppointmentKind.choices, source="kind")

    class Meta:
        model = Appointment
        fields = [*EVENT_FIELDS, "held_on", "appointment_type", "attendance", "notes"]


class AttemptSerializer(serializers.ModelSerializer):
    contact_channel = serializers.ChoiceField(Channel.choices, source="channel")

    class Meta:
        model = ContactAttempt
        fields = [*EVENT_FIELDS, "attempted_on", "contact_channel", "reached", "note"]


class OutreachTaskSerializer(serializers.ModelSerializer):
    attempts = AttemptSerializer(many=True, read_only=True)
    is_open = serializers.BooleanField(help_text="Beregnet af reglerne.")

    class Meta:
        model = OutreachTask
        fields = [*EVENT_FIELDS, "appointment", "opened_on", "due", "closed_on", "close_reason",
                  "is_open", "attempts"]


class RelapseSerializer(serializers.ModelSerializer):
    relapse_type = serializers.ChoiceField(RelapseKind.choices, source="kind")

    class Meta:
        model = RelapseEvent
        fields = [*EVENT_FIELDS, "occurred_on", "relapse_type", "notes", "resumed_on"]


class NewDecisionRequestSerializer(serializers.ModelSerializer):
    is_open = serializers.BooleanField(help_text="Åben, indtil der er truffet en ny afgørelse "
                                       "eller sagsbehandleren har lukket den.")

    class Meta:
        model = NewDecisionRequest
        fields = [*EVENT_FIELDS, "requested_on", "reason", "closed_on", "close_note", "is_open"]


class VoucherSerializer(serializers.ModelSerializer):
    class Meta:
        model = GiftVoucher
        fields = [*EVENT_FIELDS, "given_on", "amount", "reason"]


class VoucherConfigSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    amount = serializers.IntegerField(allow_null=True)
    max_per_course = serializers.IntegerField(allow_null=True)


class AttendanceDueItemSerializer(serializers.Serializer):
    """An open item computed by `attendance.clocks.open_items` (never computed here)."""

    item = serializers.ChoiceField(choices=list(LABELS), source="clock.name",
                                   help_text="outreach eller new_decision.")
    label = serializers.CharField()
    started = serializers.DateField(source="clock.started", allow_null=True)
    due = serializers.DateField(source="clock.due")
    status = serializers.ChoiceField(choices=[s.value for s in ClockStatus],
                                     source="clock.status")
    days_left = serializers.IntegerField(source="clock.days_left",
                                         help_text="Dage til fristen; negativ når overskredet.")


class AttendanceSerializer(serializers.Serializer):
    """Attendance and retention on a course."""

    course = serializers.IntegerField()
    version = serializers.IntegerField()
    can_write = serializers.BooleanField()
    appointments = AppointmentSerializer(many=True)
    outreach_tasks = OutreachTaskSerializer(many=True)
    relapse_events = RelapseSerializer(many=True)
    new_decision_requests = NewDecisionRequestSerializer(many=True)
    gift_vouchers = VoucherSerializer(many=True)
    voucher_settings = VoucherConfigSerializer(
        help_text="Opholdskommunens beslutning om gavekort.")
    due = AttendanceDueItemSerializer(many=True)
