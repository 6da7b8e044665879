"""The administrator's read-only view of the audit log, with filters and CSV export.

Records are scoped through the access layer (audit/scoping.py): an administrator sees the
records about their municipality's citizens and those written by their municipality's staff.
The log holds a citizen reference (UUID), never a name or CPR number; free text (purpose) is
redacted for anything shaped like a CPR number before it is shown or exported.
"""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from forlob import clock
from forlob.access import scope_for, scoped
from forlob.accounts.models import Role
from forlob.citizens.rules import redact

from .forms import AuditFilterForm
from .models import Action, AuditEvent
from .recorder import record

PAGE_SIZE = 50
#: Stored in Danish whatever the interface language.
EXPORT_PURPOSE = gettext_noop("eksport af adgangslog")
CSV_FIELDS = ("at", "username", "role", "organisation", "action", "citizen_ref",
              "object_type", "object_id", "purpose", "channel", "path", "ip")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROLE_LABELS = dict(Role.choices)


def _require_admin(request):
    if not scope_for(request.user).admin_municipalities:
        raise Http404


def _events(request, form):
    qs = scoped(request.user, AuditEvent).order_by("-at", "-id")
    return form.apply(qs)


@login_required
@require_GET
def log(request):
    _require_admin(request)
    form = AuditFilterForm(request.GET)
    page, events = None, []
    if form.is_valid():
        page = Paginator(_events(request, form), PAGE_SIZE).get_page(request.GET.get("side"))
        events = list(page.object_list)
        for event in events:  # shown only, never saved (the log is append-only)
            event.purpose = redact(event.purpose)
            event.role_label = ROLE_LABELS.get(event.role, event.role)
    return render(request, "audit/log.html", {
        "form": form, "page": page, "events": events,
        "filtered": form.is_valid() and form.is_filtered(),
    })


class _Echo:
    """A write-only buffer: csv.writer hands each row straight to the response."""

    def write(self, value):
        return value


def _cell(value) -> str:
    """One CSV cell; text that a spreadsheet would run as a formula is quoted with '."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _rows(events):
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # byte-order mark: spreadsheets then read æ, ø and å correctly
    yield writer.writerow([str(AuditEvent._meta.get_field(f).verbose_name) for f in CSV_FIELDS])
    tz = timezone.get_current_timezone()
    for e in events.iterator(chunk_size=2000):
        yield writer.writerow([
            _cell(e.at.astimezone(tz).isoformat(timespec="seconds")), _cell(e.username),
            _cell(e.role), _cell(e.organisation), _cell(e.action), _cell(e.citizen_ref),
            _cell(e.object_type), _cell(e.object_id), _cell(redact(e.purpose)),
            _cell(e.channel), _cell(redact(e.path)), _cell(e.ip),
        ])


@login_required
@require_GET
def export(request):
    """Stream the filtered log as CSV (semicolon separated, UTF-8). The export is audited."""
    _require_admin(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/log.html", {
            "form": form, "page": None, "events": [], "filtered": True,
        }, status=400)
    record(request, Action.EXPORT, purpose=EXPORT_PURPOSE)
    response = StreamingHttpResponse(_rows(_events(request, form)),
                                     content_type="text/csv; charset=utf-8")
    filename = f"adgangslog-{clock.today():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
