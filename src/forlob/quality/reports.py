"""The cluster report (issue 6 item 4) as a plain document structure, rendered as a page and as
a PDF from one body template (templates/quality/report_cluster_body.html), as the published
quality standard is (standards/document.py).

Nothing here decides a category: outcomes.round_outcomes gives each municipality's outcome per
indicator (rules.outcome), rules_reports groups and abbreviates, evidence.evidence_for_round
gives the measured value beside each answer. The answers hold no personal data; the evidence
comes from personal data but is aggregate and always suppressed (evidence.py).

Only answers a municipality has submitted (or the coordinator has approved) go into a report
(rules_reports.reported): a draft, or answers sent back for changes, are named as not submitted
with their status and nothing else, so no one reads another municipality's work in progress."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forlob.organisations.models import PurchaseAgreement

from . import evidence, rules, rules_reports
from .models import (
    Answer,
    Category,
    Choice,
    ClusterReportText,
    DevelopmentProject,
    ItemKind,
    Participant,
    Section,
    StaffCompetence,
    Status,
)
from .outcomes import round_outcomes
from .reports_appendix import Appendix, appendix, area_label

#: The cluster's feedback on the cooperation: the scheme's three questions, in its wording
#: (indikatorskema 2014, klyngens feedback), beside the ClusterReportText field answering each.
FEEDBACK_QUESTIONS = (
    ("feedback_experience", gettext_lazy(
        "Hvad er de væsentligste erfaringer klyngen har gjort sig indtil nu – positive og "
        "negative – i forhold til samarbejdsformen?")),
    ("feedback_contribution", gettext_lazy(
        "Hvad har klyngesamarbejdet bidraget med til målet om øget samspil og samarbejde på "
        "misbrugsområdet?")),
    ("feedback_future", gettext_lazy(
        "Hvad kan klyngen fremadrettet især bidrage med i arbejdet med at hæve kvalitet og "
        "sammenhæng i klyngekommunernes misbrugsbehandling?")),
)


@dataclass(frozen=True)
class Member:
    """A participating municipality as the report lists it."""

    participant_id: int
    municipality_id: int
    name: str
    abbreviation: str
    areas: tuple[str, ...]  # labels of the areas answered separately; empty = as a whole
    buyer: bool
    status: str
    status_label: str


@dataclass(frozen=True)
class Row:
    """One municipality's result on one indicator: raw answers beside the category."""

    member: Member
    raw: tuple[tuple[str, str], ...]  # (area label, "" for the whole municipality; choice)
    category: str | None
    category_label: str
    colour: str  # DKFDS variant (rules.colour)
    judged: bool
    notes: tuple[str, ...]  # how the rules and the coordinator got to the category
    reason: str
    evidence: object | None  # evidence.Evidence


@dataclass(frozen=True)
class Group:
    """The municipalities under one category of one indicator."""

    key: str
    label: str
    colour: str
    members: tuple[tuple[Member, bool], ...]  # (member, category set by judgement)


@dataclass(frozen=True)
class Entry:
    member: Member
    area: str  # area label, "" for the whole municipality
    text: str


@dataclass(frozen=True)
class TextBlock:
    number: str
    text: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Indicator:
    number: str
    text: str
    groups: tuple[Group, ...]
    rows: tuple[Row, ...]
    examples: tuple[TextBlock, ...]

    @property
    def judged(self):
        return tuple(r for r in self.rows if r.judged)


@dataclass(frozen=True)
class Chapter:
    number: str
    title: str
    text: str
    greyed: bool
    indicators: tuple[Indicator, ...]
    texts: tuple[TextBlock, ...]  # explanations, examples and tick-lists of the section
    plans: tuple[TextBlock, ...]  # needs and plans for improvement

    @property
    def anchor(self) -> str:
        return "anbefaling-" + self.number.replace(".", "-")


@dataclass(frozen=True)
class Purchase:
    buyer: Member
    provider: str
    owner: str
    kinds: tuple[str, ...]
    valid_from: object
    valid_to: object


@dataclass(frozen=True)
class ClusterReport:
    round: object
    cluster: object
    framework: object
    members: tuple[Member, ...]  # every participating municipality, reported or not
    chapters: tuple[Chapter, ...]
    focus_areas: tuple[str, ...]
    feedback: tuple[tuple[str, tuple[str, ...]], ...]
    purchases: tuple[Purchase, ...]
    appendix: tuple[Appendix, ...]
    competences: tuple = ()
    projects: tuple = ()
    with_competence: bool = False
    mark = rules_reports.JUDGEMENT_MARK

    @property
    def reported(self) -> tuple[Member, ...]:
        """Members whose answers are in the report (rules_reports.reported)."""
        return tuple(m for m in self.members if rules_reports.reported(m.status))

    @property
    def not_submitted(self) -> tuple[Member, ...]:
        """Members listed only as "Ikke indsendt", by name and status, without answers."""
        return tuple(m for m in self.members if not rules_reports.reported(m.status))

    @property
    def preliminary(self) -> bool:
        return rules_reports.preliminary(m.status for m in self.members)

    @property
    def pending(self) -> tuple[Member, ...]:
        """Members whose answers the coordinator has not approved yet."""
        return tuple(m for m in self.members if m.status != Status.APPROVED)

    @property
    def buyers(self) -> tuple[Member, ...]:
        """The køberkommuner (baggrundsinformation, one of the answers): reported ones only."""
        return tuple(m for m in self.reported if m.buyer)


