"""Issuing, answering and aggregating the survey (issue 4 item 12). See models.py for why the
answers cannot be linked back to the citizen; these functions keep it that way: `issue` audits
the hand-out on the course without the token, `submit` stores the answers without the
invitation, and `aggregate` returns counts only, suppressed by rules.distribution.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from forlob import clock
from forlob.access import scope_for
from forlob.audit.recorder import Action, record
from forlob.organisations.models import Municipality, Provider
from forlob.pathway.models import TreatmentStart
from forlob.treatment.models import Discharge
from forlob.treatment.services import can_write

from . import questionnaire, rules
from .models import Answer, Channel, Invitation, Response, SpentToken

ISSUED_PURPOSE = "tilfredshedsundersøgelse udleveret"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def survey_provider(course):
    """The provider the survey is about: the one that treated (and discharged) the citizen."""
    start = getattr(course, "start", None)
    return start.provider if start is not None else None


def may_offer(user, course) -> bool:
    """On a discharged course, for those who may write on it (treatment.services.can_write)."""
    return (Discharge.objects.filter(course=course).exists()
            and survey_provider(course) is not None and can_write(user, course))


def issue(request, course, channel) -> str:
    """A new invitation for the provider of `course` in the current month; returns the token,
    which is shown once and never stored. The audit record is on the course, without it."""
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Vælg link eller papir.")})
    if not may_offer(request.user, course):
        raise PermissionDenied
    token = rules.new_token()
    with transaction.atomic():
        Invitation.objects.create(token_hash=token_hash(token), provider=survey_provider(course),
                                  month=rules.month_of(clock.today()), channel=channel)
        record(request, Action.CREATE, citizen=course.citizen, obj=course,
               purpose=ISSUED_PURPOSE)
    return token


class InvitationState:
    UNKNOWN = "unknown"
    USED = "used"
    OPEN = "open"


def find_invitation(token_text):
    """(state, invitation or None) for a token as given in a link or typed from paper."""
    token = rules.normalise_token(token_text)
    if token is None:
        return InvitationState.UNKNOWN, None
    digest = token_hash(token)
    if SpentToken.objects.filter(token_hash=digest).exists():
        return InvitationState.USED, None
    invitation = Invitation.objects.select_related("provider").filter(token_hash=digest).first()
    if invitation is None:
        return InvitationState.UNKNOWN, None
    return InvitationState.OPEN, invitation


def clean_answers(data: dict, q=questionnaire.CURRENT) -> dict:
    """{question key: int value or text}; unknown keys and values are refused (ValidationError
    keyed by question); unanswered questions are left out. Every question is optional."""
    errors, answers = {}, {}
    if not isinstance(data, dict):
        raise ValidationError(_("Svarene kunne ikke læses."))
    for key in data:
        if q.question(key) is None:
            errors[str(key)[:40]] = _("Ukendt spørgsmål.")
    for question in q.questions:
        value = data.get(question.key)
        if value in (None, ""):
            continue
        if question.is_text:
            if not isinstance(value, str):
                errors[question.key] = _("Skriv en tekst.")
            elif len(value) > questionnaire.COMMENT_MAX:
                errors[question.key] = _("Skriv højst %(n)s tegn.") % {
                    "n": questionnaire.COMMENT_MAX}
            elif value.strip():
                answers[question.key] = value.strip()
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if isinstance(value, bool) or number not in dict(question.scale):
            errors[question.key] = _("Vælg et af svarene.")
        else:
            answers[question.key] = number
    if errors:
        raise ValidationError(errors)
    return answers


def submit(token_text, data: dict, channel=Channel.LINK, provider=None) -> Response:
    """Answer once with an invitation token. `provider`, when given (paper answers keyed in by
    staff), must be the invitation's. Raises ValidationError (keyed "token") when the token is
    unknown or used; nothing is saved then, nor when an answer is invalid."""
    answers = clean_answers(data)
    state, invitation = find_invitation(token_text)
    if state == InvitationState.USED:
        raise ValidationError({"token": _("Spørgeskemaet er allerede besvaret.")})
    if state == InvitationState.UNKNOWN or (
            provider is not None and invitation.provider_id != provider.pk):
        raise ValidationError({"token": _("Koden findes ikke. Tjek, at den er skrevet rigtigt.")})
    q = questionnaire.CURRENT
    with transaction.atomic():
        # Of two simultaneous answers with one token exactly one deletes the invitation.
        deleted, _rows = Invitation.objects.filter(pk=invitation.pk).delete()
        if deleted != 1:
            raise ValidationError({"token": _("Spørgeskemaet er allerede besvaret.")})
        SpentToken.objects.create(token_hash=invitation.token_hash)
        response = Response.objects.create(
            provider_id=invitation.provider_id, version=q.version, channel=channel,
            month=rules.month_of(clock.today()))
        Answer.objects.bulk_create([
            Answer(response=response, question=key,
                   choice=None if isinstance(value, str) else value,
                   text=value if isinstance(value, str) else "")
            for key, value in answers.items()])
    return response


# --- Who sees what ---------------------------------------------------------------------------

def sees_results(user, provider) -> bool:
    """The provider's clinicians, and leaders and quality coordinators of municipalities the
    provider serves (aggregates only, no personal data): `visible_providers`."""
    return visible_providers(user).filter(pk=provider.pk).exists()


def reads_comments(user, provider) -> bool:
    """Free-text comments are for the provider's own clinicians only."""
    return provider.pk in scope_for(user).clinician_providers


