"""State changes of a course: each step is one transaction with its audit record (issue 3).

Validation comes from rules.py; UI and API call these functions and nothing else.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forlob import clock
from forlob.access import scope_for
from forlob.audit.recorder import Action, record
from forlob.citizens.models import Referral
from forlob.locking import save_versioned
from forlob.standards.levels import levels_on

from . import rules
from .models import (
    Assessment,
    Breach,
    Contact,
    CounsellingSession,
    Course,
    CourseTrack,
    CustodyHolder,
    Decision,
    DoctorConsultation,
    FreeChoice,
    ScreeningResult,
    TreatmentRequest,
    TreatmentStart,
)
from .screening import InvalidAnswers, audit_score, dudit_score

DATE_ERRORS = {
    rules.DateProblem.FUTURE: _("Datoen ligger i fremtiden."),
    rules.DateProblem.BEFORE_REQUEST: _("Datoen ligger før borgerens første anmodning."),
}


def guarantee_days(course) -> int:
    """The guarantee day count the acting municipality's quality standard promised on the day
    the clock started (the first request; issue 7 item 2): calendar days, never more than 14
    (SEL § 101, stk. 4)."""
    day = first_request(course) or clock.today()
    return rules.guarantee_days(levels_on(course.acting_municipality_id, day).guarantee_days)


def first_request(course) -> dt.date | None:
    return rules.first_request_date(course.requests.values_list("requested_on", flat=True))


def course_facts(course) -> rules.CourseFacts:
    """The recorded facts of a course as the plain values the rules take."""
    assessment = course.assessments.order_by("done_on").first()
    flagged = course.assessments.filter(screening_needed=True).order_by("done_on", "pk").first()
    decision = course.decisions.order_by("decided_on").first()
    doctor = getattr(course, "doctor", None)
    start = getattr(course, "start", None)
    citizen = course.citizen
    youth = rules.is_youth(None, citizen.birth_year, first_request(course) or clock.today())
    youth_guarantee = settings.FORLOB_YOUTH_GUARANTEE
    return rules.CourseFacts(
        request_dates=tuple(course.requests.values_list("requested_on", flat=True)),
        tracks=frozenset(rules.Track(t) for t in course.tracks.values_list("track", flat=True)),
        free_choice=course.free_choices.filter(limited=False).exists(),
        is_youth=youth,
        youth_guarantee=youth_guarantee,
        guarantee_days=guarantee_days(course),
        assessment_done_on=assessment.done_on if assessment else None,
        decision_on=decision.decided_on if decision else None,
        doctor_accepted=doctor.accepted if doctor else None,
        doctor_held_on=doctor.held_on if doctor else None,
        started_on=start.started_on if start else None,
        screening_flagged_on=flagged.done_on if flagged else None,
        screening_started_on=flagged.screening_started_on if flagged else None,
    )


def course_clocks(course, today=None):
    return rules.clocks(course_facts(course), today or clock.today())


def can_act(user, course) -> bool:
    """Case steps are the acting municipality's caseworkers' (myndighed)."""
    return course.acting_municipality_id in scope_for(user).caseworker_municipalities


def _require(request, course):
    if not can_act(request.user, course):
        raise PermissionDenied


def _check_date(field, value, course=None, after_request=True):
    t0 = first_request(course) if (course is not None and after_request) else None
    problem = rules.event_date_problem(value, clock.today(), t0)
    if problem:
        raise ValidationError({field: DATE_ERRORS[problem]})


def _save(request, course, obj, action=Action.CREATE):
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        obj.recorded_by = request.user if request.user.is_authenticated else None
        obj.full_clean(exclude=["course", "recorded_by"])
        obj.save()
        # The caller's course.version is what the user loaded: a stale one raises StaleRecord.
        save_versioned(locked, course.version, [])
        course.version = locked.version
        record(request, action, citizen=course.citizen, obj=obj)
    return obj


def open_course(request, citizen, contact: Contact, tracks=(), acting_municipality=None,
                duty_dispute=False):
    """A first contact opens a course; a contact asking for treatment is also the request.
    A dispute about the duty to act is flagged but never pauses a clock (retningslinje 3.4.4)."""
    municipality = acting_municipality or citizen.acting_municipality
    if municipality.pk not in scope_for(request.user).caseworker_municipalities:
        raise PermissionDenied
    _check_date("received_on", contact.received_on)
    with transaction.atomic():
        course = Course.objects.create(citizen=citizen, acting_municipality=municipality,
                                       caseworker=request.user, duty_dispute=duty_dispute)
        contact.course = course
        _save(request, course, contact)
        if tracks:
            set_tracks(request, course, tracks)
        if contact.asks == "treatment":
            add_request(request, course, TreatmentRequest(
                requested_on=contact.received_on, channel=contact.channel))
    return course


def add_contact(request, course, contact: Contact):
    _require(request, course)
    _check_date("received_on", contact.received_on)
    contact.course = course
    return _save(request, course, contact)


def add_counselling(request, course, session: CounsellingSession):
    """Counselling is recorded but never stops a clock (retningslinje 3.3)."""
    _require(request, course)
    _check_date("held_on", session.held_on)
    session.course = course
    return _save(request, course, session)


def add_request(request, course, treq: TreatmentRequest):
    """Any request counts; the earliest one is the guarantee's start (SEL § 101, stk. 4)."""
    _require(request, course)
    _check_date("requested_on", treq.requested_on)
    treq.course = course
    return _save(request, course, treq)


