"""Every state change of an assessment round (issue 6 item 2): opening a round, adding and
removing participants, a municipality's background and answers, submitting, returning with
comments and approving, closing the round and reopening it.

Each function runs in one transaction, checks the optimistic lock (`forlob.locking`) on the
round's or the participation's version before writing anything, and appends a
ParticipantEvent with who, when, the status moved and the changed answers (old → new). A
refused change raises and writes nothing. The answers hold no personal data, so nothing here is
audited as a read or write of personal data.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forlob import clock
from forlob.access.scope import scope_for
from forlob.locking import MAX_VERSION, StaleRecord, save_versioned
from forlob.organisations.models import Cluster, Region

from . import rules
from .access import answering_municipalities, coordinated_municipalities, may_coordinate
from .models import (
    AREAS,
    Answer,
    Item,
    Participant,
    ParticipantEvent,
    Resolution,
    Round,
    Status,
)
from .rules_submission import (
    AnswerFacts,
    ItemFacts,
    Problem,
    answer_problems,
    carry_over,
    is_empty,
    submission_problems,
)

#: The key of background changes in ParticipantEvent.changes (answers use "<area>:<number>").
BACKGROUND = "baggrund"
#: The key prefix of the coordinator's resolutions in ParticipantEvent.changes
#: ("afgørelse:<number>"; services_resolutions, answer_layout).
RESOLUTION = "afgørelse"
#: A Resolution's recorded fields, as kept in the history.
RESOLUTION_FIELDS = ("delvis_to", "delvis_reason", "category_override", "override_reason")
#: The statuses in which a municipality has answered (submitted, or approved after that).
DONE = (Status.SUBMITTED, Status.APPROVED)


class AnswersRefused(ValidationError):
    """Answers or a submission refused; `problems` says where and why (rules_submission)."""

    def __init__(self, problems: list[Problem]):
        super().__init__([p.message for p in problems])
        self.problems = problems


# --- Facts for the rules ---------------------------------------------------------------------

def items_of(framework) -> list[Item]:
    return list(Item.objects.filter(section__framework=framework).select_related("section")
                .order_by("section__order", "order"))


def item_facts(item: Item) -> ItemFacts:
    return ItemFacts(number=item.number, section=item.section.number, kind=item.kind,
                     mandatory=item.mandatory, greyed=item.section.greyed,
                     max_lines=item.max_lines, options=tuple(item.options or ()))


def answer_facts(answer: Answer) -> AnswerFacts:
    return AnswerFacts(number=answer.item.number, area=answer.area, choice=answer.choice,
                       text=answer.text, ticks=tuple(answer.ticks or ()))


def stored_answers(participant) -> dict[tuple[int, str], Answer]:
    """{(item id, area): Answer} of a participation."""
    return {(a.item_id, a.area): a
            for a in Answer.objects.filter(participant=participant).select_related(
                "item__section")}


def problems_of(participant, items=None) -> list[Problem]:
    """What stands in the way of submitting the participation's stored answers."""
    items = items if items is not None else items_of(participant.round.framework)
    return submission_problems([item_facts(i) for i in items],
                               [answer_facts(a) for a in stored_answers(participant).values()],
                               participant.answer_areas())


def _value(answer: Answer | None) -> dict:
    if answer is None:
        return {"choice": "", "text": "", "ticks": []}
    return {"choice": answer.choice, "text": answer.text, "ticks": list(answer.ticks or [])}


def _key(area: str, number: str) -> str:
    return f"{area}:{number}"


# --- Guards ----------------------------------------------------------------------------------

def _require_answerer(user, participant):
    if participant.municipality_id not in answering_municipalities(user):
        raise PermissionDenied


def _require_coordinator(user, rnd):
    if not may_coordinate(user, rnd):
        raise PermissionDenied


def _require_open(rnd):
    if rnd.closed:
        raise ValidationError(_("Runden er afsluttet. Svarene kan ikke ændres."))


def _require_editable(participant):
    if participant.round.closed:
        raise ValidationError(_("Runden er afsluttet. Svarene kan ikke ændres."))
    if not rules.editable(participant.status):
        raise ValidationError(_("Svarene er %(status)s og kan ikke ændres.")
                              % {"status": participant.get_status_display().lower()})


def _check_version(participant, expected_version):
    """Refuse a stale form even when it would change nothing."""
    if not Participant.objects.filter(pk=participant.pk, version=expected_version).exists():
        raise StaleRecord(str(StaleRecord.message))


