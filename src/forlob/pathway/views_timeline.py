"""What the case page shows: the course's clocks and a timeline of its recorded facts.

Presentation only. Deadlines, statuses and days left come from services.course_clocks (the
rules); screening zones and cut-offs from screening.py.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import rules
from .choices import CLOCK_LABELS, DOMAINS
from .screening import InvalidAnswers, audit_score, dudit_score

STATUS = {
    rules.ClockStatus.OPEN: (_("Åben"), "badge-info"),
    rules.ClockStatus.MET: (_("Overholdt"), "badge-success"),
    rules.ClockStatus.BREACHED: (_("Overskredet"), "badge-error"),
    rules.ClockStatus.WAIVED: (_("Ingen garanti"), "badge-warning"),
}


@dataclass(frozen=True)
class ClockRow:
    clock: rules.Clock
    breach_recorded: bool = False

    @property
    def label(self):
        return CLOCK_LABELS.get(self.clock.name, self.clock.name)

    @property
    def status_label(self):
        return STATUS[self.clock.status][0]

    @property
    def badge(self):
        return STATUS[self.clock.status][1]

    @property
    def is_open(self) -> bool:
        return self.clock.done_on is None and self.clock.status in (
            rules.ClockStatus.OPEN, rules.ClockStatus.BREACHED)

    @property
    def overdue(self) -> bool:
        return self.is_open and self.clock.status == rules.ClockStatus.BREACHED

    @property
    def days_text(self) -> str:
        c = self.clock
        if c.status == rules.ClockStatus.WAIVED:
            return _("ingen garanti – ventedage: %(n)s") % {"n": c.waiting_days}
        if c.done_on is not None or c.days_left is None:
            return ""
        if c.days_left >= 0:
            return ngettext("%(n)s dag tilbage", "%(n)s dage tilbage", c.days_left) % {
                "n": c.days_left}
        late = -c.days_left
        return ngettext("%(n)s dag over fristen", "%(n)s dage over fristen", late) % {"n": late}


def clock_rows(course, clocks) -> list[ClockRow]:
    recorded = set(course.breaches.values_list("clock", flat=True))
    return [ClockRow(c, c.name in recorded) for c in clocks]


@dataclass
class Entry:
    on: dt.date
    title: str
    details: list = field(default_factory=list)  # (label, value)
    order: int = 0
    decision: object = None  # a decision entry links to its letter


def _yes(value) -> str:
    return str(_("ja")) if value else str(_("nej"))


def _screening_text(result, sex) -> str:
    try:
        if result.instrument == "audit":
            zone = audit_score(result.answers).zone
            return _("score %(total)s, risikozone %(zone)s") % {"total": result.total,
                                                               "zone": zone}
        dudit = dudit_score(result.answers, sex)
    except InvalidAnswers:
        return _("score %(total)s") % {"total": result.total}
    parts = [str(_("score %(total)s") % {"total": result.total})]
    if dudit.probable_dependence:
        parts.append(str(_("sandsynlig afhængighed")))
    elif dudit.problems_indicated:
        parts.append(str(_("tegn på stofrelaterede problemer")))
    return ", ".join(parts)


def timeline(course) -> list[Entry]:
    """Every recorded fact of the course, oldest first."""
    entries: list[Entry] = []
    add = entries.append
    for c in course.contacts.all():
        add(Entry(c.received_on, _("Henvendelse"), [
            (_("Kanal"), c.get_channel_display()), (_("Rusmidler"), c.get_substances_display()),
            (_("Drejer sig om"), c.get_asks_display()), (_("Bemærkninger"), c.notes)], 0))
    for s in course.counselling.all():
        add(Entry(s.held_on, _("Rådgivningssamtale"), [
            (_("Opsøgende"), _yes(s.outreach)), (_("Andre behov"), s.other_needs),
            (_("Henvist til"), s.referred_to)], 1))
    for r in course.requests.all():
        add(Entry(r.requested_on, _("Anmodning om behandling"), [
            (_("Kanal"), r.get_channel_display()), (_("Partsrepræsentant"), r.representative),
            (_("Oplyst om partsrepræsentation"), _yes(r.told_representation)),
            (_("Oplyst om lægesamtale"), _yes(r.told_doctor)),
            (_("Oplyst om frit valg"), _yes(r.told_free_choice))], 2))
    doctor = getattr(course, "doctor", None)
    if doctor is not None:
        answer = {True: _("takkede ja"), False: _("takkede nej")}.get(doctor.accepted,
                                                                      _("ikke svaret"))
        add(Entry(doctor.offered_on, _("Lægesamtale tilbudt"), [(_("Svar"), answer)], 3))
        if doctor.held_on:
            add(Entry(doctor.held_on, _("Lægesamtale afholdt"),
                      [(_("Fund"), doctor.findings)], 4))
    for a in course.assessments.all():
        details = [(_("Redskab"), a.get_instrument_display())]
        details += [(label, (a.domains.get(key) or {}).get("findings", ""))
                    for key, label in DOMAINS]
        details += [
            (_("Behov for anden hjælp"), a.other_help),
            (_("Specialiseret screening eller udredning"), _yes(a.screening_needed)),
            (_("Børn under 18 år i hjemmet"), _yes(a.children_at_home)
             + (f" ({a.children_count})" if a.children_count else "")),
            (_("Graviditet"), _yes(a.pregnancy)),
        ]
        if rules.notification_duty(a.children_at_home, a.pregnancy):
            sent = (_("sendt %(day)s til %(to)s") % {"day": a.notified_on.strftime("%d-%m-%Y"),
                                                     "to": a.notified_to or "–"}
                    if a.notified_on else _("ikke registreret"))
            details.append((_("Underretning (SEL § 153)"), sent))
        add(Entry(a.done_on, _("Helhedsorienteret afdækning"), details, 5))
    sex = course.citizen.sex
    for s in course.screenings.all():
        add(Entry(s.administered_on, s.get_instrument_display(),
                  [(_("Resultat"), _screening_text(s, sex))], 6))
    for d in course.decisions.select_related("provider"):
        add(Entry(d.decided_on, _("Afgørelse: %(outcome)s") % {"outcome": d.get_outcome_display()},
                  [(_("Retsgrundlag"), rules.legal_basis(d.track)),
                   (_("Tilbud"), d.provider.name if d.provider else ""),
                   (_("Intensitet"), d.get_intensity_display()),
                   (_("Begrundelse"), d.reasons)], 7, decision=d))
    for f in course.free_choices.select_related("provider"):
        add(Entry(f.chosen_on, _("Frit valg"), [
            (_("Valgt tilbud"), f.provider.name if f.provider else ""),
            (_("Begrænset"), _yes(f.limited)), (_("Begrundelse"), f.limit_reason)], 8))
    start = getattr(course, "start", None)
    if start is not None:
        add(Entry(start.started_on, _("Behandling iværksat"), [
            (_("Tilbud"), start.provider.name),
            (_("Forbehandling"), _yes(start.pre_treatment))], 9))
        add(Entry(start.enrolled_on, _("Tilknyttet tilbud"), [(_("Tilbud"), start.provider.name)],
                  10))
    for b in course.breaches.all():
        add(Entry(timezone.localdate(b.recorded_at), _("Fristoverskridelse registreret"), [
            (_("Frist"), CLOCK_LABELS.get(b.clock, b.clock)),
            (_("Årsag"), b.get_reason_display()),
            (_("Bemærkning"), b.note)], 11))
    for e in entries:
        e.details = [(label, value) for label, value in e.details if value]
    return sorted(entries, key=lambda e: (e.on, e.order))
