"""The municipality's own data (issue 5 item 5): its courses, the events of its courses and the
register extract, as CSV, XLSX or JSON, for the municipality's caseworkers
(access.may_drill_down); anyone else, and any other municipality, gets 404.

Downloads stream (jobs.py). The export page counts the rows first: above
FORLOB_EXPORT_JOB_ROWS it starts a job that writes a file in the background, and the job page
polls its progress with htmx until the file can be downloaded, once, by the job's owner.
Every export is audited: one record for the export, and one per citizen whose rows it holds.
"""

import tempfile
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from forlob.audit.recorder import Action, record
from forlob.pathway.forms import choice_field, date_field, style

from . import access, jobs
from .exports import Selection
from .models import ExportJob, ExportKind, JobStatus

#: The exports offered, as "<kind>_<format>".
CHOICES = [
    ("courses_csv", _("Forløb (CSV)")),
    ("courses_xlsx", _("Forløb (regneark, XLSX)")),
    ("events_csv", _("Hændelser i forløbene (CSV)")),
    ("events_xlsx", _("Hændelser i forløbene (regneark, XLSX)")),
    ("register_csv", _("Indberetningshændelser til Stofmisbrugsdatabasen (CSV)")),
    ("register_json", _("Indberetningshændelser til Stofmisbrugsdatabasen (JSON)")),
]


