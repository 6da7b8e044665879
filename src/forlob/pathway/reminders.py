"""Reminders before deadlines (issues 3 and 4, item 10): one e-mail per recipient.

The clocks come from services.course_clocks (rules.clocks) before treatment start and from
treatment.worklist.due_items after it, never computed here. A pathway clock goes to the course's
responsible caseworker; a treatment item to its owner (treatment.rules.owner): the caseworker, or
the clinicians of the provider treating the citizen while the citizen is actively referred there
(plan, reviews, outreach; follow-ups after discharge unless the municipality does them itself).
A clock is due for a reminder at each threshold in `days_before` (by default 3 days and 1 day
before its due date) and once more when it is overdue. Each (course, clock, due date, stage) is
sent once: the job records a ReminderSent row in the same transaction as the e-mail, and a
missed run catches up at the next one (a clock 2 days from its due date still gets its 3-day
reminder).

The e-mails hold no personal data: no CPR number and no name, only an opaque course reference
and a link to the case page, which requires login and is scoped and audited as always.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import ngettext

from forlob.accounts.models import Role, User
from forlob.audit.recorder import Action, record
from forlob.citizens.models import Referral
from forlob.treatment.clocks import LABELS as TREATMENT_LABELS
from forlob.treatment.rules import Party
from forlob.treatment.worklist import FollowUpSetting, owned_by

from . import rules, services
from .choices import CLOCK_LABELS
from .models import Course, ReminderSent

log = logging.getLogger(__name__)

DAYS_BEFORE = (3, 1)
OVERDUE = "overdue"
EMAIL_TEMPLATE = "pathway/letters/reminder_email.txt"


@dataclass(frozen=True)
class DueItem:
    course_id: int
    clock: str
    due: dt.date
    days_left: int  # negative when overdue
    stage: str  # a threshold in days ("3", "1") or "overdue"
    treatment: bool = False  # an item after treatment start (treatment.worklist)

    @property
    def reference(self) -> str:
        """Opaque: the course id, nothing about the person."""
        return f"F-{self.course_id}"

    @property
    def key(self) -> str:
        """What ReminderSent.clock stores: the clock and the stage, e.g. "decision:1"."""
        return f"{self.clock}:{self.stage}"

    @property
    def label(self):
        if self.treatment:
            return TREATMENT_LABELS.get(self.clock, self.clock)
        return CLOCK_LABELS.get(self.clock, self.clock)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left


def stage_for(days_left: int, days_before=DAYS_BEFORE) -> str | None:
    """The reminder stage of an open clock: the smallest threshold it has reached, "overdue"
    past its due date, or None when no reminder is due yet."""
    if days_left < 0:
        return OVERDUE
    reached = [d for d in sorted(days_before) if days_left <= d]
    return str(reached[0]) if reached else None


def course_link(course_id: int) -> str:
    try:
        path = reverse("pathway:case", kwargs={"course_id": course_id})
    except NoReverseMatch:
        path = reverse("portal:home")
    return settings.FORLOB_BASE_URL.rstrip("/") + path


def _courses():
    return (Course.objects.filter(caseworker__isnull=False, caseworker__is_active=True,
                                  requests__isnull=False)
            .distinct().select_related("caseworker", "citizen").order_by("pk"))


def _clinicians(course, today, cache):
    """Active clinicians of the provider treating the citizen, while the referral is active."""
    provider_id = course.start.provider_id
    if not Referral.objects.active(today).filter(citizen_id=course.citizen_id,
                                                 provider_id=provider_id).exists():
        return []
    if provider_id not in cache:
        cache[provider_id] = list(User.objects.filter(
            is_active=True, memberships__role=Role.CLINICIAN,
            memberships__provider_id=provider_id).distinct().order_by("pk"))
    return cache[provider_id]


def _treatment_reminders(today, days_before, sent, result):
    """Treatment items (treatment.worklist) of started courses, to their owners."""
    setting, clinicians = FollowUpSetting(today), {}
    courses = (Course.objects.filter(start__isnull=False).select_related("caseworker", "start")
               .order_by("pk"))
    for course in courses:
        by = setting(course)
        for party in (Party.CASEWORKER, Party.CLINICIAN):
            if party == Party.CASEWORKER:
                caseworker = course.caseworker
                users = [caseworker] if caseworker is not None and caseworker.is_active else []
            else:
                users = _clinicians(course, today, clinicians)
            if not users:
                continue
            for row in owned_by(course, party, today, by):
                c = row.clock
                days_left = c.days_left
                stage = stage_for(days_left, days_before)
                if stage is None:
                    continue
                item = DueItem(course.pk, c.name, c.due, days_left, stage, treatment=True)
                if (course.pk, item.key, c.due) in sent:
                    continue
                for user in users:
                    result[user].append(item)


def due_reminders(today: dt.date, days_before=DAYS_BEFORE, exclude_sent: bool = True):
    """Open clocks due in `days_before` days (or fewer) or overdue, grouped by recipient:
    {user: [DueItem, ...]} sorted by due date. Reminders already sent for the same stage are
    left out unless `exclude_sent` is False."""
    sent = set()
    if exclude_sent:
        sent = set(ReminderSent.objects.values_list("course_id", "clock", "due"))
    result = defaultdict(list)
    _treatment_reminders(today, days_before, sent, result)
    for course in _courses():
        for c in services.course_clocks(course, today):
            if c.done_on is not None or c.due is None or c.status == rules.ClockStatus.WAIVED:
                continue
            days_left = c.days_left
            stage = stage_for(days_left, days_before)
            if stage is None:
                continue
            item = DueItem(course.pk, c.name, c.due, days_left, stage)
            if (course.pk, item.key, c.due) in sent:
                continue
            result[course.caseworker].append(item)
    return {user: sorted(items, key=lambda i: (i.due, i.course_id, i.clock))
            for user, items in result.items()}


def render_email(items) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        overdue = sum(1 for i in items if i.overdue and not i.treatment)
        subject = ngettext("Forløb: %(n)d frist kræver din opmærksomhed",
                           "Forløb: %(n)d frister kræver din opmærksomhed",
                           len(items)) % {"n": len(items)}
        by_course = defaultdict(list)
        for item in items:  # items come sorted by due date: courses in order of urgency
            by_course[item.course_id].append(item)
        body = render_to_string(EMAIL_TEMPLATE, {
            "courses": [(rows[0].reference, course_link(cid), rows)
                        for cid, rows in by_course.items()],
            "overdue": overdue,
        })
    return subject, body


def send_reminders(today: dt.date, days_before=DAYS_BEFORE, dry_run: bool = False) -> dict:
    """Send one e-mail per recipient with the reminders due today; each reminder once (an item
    owned by several clinicians of a provider goes to each of them in the same run, and is then
    marked sent). Returns counts: emails, reminders, skipped (users without an e-mail address)."""
    counts = {"emails": 0, "reminders": 0, "skipped": 0}
    due = due_reminders(today, days_before)
    claimed = set()  # items marked sent in this run, still to go to their other recipients
    connection = None if dry_run else get_connection()
    for user, items in due.items():
        if not user.email:
            log.warning("reminders: user %s has no e-mail address", user.pk)
            counts["skipped"] += 1
            continue
        if dry_run:
            counts["emails"] += 1
            counts["reminders"] += len(items)
            continue
        new = []
        with transaction.atomic():
            fresh = []
            for item in items:
                ident = (item.course_id, item.key, item.due)
                if ident in claimed:
                    fresh.append(item)
                    continue
                _row, created = ReminderSent.objects.get_or_create(
                    course_id=item.course_id, clock=item.key, due=item.due)
                if created:  # another run may have sent it meanwhile
                    new.append(ident)
                    fresh.append(item)
            if not fresh:
                continue
            subject, body = render_email(fresh)
            # Sent inside the transaction: if sending fails, nothing is marked as sent.
            EmailMessage(subject, body, to=[user.email], connection=connection).send()
            courses = {c.pk: c for c in Course.objects.filter(
                pk__in={i.course_id for i in fresh}).select_related("citizen")}
            for course in courses.values():
                record(None, Action.EXPORT, citizen=course.citizen, obj=course,
                       purpose=f"påmindelse om frist sendt til {user.get_username()}")
        claimed.update(new)
        counts["emails"] += 1
        counts["reminders"] += len(fresh)
    return counts
