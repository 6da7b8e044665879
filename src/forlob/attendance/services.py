"""State changes of attendance and retention (issue 4 item 5; retningslinje 3.10).

Like treatment.services: one transactional, audited function per step. Each checks who may
write (treatment.services.can_write: the acting municipality's caseworkers and the clinicians of
the provider the citizen is referred to; closing a request for a new decision is the
caseworker's, pathway.services.can_act), validates with rules.py, compares the course version
the user loaded (optimistic locking) and records the audit event. Messages are Danish. Nothing
is written unless everything is valid.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from forlob import clock
from forlob.audit.recorder import Action, record
from forlob.pathway import services as pathway_services
from forlob.standards.levels import levels_on
from forlob.treatment.models import Discharge
from forlob.treatment.services import _versioned, can_write

from . import rules
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

TEXT_MAX = 10_000


def day_errors():
    return {
        rules.DayProblem.FUTURE: _("Datoen ligger i fremtiden."),
        rules.DayProblem.BEFORE_START: _("Datoen ligger før behandlingens start."),
        rules.DayProblem.AFTER_DISCHARGE: _("Datoen ligger efter udskrivningen."),
        rules.DayProblem.BEFORE_EVENT: _("Datoen ligger før udeblivelsen."),
    }


def voucher_errors():
    return {
        rules.VoucherProblem.NOT_ENABLED: _(
            "Opholdskommunen har ikke besluttet at bruge gavekort (serviceloven § 101, stk. 9). "
            "Gavekortet kan ikke registreres."),
        rules.VoucherProblem.WRONG_AMOUNT: _(
            "Beløbet skal være det, kommunen har fastsat: %(amount)s kr."),
        rules.VoucherProblem.MAX_REACHED: _(
            "Forløbet har allerede fået det højeste antal gavekort, kommunen tillader "
            "(%(max)s)."),
    }


# --- Who, when -----------------------------------------------------------------------------

def _require(request, course):
    if not can_write(request.user, course):
        raise PermissionDenied


def _started_on(course):
    start = getattr(course, "start", None)
    if start is None:
        raise ValidationError(_("Behandlingen er ikke iværksat endnu. Fremmøde og fastholdelse "
                                "registreres fra behandlingens start."))
    return start.started_on


def discharged_on(course):
    d = Discharge.objects.filter(course=course).only("discharged_on").first()
    return d.discharged_on if d else None


def _not_discharged(course):
    if discharged_on(course) is not None:
        raise ValidationError(_("Borgeren er udskrevet, og forløbet er afsluttet."))


def _check_day(field, problem):
    if problem:
        raise ValidationError({field: day_errors()[problem]})


def _need_day(field, day):
    if day is None:
        raise ValidationError({field: _("Skriv en dato.")})


def _text(field, value, required=False, message=None):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message or _("Udfyld feltet.")})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: _("Teksten må højst være %(n)s tegn.") % {"n": TEXT_MAX}})
    return value


def _store(request, obj, exclude):
    obj.recorded_by = request.user if request.user.is_authenticated else None
    obj.full_clean(exclude=[*exclude, "recorded_by"])
    obj.save()
    return obj


# --- Appointments and outreach -------------------------------------------------------------

def record_appointment(request, course, appointment: Appointment):
    """An appointment marked attended, no-show or cancelled (retningslinje 3.10.4). A no-show
    opens an outreach task due by rules.outreach_due. Returns the appointment."""
    _require(request, course)
    started_on = _started_on(course)
    if appointment.kind not in AppointmentKind.values:
        raise ValidationError({"kind": _("Vælg en type aftale.")})
    if appointment.attendance not in Attendance.values:
        raise ValidationError({"attendance": _("Vælg mødt, udeblevet eller aflyst.")})
    _need_day("held_on", appointment.held_on)
    _check_day("held_on", rules.appointment_day_problem(
        appointment.held_on, appointment.attendance, clock.today(), started_on,
        discharged_on(course)))
    appointment.notes = _text("notes", appointment.notes)
    with _versioned(request, course):
        appointment.course = course
        _store(request, appointment, exclude=["course"])
        if rules.retention_needed(appointment.attendance):
            _store(request, OutreachTask(
                course=course, appointment=appointment, opened_on=clock.today(),
                due=rules.outreach_due(appointment.held_on)), exclude=["course", "appointment"])
        record(request, Action.CREATE, citizen=course.citizen, obj=appointment)
    return appointment


def open_outreach(course):
    """The course's outreach tasks that are still open (rules.task_open)."""
    tasks = course.outreach_tasks.filter(closed_on=None).select_related(
        "appointment").prefetch_related("attempts")
    return [t for t in tasks.order_by("due", "pk")
            if rules.task_open(t.closed_on, (a.reached for a in t.attempts.all()))]