def _event(participant, user, *, from_status="", to_status="", comment="", changes=None):
    return ParticipantEvent.objects.create(
        participant=participant, at=clock.now(), user=user, from_status=from_status,
        to_status=to_status, comment=comment, changes=changes or {})


def drop_resolutions(participant, item_ids) -> dict:
    """Delete the coordinator's resolutions on the items `item_ids` of the participation,
    whose answers have just changed (a judgement holds only for the answers it was made on).
    Call inside the transaction that changes the answers; answers the history entries
    {"afgørelse:<number>": {"old": {...}, "new": {}}} for the same ParticipantEvent."""
    changes = {}
    if not item_ids:
        return changes
    for r in Resolution.objects.filter(participant=participant,
                                       item_id__in=set(item_ids)).select_related("item"):
        changes[f"{RESOLUTION}:{r.item.number}"] = {
            "old": {f: getattr(r, f) for f in RESOLUTION_FIELDS}, "new": {}}
        r.delete()
    return changes


def _int(value) -> int:
    """The version a form was loaded with; anything else is a stale (or forged) form."""
    try:
        version = int(value)
    except (TypeError, ValueError):
        raise StaleRecord(str(StaleRecord.message)) from None
    if not 1 <= version < MAX_VERSION:
        raise StaleRecord(str(StaleRecord.message))
    return version


# --- Rounds ----------------------------------------------------------------------------------

def organisations(user) -> list:
    """The clusters and regions the user coordinates, i.e. may open a round for."""
    scope = scope_for(user)
    return [*Cluster.objects.filter(pk__in=scope.coordinator_clusters).order_by("name"),
            *Region.objects.filter(pk__in=scope.coordinator_regions).order_by("name")]


def _belongs(municipality, organisation) -> bool:
    if isinstance(organisation, Cluster):
        return municipality.cluster_id == organisation.pk
    return municipality.cluster.region_id == organisation.pk


def _check_municipalities(user, organisation, municipalities):
    allowed = set(coordinated_municipalities(user).values_list("pk", flat=True))
    wrong = [m.name for m in municipalities
             if m.pk not in allowed or not _belongs(m, organisation)]
    if wrong:
        raise ValidationError({"municipalities": _(
            "%(names)s hører ikke under %(org)s.") % {"names": ", ".join(wrong),
                                                     "org": organisation.name}})


def open_round(user, *, framework, name, period_start, period_end, deadline, organisation,
               municipalities) -> Round:
    """A coordinator opens a round for their cluster or region (issue 6 item 2): the
    framework version, the period the evidence covers, the deadline and the participating
    municipalities, each starting with a draft."""
    if organisation not in organisations(user):
        raise PermissionDenied
    if period_end < period_start:
        raise ValidationError({"period_end": _("Perioden slutter, før den begynder.")})
    if deadline < period_start:
        raise ValidationError({"deadline": _("Svarfristen ligger før perioden begynder.")})
    municipalities = list(municipalities)
    if not municipalities:
        raise ValidationError({"municipalities": _("Vælg mindst én deltagende kommune.")})
    _check_municipalities(user, organisation, municipalities)
    org = {"cluster": organisation} if isinstance(organisation, Cluster) else {
        "region": organisation}
    with transaction.atomic():
        rnd = Round.objects.create(framework=framework, name=name, period_start=period_start,
                                   period_end=period_end, deadline=deadline, opened_by=user,
                                   **org)
        for m in municipalities:
            _add(rnd, m, user)
    return rnd


def _add(rnd, municipality, user):
    participant = Participant.objects.create(round=rnd, municipality=municipality)
    _event(participant, user, to_status=Status.DRAFT,
           comment=_("Runden er åbnet for kommunen."))
    return participant