def enters_paper(user, provider) -> bool:
    """Paper answers are keyed in by the provider's staff."""
    return provider.pk in scope_for(user).clinician_providers


def visible_providers(user):
    """Providers whose results `user` sees: a clinician their own; a leader those serving
    their municipality; a coordinator those serving a municipality of their cluster or region.
    A provider serves a municipality it belongs to, sells to under a purchase agreement, or
    has started a course for (free choice included)."""
    scope = scope_for(user)
    municipalities = set(scope.leader_municipalities)
    if scope.coordinator_clusters or scope.coordinator_regions:
        municipalities |= set(Municipality.objects.filter(
            Q(cluster_id__in=scope.coordinator_clusters)
            | Q(cluster__region_id__in=scope.coordinator_regions)).values_list("pk", flat=True))
    serving = Q(pk__in=scope.clinician_providers)
    if municipalities:
        started = TreatmentStart.objects.filter(
            course__acting_municipality_id__in=municipalities).values("provider_id")
        serving |= (Q(owner_municipality_id__in=municipalities)
                    | Q(purchase_agreements__municipality_id__in=municipalities)
                    | Q(pk__in=started))
    return Provider.objects.filter(serving).distinct().order_by("name")


def aggregate(provider, first, last, with_comments=False) -> dict:
    """Distribution per question of the current questionnaire version for the provider's
    responses in the months first..last (rules.distribution suppresses small counts)."""
    q = questionnaire.CURRENT
    responses = Response.objects.filter(provider=provider, version=q.version,
                                        month__gte=first, month__lte=last)
    total = responses.count()
    hidden = rules.suppressed(total)
    answers = Answer.objects.filter(response__in=responses)
    questions = []
    for question in q.scaled:
        values = answers.filter(question=question.key, choice__isnull=False).values_list(
            "choice", flat=True)
        questions.append({"key": question.key, "section": question.section,
                          "text": question.text,
                          **rules.distribution(values, question.scale, total)})
    comments = []
    if with_comments and not hidden:
        comments = sorted(answers.filter(question="comments").exclude(text="").values_list(
            "text", flat=True))
    return {"provider": provider, "first": first, "last": last, "version": q.version,
            "responses": None if hidden else total, "hidden": hidden,
            "limit": rules.MIN_RESPONSES, "questions": questions, "comments": comments,
            "comment_count": None if hidden else answers.filter(
                question="comments").exclude(text="").count()}