def _open_task(course, task):
    if task is None or task.course_id != course.pk:
        raise ValidationError({"task": _("Vælg en opsøgende opgave på dette forløb.")})
    task = OutreachTask.objects.select_related("appointment").get(pk=task.pk)
    reached = task.attempts.values_list("reached", flat=True)
    if not rules.task_open(task.closed_on, reached):
        raise ValidationError(_("Den opsøgende opgave er allerede lukket."))
    return task


def log_contact_attempt(request, course, task, attempt: ContactAttempt):
    """A contact attempt on an open outreach task: date, channel, reached or not, note. One
    that reaches the citizen closes the task (issue 4 item 5)."""
    _require(request, course)
    task = _open_task(course, task)
    if attempt.channel not in Channel.values:
        raise ValidationError({"channel": _("Vælg en kanal.")})
    if attempt.reached is None:
        raise ValidationError({"reached": _("Svar ja eller nej.")})
    _need_day("attempted_on", attempt.attempted_on)
    _check_day("attempted_on", rules.day_problem(
        attempt.attempted_on, clock.today(), None, not_before=task.appointment.held_on))
    attempt.note = _text("note", attempt.note)
    with _versioned(request, course):
        attempt.task = task
        _store(request, attempt, exclude=["task"])
        if attempt.reached:
            task.closed_on = attempt.attempted_on
            task.save(update_fields=["closed_on"])
        record(request, Action.CREATE, citizen=course.citizen, obj=attempt,
               purpose="opsøgende kontakt")
    return attempt


def close_outreach(request, course, task, closed_on, reason):
    """Close an open outreach task without reaching the citizen, with a reason (e.g. the
    citizen came to the next appointment, or other outreach took over, SEL § 99)."""
    _require(request, course)
    task = _open_task(course, task)
    reason = _text("close_reason", reason, required=True,
                   message=_("Skriv hvorfor opgaven lukkes."))
    _need_day("closed_on", closed_on)
    _check_day("closed_on", rules.day_problem(closed_on, clock.today(), None,
                                              not_before=task.appointment.held_on))
    with _versioned(request, course):
        task.closed_on, task.close_reason = closed_on, reason
        task.save(update_fields=["closed_on", "close_reason"])
        record(request, Action.UPDATE, citizen=course.citizen, obj=task,
               purpose="opsøgende opgave lukket")
    return task


# --- Slip and relapse ----------------------------------------------------------------------

def record_relapse(request, course, event: RelapseEvent):
    """A slip or relapse (retningslinje 3.10.3, 3.10.7): date, kind, notes and the date
    treatment resumed (on or after the event). The treatment context makes a plan review due
    from it (3.10.8)."""
    _require(request, course)
    started_on = _started_on(course)
    if event.kind not in RelapseKind.values:
        raise ValidationError({"kind": _("Vælg skred eller tilbagefald.")})
    _need_day("occurred_on", event.occurred_on)
    _check_day("occurred_on", rules.day_problem(event.occurred_on, clock.today(), started_on,
                                                discharged_on(course)))
    problem = rules.resumed_problem(event.occurred_on, event.resumed_on, clock.today())
    if problem == "before_event":
        raise ValidationError({"resumed_on": _(
            "Behandlingen kan ikke være genoptaget før skreddet eller tilbagefaldet.")})
    if problem == "future":
        raise ValidationError({"resumed_on": _("Datoen ligger i fremtiden.")})
    event.notes = _text("notes", event.notes)
    with _versioned(request, course):
        event.course = course
        _store(request, event, exclude=["course"])
        record(request, Action.CREATE, citizen=course.citizen, obj=event)
    return event


# --- Request for a new decision ------------------------------------------------------------

def decision_dates(course):
    return list(course.decisions.values_list("decided_on", flat=True))


def open_new_decision_requests(course):
    dates = decision_dates(course)
    return [r for r in course.new_decision_requests.filter(closed_on=None).order_by("pk")
            if rules.new_decision_open(r.requested_on, dates, r.closed_on)]


