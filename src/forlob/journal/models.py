"""Journal notes on a course (issue 4 item 6).

A note is written by a clinician of the provider the citizen is referred to, or by a caseworker
of the acting municipality, and records its type, the day it concerns, its text, its author
and the side (municipality or provider) the author wrote for. Once saved it can never be changed
or deleted: a correction is a new note that `amends` the one it corrects. The model, the
queryset and (on PostgreSQL) a database trigger all refuse changes; there are no notes on an
anonymous § 101 a course (rules.journal_allowed; also a trigger on PostgreSQL).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.organisations.models import Municipality, Provider
from forlob.pathway.models import Course

from . import rules

LOCKED_MESSAGE = _("Et journalnotat kan ikke ændres eller slettes, når det er gemt. Ret det med "
                   "et nyt notat, der retter det.")
ANONYMOUS_MESSAGE = _("Der skrives ikke journalnotater på anonyme forløb efter serviceloven "
                      "§ 101 a.")
TEXT_MAX = 20_000


class NoteLocked(Exception):
    """A saved journal note cannot be changed or deleted."""

    def __init__(self, message=None):
        super().__init__(str(message or LOCKED_MESSAGE))


class NoteType(models.TextChoices):
    CONVERSATION = "samtale", _("Samtale")
    PHONE = "telefonsamtale", _("Telefonsamtale")
    NETWORK_MEETING = "netvaerksmoede", _("Netværksmøde")
    OBSERVATION = "observation", _("Observation")
    MEDICAL = "medicinsk", _("Medicinsk notat")
    COORDINATION = "koordinering", _("Koordinering")
    OTHER = "andet", _("Andet")


class Side(models.TextChoices):
    """Who the author wrote for, from their role at the time of writing."""

    MUNICIPALITY = "municipality", _("Kommune")
    PROVIDER = "provider", _("Behandlingstilbud")


class JournalNoteQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise NoteLocked

    def delete(self):
        raise NoteLocked

    def _raw_delete(self, using=None):
        raise NoteLocked

    def bulk_update(self, objs, fields, batch_size=None):
        raise NoteLocked


def on_anonymous_course(course) -> bool:
    """Whether `course` is an anonymous § 101 a course (no journal notes allowed)."""
    tracks = course.tracks.values_list("track", flat=True) if course.pk else []
    return not rules.journal_allowed(course.citizen.is_anonymous, tracks)


class JournalNote(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="journal_notes",
                               verbose_name=_("forløb"))
    note_type = models.CharField(_("notattype"), max_length=20, choices=NoteType.choices)
    written_on = models.DateField(_("dato"), help_text=_("Den dag notatet handler om."))
    text = models.TextField(_("notat"), max_length=TEXT_MAX)
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="amendments", verbose_name=_("retter notat"))
    side = models.CharField(_("skrevet for"), max_length=12, choices=Side.choices,
                            editable=False)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, editable=False,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("kommune"))
    provider = models.ForeignKey(Provider, null=True, blank=True, editable=False,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("behandlingstilbud"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", editable=False, verbose_name=_("forfatter"))
    author_name = models.CharField(_("forfatterens navn"), max_length=300, editable=False)
    recorded_at = models.DateTimeField(_("skrevet"), default=clock.now, editable=False)

    objects = JournalNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-written_on", "-recorded_at", "-pk"]
        verbose_name = _("journalnotat")
        verbose_name_plural = _("journalnotater")
        default_permissions = ("view", "add")
        constraints = [
            models.CheckConstraint(
                name="journal_note_side_has_organisation",
                condition=models.Q(side="municipality", municipality__isnull=False,
                                   provider__isnull=True)
                | models.Q(side="provider", provider__isnull=False, municipality__isnull=True),
            ),
        ]

    def __str__(self):  # no personal data: type and id only
        return f"journalnotat {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise NoteLocked
        if on_anonymous_course(self.course):  # the last line before the database's own
            raise ValidationError(ANONYMOUS_MESSAGE)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise NoteLocked

    def clean(self):
        super().clean()
        if self.course_id and on_anonymous_course(self.course):
            raise ValidationError(ANONYMOUS_MESSAGE)
        if self.amends_id and self.amends.course_id != self.course_id:
            raise ValidationError({"amends": _("Notatet hører til et andet forløb.")})

    @property
    def organisation(self):
        return self.municipality if self.side == Side.MUNICIPALITY else self.provider