def set_participants(user, rnd, expected_version, municipalities) -> tuple[list, list]:
    """Add and remove participating municipalities while the round is open. A municipality
    that has answered or moved past a draft is never removed (its answers and history would be
    lost); that is refused with a message and nothing is changed. Answers (added, removed)."""
    _require_coordinator(user, rnd)
    if rnd.closed:
        raise ValidationError(_("Runden er afsluttet. Deltagerne kan ikke ændres."))
    organisation = rnd.cluster or rnd.region
    wanted = {m.pk: m for m in municipalities}
    if not wanted:
        raise ValidationError({"municipalities": _("Vælg mindst én deltagende kommune.")})
    with transaction.atomic():
        current = {p.municipality_id: p for p in
                   Participant.objects.filter(round=rnd).select_related("municipality")}
        added = [m for pk, m in wanted.items() if pk not in current]
        removed = [p for pk, p in current.items() if pk not in wanted]
        _check_municipalities(user, organisation, added)
        blocked = [p.municipality.name for p in removed
                   if p.status != Status.DRAFT or p.answers.exists()]
        if blocked:
            raise ValidationError({"municipalities": _(
                "%(names)s har allerede svaret og kan ikke fjernes fra runden.")
                % {"names": ", ".join(blocked)}})
        save_versioned(rnd, _int(expected_version), [])
        for m in added:
            _add(rnd, m, user)
        for p in removed:
            p.delete()
    return added, [p.municipality for p in removed]


# --- The municipality's answers --------------------------------------------------------------

def set_background(user, participant, expected_version, *, buyer: bool, areas) -> dict:
    """The municipality's background (the køberkommune flag) and whether it answers as a whole
    or split by areas. Changing the split keeps the answers of the areas kept (see
    rules_submission.carry_over); every answer changed or dropped is in the history. An
    indicator whose answers per area change loses the coordinator's resolution on it
    (drop_resolutions)."""
    _require_answerer(user, participant)
    _require_editable(participant)
    areas = [a for a in AREAS if a in set(areas)]
    if len(areas) == 1:
        raise ValidationError({"areas": _(
            "Vælg mindst to områder, eller besvar for hele kommunen.")})
    with transaction.atomic():
        old_areas = participant.answer_areas()
        stored = stored_answers(participant)
        changes = {}
        if [str(a) for a in areas] != list(participant.areas) or buyer != participant.buyer:
            changes[BACKGROUND] = {
                "old": {"buyer": participant.buyer, "areas": list(participant.areas)},
                "new": {"buyer": buyer, "areas": [str(a) for a in areas]}}
        if not changes:
            _check_version(participant, _int(expected_version))
            return {}
        by_number = {a.item.number: a.item for a in stored.values()}
        facts = {(a.item.number, a.area): answer_facts(a) for a in stored.values()}
        kept = carry_over(old_areas, [str(a) for a in areas] or [""], facts)
        participant.buyer = buyer
        participant.areas = [str(a) for a in areas]
        save_versioned(participant, _int(expected_version), ["buyer", "areas"])
        for (_item_id, area), answer in stored.items():
            if (answer.item.number, area) not in kept:
                changes[_key(area, answer.item.number)] = {"old": _value(answer),
                                                           "new": _value(None)}
                answer.delete()
        for (number, area), fact in kept.items():
            item = by_number[number]
            if (item.pk, area) in stored:
                continue
            Answer.objects.create(participant=participant, item=item, area=area,
                                  choice=fact.choice, text=fact.text, ticks=list(fact.ticks))
            changes[_key(area, number)] = {"old": _value(None), "new": {
                "choice": fact.choice, "text": fact.text, "ticks": list(fact.ticks)}}
        before, after = _choices(facts.values()), _choices(kept.values())
        changes.update(drop_resolutions(participant, [
            by_number[n].pk for n in before.keys() | after.keys()
            if before.get(n) != after.get(n)]))
        _event(participant, user, changes=changes)
    return changes


def _choices(facts) -> dict[str, dict[str, str]]:
    """{item number: {area: choice}} of the answered choices among `facts`."""
    found: dict[str, dict[str, str]] = {}
    for f in facts:
        if f.choice:
            found.setdefault(f.number, {})[f.area] = f.choice
    return found


