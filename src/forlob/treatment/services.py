"""State changes after treatment start (issue 4): plan, review, discharge, follow-up.

One transactional, audited function per step, like pathway.services: each checks who may
write, validates with the rules, compares the course version the user loaded (optimistic
locking) and records the audit event. Messages are Danish.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from forlob import clock
from forlob.access import scope_for
from forlob.audit.recorder import Action, record
from forlob.citizens.models import Referral
from forlob.locking import save_versioned
from forlob.pathway import rules as pathway_rules
from forlob.pathway import services as pathway_services
from forlob.pathway.choices import DOMAINS, Channel
from forlob.pathway.models import Contact, Course

from . import rules
from .choices import FollowUpBy, GoalStatus, GoalType, Maintained, Reason, UseStatus
from .clocks import course_intensity, levels
from .models import Discharge, FollowUp, Review, ReviewGoalStatus, TreatmentPlan

DOMAIN_KEYS = {key for key, _label in DOMAINS}
NOT_STARTED = {
    "plan": _("Behandlingen er ikke iværksat endnu. Behandlingsplanen lægges ved "
              "behandlingens start."),
    "review": _("En opfølgning på planen kan ikke registreres, før behandlingen er iværksat."),
    "discharge": _("Borgeren kan ikke udskrives, før behandlingen er iværksat."),
    "supervision": _("Personrettet tilsyn kan ikke registreres, før behandlingen er iværksat."),
    "coordinating": _("Et møde om indsatsplanen kan ikke registreres, før behandlingen er "
                      "iværksat."),
}


def day_errors():
    return {
        rules.DayProblem.FUTURE: _("Datoen ligger i fremtiden."),
        rules.DayProblem.BEFORE_START: _("Datoen ligger før behandlingens start."),
        rules.DayProblem.BEFORE_DISCHARGE: _("Datoen ligger før udskrivningen."),
    }


def can_write(user, course) -> bool:
    """The acting municipality's caseworkers, and the clinicians of the provider the citizen
    is referred to at treatment start, while that referral is active (SEL § 101, stk. 8: the
    plan is made by the provider with the citizen)."""
    scope = scope_for(user)
    if course.acting_municipality_id in scope.caseworker_municipalities:
        return True
    start = getattr(course, "start", None)
    if start is None or start.provider_id not in scope.clinician_providers:
        return False
    return Referral.objects.active(clock.today()).filter(
        citizen_id=course.citizen_id, provider_id=start.provider_id).exists()


def _require(request, course):
    if not can_write(request.user, course):
        raise PermissionDenied


def _started_on(course, step):
    start = getattr(course, "start", None)
    if start is None:
        raise ValidationError(NOT_STARTED[step])
    return start.started_on


def _discharge(course):
    return Discharge.objects.filter(course=course).first()


def _not_discharged(course):
    if _discharge(course) is not None:
        raise ValidationError(_("Borgeren er udskrevet, og forløbet er afsluttet."))


def _check_day(field, day, started_on=None, discharged_on=None):
    if day is None:
        raise ValidationError({field: _("Skriv en dato.")})
    problem = rules.day_problem(day, clock.today(), started_on, discharged_on)
    if problem:
        raise ValidationError({field: day_errors()[problem]})


@contextmanager
def _versioned(request, course):
    """One transaction on the locked course; a stale course.version raises StaleRecord and
    rolls back everything written inside."""
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        yield
        save_versioned(locked, course.version, [])
        course.version = locked.version


def _store(request, obj, exclude=("course", "recorded_by")):
    if hasattr(obj, "recorded_by_id"):
        obj.recorded_by = request.user if request.user.is_authenticated else None
    obj.full_clean(exclude=list(exclude))
    obj.save()
    return obj


def current_plan(course):
    return course.plans.order_by("-number").first()


def add_plan(request, course, plan: TreatmentPlan, goals, methods=()):
    """A treatment plan (a new version when one exists) with at least one goal, each in the
    citizen's words and traced to an assessed need (SEL § 101, stk. 8; retningslinje 3.7),
    and the methods it uses from the method catalogue (retningslinje 2.1.1; only methods in
    use)."""
    _require(request, course)
    started_on = _started_on(course, "plan")
    _not_discharged(course)
    _check_day("agreed_on", plan.agreed_on, started_on)
    if not plan.content.strip():
        raise ValidationError({"content": _("Beskriv planens indhold.")})
    goals = list(goals)
    if not goals:
        raise ValidationError({"goals": _("En behandlingsplan skal have mindst ét mål.")})
    for goal in goals:
        if not goal.text.strip():
            raise ValidationError({"goals": _("Skriv hvert mål med borgerens egne ord.")})
        if goal.need_domain not in DOMAIN_KEYS:
            raise ValidationError({"goals": _("Hvert mål skal knyttes til et afdækket behov.")})
        if goal.goal_type not in GoalType.values:
            raise ValidationError({"goals": _("Vælg en måltype for hvert mål.")})
    methods = list(methods)
    if any(not m.active for m in methods):
        raise ValidationError({"catalogue_methods": _(
            "Metoden er ikke længere i brug i metodekataloget.")})
    with _versioned(request, course):
        last = current_plan(course)
        plan.course, plan.number = course, (last.number + 1 if last else 1)
        _store(request, plan)
        for goal in goals:
            goal.plan = plan
            _store(request, goal, exclude=())
        plan.catalogue_methods.set(methods)
        record(request, Action.CREATE, citizen=course.citizen, obj=plan)
    return plan


def add_review(request, course, review: Review, statuses: dict, screenings=()):
    """A review of the current plan (retningslinje 3.9): a status for each of its goals, days
    of use in the last 30 days, and optionally AUDIT/DUDIT repeated, as
    (instrument, answers, day) tuples."""
    _require(request, course)
    started_on = _started_on(course, "review")
    _not_discharged(course)
    plan = current_plan(course)
    if plan is None:
        raise ValidationError(_("Der er ingen behandlingsplan at følge op på endnu."))
    _check_day("held_on", review.held_on, started_on)
    days = review.days_of_use_30
    if days is not None and not 0 <= days <= 30:
        raise ValidationError({"days_of_use_30": _("Antal dage skal være mellem 0 og 30.")})
    goals = {g.pk: g for g in plan.goals.all()}
    statuses = {int(k): v for k, v in statuses.items()}
    if set(statuses) != set(goals):
        raise ValidationError({"statuses": _("Angiv status for hvert af planens mål.")})
    if any(v not in GoalStatus.values for v in statuses.values()):
        raise ValidationError({"statuses": _("Vælg en af de viste statusser.")})
    results = [pathway_services.build_screening(course, instrument, answers, day)
               for instrument, answers, day in screenings]
    with _versioned(request, course):
        review.course, review.plan = course, plan
        _store(request, review, exclude=("course", "plan", "recorded_by"))
        for goal_id, status in statuses.items():
            ReviewGoalStatus.objects.create(review=review, goal=goals[goal_id], status=status)
        for result in results:
            _store(request, result, exclude=("course", "assessment", "recorded_by"))
        record(request, Action.CREATE, citizen=course.citizen, obj=review)
    return review


def discharge(request, course, d: Discharge):
    """Discharge with the seven SMDB fields and a written status (retningslinje 3.11). After
    the reasons that oblige it, the two follow-ups are created with their due dates, fixed now
    (bek. 1477 § 4, stk. 2). Returns (discharge, prompts) - rules.discharge_prompts."""
    _require(request, course)
    started_on = _started_on(course, "discharge")
    _not_discharged(course)
    _check_day("discharged_on", d.discharged_on, started_on)
    if not d.status_text.strip():
        raise ValidationError({"status_text": _("Skriv en status på forløbet.")})
    if d.reason not in Reason.values:
        raise ValidationError({"reason": _("Vælg en årsag til udskrivningen.")})
    reason = pathway_rules.DischargeReason(d.reason)
    with _versioned(request, course):
        d.course = course
        _store(request, d)
        dues = []
        # The follow-up promises in force on the discharge day (issue 7 item 2).
        promised = levels(course, d.discharged_on)
        if pathway_rules.follow_up_applies(reason, promised.follow_up_reasons):
            dues = pathway_rules.follow_up_due_dates(d.discharged_on, promised.follow_up_days)
            for number, due in enumerate(dues, start=1):
                _store(request, FollowUp(course=course, number=number, due=due))
        _end_referral(request, course, d.discharged_on, dues,
                      promised.follow_up_by == FollowUpBy.PROVIDER)
        record(request, Action.CREATE, citizen=course.citizen, obj=d)
    return d, pathway_rules.discharge_prompts(reason, course_intensity(course))


def _end_referral(request, course, discharged_on, dues, by_provider):
    """End the referral the treatment start created (pathway.services.start_treatment) when
    the provider no longer needs access: rules.referral_end_after_discharge."""
    start = course.start
    ends = rules.referral_end_after_discharge(discharged_on, dues, by_provider)
    referrals = Referral.objects.filter(
        citizen_id=course.citizen_id, provider_id=start.provider_id,
        referred_on=start.enrolled_on).filter(Q(ended_on=None) | Q(ended_on__gt=ends))
    for referral in referrals:
        referral.ended_on = max(ends, referral.referred_on)
        referral.save(update_fields=["ended_on"])
        record(request, Action.UPDATE, citizen=course.citizen, obj=referral,
               purpose="henvisning afsluttes efter udskrivning")


def open_follow_ups(course):
    return course.follow_ups.filter(declined_on=None, held_on=None).order_by("number")


def decline_follow_up(request, course, declined_on):
    """The citizen declines follow-up, in advance or at contact: every open follow-up closes
    as declined and still counts in statistics (retningslinje 3.12.3)."""
    _require(request, course)
    d = _discharge(course)
    tasks = list(open_follow_ups(course))
    if d is None or not tasks:
        raise ValidationError(_("Der er ingen åbne opfølgninger at lukke."))
    _check_day("declined_on", declined_on, discharged_on=d.discharged_on)
    with _versioned(request, course):
        for task in tasks:
            task.declined_on = declined_on
            _store(request, task)
        record(request, Action.UPDATE, citizen=course.citizen, obj=tasks[0],
               purpose="opfølgning efter udskrivning afslået")
    return tasks


def _task(course, follow_up):
    if follow_up is None or follow_up.course_id != course.pk:
        raise ValidationError({"follow_up": _("Vælg en opfølgning på dette forløb.")})
    return FollowUp.objects.get(pk=follow_up.pk)


def record_follow_up_outcome(request, course, follow_up, held_on, reached, goal_maintained="",
                             use_status="", other_needs=""):
    """The outcome of a follow-up (issue 4 item 8). Refused on a declined task. Returns the
    prompts (rules.follow_up_prompts): "follow_on_treatment" when the goal is not maintained."""
    _require(request, course)
    task = _task(course, follow_up)
    status = pathway_rules.follow_up_status(task.due, clock.today(), task.held_on,
                                            task.declined_on)
    if status == pathway_rules.FollowUpStatus.DECLINED:
        raise ValidationError(_("Borgeren har takket nej til opfølgningen. Der kan ikke "
                                "registreres et udfald på en afvist opfølgning."))
    if status == pathway_rules.FollowUpStatus.DONE:
        raise ValidationError(_("Opfølgningens udfald er allerede registreret."))
    _check_day("held_on", held_on, discharged_on=_discharge(course).discharged_on)
    if reached is None:
        raise ValidationError({"reached": _("Svar ja eller nej.")})
    if reached:
        if goal_maintained not in Maintained.values:
            raise ValidationError({"goal_maintained": _("Angiv om målet er fastholdt.")})
        if use_status not in UseStatus.values:
            raise ValidationError({"use_status": _("Angiv status for brug.")})
    else:
        goal_maintained = use_status = ""
    with _versioned(request, course):
        task.held_on, task.reached = held_on, reached
        task.goal_maintained, task.use_status, task.other_needs = (
            goal_maintained, use_status, other_needs)
        _store(request, task)
        record(request, Action.UPDATE, citizen=course.citizen, obj=task)
    return rules.follow_up_prompts(reached, goal_maintained)


def new_request_from_follow_up(request, course, follow_up, requested_on, channel):
    """A new request for treatment made at a follow-up opens a NEW course with that request,
    so a new guarantee clock starts under the same rules as part 1 (issue 4 item 8). Opening
    a course is the acting municipality's (pathway.services.open_course)."""
    _require(request, course)
    task = _task(course, follow_up)
    if task.declined_on is not None:
        raise ValidationError(_("Borgeren har takket nej til opfølgningen."))
    if task.new_course_id is not None:
        raise ValidationError(_("Der er allerede oprettet et nyt forløb fra denne opfølgning."))
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Vælg en kanal.")})
    d = _discharge(course)
    _check_day("requested_on", requested_on, discharged_on=d.discharged_on if d else None)
    first = course.contacts.order_by("received_on", "pk").first()
    contact = Contact(received_on=requested_on, channel=channel, asks="treatment",
                      substances=first.substances if first else "both",
                      notes=_("Ny anmodning ved opfølgning efter udskrivning."))
    tracks = list(course.tracks.values_list("track", flat=True))
    with _versioned(request, course):
        new = pathway_services.open_course(request, course.citizen, contact, tracks=tracks,
                                           acting_municipality=course.acting_municipality)
        task.new_course = new
        _store(request, task)
        record(request, Action.UPDATE, citizen=course.citizen, obj=task,
               purpose="ny anmodning ved opfølgning")
    return new


