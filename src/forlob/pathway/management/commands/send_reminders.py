"""Send reminder e-mails to caseworkers and clinicians before deadlines (issues 3-4, item 10).

Run once a day from cron (docs/operations.md). Safe to run more often: each reminder is sent once.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from forlob import clock
from forlob.pathway import reminders


def _days(text: str) -> tuple[int, ...]:
    try:
        days = tuple(sorted({int(part) for part in text.split(",") if part.strip()},
                            reverse=True))
    except ValueError as exc:
        raise CommandError("--days-before takes whole numbers, e.g. 3,1") from exc
    if not days or min(days) < 0:
        raise CommandError("--days-before takes whole numbers of 0 or more, e.g. 3,1")
    return days


class Command(BaseCommand):
    help = ("Send each responsible caseworker and clinician one e-mail about deadlines coming "
            "up or overdue.")

    def add_arguments(self, parser):
        parser.add_argument("--days-before", default=",".join(map(str, reminders.DAYS_BEFORE)),
                            help="remind this many days before a deadline (default 3,1)")
        parser.add_argument("--dry-run", action="store_true",
                            help="count what would be sent; send and record nothing")

    def handle(self, *args, days_before, dry_run, **options):
        today: dt.date = clock.today()
        counts = reminders.send_reminders(today, _days(days_before), dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"{today.isoformat()}: {verb} {counts['reminders']} reminder(s) in "
            f"{counts['emails']} e-mail(s); {counts['skipped']} user(s) without an "
            "e-mail address skipped.")