def request_new_decision(request, course, requested_on, reason):
    """The clinician sends the case back to the caseworker for a new decision (retningslinje
    3.10.8: after a slip, relapse or dropout, visitation to another effort). One open request
    at a time."""
    _require(request, course)
    started_on = _started_on(course)
    _not_discharged(course)
    reason = _text("reason", reason, required=True,
                   message=_("Skriv hvorfor der er brug for en ny afgørelse."))
    _need_day("requested_on", requested_on)
    _check_day("requested_on", rules.day_problem(requested_on, clock.today(), started_on))
    if open_new_decision_requests(course):
        raise ValidationError(_("Der er allerede en åben anmodning om ny afgørelse."))
    with _versioned(request, course):
        made = _store(request, NewDecisionRequest(course=course, requested_on=requested_on,
                                                  reason=reason), exclude=["course"])
        record(request, Action.CREATE, citizen=course.citizen, obj=made,
               purpose="anmodning om ny afgørelse")
    return made


def close_new_decision_request(request, course, made, closed_on, note):
    """The caseworker closes an open request with a note (e.g. no new decision is needed)."""
    if not pathway_services.can_act(request.user, course):
        raise PermissionDenied
    if made is None or made.course_id != course.pk:
        raise ValidationError({"request": _("Vælg en anmodning på dette forløb.")})
    made = NewDecisionRequest.objects.get(pk=made.pk)
    if not rules.new_decision_open(made.requested_on, decision_dates(course), made.closed_on):
        raise ValidationError(_("Anmodningen er allerede afsluttet."))
    note = _text("close_note", note, required=True, message=_("Skriv en bemærkning."))
    _need_day("closed_on", closed_on)
    problem = rules.day_problem(closed_on, clock.today(), None, not_before=made.requested_on)
    if problem == rules.DayProblem.BEFORE_EVENT:
        raise ValidationError({"closed_on": _("Datoen ligger før anmodningen.")})
    _check_day("closed_on", problem)
    with _versioned(request, course):
        made.closed_on, made.close_note = closed_on, note
        made.closed_by = request.user
        made.save(update_fields=["closed_on", "close_note", "closed_by"])
        record(request, Action.UPDATE, citizen=course.citizen, obj=made,
               purpose="anmodning om ny afgørelse lukket")
    return made


# --- Gift vouchers -------------------------------------------------------------------------

@dataclass(frozen=True)
class VoucherTerms:
    enabled: bool
    amount: int | None
    max_per_course: int | None


def voucher_settings(municipality_id, day=None) -> VoucherTerms:
    """The gift-voucher terms of the municipality's quality standard in force on `day` (today
    by default): the council decides on vouchers and their amount and puts them in the
    standard (SEL § 101, stk. 9; bek. 1477 § 7, stk. 3; standards.levels)."""
    levels = levels_on(municipality_id, day or clock.today())
    return VoucherTerms(levels.vouchers_enabled, levels.voucher_amount,
                        levels.voucher_max_per_course)


def give_voucher(request, course, voucher: GiftVoucher):
    """A gift voucher in the course's log (SEL § 101, stk. 9-11; retningslinje 3.10.2), refused
    unless the acting municipality has enabled vouchers, for its amount, within its maximum."""
    _require(request, course)
    started_on = _started_on(course)
    _need_day("given_on", voucher.given_on)
    _check_day("given_on", rules.day_problem(voucher.given_on, clock.today(), started_on,
                                             discharged_on(course)))
    voucher.reason = _text("reason", voucher.reason, required=True,
                           message=_("Skriv hvad gavekortet belønner, fx fremmøde."))
    with _versioned(request, course):
        config = voucher_settings(course.acting_municipality_id, voucher.given_on)
        given = course.gift_vouchers.count()
        problem = rules.voucher_problem(config.enabled, config.amount, config.max_per_course,
                                        given, voucher.amount)
        if problem:
            message = voucher_errors()[problem] % {"amount": config.amount,
                                                   "max": config.max_per_course}
            field = "amount" if problem == rules.VoucherProblem.WRONG_AMOUNT else "__all__"
            raise ValidationError({field: message})
        voucher.course = course
        _store(request, voucher, exclude=["course"])
        record(request, Action.CREATE, citizen=course.citizen, obj=voucher)
    return voucher