class SelectionForm(forms.Form):
    """Municipality and an optional period. A municipality outside the user's own is 404
    (see `allowed_data`), never a form error."""

    municipality = forms.TypedChoiceField(
        label=_("Kommune"), coerce=int,
        error_messages={"required": _("Vælg en kommune."),
                        "invalid_choice": _("Vælg en af de viste kommuner.")})
    start = date_field(_("Fra og med"), required=False,
                       help_text=_("Tom: fra det første forløb."))
    end = date_field(_("Til og med"), required=False, help_text=_("Tom: til og med i dag."))

    def __init__(self, data=None, *, municipalities, **kwargs):
        super().__init__(data, **kwargs)
        self.municipalities = {m.pk: m for m in municipalities}
        self.fields["municipality"].choices = [(m.pk, f"{m.name} ({m.code})")
                                               for m in municipalities]
        style(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutdatoen ligger før startdatoen."))
        return data

    def selection(self) -> Selection:
        d = self.cleaned_data
        return Selection(d["municipality"], d.get("start"), d.get("end"))

    @property
    def chosen(self):
        return self.municipalities[self.cleaned_data["municipality"]]


class ExportForm(SelectionForm):
    export = choice_field(_("Udtræk"), CHOICES, radio=True)

    field_order = ["export", "municipality", "start", "end"]


def exportable(user) -> list:
    """The municipalities whose data `user` may export: those where the user is caseworker
    (access.may_drill_down). For the dashboard's link to the export page."""
    return [m for m in access.municipalities_for(user) if access.may_drill_down(user, m.pk)]


def allowed(user) -> list:
    """As `exportable`; none is 404."""
    found = exportable(user)
    if not found:
        raise Http404
    return found


def allowed_data(data, municipalities):
    """The request's data, with the municipality filled in when the user has only one; a
    municipality id that is not the user's answers 404 (out of scope looks like unknown)."""
    data = data.copy()
    raw = (data.get("municipality") or "").strip()
    if not raw and len(municipalities) == 1:
        data["municipality"] = str(municipalities[0].pk)
    elif raw.isdigit() and int(raw) not in {m.pk for m in municipalities}:
        raise Http404
    return data


def _query(sel: Selection) -> str:
    params = {k: v for k, v in sel.as_json().items() if v is not None}
    return urlencode(params)


def _page(request, form, status=200):
    mine = ExportJob.objects.filter(user=request.user).exclude(status=JobStatus.GONE)[:10]
    return render(request, "indicators/exports.html", {
        "form": form, "jobs": mine, "threshold": jobs.job_rows()}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def page(request):
    """Choose an export; small ones download at once, large ones run as a job."""
    municipalities = allowed(request.user)
    jobs.purge()
    if request.method != "POST":  # ?municipality= preselects one of the user's own
        chosen = allowed_data(request.GET, municipalities).get("municipality")
        return _page(request, ExportForm(municipalities=municipalities, initial={
            "municipality": chosen or municipalities[0].pk, "export": "courses_csv"}))
    form = ExportForm(allowed_data(request.POST, municipalities),
                      municipalities=municipalities)
    if not form.is_valid():
        return _page(request, form, status=400)
    kind, fmt = form.cleaned_data["export"].split("_")
    sel = form.selection()
    total = jobs.KINDS[kind][1](sel).count()
    if total <= jobs.job_rows():
        return redirect(reverse(f"indicators:export_{kind}_{fmt}") + "?" + _query(sel))
    job = ExportJob.objects.create(user=request.user, kind=kind, format=fmt,
                                   filters=sel.as_json(), total=total)
    text = jobs.purpose(kind, fmt, form.chosen, sel)
    record(request, Action.EXPORT, obj=job, purpose=text)
    jobs.start(job, jobs.audit_template(request.user, form.chosen, text, request))
    return redirect("indicators:export_job", job.pk)


@login_required
@require_safe
def download(request, kind, fmt):
    """One export, streamed (CSV, JSON) or written to a temporary file (XLSX)."""
    municipalities = allowed(request.user)
    form = SelectionForm(allowed_data(request.GET, municipalities),
                         municipalities=municipalities)
    if not form.is_valid():
        return _page(request, form, status=400)
    sel, municipality = form.selection(), form.chosen
    text = jobs.purpose(kind, fmt, municipality, sel)
    record(request, Action.EXPORT, purpose=text)
    auditor = jobs.Auditor(jobs.audit_template(request.user, municipality, text, request))
    name = jobs.filename(kind, fmt, municipality)
    if fmt == "xlsx":
        handle = tempfile.TemporaryFile(dir=jobs.export_dir())  # noqa: SIM115 - FileResponse
        jobs.write_xlsx(kind, sel, auditor, handle)
        handle.seek(0)
        response = FileResponse(handle, as_attachment=True, filename=name,
                                content_type=jobs.CONTENT_TYPES[fmt])
    else:
        response = StreamingHttpResponse(jobs.STREAMS[fmt](kind, sel, auditor),
                                         content_type=jobs.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _own_job(request, exportjob_id) -> ExportJob:
    """The user's own job, for a municipality the user may still export; else 404."""
    job = ExportJob.objects.filter(pk=exportjob_id, user=request.user).first()
    if job is None or job.filters.get("municipality") not in {
            m.pk for m in allowed(request.user)}:
        raise Http404
    return job


@login_required
@require_safe
def job_status(request, exportjob_id):
    """The job's progress: the whole page, or the fragment htmx polls until it is done."""
    job = _own_job(request, exportjob_id)
    template = ("indicators/exports_job_status.html" if getattr(request, "htmx", False)
                else "indicators/exports_job.html")
    return render(request, template, {"job": job, "label": dict(CHOICES).get(
        f"{job.kind}_{job.format}", "")})


@login_required
@require_safe
def job_download(request, exportjob_id):
    """The job's file, once: it is deleted as it is handed over."""
    job = _own_job(request, exportjob_id)
    handle = jobs.take_file(job)
    if handle is None:
        raise Http404
    municipality = next(m for m in allowed(request.user) if m.pk == job.filters["municipality"])
    record(request, Action.EXPORT, obj=job, purpose="hentet: " + jobs.purpose(
        job.kind, job.format, municipality, Selection.from_json(job.filters)))
    response = FileResponse(handle, as_attachment=True,
                            filename=jobs.filename(job.kind, job.format, municipality),
                            content_type=jobs.CONTENT_TYPES[job.format])
    response["Cache-Control"] = "no-store"
    return response


def _download(kind, fmt, stem):
    return path(f"data/{stem}.{fmt}", download, {"kind": kind, "fmt": fmt},
                name=f"export_{kind}_{fmt}")


patterns: list = [
    path("data/", page, name="export_page"),
    _download(ExportKind.COURSES.value, "csv", "forloeb"),
    _download(ExportKind.COURSES.value, "xlsx", "forloeb"),
    _download(ExportKind.EVENTS.value, "csv", "haendelser"),
    _download(ExportKind.EVENTS.value, "xlsx", "haendelser"),
    _download(ExportKind.REGISTER.value, "csv", "indberetning"),
    _download(ExportKind.REGISTER.value, "json", "indberetning"),
    path("data/job/<int:exportjob_id>/", job_status, name="export_job"),
    path("data/job/<int:exportjob_id>/hent", job_download, name="export_job_download"),
]
