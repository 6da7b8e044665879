"""Forms of the attendance section of the case page (issue 4 item 5). A form checks the shape
of the input and hands the facts to its service, which applies the rules. Each carries the
course version it was loaded with (optimistic locking, pathway.forms.StepForm)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forlob.pathway.forms import (
    StepForm,
    choice_field,
    date_field,
    style,
    text_field,
    yes_no_field,
)

from . import services
from .models import (
    Appointment,
    AppointmentKind,
    Attendance,
    Channel,
    ContactAttempt,
    GiftVoucher,
    RelapseEvent,
    RelapseKind,
)

BLANK = [("", _("Vælg"))]
TEXT_MAX = services.TEXT_MAX


def _task_label(task):
    return _("Udeblivelse %(day)s, kontakt senest %(due)s") % {
        "day": task.appointment.held_on.strftime("%d-%m-%Y"),
        "due": task.due.strftime("%d-%m-%Y")}


class AttendanceStep(StepForm):
    """A step of the attendance section."""


class AppointmentForm(AttendanceStep):
    slug = "fremmoede"
    title = _("Aftale og fremmøde")
    help = _("Registrér om borgeren mødte, udeblev, eller om aftalen blev aflyst. En "
             "udeblivelse opretter en opsøgende opgave (retningslinje 3.10.4).")

    held_on = date_field(_("Dato for aftalen"))
    kind = choice_field(_("Type"), BLANK + list(AppointmentKind.choices))
    attendance = choice_field(_("Fremmøde"), list(Attendance.choices), radio=True)
    notes = text_field(_("Bemærkninger"), rows=2, max_length=TEXT_MAX)

    def apply(self, request):
        d = self.cleaned_data
        return services.record_appointment(request, self.course, Appointment(
            held_on=d["held_on"], kind=d["kind"], attendance=d["attendance"], notes=d["notes"]))


class _TaskStep(AttendanceStep):
    field_map = {"task": "task"}

    task = choice_field(_("Opsøgende opgave"), [])

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.tasks = {str(t.pk): t for t in services.open_outreach(course)}
        self.fields["task"].choices = [(k, _task_label(t)) for k, t in self.tasks.items()]


class AttemptForm(_TaskStep):
    slug = "kontaktforsoeg"
    title = _("Kontaktforsøg efter udeblivelse")
    help = _("Et forsøg, hvor I får kontakt med borgeren, lukker opgaven.")

    attempted_on = date_field(_("Dato"))
    channel = choice_field(_("Kanal"), BLANK + list(Channel.choices))
    reached = yes_no_field(_("Fik I kontakt med borgeren?"))
    note = text_field(_("Bemærkning"), rows=2, max_length=TEXT_MAX)

    def apply(self, request):
        d = self.cleaned_data
        return services.log_contact_attempt(request, self.course, self.tasks[d["task"]],
                                            ContactAttempt(attempted_on=d["attempted_on"],
                                                           channel=d["channel"],
                                                           reached=d["reached"], note=d["note"]))


class CloseOutreachForm(_TaskStep):
    slug = "luk-opsoegende"
    title = _("Luk opsøgende opgave")
    help = _("Fx fordi borgeren er mødt igen, eller en anden opsøgende indsats har overtaget.")
    submit = _("Luk opgaven")

    closed_on = date_field(_("Lukket"))
    close_reason = text_field(_("Årsag"), required=True, rows=2, max_length=TEXT_MAX)

    def apply(self, request):
        d = self.cleaned_data
        return services.close_outreach(request, self.course, self.tasks[d["task"]],
                                       d["closed_on"], d["close_reason"])


class RelapseForm(AttendanceStep):
    slug = "tilbagefald"
    title = _("Skred eller tilbagefald")
    help = _("Mød borgeren med åbenhed, og genoptag behandlingen så hurtigt som muligt "
             "(retningslinje 3.10.6-3.10.7). Hændelsen gør en opfølgning på planen aktuel.")

    occurred_on = date_field(_("Dato"))
    kind = choice_field(_("Type"), list(RelapseKind.choices), radio=True)
    notes = text_field(_("Bemærkninger og læring"), max_length=TEXT_MAX)
    resumed_on = date_field(_("Behandlingen genoptaget"), required=False)

    def apply(self, request):
        d = self.cleaned_data
        return services.record_relapse(request, self.course, RelapseEvent(
            occurred_on=d["occurred_on"], kind=d["kind"], notes=d["notes"],
            resumed_on=d["resumed_on"]))


class NewDecisionForm(AttendanceStep):
    slug = "ny-afgoerelse"
    title = _("Anmod om ny afgørelse")
    help = _("Sender sagen tilbage til sagsbehandleren, fx når indsatsen skal ændres efter "
             "skred, tilbagefald eller frafald (retningslinje 3.10.8).")
    submit = _("Send anmodningen")

    requested_on = date_field(_("Dato"))
    reason = text_field(_("Begrundelse"), required=True, max_length=TEXT_MAX)

    def apply(self, request):
        d = self.cleaned_data
        return services.request_new_decision(request, self.course, d["requested_on"],
                                             d["reason"])


class CloseNewDecisionForm(AttendanceStep):
    slug = "luk-ny-afgoerelse"
    title = _("Luk anmodning om ny afgørelse")
    help = _("Anmodningen lukkes af sig selv, når der træffes en ny afgørelse. Luk den her, "
             "hvis der ikke skal træffes en.")
    submit = _("Luk anmodningen")
    field_map = {"request": "made"}

    made = choice_field(_("Anmodning"), [])
    closed_on = date_field(_("Lukket"))
    close_note = text_field(_("Bemærkning"), required=True, rows=2, max_length=TEXT_MAX)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.requests = {str(r.pk): r for r in services.open_new_decision_requests(course)}
        self.fields["made"].choices = [
            (k, _("Anmodning af %(day)s") % {"day": r.requested_on.strftime("%d-%m-%Y")})
            for k, r in self.requests.items()]

    def apply(self, request):
        d = self.cleaned_data
        return services.close_new_decision_request(request, self.course,
                                                   self.requests[d["made"]], d["closed_on"],
                                                   d["close_note"])


class VoucherForm(AttendanceStep):
    slug = "gavekort"
    title = _("Gavekort")
    help = _("Efter kommunens retningslinjer for gavekort (serviceloven § 101, stk. 9-11). "
             "Værdien fratrækkes ikke i borgerens ydelser.")

    given_on = date_field(_("Givet"))
    amount = forms.IntegerField(label=_("Beløb (kr.)"), min_value=1, max_value=1_000_000,
                                error_messages={"required": _("Angiv beløbet."),
                                                "invalid": _("Skriv et helt antal kroner."),
                                                "min_value": _("Beløbet skal være positivt."),
                                                "max_value": _("Beløbet er for stort.")})
    reason = text_field(_("Hvad gavekortet belønner"), required=True, rows=2,
                        max_length=TEXT_MAX)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        config = services.voucher_settings(course.acting_municipality_id)
        if config.amount:
            self.fields["amount"].initial = config.amount
        style(self)

    def apply(self, request):
        d = self.cleaned_data
        return services.give_voucher(request, self.course, GiftVoucher(
            given_on=d["given_on"], amount=d["amount"], reason=d["reason"]))
