"""Attendance and retention (issue 4 item 5; retningslinje 3.10): appointments with attendance,
outreach after a no-show with its contact attempts, slip and relapse events, requests for a new
decision, and gift vouchers with the municipality's voucher settings.

Facts only. What is due and whether a task is open come from rules.py (through clocks.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.pathway.models import Course
from forlob.treatment.models import Fact  # who recorded a fact, and when


class RelapseKind(models.TextChoices):
    SLIP = "slip", _("Skred")
    RELAPSE = "relapse", _("Tilbagefald")


class RelapseEvent(models.Model):
    """A slip or relapse during treatment (retningslinje 3.10.3). It makes a plan review due
    (treatment.clocks reads it)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="relapse_events")
    occurred_on = models.DateField(_("dato"))
    kind = models.CharField(_("type"), max_length=10, choices=RelapseKind.choices)
    notes = models.TextField(_("bemærkninger"), blank=True)
    resumed_on = models.DateField(_("behandlingen genoptaget"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "occurred_on", "pk"]
        verbose_name = _("skred eller tilbagefald")
        verbose_name_plural = _("skred og tilbagefald")

    def __str__(self):  # no personal data
        return f"tilbagefald {self.pk}"


class AppointmentKind(models.TextChoices):
    SESSION = "samtale", _("Samtale")
    GROUP = "gruppe", _("Gruppe")
    MEDICATION = "medicin", _("Medicinudlevering")
    OTHER = "andet", _("Andet")


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("Mødt")
    NO_SHOW = "no_show", _("Udeblevet")
    CANCELLED = "cancelled", _("Aflyst")


class Appointment(Fact):
    """An appointment in treatment and whether the citizen came (retningslinje 3.10.4)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="appointments")
    held_on = models.DateField(_("dato"))
    kind = models.CharField(_("type"), max_length=10, choices=AppointmentKind.choices)
    attendance = models.CharField(_("fremmøde"), max_length=10, choices=Attendance.choices)
    notes = models.TextField(_("bemærkninger"), blank=True)

    class Meta:
        ordering = ["course", "held_on", "pk"]
        verbose_name = _("aftale")
        verbose_name_plural = _("aftaler")


class OutreachTask(Fact):
    """Outreach after a no-show (opsøgende opgave, retningslinje 3.10.4). `due` is fixed when
    the task opens (rules.outreach_due); it closes at the first attempt that reaches the
    citizen, or with a reason."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="outreach_tasks")
    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE,
                                       related_name="outreach_task")
    opened_on = models.DateField(_("oprettet"))
    due = models.DateField(_("kontakt senest"))
    closed_on = models.DateField(_("lukket"), null=True, blank=True)
    close_reason = models.TextField(_("årsag til lukning"), blank=True)

    class Meta:
        ordering = ["course", "due", "pk"]
        verbose_name = _("opsøgende opgave")
        verbose_name_plural = _("opsøgende opgaver")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    PHONE = "telefon", _("Telefon")
    HOME_VISIT = "hjemmebesoeg", _("Hjemmebesøg")
    PICK_UP = "afhentning", _("Afhentning")
    LETTER = "brev", _("Brev eller digital post")
    SKP = "skp", _("Via støtte- og kontaktperson (§ 99)")
    NETWORK = "netvaerk", _("Via netværket")
    OTHER = "andet", _("Andet")


class ContactAttempt(Fact):
    """One attempt to reach the citizen on an outreach task (retningslinje 3.10.4)."""

    task = models.ForeignKey(OutreachTask, on_delete=models.CASCADE, related_name="attempts")
    attempted_on = models.DateField(_("dato"))
    channel = models.CharField(_("kanal"), max_length=15, choices=Channel.choices)
    reached = models.BooleanField(_("kontakt opnået"))
    note = models.TextField(_("bemærkning"), blank=True)

    class Meta:
        ordering = ["task", "attempted_on", "pk"]
        verbose_name = _("kontaktforsøg")
        verbose_name_plural = _("kontaktforsøg")


class NewDecisionRequest(Fact):
    """A clinician's request for a new decision (anmodning om ny afgørelse, retningslinje
    3.10.8): the case goes back to the caseworker. It is open until the municipality records a
    decision dated on or after the request, or the caseworker closes it with a note."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE,
                               related_name="new_decision_requests")
    requested_on = models.DateField(_("anmodet"))
    reason = models.TextField(_("begrundelse"))
    closed_on = models.DateField(_("lukket"), null=True, blank=True)
    close_note = models.TextField(_("bemærkning ved lukning"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["course", "requested_on", "pk"]
        verbose_name = _("anmodning om ny afgørelse")
        verbose_name_plural = _("anmodninger om ny afgørelse")


class GiftVoucher(Fact):
    """A gift voucher given to keep the citizen in treatment (gavekort, SEL § 101, stk. 9-11;
    retningslinje 3.10.2). Not deducted from benefits (stk. 11)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="gift_vouchers")
    given_on = models.DateField(_("givet"))
    amount = models.PositiveIntegerField(_("beløb (kr.)"))
    reason = models.TextField(_("hvad gavekortet belønner"))

    class Meta:
        ordering = ["course", "given_on", "pk"]
        verbose_name = _("gavekort")
        verbose_name_plural = _("gavekort")