def save_answers(user, participant, expected_version, values) -> dict:
    """Write a draft's answers: `values` maps (item id, area) to the parts given ("choice",
    "text", "ticks"); parts not given keep their stored value. Every answer is checked on its
    own (rules_submission.answer_problems); one problem refuses the whole call and writes
    nothing (the answer page writes nothing while any answer is refused, see views_answer).
    Ticks are kept once each, in the order given. An answer emptied is deleted. A changed
    choice deletes the coordinator's resolution on the indicator (drop_resolutions). Answers
    the changes, as kept in the history."""
    _require_answerer(user, participant)
    _require_editable(participant)
    items = {i.pk: i for i in items_of(participant.round.framework)}
    areas = participant.answer_areas()
    with transaction.atomic():
        stored = stored_answers(participant)
        problems, writes = [], []
        for (item_id, area), parts in values.items():
            item = items.get(item_id)
            if item is None or area not in areas:
                raise ValidationError(_("Svaret hører ikke til rundens skema."))
            old = _value(stored.get((item_id, area)))
            new = {**old, **{k: v for k, v in parts.items() if k in old}}
            new["ticks"] = list(dict.fromkeys(new["ticks"]))
            fact = AnswerFacts(item.number, area, new["choice"], new["text"],
                               tuple(new["ticks"]))
            problems += answer_problems(item_facts(item), fact)
            if new != old:
                writes.append((item, area, old, new, fact))
        if problems:
            raise AnswersRefused(problems)
        if not writes:
            _check_version(participant, _int(expected_version))
            return {}
        save_versioned(participant, _int(expected_version), [])
        changes = {}
        for item, area, old, new, fact in writes:
            answer = stored.get((item.pk, area))
            if is_empty(fact):
                if answer is not None:
                    answer.delete()
            elif answer is None:
                Answer.objects.create(participant=participant, item=item, area=area, **new)
            else:
                Answer.objects.filter(pk=answer.pk).update(**new)
            changes[_key(area, item.number)] = {"old": old, "new": new}
        changes.update(drop_resolutions(participant, [
            item.pk for item, _area, old, new, _fact in writes if old["choice"] != new["choice"]]))
        _event(participant, user, changes=changes)
    return changes


# --- Status moves ----------------------------------------------------------------------------

def _move(user, participant, expected_version, target, comment="", extra=()):
    if not rules.may_move(participant.status, target):
        raise ValidationError(_("Svarene er %(status)s og kan ikke flyttes til %(target)s.")
                              % {"status": participant.get_status_display().lower(),
                                 "target": Status(target).label.lower()})
    source = participant.status
    participant.status = target
    save_versioned(participant, _int(expected_version), ["status", *extra])
    _event(participant, user, from_status=source, to_status=target, comment=comment)


def submit(user, participant, expected_version) -> None:
    """Submit the municipality's answers to the coordinator. Refused, with each problem at its
    item (rules_submission.submission_problems), while anything stands in the way; the draft is
    kept as it is."""
    _require_answerer(user, participant)
    _require_editable(participant)
    with transaction.atomic():
        _check_version(participant, _int(expected_version))
        problems = problems_of(participant)
        if problems:
            raise AnswersRefused(problems)
        participant.submitted_at = clock.now()
        _move(user, participant, expected_version, Status.SUBMITTED, extra=["submitted_at"])


def return_answers(user, participant, expected_version, comment: str) -> None:
    """The coordinator sends submitted answers back with comments; the municipality corrects
    them and submits again. The comment is required."""
    _require_coordinator(user, participant.round)
    _require_open(participant.round)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Skriv, hvad kommunen skal rette.")})
    with transaction.atomic():
        _move(user, participant, expected_version, Status.RETURNED, comment=comment)


def approve(user, participant, expected_version, comment: str = "") -> None:
    """The coordinator approves submitted answers. Approved is final."""
    _require_coordinator(user, participant.round)
    _require_open(participant.round)
    with transaction.atomic():
        _move(user, participant, expected_version, Status.APPROVED,
              comment=(comment or "").strip())


# --- Closing the round -----------------------------------------------------------------------

def _set_closed(user, rnd, expected_version, closed: bool, comment) -> None:
    _require_coordinator(user, rnd)
    if rnd.closed == closed:
        raise ValidationError(_("Runden er allerede afsluttet.") if closed
                              else _("Runden er ikke afsluttet."))
    with transaction.atomic():
        rnd.closed = closed
        save_versioned(rnd, _int(expected_version), ["closed"])
        for participant in rnd.participants.all():
            _event(participant, user, comment=comment)


def close_round(user, rnd, expected_version) -> None:
    """The coordinator closes the round (issue 6 item 2: the coordinator runs the round): from
    then on it is read-only everywhere, for the municipalities' answers, background, submitting
    and import as for the coordinator's returning, approving and resolutions. Each
    participation's history says when and by whom. Optimistic locking on the round's version:
    a stale page closes nothing."""
    _set_closed(user, rnd, expected_version, True, _("Runden er afsluttet af koordinatoren."))


def reopen_round(user, rnd, expected_version) -> None:
    """Undo close_round: the round is open again, each participation in the status it had."""
    _set_closed(user, rnd, expected_version, False, _("Runden er genåbnet af koordinatoren."))