def set_tracks(request, course, tracks):
    _require(request, course)
    wanted = {rules.Track(t) for t in tracks}
    if not wanted:
        raise ValidationError({"tracks": _("Vælg mindst ét spor.")})
    if wanted - rules.tracks_allowed(course.citizen.is_anonymous):
        raise ValidationError({"tracks": _(
            "En anonym person kan kun være i anonym stofbehandling (§ 101 a) eller anonym "
            "ambulant alkoholbehandling. Et anonymt forløb må ikke have CPR-nummer.")})
    if rules.Track.ANONYMOUS_DRUG in wanted and not course.citizen.is_anonymous:
        raise ValidationError({"tracks": _(
            "Anonym behandling efter § 101 a registreres uden CPR-nummer: opret borgeren som "
            "anonym person.")})
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        course.tracks.exclude(track__in=wanted).delete()
        for t in wanted:
            CourseTrack.objects.get_or_create(course=course, track=t)
        save_versioned(locked, course.version, [])  # a stale course.version: StaleRecord
        course.version = locked.version
        record(request, Action.UPDATE, citizen=course.citizen, obj=course,
               purpose="spor: " + ", ".join(sorted(wanted)))
    return wanted


def record_doctor(request, course, offered_on, accepted, held_on=None, findings=""):
    """SUL § 142: offered; if accepted, held before the start and within the guarantee."""
    _require(request, course)
    _check_date("offered_on", offered_on, course)
    if held_on is not None:
        if accepted is not True:
            raise ValidationError(
                {"held_on": _("Samtalen kan kun afholdes, hvis borgeren takker ja.")})
        _check_date("held_on", held_on, course)
        start = getattr(course, "start", None)
        if rules.doctor_after_start(held_on, start.started_on if start else None):
            raise ValidationError({"held_on": _(
                "Lægesamtalen skal holdes senest inden behandlingen iværksættes "
                "(SUL § 142, stk. 2).")})
    doctor = getattr(course, "doctor", None) or DoctorConsultation(course=course)
    action = Action.UPDATE if doctor.pk else Action.CREATE
    doctor.offered_on, doctor.accepted = offered_on, accepted
    doctor.held_on, doctor.findings = held_on, findings
    return _save(request, course, doctor, action)


def record_assessment(request, course, assessment: Assessment, screenings=()):
    """The holistic assessment with the six domains; screenings stored item by item."""
    _require(request, course)
    if first_request(course) is None:
        raise ValidationError(_("Der er ingen anmodning om behandling på forløbet endnu."))
    _check_date("done_on", assessment.done_on, course)
    missing = rules.assessment_missing(assessment.domains, assessment.children_at_home,
                                       assessment.pregnancy)
    if missing:
        raise ValidationError({"domains": _("Udfyld fund for alle seks domæner og de "
                                            "obligatoriske spørgsmål: %s") % ", ".join(missing)})
    if assessment.children_at_home and not assessment.children_count:
        raise ValidationError({"children_count": _("Skriv hvor mange børn der bor hjemme.")})
    if assessment.pregnancy and not assessment.due_date:
        raise ValidationError({"due_date": _("Skriv terminsdatoen.")})
    with transaction.atomic():
        assessment.course = course
        _save(request, course, assessment)
        for instrument, answers, day in screenings:
            add_screening(request, course, instrument, answers, day, assessment)
    return assessment


def add_screening(request, course, instrument, answers, administered_on, assessment=None):
    """AUDIT/DUDIT with each item validated against its allowed values."""
    _require(request, course)
    result = build_screening(course, instrument, answers, administered_on, assessment)
    return _save(request, course, result)