def open_discharge_tasks(course) -> list[str]:
    """What the discharge prompted and is not yet done (rules_aftercare.discharge_prompts):
    a follow-on offer after residential treatment, contact with outreach services after an
    unplanned discharge."""
    d = _discharge(course)
    if d is None:
        return []
    prompts = pathway_rules.discharge_prompts(pathway_rules.DischargeReason(d.reason),
                                              course_intensity(course))
    return [p for p in prompts if getattr(d, Discharge.TASK_FIELDS[p]) is None]


def record_discharge_task(request, course, task, done_on):
    """Record that a task the discharge prompted is done (retningslinje 2.3.8: the follow-on
    offer; 3.11.6: contact with outreach services). Only an open task of this course's
    discharge; not before the discharge, not in the future."""
    _require(request, course)
    if task not in open_discharge_tasks(course):
        raise ValidationError({"task": _("Vælg en åben opgave fra udskrivningen.")})
    d = _discharge(course)
    _check_day("done_on", done_on, discharged_on=d.discharged_on)
    with _versioned(request, course):
        d = Discharge.objects.select_for_update().get(pk=d.pk)
        setattr(d, Discharge.TASK_FIELDS[task], done_on)
        d.save(update_fields=[Discharge.TASK_FIELDS[task]])
        record(request, Action.UPDATE, citizen=course.citizen, obj=d,
               purpose=f"opgave efter udskrivning: {task}")
    return d
