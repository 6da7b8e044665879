"""Export jobs (issue 5 item 5): a large export of the municipality's own data is written to a
file in the background while the export page shows its progress. No personal data is stored
here: the job names its kind, format and selection; the rows are in the file, which is deleted
after download or after a day (jobs.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    COURSES = "courses", _("Forløb")
    EVENTS = "events", _("Hændelser i forløbene")
    REGISTER = "register", _("Indberetningshændelser (Stofmisbrugsdatabasen)")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSON = "json", "JSON"


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Venter")
    RUNNING = "running", _("I gang")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Fejlet")
    GONE = "gone", _("Slettet")


class ExportJob(models.Model):
    """One export written to a file. Only `user` may follow and download it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("bruger"))
    kind = models.CharField(_("udtræk"), max_length=10, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=5, choices=ExportFormat.choices)
    filters = models.JSONField(_("udvalg"), default=dict)  # municipality id, start, end (ISO)
    total = models.PositiveIntegerField(_("rækker i alt"), default=0)
    done = models.PositiveIntegerField(_("rækker skrevet"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.PENDING)
    file_path = models.CharField(_("fil"), max_length=500, blank=True)
    error = models.CharField(_("fejl"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("eksportjob")
        verbose_name_plural = _("eksportjob")

    def __str__(self):
        return f"eksportjob {self.pk}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, self.done * 100 // self.total)