def build_screening(course, instrument, answers, administered_on, assessment=None):
    """A validated, unsaved AUDIT/DUDIT result; the caller checks permission and saves it
    (add_screening here, a plan review in treatment.services)."""
    _check_date("administered_on", administered_on)
    try:
        if instrument == "audit":
            total = audit_score(list(answers)).total
        elif instrument == "dudit":
            total = dudit_score(list(answers), course.citizen.sex).total
        else:
            raise ValidationError({"instrument": _("Ukendt screeningsredskab.")})
    except InvalidAnswers as exc:
        items = ", ".join(str(i) for i, _p in exc.problems if i)
        if not items:
            raise ValidationError({"answers": _(
                "Angiv ét svar pr. spørgsmål: AUDIT har 10 spørgsmål, DUDIT 11.")}) from exc
        raise ValidationError({"answers": _("Ugyldigt svar i spørgsmål %s.") % items}) from exc
    return ScreeningResult(course=course, assessment=assessment, instrument=instrument,
                           answers=list(answers), total=total, administered_on=administered_on)


def decide(request, course, decision: Decision):
    """A lawful decision: on an assessment, with reasons unless fully granted (FVL §§ 22-24)."""
    _require(request, course)
    assessment = decision.assessment if decision.assessment_id else None
    if assessment is None or assessment.course_id != course.pk:
        raise ValidationError({"assessment": _("En afgørelse skal bygge på en afdækning.")})
    _check_date("decided_on", decision.decided_on, course)
    if decision.decided_on < assessment.done_on:
        raise ValidationError({"decided_on": _("Afgørelsen ligger før afdækningen.")})
    if decision.track == rules.Track.ANONYMOUS_DRUG:
        raise ValidationError({"track": _("Anonym behandling gives uden afgørelse.")})
    if not course.tracks.filter(track=decision.track).exists():
        raise ValidationError({"track": _("Forløbet har ikke dette spor. Tilføj sporet først.")})
    if rules.reasons_required(decision.outcome) and not decision.reasons.strip():
        raise ValidationError({"reasons": _("En afgørelse, der ikke giver fuldt ud medhold, "
                                            "skal begrundes (forvaltningsloven § 22).")})
    if rules.refusal_needs_other_help(decision.outcome) and not decision.other_help.strip():
        raise ValidationError({"other_help": _(
            "Et afslag skal oplyse, hvilken anden hjælp der kan kompensere (retningslinje "
            "3.6.3).")})
    if decision.outcome != rules.Outcome.REFUSAL:
        if decision.provider_id is None or not decision.intensity:
            raise ValidationError({"provider": _("Angiv det konkrete tilbud og intensiteten.")})
        if not rules.provider_offers(decision.track, decision.intensity,
                                     decision.provider.kinds, decision.provider.intensities):
            raise ValidationError({"provider": _(
                "Tilbuddet tilbyder ikke denne behandlingsform med den valgte intensitet.")})
        bands = rules.intensity_bands(levels_on(course.acting_municipality_id,
                                                decision.decided_on).intensity_spec())
        if not rules.intensity_matches(decision.intensity, decision.sessions_per_month, bands):
            found = rules.intensity_for(decision.sessions_per_month or 0, False, bands)
            raise ValidationError({"sessions_per_month": _(
                "%(n)s kontakter om måneden svarer ikke til den valgte intensitet (%(found)s).")
                % {"n": decision.sessions_per_month,
                   "found": found or _("ad hoc-kontakt, som ikke er behandling")}})
        if rules.needs_visitation_meeting(decision.intensity) and (
                decision.visitation_meeting_on is None
                or decision.visitation_meeting_on > decision.decided_on):
            raise ValidationError({"visitation_meeting_on": _(
                "Dag- og døgnbehandling kræver et visitationsmøde før afgørelsen.")})
    decision.course = course
    return _save(request, course, decision)


def record_free_choice(request, course, choice: FreeChoice):
    """SEL § 101, stk. 5-7: waives the guarantee; may be limited with reasons; never § 101 a."""
    _require(request, course)
    tracks = set(course.tracks.values_list("track", flat=True))
    if not any(rules.free_choice_allowed(t) for t in tracks) or tracks == {"sel101a"}:
        raise ValidationError(_("Der er ikke frit valg i anonym behandling (§ 101 a)."))
    _check_date("chosen_on", choice.chosen_on, course)
    if choice.limited and not choice.limit_reason.strip():
        raise ValidationError(
            {"limit_reason": _("En begrænsning af det frie valg skal begrundes.")})
    if not choice.limited and choice.provider_id is None:
        raise ValidationError({"provider": _("Angiv det valgte tilbud.")})
    if choice.provider_id is not None and not rules.free_choice_provider_ok(
            tracks, choice.provider.kinds, choice.provider.approved_by_socialtilsynet,
            choice.provider.listed_on_tilbudsportalen):
        raise ValidationError({"provider": _(
            "Frit valg gælder et andet godkendt tilbud af samme art (serviceloven § 101, "
            "stk. 5).")})
    choice.course = course
    return _save(request, course, choice)


