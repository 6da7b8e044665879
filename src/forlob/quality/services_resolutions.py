"""The coordinator's resolutions (issue 6 item 3; aggregation rules of statusrapport 2014):
resolve a delvis to ja or nej with a reason, or keep it as delvist indfriet; set a category by
judgement with a reason; undo the judgement; reopen a resolved delvis.

Each change is one transaction: the round's coordinator only, the municipality's answers
submitted, the round open, the condition checked against the outcome as it stands
(outcomes.round_outcomes, rules.outcome), and the Resolution written with optimistic locking on
its version (forlob.locking), with who decided and when. The answers hold no personal data, so
nothing is audited.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.locking import StaleRecord, save_versioned

from .access import may_coordinate
from .answer_layout import RESOLUTION
from .models import Category, Choice, Participant, ParticipantEvent, Resolution, Status
from .outcomes import round_outcomes
from .rules import Outcome

CLOSED = _("Runden er afsluttet. Afgørelserne kan ikke længere ændres.")
NOT_SUBMITTED = _("Kommunen har ikke indsendt sine svar endnu. Afgør, når svarene er indsendt.")
NOT_DELVIS = _("Svaret er ikke delvis, så der er intet at afgøre.")
UNANSWERED = _("Indikatoren er ikke besvaret. En kategori kan først sættes ved skøn, når der er "
               "et svar.")
SAME_AS_RULES = _("Reglerne giver allerede denne kategori. Vælg en anden, eller fortryd "
                  "skønnet.")
NO_JUDGEMENT = _("Der er intet skøn at fortryde.")
NOT_RESOLVED = _("Delvis-svaret er ikke afgjort, så der er intet at genåbne.")
REASON_REQUIRED = _("Skriv en begrundelse. Den vises i rapporterne.")

#: The statuses in which the coordinator resolves: the answers are submitted (or approved).
RESOLVABLE = (Status.SUBMITTED, Status.APPROVED)


def current(participant, item) -> tuple[Outcome, Resolution | None]:
    """The outcome as it stands, and the resolution behind it (None before any)."""
    outcome = round_outcomes(participant.round, [participant])[(participant.pk, item.pk)]
    return outcome, Resolution.objects.filter(participant=participant, item=item).first()


def refusal(participant) -> str:
    """Why no resolution can be changed for the participant now, or ""."""
    if participant.round.closed:
        return str(CLOSED)
    if participant.status not in RESOLVABLE:
        return str(NOT_SUBMITTED)
    return ""


def _write(user, participant, item, loaded_version: int, check, values: dict) -> Resolution:
    """Check and write in one transaction; StaleRecord when the resolution changed since the
    page was loaded (loaded_version 0: there was none), nothing written."""
    if not may_coordinate(user, participant.round):
        raise PermissionDenied
    with transaction.atomic():
        participant = Participant.objects.select_for_update().select_related(
            "round__framework").get(pk=participant.pk)
        reason = refusal(participant)
        if reason:
            raise ValidationError(reason)
        outcome, resolution = current(participant, item)
        check(outcome, resolution)
        old = {f: getattr(resolution, f) if resolution else "" for f in values}
        _history(user, participant, item, old, values)
        values = {**values, "decided_by": user, "decided_at": clock.now()}
        if resolution is None:
            if loaded_version != 0:
                raise StaleRecord(str(StaleRecord.message))
            try:
                with transaction.atomic():
                    return Resolution.objects.create(participant=participant, item=item,
                                                     **values)
            except IntegrityError:  # created by someone else meanwhile
                raise StaleRecord(str(StaleRecord.message)) from None
        for field, value in values.items():
            setattr(resolution, field, value)
        save_versioned(resolution, loaded_version, list(values))
        return resolution


def _history(user, participant, item, old: dict, new: dict) -> None:
    """Every resolution change is kept in the participant's history (issue 6 item 2: "each
    change is kept"), under the key "afgørelse:<item number>", so an undone judgement leaves
    its trace."""
    ParticipantEvent.objects.create(
        participant=participant, at=clock.now(), user=user,
        changes={f"{RESOLUTION}:{item.number}": {"old": old, "new": dict(new)}})


def resolve(user, participant, item, *, loaded_version: int, delvis_to: str,
            reason: str = "") -> Resolution:
    """Resolve a delvis (statusrapport 2014): to ja or nej with a recorded reason, or kept as
    delvist indfriet (delvis_to "delvis")."""
    reason = (reason or "").strip()
    if delvis_to not in Choice.values:
        raise ValidationError(_("Vælg en af de viste afgørelser."))
    if delvis_to in (Choice.YES, Choice.NO) and not reason:
        raise ValidationError(REASON_REQUIRED)

    def check(outcome, _resolution):
        if outcome.combined != Choice.PARTLY:
            raise ValidationError(NOT_DELVIS)

    return _write(user, participant, item, loaded_version, check,
                  {"delvis_to": delvis_to, "delvis_reason": reason})


def reopen(user, participant, item, *, loaded_version: int) -> Resolution:
    """Take back the resolution of a delvis: it waits for the coordinator again."""

    def check(_outcome, resolution):
        if resolution is None or not resolution.delvis_to:
            raise ValidationError(NOT_RESOLVED)

    return _write(user, participant, item, loaded_version, check,
                  {"delvis_to": "", "delvis_reason": ""})


def judge(user, participant, item, *, loaded_version: int, category: str,
          reason: str) -> Resolution:
    """Set a category other than the rules give, with a recorded reason (the clusters judged
    e.g. a køberkommune's nej met through its purchase agreement)."""
    reason = (reason or "").strip()
    if category not in Category.values:
        raise ValidationError(_("Vælg en af de viste kategorier."))
    if not reason:
        raise ValidationError(REASON_REQUIRED)

    def check(outcome, _resolution):
        if not outcome.combined:
            raise ValidationError(UNANSWERED)
        if category == outcome.by_rule:
            raise ValidationError(SAME_AS_RULES)

    return _write(user, participant, item, loaded_version, check,
                  {"category_override": category, "override_reason": reason})


def undo_judgement(user, participant, item, *, loaded_version: int) -> Resolution:
    """Let the rules decide the category again; the delvis resolution, if any, stays."""

    def check(_outcome, resolution):
        if resolution is None or not resolution.category_override:
            raise ValidationError(NO_JUDGEMENT)

    return _write(user, participant, item, loaded_version, check,
                  {"category_override": "", "override_reason": ""})
