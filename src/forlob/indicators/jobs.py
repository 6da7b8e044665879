"""Writing exports (issue 5 item 5): streamed CSV and JSON, XLSX through openpyxl's write-only
mode into a file, the audit of every citizen whose rows leave the system, and export jobs that
write large exports to a file in the background while the page shows progress.

Memory stays flat: rows come from `queryset.iterator(chunk_size=CHUNK)` and leave in batches of
CHUNK; the audit keeps only the last citizen seen (the row queries are ordered by citizen) and
writes one INSERT per batch, before the batch is handed on.
"""

import csv
import datetime as dt
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from forlob.accounts.models import Role
from forlob.audit.models import Action, AuditEvent
from forlob.organisations.models import Municipality

from . import exports, register
from .exports import Selection
from .models import ExportJob, ExportKind, JobStatus

logger = logging.getLogger(__name__)

#: Rows fetched from the database and handed on at a time.
CHUNK = 2000
#: An export page starts a background job above this many rows (FORLOB_EXPORT_JOB_ROWS).
JOB_ROWS = 5000
#: Job files are deleted this long after the job was created, downloaded or not.
KEEP_HOURS = 24
#: XLSX holds at most 1,048,576 rows a sheet; more go on the next sheet.
SHEET_ROWS = 1_048_575

