"""The append-only audit trail of every read and write of personal data (GDPR art. 30, 32)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Visning")
    CREATE = "create", _("Oprettelse")
    UPDATE = "update", _("Ændring")
    DELETE = "delete", _("Sletning")
    EXPORT = "export", _("Eksport")
    PRINT = "print", _("Udskrift")
    REVEAL_CPR = "reveal_cpr", _("Visning af fuldt CPR-nummer")
    SEARCH = "search", _("Søgning")


class AppendOnly(Exception):
    """Audit records cannot be changed or deleted by the application."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit records are append-only")

    def delete(self):
        raise AppendOnly("audit records are append-only")

    def _raw_delete(self, using=None):
        raise AppendOnly("audit records are append-only")

    def bulk_update(self, objs, fields, batch_size=None):
        # Refused up front: Django's bulk_update would call update() inside an atomic block
        # without a savepoint and leave the caller's transaction broken.
        raise AppendOnly("audit records are append-only")


class AuditEvent(models.Model):
    """One access. Ids of users and citizens are kept without foreign-key constraints, so the
    trail outlives the rows it points at and is never cascaded or nulled."""

    at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(_("bruger-id"), null=True, blank=True)
    username = models.CharField(_("bruger"), max_length=150)
    role = models.CharField(_("rolle"), max_length=20, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    actor_municipality_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject_municipality_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    citizen_id = models.BigIntegerField(_("borger-id"), null=True, blank=True, db_index=True)
    citizen_ref = models.CharField(_("borgerreference"), max_length=36, blank=True)
    object_type = models.CharField(_("objekttype"), max_length=60, blank=True)
    object_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    action = models.CharField(_("handling"), max_length=20, choices=Action.choices)
    purpose = models.CharField(_("formål"), max_length=300, blank=True)
    channel = models.CharField(_("kanal"), max_length=10, blank=True)  # ui, api, admin, cli
    path = models.CharField(_("sti"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loglinje")
        verbose_name_plural = _("log over adgang")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.citizen_ref}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnly("audit records are append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit records are append-only")