# --- Shared pieces (the region report reads them too) --------------------------------------


def paragraphs(text: str) -> tuple[str, ...]:
    """A coordinator's text split on blank lines; empty when nothing is written."""
    parts = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    return tuple(p for p in parts if p)


def choice_label(choice: str) -> str:
    return str(Choice(choice).label) if choice in Choice.values else "–"


def category_label(category: str | None) -> str:
    return str(Category(category).label) if category in Category.values else ""


def round_evidence(rnd, participants=None) -> dict:
    """{(municipality id, item number): Evidence} for the round's participants, or the given
    ones (evidence.evidence_for_round, flagged against the resolved answers)."""
    return dict(evidence.evidence_for_round(rnd, participants=participants))


def members_of(participants) -> dict[int, Member]:
    """{participant id: Member}, abbreviated by rules_reports.abbreviations."""
    rows = []
    for p in participants:
        try:
            configured = p.municipality.quality_abbreviation.abbreviation
        except ObjectDoesNotExist:
            configured = ""
        rows.append((p.municipality_id, p.municipality.name, configured))
    abbr = rules_reports.abbreviations(rows)
    return {p.pk: Member(
        participant_id=p.pk, municipality_id=p.municipality_id, name=p.municipality.name,
        abbreviation=abbr[p.municipality_id],
        areas=tuple(area_label(a) for a in p.areas), buyer=p.buyer, status=p.status,
        status_label=str(Status(p.status).label) if p.status in Status.values else p.status)
        for p in participants}


def participants_of(rnd, cluster=None):
    """Every participant of the round (of the cluster), reported or not: the reports name the
    ones not submitted. Build answers only from `reported_participants` of these."""
    qs = Participant.objects.filter(round=rnd).select_related(
        "municipality__quality_abbreviation", "municipality__cluster")
    if cluster is not None:
        qs = qs.filter(municipality__cluster=cluster)
    return list(qs.order_by("municipality__name"))


def reported_participants(participants) -> list:
    """The participants whose answers go into a report (rules_reports.reported)."""
    return [p for p in participants if rules_reports.reported(p.status)]


# --- The cluster report --------------------------------------------------------------------


def _notes(o: rules.Outcome) -> tuple[str, ...]:
    notes = []
    if o.areas_differ:
        notes.append(_("Områderne svarede forskelligt, så kommunens samlede svar er nej."))
    if o.combined == Choice.PARTLY:
        if o.needs_resolution:
            notes.append(_("Delvis afventer koordinatorens afgørelse."))
        elif o.resolved == Choice.PARTLY:
            notes.append(_("Delvis er fastholdt som delvist indfriet."))
        elif o.resolved in (Choice.YES, Choice.NO):
            notes.append(_("Delvis er vurderet til %(choice)s.") % {
                "choice": choice_label(o.resolved).lower()})
    if o.by_judgement:
        notes.append(_("Kategorien er sat ved skøn; reglerne giver: %(rule)s.") % {
            "rule": category_label(o.by_rule) or _("ingen kategori endnu")})
    return tuple(notes)


def _row(member, outcome, found) -> Row:
    raw = tuple((area_label(area), choice_label(choice)) for area, choice in outcome.raw)
    return Row(member=member, raw=raw, category=outcome.category,
               category_label=category_label(outcome.category),
               colour=rules.colour(outcome.category), judged=outcome.by_judgement,
               notes=_notes(outcome), reason=outcome.reason, evidence=found)


GROUP_LABELS = {
    "open": gettext_lazy("Delvis, afventer afgørelse"),
    "unanswered": gettext_lazy("Ikke besvaret"),
}


def _groups(members, outcomes_by_member) -> tuple[Group, ...]:
    groups = []
    for key, ids in rules_reports.grouped(outcomes_by_member).items():
        if key not in rules_reports.CATEGORY_ORDER and not ids:
            continue  # open and unanswered are listed only when someone is in them
        groups.append(Group(
            key=key, label=category_label(key) or str(GROUP_LABELS[key]),
            colour=rules.colour(key),
            members=tuple((members[i], outcomes_by_member[i].by_judgement) for i in ids)))
    return tuple(groups)


def _entries(item, participants, members, answers, show) -> tuple[Entry, ...]:
    entries = []
    for p in participants:
        for area in p.answer_areas():
            a = answers.get((p.pk, item.pk, area))
            text = show(a) if a is not None else ""
            if text:
                entries.append(Entry(members[p.pk], area_label(area), text))
    return tuple(entries)


def _text(a) -> str:
    return a.text.strip()


def _ticks(a) -> str:
    return ", ".join(str(t) for t in a.ticks)