#: Kind -> (fields, row query, formats offered, file name stem).
KINDS = {
    ExportKind.COURSES: (exports.COURSE_FIELDS, exports.courses, ("csv", "xlsx"), "forloeb"),
    ExportKind.EVENTS: (exports.EVENT_FIELDS, exports.events, ("csv", "xlsx"), "haendelser"),
    ExportKind.REGISTER: (register.REGISTER_FIELDS, register.events, ("csv", "json"),
                          "indberetning"),
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def job_rows() -> int:
    return getattr(settings, "FORLOB_EXPORT_JOB_ROWS", JOB_ROWS)


def export_dir() -> Path:
    """Where job files are written: FORLOB_EXPORT_DIR, else <VAR_DIR>/exports (mode 0700)."""
    folder = Path(getattr(settings, "FORLOB_EXPORT_DIR", settings.VAR_DIR / "exports"))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def purpose(kind: str, fmt: str, municipality: Municipality, sel: Selection) -> str:
    """The audit purpose, in Danish whatever the interface language."""
    period = f"{sel.start or '…'} – {sel.end or '…'}"
    return (f"eksport af egne data: {KINDS[kind][3]} ({fmt.upper()}), {municipality.name} "
            f"({municipality.code}), periode {period}")


# --- Audit -----------------------------------------------------------------------------------

def audit_template(user, municipality: Municipality, text: str, request=None) -> dict:
    """The fields every audit record of one export shares: who, in which capacity (the user's
    caseworker membership of the municipality, access.may_drill_down), from where, and why."""
    role = Role.CASEWORKER
    path = request.path if request is not None else ""
    return {
        "user_id": user.pk, "username": user.get_username(), "role": role,
        "organisation": municipality.name[:200], "actor_municipality_id": municipality.pk,
        "action": Action.EXPORT, "purpose": text[:300],
        "channel": "api" if path.startswith("/api/") else ("ui" if request else "cli"),
        "path": path[:300], "ip": request.META.get("REMOTE_ADDR") if request else None,
    }


class Auditor:
    """One audit record per citizen whose rows are exported, written set-based: the rows
    arrive ordered by citizen, so remembering the last citizen is enough to write each once."""

    def __init__(self, template: dict):
        self.template = template
        self.last = None
        self.pending: list[AuditEvent] = []
        self.citizens = 0

    def see(self, record: dict) -> None:
        if record["c_citizen"] != self.last:
            self.last = record["c_citizen"]
            self.pending.append(AuditEvent(
                **self.template, citizen_id=record["c_citizen"],
                citizen_ref=str(record["c_ref"]), subject_municipality_id=record["c_subject"]))

    def flush(self) -> None:
        if self.pending:
            AuditEvent.objects.bulk_create(self.pending)
            self.citizens += len(self.pending)
            self.pending = []


# --- Rows ------------------------------------------------------------------------------------

def batches(kind: str, sel: Selection, auditor: Auditor, progress: Callable | None = None,
            size: int | None = None) -> Iterator[list[list]]:
    """The export's rows in batches; each batch's citizens are audited before it is yielded."""
    fields, query = KINDS[kind][0], KINDS[kind][1]
    size = size or getattr(settings, "FORLOB_EXPORT_CHUNK", CHUNK)
    batch, done = [], 0
    for record in query(sel).iterator(chunk_size=size):
        auditor.see(record)
        batch.append(exports.row(fields, record))
        if len(batch) >= size:
            auditor.flush()
            done += len(batch)
            yield batch
            batch = []
            if progress:
                progress(done)
    auditor.flush()
    if batch:
        done += len(batch)
        yield batch
    if progress:
        progress(done)


def _text(value) -> str:
    """Text that a spreadsheet would run as a formula is quoted with ' (as the audit log's
    CSV export does)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return _text(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def xlsx_cell(value):
    if isinstance(value, bool):
        return int(value)
    return _text(value) if isinstance(value, str) else value


def json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


class _Echo:
    def write(self, value):
        return value


def csv_stream(kind, sel, auditor, progress=None) -> Iterator[str]:
    """Semicolon-separated UTF-8 with a byte-order mark (spreadsheets then read æ, ø, å)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([f.name for f in KINDS[kind][0]])
    for batch in batches(kind, sel, auditor, progress):
        yield "".join(writer.writerow([csv_cell(v) for v in r]) for r in batch)


def json_stream(kind, sel, auditor, progress=None) -> Iterator[str]:
    """One JSON array of objects, written as it goes; keys are the field names."""
    names = [f.name for f in KINDS[kind][0]]
    yield "["
    separator = "\n"
    for batch in batches(kind, sel, auditor, progress):
        parts = []
        for r in batch:
            parts.append(separator + json.dumps(dict(zip(names, map(json_value, r),
                                                         strict=True)), ensure_ascii=False))
            separator = ",\n"
        yield "".join(parts)
    yield "\n]\n"


def write_xlsx(kind, sel, auditor, target, progress=None) -> None:
    """The rows into `target` (a path or a binary file) with openpyxl's write-only mode, which
    keeps each sheet in a temporary file rather than in memory."""
    from openpyxl import Workbook

    header = [f.name for f in KINDS[kind][0]]
    book = Workbook(write_only=True)
    sheet, used, number = None, SHEET_ROWS, 0
    for batch in batches(kind, sel, auditor, progress):
        for r in batch:
            if used >= SHEET_ROWS:
                number += 1
                sheet = book.create_sheet(f"{KINDS[kind][3]} {number}" if number > 1
                                          else KINDS[kind][3])
                sheet.append(header)
                used = 0
            sheet.append([xlsx_cell(v) for v in r])
            used += 1
    if sheet is None:
        book.create_sheet(KINDS[kind][3]).append(header)
    book.save(target)


STREAMS = {"csv": csv_stream, "json": json_stream}


def write_file(kind, fmt, sel, auditor, path: Path, progress=None) -> None:
    if fmt == "xlsx":
        write_xlsx(kind, sel, auditor, path, progress)
        return
    with open(path, "w", encoding="utf-8", newline="") as out:
        for text in STREAMS[fmt](kind, sel, auditor, progress):
            out.write(text)


def filename(kind: str, fmt: str, municipality: Municipality) -> str:
    from forlob import clock

    return f"{KINDS[kind][3]}-{municipality.code}-{clock.today():%Y-%m-%d}.{fmt}"


# --- Jobs --------------------------------------------------------------------------------------

def start(job: ExportJob, template: dict) -> None:
    """Run the job: synchronously when FORLOB_EXPORT_SYNC is set (tests), else in a thread."""
    if getattr(settings, "FORLOB_EXPORT_SYNC", False):
        run(job.pk, template)
        return
    thread = threading.Thread(target=_in_thread, args=(job.pk, template), daemon=True,
                              name=f"export-{job.pk}")
    transaction.on_commit(thread.start)  # the thread must see the job's row


def _in_thread(job_id: int, template: dict) -> None:
    try:
        run(job_id, template)
    finally:
        connections.close_all()


def _new_file(job: ExportJob) -> Path:
    path = export_dir() / f"{job.pk}-{secrets.token_hex(8)}.{job.format}"
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    return path


def run(job_id: int, template: dict) -> None:
    """Write the job's file, counting progress in `done`. A failure is logged by job id only
    and leaves no file behind."""
    jobs = ExportJob.objects.filter(pk=job_id)
    job = jobs.get()
    jobs.update(status=JobStatus.RUNNING)
    path = None
    try:
        path = _new_file(job)
        counted = []

        def progress(done):
            counted.append(done)
            jobs.update(done=done)

        write_file(job.kind, job.format, Selection.from_json(job.filters), Auditor(template),
                   path, progress)
    except Exception:
        logger.exception("Export job %s failed", job_id)
        if path is not None:
            path.unlink(missing_ok=True)
        jobs.update(status=JobStatus.FAILED, error="failed", finished_at=timezone.now())
        return
    done = counted[-1] if counted else 0
    jobs.update(status=JobStatus.DONE, done=done, total=done, file_path=str(path),
                finished_at=timezone.now())


def take_file(job: ExportJob):
    """Open the job's file for the one download and delete it (the open handle still reads
    it); the job is marked gone. None when there is no file any more."""
    path = Path(job.file_path) if job.file_path else None
    if job.status != JobStatus.DONE or path is None or not path.is_file():
        return None
    handle = open(path, "rb")  # noqa: SIM115 - closed by the FileResponse
    path.unlink(missing_ok=True)
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.GONE, file_path="")
    return handle


def purge(now=None) -> int:
    """Delete the files of jobs older than KEEP_HOURS, and give up jobs that never finished
    (a restarted server leaves them running). Returns the number of jobs purged."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=KEEP_HOURS)
    old = ExportJob.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[JobStatus.GONE, JobStatus.FAILED])
    count = 0
    for job in old:
        if job.file_path:
            Path(job.file_path).unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.GONE if job.status == JobStatus.DONE else JobStatus.FAILED,
            file_path="")
        count += 1
    return count