def start_treatment(request, course, start: TreatmentStart):
    """Start and provider enrolment; the enrolment refers the citizen to the provider, so its
    clinicians see the citizen (issue 3 item 9)."""
    _require(request, course)
    if hasattr(course, "start"):
        raise ValidationError(_("Behandlingen er allerede iværksat."))
    if first_request(course) is None:
        raise ValidationError(_("Der er ingen anmodning om behandling på forløbet endnu."))
    for field in ("started_on", "enrolled_on"):
        _check_date(field, getattr(start, field), course)
    tracks = course.tracks.values_list("track", flat=True)
    granted = course.decisions.exclude(outcome=rules.Outcome.REFUSAL)
    if rules.decision_required_to_start(tracks) and not granted.filter(
            decided_on__lte=start.started_on).exists():
        raise ValidationError({"started_on": _(
            "Behandlingen kan først iværksættes, når der er truffet en afgørelse, der bevilger "
            "den (serviceloven § 101).")})
    if not granted.exists() and not rules.self_referred_start_allowed(start.provider.intensities):
        raise ValidationError({"provider": _(
            "Dag- og døgnbehandling kræver kommunens afgørelse; uden afgørelse kan kun ambulant "
            "behandling iværksættes.")})
    doctor = getattr(course, "doctor", None)
    if doctor and rules.doctor_pending_at_start(doctor.accepted, doctor.held_on):
        raise ValidationError({"started_on": _(
            "Borgeren har takket ja til den vederlagsfri lægesamtale, som skal holdes inden "
            "behandlingen iværksættes (SUL § 142, stk. 2).")})
    if doctor and rules.doctor_after_start(doctor.held_on, start.started_on):
        raise ValidationError({"started_on": _("Lægesamtalen er registreret efter denne dato.")})
    start.course = course
    with transaction.atomic():
        _save(request, course, start)
        Referral.objects.create(citizen=course.citizen, provider=start.provider,
                                referred_on=start.enrolled_on)
    return start


def record_breach(request, course, clock_name, reason, note=""):
    _require(request, course)
    if course.breaches.filter(clock=clock_name).exists():
        raise ValidationError({"clock": _("Overskridelsen af denne frist er allerede "
                                          "registreret.")})
    return _save(request, course, Breach(course=course, clock=clock_name, reason=reason,
                                         note=note))


def add_custody_holder(request, course, holder: CustodyHolder):
    """A custody holder (forældremyndighedsindehaver) of a citizen under 18, recorded with the
    course (issue 3 item 4). Allowed on any course; the case page asks for it for youth."""
    _require(request, course)
    if not holder.name.strip():
        raise ValidationError({"name": _("Skriv navnet på forældremyndighedsindehaveren.")})
    holder.course = course
    return _save(request, course, holder)


def route_youth(request, course, day):
    """The day the course was routed to the children and youth service (børne- og
    ungeområdet, SEL § 101, stk. 12; issue 3 item 4). A later call corrects the day."""
    _require(request, course)
    if day is None:
        raise ValidationError({"youth_routed_on": _("Skriv en dato.")})
    _check_date("youth_routed_on", day, after_request=False)
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        locked.youth_routed_on = day
        # The caller's course.version is what the user loaded: a stale one raises StaleRecord.
        save_versioned(locked, course.version, ["youth_routed_on"])
        course.version, course.youth_routed_on = locked.version, day
        record(request, Action.UPDATE, citizen=course.citizen, obj=course,
               purpose="henvist til børne- og ungeområdet")
    return course


def start_screening(request, course, started_on):
    """Record that the specialised screening or udredning flagged in the assessment has begun;
    this closes its follow-up task (retningslinje 3.8.1, 3.8.5)."""
    _require(request, course)
    flagged = course.assessments.filter(screening_needed=True).order_by("done_on", "pk").first()
    if flagged is None:
        raise ValidationError(_("Ingen afdækning på forløbet peger på specialiseret screening "
                                "eller udredning."))
    if started_on is None:
        raise ValidationError({"screening_started_on": _("Angiv datoen.")})
    _check_date("screening_started_on", started_on, course)
    if started_on < flagged.done_on:
        raise ValidationError({"screening_started_on": _("Datoen ligger før afdækningen.")})
    flagged.screening_started_on = started_on
    return _save(request, course, flagged, Action.UPDATE)

