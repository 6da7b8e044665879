"""The region report (issue 6 item 5) as a plain document structure, rendered as a page and as a
PDF from one body template (templates/quality/report_region_body.html).

Per indicator a bar chart of the resolved ja, delvis and nej answers in each cluster
(rules_reports.tally; charts_quality), per recommendation the coordinator's status text and
recommendations (SectionReportText), the overall conclusions (RegionReportText), and the
municipalities that did not take part. A region round covers the clusters of its region; a
cluster round's region report shows its one cluster (status 2014).

The tallies, charts and evidence counts are built only from answers a municipality has
submitted or the coordinator has approved (rules_reports.reported); the others are named as
not submitted. Beside each tally, how many of the cluster's municipalities gave an answer the
measured data contradicts (evidence.evidence_for_round, rules_reports.flagged; issue 6 item 6
"Show the evidence … in both reports"), and per indicator who they are."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.safestring import mark_safe

from forlob.organisations.models import Cluster, Municipality

from . import charts_quality, rules_reports
from .models import RegionReportText, Section, SectionReportText, Status
from .outcomes import indicators, round_outcomes
from .reports import (
    Member,
    members_of,
    paragraphs,
    participants_of,
    reported_participants,
    round_evidence,
)


@dataclass(frozen=True)
class ClusterCount:
    name: str
    tally: rules_reports.Tally  # of the reported municipalities only
    flagged: int = 0  # of those, answers the measured data contradicts
    not_submitted: int = 0  # participants whose answers are not in (not counted)


@dataclass(frozen=True)
class Flagged:
    """A municipality whose answer to an indicator the measured data contradicts."""

    member: Member
    cluster: str


@dataclass(frozen=True)
class Chart:
    number: str
    text: str
    title: tuple[str, ...]
    counts: tuple[ClusterCount, ...]
    svg: str  # inline SVG from vl-convert ("" when not rendered)
    flagged: tuple[Flagged, ...] = ()

    @property
    def anchor(self) -> str:
        return "indikator-" + self.number.replace(".", "-")


@dataclass(frozen=True)
class RegionChapter:
    section_id: int
    number: str
    title: str
    text: str
    greyed: bool
    charts: tuple[Chart, ...]
    status: tuple[str, ...]
    recommendations: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return "anbefaling-" + self.number.replace(".", "-")


@dataclass(frozen=True)
class Absent:
    cluster: str
    municipalities: tuple[str, ...]


@dataclass(frozen=True)
class RegionReport:
    round: object
    framework: object
    scope: str  # the region's name, or the cluster's for a cluster round
    clusters: tuple[tuple[str, tuple[Member, ...]], ...]  # clusters that took part, reported
    chapters: tuple[RegionChapter, ...]
    conclusions: tuple[str, ...]
    absent: tuple[Absent, ...]
    pending: tuple[Member, ...]  # answers not approved yet
    not_submitted: tuple[Member, ...] = ()  # named with their status, not counted
    preliminary: bool = False  # rules_reports.preliminary

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(c for chapter in self.chapters for c in chapter.charts)


def round_clusters(rnd):
    """The clusters a round covers: the region's clusters, or the round's one cluster."""
    if rnd.cluster_id:
        return Cluster.objects.filter(pk=rnd.cluster_id)
    return Cluster.objects.filter(region_id=rnd.region_id).order_by("name")


def _svg(chart_title, counts) -> str:
    spec = charts_quality.tally_spec(list(chart_title), [(c.name, c.tally) for c in counts])
    # The SVG comes from vl-convert, which escapes the labels in it, not from user input.
    return mark_safe(charts_quality.to_svg(spec))  # noqa: S308


def _chart(item, taking_part, by_cluster, waiting, outcomes, found, members,
           with_svg) -> Chart:
    counts, flagged = [], []
    for c in taking_part:
        ids = rules_reports.flagged({p.pk: found.get((p.municipality_id, item.number))
                                     for p in by_cluster[c.pk]})
        flagged.extend(Flagged(members[i], c.name) for i in ids)
        counts.append(ClusterCount(
            c.name, rules_reports.tally(outcomes[(p.pk, item.pk)] for p in by_cluster[c.pk]),
            flagged=len(ids), not_submitted=len(waiting[c.pk])))
    title = tuple(charts_quality.title_lines(item.number, item.text))
    return Chart(item.number, item.text, title, tuple(counts),
                 _svg(title, counts) if with_svg else "", tuple(flagged))


def build_region_report(rnd, *, with_svg=True) -> RegionReport:
    """The region report of a round, in a bounded number of queries (charts are rendered one
    per answerable indicator, cached by their content)."""
    clusters = list(round_clusters(rnd))
    everyone = participants_of(rnd)
    members = members_of(everyone)
    participants = reported_participants(everyone)
    reported = {p.pk for p in participants}
    by_cluster, waiting = defaultdict(list), defaultdict(list)
    for p in everyone:
        (by_cluster if p.pk in reported else waiting)[p.municipality.cluster_id].append(p)
    taking_part = [c for c in clusters if by_cluster.get(c.pk) or waiting.get(c.pk)]
    outcomes = round_outcomes(rnd, participants)
    found = round_evidence(rnd, participants) if participants else {}
    items_by_section = defaultdict(list)
    for item in indicators(rnd.framework):
        items_by_section[item.section_id].append(item)
    texts = {t.section_id: t for t in SectionReportText.objects.filter(round=rnd)}
    chapters = []
    for section in Section.objects.filter(framework=rnd.framework):
        charts = [_chart(item, taking_part, by_cluster, waiting, outcomes, found, members,
                         with_svg)
                  for item in (items_by_section.get(section.pk, []) if not section.greyed
                               else [])]
        text = texts.get(section.pk)
        chapters.append(RegionChapter(
            section.pk, section.number, section.title, section.text, section.greyed,
            tuple(charts), paragraphs(text.status_text if text else ""),
            paragraphs(text.recommendations if text else "")))
    region_text = RegionReportText.objects.filter(round=rnd).first()
    joined = {p.municipality_id for p in everyone}
    absent = defaultdict(list)
    for m in Municipality.objects.filter(cluster__in=clusters).exclude(pk__in=joined).order_by(
            "name"):
        absent[m.cluster_id].append(m.name)
    return RegionReport(
        round=rnd, framework=rnd.framework,
        scope=rnd.cluster.name if rnd.cluster_id else rnd.region.name,
        clusters=tuple((c.name, tuple(members[p.pk] for p in by_cluster[c.pk]))
                       for c in taking_part),
        chapters=tuple(chapters),
        conclusions=paragraphs(region_text.conclusions if region_text else ""),
        absent=tuple(Absent(c.name, tuple(absent[c.pk])) for c in clusters if absent.get(c.pk)),
        pending=tuple(m for m in members.values() if m.status != Status.APPROVED),
        not_submitted=tuple(members[p.pk] for p in everyone if p.pk not in reported),
        preliminary=rules_reports.preliminary(p.status for p in everyone))