def _chapter(section, participants, members, outcomes, answers, found) -> Chapter:
    items = list(section.items.all())
    numbers = [i.number for i in items if i.kind == ItemKind.INDICATOR]
    attached, texts, plans = defaultdict(list), [], []
    for item in items:
        if item.kind == ItemKind.INDICATOR:
            continue
        show = _ticks if item.kind == ItemKind.TICKLIST else _text
        block = TextBlock(item.number, item.text,
                          _entries(item, participants, members, answers, show))
        parent = (rules_reports.examples_parent(item.number, numbers)
                  if item.kind == ItemKind.EXAMPLES else None)
        if parent:
            attached[parent].append(block)
        elif item.kind == ItemKind.PLAN:
            plans.append(block)
        else:
            texts.append(block)
    indicators = []
    if not section.greyed:
        for item in items:
            if item.kind != ItemKind.INDICATOR:
                continue
            by_member = {p.pk: outcomes[(p.pk, item.pk)] for p in participants}
            rows = tuple(_row(members[p.pk], by_member[p.pk],
                              found.get((p.municipality_id, item.number)))
                         for p in participants)
            indicators.append(Indicator(item.number, item.text, _groups(members, by_member),
                                        rows, tuple(attached[item.number])))
    return Chapter(section.number, section.title, section.text, section.greyed,
                   tuple(indicators), tuple(texts) if not section.greyed else (),
                   tuple(plans) if not section.greyed else ())


def _purchases(rnd, participants, members) -> tuple[Purchase, ...]:
    by_municipality = {p.municipality_id: members[p.pk] for p in participants}
    agreements = PurchaseAgreement.objects.filter(
        municipality_id__in=by_municipality, valid_from__lte=rnd.period_end,
    ).select_related("provider__owner_municipality").order_by(
        "municipality__name", "provider__name", "valid_from")
    result = []
    for a in agreements:
        if not rules_reports.in_force_during(a.valid_from, a.valid_to, rnd.period_start,
                                             rnd.period_end):
            continue
        owner = a.provider.owner_municipality
        if owner is None:
            owner_text = _("Privat tilbud")
        elif owner.pk == a.municipality_id:
            owner_text = _("Kommunens eget tilbud")
        else:
            owner_text = owner.name
        result.append(Purchase(by_municipality[a.municipality_id], a.provider.name, owner_text,
                               tuple(str(k) for k in a.kind_labels()), a.valid_from,
                               a.valid_to))
    return tuple(result)


def _competence(rnd, cluster):
    """The competence map of the cluster (issue 6 item 9): entries of its municipalities, of
    the providers they own, and of the providers that served them during the round's period
    (as the competence search shows them)."""
    served = [a.provider_id for a in PurchaseAgreement.objects.filter(
        municipality__cluster=cluster, valid_from__lte=rnd.period_end)
        if rules_reports.in_force_during(a.valid_from, a.valid_to, rnd.period_start,
                                         rnd.period_end)]
    mine = (Q(municipality__cluster=cluster) | Q(provider__owner_municipality__cluster=cluster)
            | Q(provider_id__in=served))
    return (tuple(StaffCompetence.objects.filter(mine).select_related("municipality",
                                                                       "provider")),
            tuple(DevelopmentProject.objects.filter(mine).select_related("municipality",
                                                                          "provider")))


def answers_of(participants) -> dict[tuple[int, int, str], Answer]:
    """{(participant id, item id, area): Answer} in one query; only reported participants'
    answers (rules_reports.reported), whatever is passed."""
    return {(a.participant_id, a.item_id, a.area): a
            for a in Answer.objects.filter(
                participant__in=[p.pk for p in participants],
                participant__status__in=rules_reports.REPORTED_STATUSES)}


def build_cluster_report(rnd, cluster, *, with_competence=False) -> ClusterReport:
    """The report of one cluster in a round: a bounded number of queries whatever its size."""
    everyone = participants_of(rnd, cluster)
    members = members_of(everyone)
    participants = reported_participants(everyone)
    sections = list(Section.objects.filter(framework=rnd.framework).prefetch_related("items"))
    outcomes = round_outcomes(rnd, participants)
    answers = answers_of(participants)
    found = round_evidence(rnd, participants) if participants else {}
    text = ClusterReportText.objects.filter(round=rnd, cluster=cluster).first()
    competences, projects = _competence(rnd, cluster) if with_competence else ((), ())
    return ClusterReport(
        round=rnd, cluster=cluster, framework=rnd.framework,
        members=tuple(members[p.pk] for p in everyone),
        chapters=tuple(_chapter(s, participants, members, outcomes, answers, found)
                       for s in sections),
        focus_areas=paragraphs(text.focus_areas if text else ""),
        feedback=tuple((str(question), paragraphs(getattr(text, field, "") if text else ""))
                       for field, question in FEEDBACK_QUESTIONS),
        purchases=_purchases(rnd, everyone, members),
        appendix=tuple(appendix(p, members[p.pk], sections, answers) for p in participants),
        competences=competences, projects=projects, with_competence=with_competence)
