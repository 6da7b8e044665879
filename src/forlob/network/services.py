"""State changes of the network context (issue 4 items 3 and 4): network persons, guardian,
consents given and withdrawn, and the disclosure log.

Like treatment.services: one transactional, audited function per step. Each checks who may
write (`treatment.services.can_write`: the acting municipality's caseworkers and the clinicians
of the provider the citizen is referred to), validates with `rules`, compares the course
version the user loaded (optimistic locking) and writes the audit record in the same
transaction. Messages are Danish; nothing is half-saved.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from forlob import clock
from forlob.audit.recorder import Action, record
from forlob.treatment import services as treatment_services
from forlob.treatment.models import FollowUp

from . import rules
from .models import (
    EXTERNAL_PARTIES,
    Consent,
    Disclosure,
    Guardian,
    GuardianBasis,
    Influence,
    NetworkMember,
    Party,
    Relation,
)

_versioned = treatment_services._versioned  # one transaction on the locked, versioned course


def can_write(user, course) -> bool:
    return treatment_services.can_write(user, course)


def _require(request, course):
    if not can_write(request.user, course):
        raise PermissionDenied


def _not_anonymous(course):
    """An anonymous § 101 a course records no third persons and no disclosures: a name in the
    network would give the citizen away (SEL § 101 a)."""
    if course.citizen.is_anonymous:
        raise ValidationError(_("Et anonymt forløb (serviceloven § 101 a) kan ikke have "
                                "netværkspersoner, værger eller videregivelser."))


def _past_or_today(field, day, required=True):
    if day is None:
        if required:
            raise ValidationError({field: _("Skriv en dato.")})
        return
    if day > clock.today():
        raise ValidationError({field: _("Datoen ligger i fremtiden.")})


def _store(request, obj):
    obj.recorded_by = request.user if request.user.is_authenticated else None
    obj.full_clean(exclude=["course", "recorded_by", "consent"])
    obj.save()
    return obj


def unknown_party_message():
    return _("Ukendt part. Vælg en af: %(parties)s.") % {
        "parties": ", ".join(str(label) for label in Party.labels)}


# --- Network ---------------------------------------------------------------------------------

def add_member(request, course, member: NetworkMember):
    """A person in the citizen's network (retningslinje 3.2.1). A date of consent to involve
    them makes them involved; a person under 18 cannot be involved as a relative (3.2.5)."""
    _require(request, course)
    _not_anonymous(course)
    if not (member.name or "").strip():
        raise ValidationError({"name": _("Skriv personens navn.")})
    if member.relation not in Relation.values:
        raise ValidationError({"relation": _("Vælg en relation fra listen.")})
    if member.influence not in Influence.values:
        raise ValidationError({"influence": _("Angiv om personen er støttende eller en risiko.")})
    involved = member.involvement_consent_on is not None
    if involved and not rules.child_may_be_involved(bool(member.under_18)):
        raise ValidationError({"involvement_consent_on": _(
            "Børn under 18 år inddrages ikke som pårørende (retningslinje 3.2.5). Registrér "
            "barnet uden samtykke til inddragelse, og overvej at henvise barnet eller familien "
            "til hjælp eller familiebehandling.")})
    _past_or_today("involvement_consent_on", member.involvement_consent_on, required=False)
    with _versioned(request, course):
        member.course = course
        _store(request, member)
        record(request, Action.CREATE, citizen=course.citizen, obj=member)
    return member


def add_guardian(request, course, guardian: Guardian):
    """A guardian (værge) appointed for a citizen who cannot look after their own interests
    (retningslinje 3.2.1; værgemålsloven)."""
    _require(request, course)
    _not_anonymous(course)
    if not (guardian.name or "").strip():
        raise ValidationError({"name": _("Skriv værgens navn.")})
    if guardian.basis not in GuardianBasis.values:
        raise ValidationError({"basis": _("Vælg grundlaget for værgemålet.")})
    _past_or_today("from_on", guardian.from_on)
    guardian.ended_on = None
    with _versioned(request, course):
        guardian.course = course
        _store(request, guardian)
        record(request, Action.CREATE, citizen=course.citizen, obj=guardian)
    return guardian


def end_guardian(request, course, guardian: Guardian, ended_on):
    """The guardianship ended on `ended_on` (not in the future, not before it began, once)."""
    _require(request, course)
    if guardian is None or guardian.course_id != course.pk:
        raise ValidationError({"guardian": _("Vælg en værge på dette forløb.")})
    if ended_on is None:
        raise ValidationError({"ended_on": _("Skriv en dato.")})
    with _versioned(request, course):
        current = Guardian.objects.select_for_update().get(pk=guardian.pk)
        problem = rules.guardian_end_problem(current.from_on, current.ended_on, ended_on,
                                             clock.today())
        if problem:
            raise ValidationError({"ended_on": {
                "ended": _("Værgemålet er allerede afsluttet."),
                "future": _("Datoen ligger i fremtiden."),
                "before_start": _("Datoen ligger før værgemålets start."),
            }[problem]})
        current.ended_on = ended_on
        current.save(update_fields=["ended_on"])
        record(request, Action.UPDATE, citizen=course.citizen, obj=current,
               purpose="værgemål afsluttet")
    guardian.ended_on = ended_on
    return guardian


# --- Consents --------------------------------------------------------------------------------

def _check_party(party):
    if party not in Party.values:
        raise ValidationError({"party": unknown_party_message()})


def give_consent(request, course, consent: Consent):
    """A consent to one party from the fixed list, with its scope and period (issue 4 item
    4). A new consent to contact after discharge reopens the follow-ups the citizen declined,
    where they have no outcome and are not past their due date (`rules.follow_up_reopens`):
    declining is undone only by a new consent. Returns (consent, reopened follow-ups)."""
    _require(request, course)
    _check_party(consent.party)
    if consent.given_on is None:
        raise ValidationError({"given_on": _("Skriv en dato.")})
    problem = rules.consent_period_problem(consent.given_on, consent.valid_until, clock.today())
    if problem == rules.PeriodProblem.FUTURE:
        raise ValidationError({"given_on": _("Et samtykke registreres, når det er givet: "
                                             "datoen ligger i fremtiden.")})
    if problem == rules.PeriodProblem.UNTIL_BEFORE_GIVEN:
        raise ValidationError({"valid_until": _("Samtykket kan ikke udløbe, før det er givet.")})
    if not (consent.scope or "").strip():
        raise ValidationError({"scope": _("Skriv hvilke oplysninger samtykket omfatter.")})
    last_withdrawal = (Consent.objects.filter(course=course, party=consent.party)
                       .exclude(withdrawn_on=None).order_by("-withdrawn_on")
                       .values_list("withdrawn_on", flat=True).first())
    if rules.backdated_past_withdrawal(consent.given_on, last_withdrawal):
        raise ValidationError({"given_on": _(
            "Et samtykke til denne part blev trukket tilbage den %(day)s. Et nyt samtykke skal "
            "være givet den dag eller senere.") % {"day": last_withdrawal.strftime("%d-%m-%Y")}})
    today = clock.today()
    reopened = []
    with _versioned(request, course):
        consent.course, consent.withdrawn_on = course, None
        _store_consent(request, consent)
        record(request, Action.CREATE, citizen=course.citizen, obj=consent)
        if consent.party == Party.AFTER_DISCHARGE and rules.consent_in_force(
                consent.given_on, consent.valid_until, None, today):
            reopened = _reopen_declined(request, course, today, consent.given_on)
    return consent, reopened


def _store_consent(request, consent):
    consent.recorded_by = request.user if request.user.is_authenticated else None
    consent.full_clean(exclude=["course", "recorded_by"])
    consent.save()


def _reopen_declined(request, course, today, given_on):
    """Reopen declined follow-ups (treatment.models.FollowUp) under the new consent."""
    tasks = [t for t in FollowUp.objects.select_for_update().filter(
        course=course, declined_on__isnull=False).order_by("number")
        if rules.follow_up_reopens(t.due, today, t.held_on, t.declined_on, given_on)]
    for task in tasks:
        FollowUp.objects.filter(pk=task.pk).update(declined_on=None)
        task.declined_on = None
        record(request, Action.UPDATE, citizen=course.citizen, obj=task,
               purpose="opfølgning genåbnet ved nyt samtykke")
    return tasks


def _decline_open_follow_ups(request, course, today):
    """Withdrawing the consent to contact after discharge takes effect at once: the open
    follow-ups close as declined (retningslinje 3.12.3; they still count in statistics)."""
    tasks = list(FollowUp.objects.select_for_update().filter(
        course=course, declined_on=None, held_on=None))
    for task in tasks:
        FollowUp.objects.filter(pk=task.pk).update(declined_on=today)
        record(request, Action.UPDATE, citizen=course.citizen, obj=task,
               purpose="opfølgning afslået: samtykke trukket tilbage")
    return tasks


def withdraw_consent(request, course, consent: Consent):
    """Withdraw a consent: it takes effect at once (withdrawn_on = today), can be done once,
    and is undone only by recording a new consent (issue 4 item 4)."""
    _require(request, course)
    if consent is None or consent.course_id != course.pk:
        raise ValidationError({"consent": _("Vælg et samtykke på dette forløb.")})
    today = clock.today()
    with _versioned(request, course):
        current = Consent.objects.select_for_update().get(pk=consent.pk)
        problem = rules.withdraw_problem(current.given_on, current.valid_until,
                                         current.withdrawn_on, today)
        if problem == rules.WithdrawProblem.ALREADY_WITHDRAWN:
            raise ValidationError({"consent": _(
                "Samtykket er allerede trukket tilbage. En tilbagetrækning kan kun gøres om "
                "ved at registrere et nyt samtykke.")})
        if problem == rules.WithdrawProblem.EXPIRED:
            raise ValidationError({"consent": _("Samtykket er udløbet og kan ikke trækkes "
                                                "tilbage.")})
        current.withdrawn_on = today
        current.save(update_fields=["withdrawn_on"])
        record(request, Action.UPDATE, citizen=course.citizen, obj=current,
               purpose="samtykke trukket tilbage")
        if current.party == Party.AFTER_DISCHARGE:
            _decline_open_follow_ups(request, course, today)
    consent.withdrawn_on = today
    return consent


def consent_in_force_for(course, party, day):
    """The consent to `party` in force on `day` (latest given first), or None."""
    from .consents import in_force_q

    return (Consent.objects.filter(in_force_q(day), course=course, party=party)
            .order_by("-given_on", "-pk").first())


def record_disclosure(request, course, disclosure: Disclosure):
    """Log a disclosure (videregivelse) to an external party: the GP, psychiatry or the
    jobcenter. Refused unless a consent to that party is in force on the day: a party whose
    consent has gone loses access (issue 4 item 4)."""
    _require(request, course)
    _not_anonymous(course)
    _check_party(disclosure.party)
    if disclosure.party not in EXTERNAL_PARTIES:
        raise ValidationError({"party": _(
            "Videregivelser logges til egen læge, psykiatrien eller jobcenteret.")})
    _past_or_today("disclosed_on", disclosure.disclosed_on)
    if not (disclosure.content or "").strip():
        raise ValidationError({"content": _("Beskriv hvilke oplysninger der blev videregivet.")})
    with _versioned(request, course):
        consent = consent_in_force_for(course, disclosure.party, disclosure.disclosed_on)
        if consent is None:
            raise ValidationError({"party": _(
                "Der er intet samtykke i kraft til %(party)s den dag. Oplysningerne må ikke "
                "videregives uden borgerens samtykke.") % {
                    "party": Party(disclosure.party).label}})
        disclosure.course, disclosure.consent = course, consent
        _store(request, disclosure)
        record(request, Action.CREATE, citizen=course.citizen, obj=disclosure,
               purpose=f"videregivelse til {disclosure.party}")
    return disclosure
