"""The anonymous satisfaction survey (issue 4 item 12).

Why the answers cannot be linked back to a citizen:

- An Invitation is a random token handed to the citizen at discharge, as a link or printed on
  a paper questionnaire. Only a SHA-256 hash of the token is stored (the token has 125 random
  bits, so the hash cannot be reversed by trying tokens), with the provider and the MONTH it was
  issued. It has no course, no citizen, no user and no timestamp. Its primary key is a random
  UUID, so the order of rows says nothing about the order of discharges.
- A Response stores the provider, the questionnaire version, the channel (link or paper) and
  the month it was given, again with a random UUID key (its answers too) and no timestamp. It
  does not point at the invitation. Answering deletes the invitation and keeps only the
  token's hash (SpentToken, without provider or month), so not even whether a given
  invitation was answered is kept.
- The audit trail records on the course that a survey was handed out ("tilfredshedsundersøgelse
  udleveret"), without the token or the invitation, so the audit trail cannot be joined to the
  survey tables either.
- Anonymity then rests on the crowd of a provider's respondents in a month, so figures are
  shown only in aggregate with small-cell suppression (rules.py).

None of these models holds personal data, so none is registered with the scoping layer.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import Provider


class Channel(models.TextChoices):
    LINK = "link", _("Anonymt link")
    PAPER = "paper", _("Papirskema")


class Invitation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("behandlingstilbud"))
    month = models.DateField(_("måned"), help_text=_("Altid den 1. i måneden."))
    channel = models.CharField(_("udleveret som"), max_length=5, choices=Channel.choices)

    class Meta:
        verbose_name = _("invitation til tilfredshedsundersøgelse")
        verbose_name_plural = _("invitationer til tilfredshedsundersøgelse")
        constraints = [models.CheckConstraint(condition=models.Q(month__day=1),
                                              name="invitation_month_first_day")]

    def __str__(self):
        return f"invitation {self.month:%Y-%m}"


class SpentToken(models.Model):
    """The hash of a token that has been answered with. Answering DELETES the invitation and
    keeps only this hash (no provider, no month), so the survey tables cannot tell whether the
    citizen given a particular invitation answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("brugt kode")
        verbose_name_plural = _("brugte koder")

    def __str__(self):
        return "brugt kode"


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("behandlingstilbud"))
    version = models.PositiveSmallIntegerField(_("spørgeskemaets version"))
    month = models.DateField(_("måned"), help_text=_("Altid den 1. i måneden."))
    channel = models.CharField(_("kanal"), max_length=5, choices=Channel.choices)

    class Meta:
        verbose_name = _("besvarelse")
        verbose_name_plural = _("besvarelser")
        indexes = [models.Index(fields=["provider", "month"])]
        constraints = [models.CheckConstraint(condition=models.Q(month__day=1),
                                              name="response_month_first_day")]

    def __str__(self):
        return f"besvarelse {self.month:%Y-%m}"


class Answer(models.Model):
    """One question's answer: a position on its scale (1 is best), or the free text. A random
    key, like the response's: no counting id to tell the order answers arrived in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("spørgsmål"), max_length=20)
    choice = models.PositiveSmallIntegerField(_("svar"), null=True, blank=True)
    text = models.TextField(_("bemærkning"), blank=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
            models.CheckConstraint(condition=models.Q(choice__isnull=True)
                                   | models.Q(choice__gte=1, choice__lte=5),
                                   name="answer_choice_1_5"),
        ]

    def __str__(self):
        return f"svar {self.pk}"
