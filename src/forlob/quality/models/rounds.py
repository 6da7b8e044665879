"""Assessment rounds (issue 6 item 2): a coordinator opens a round for a framework, a period and
the participating municipalities; each municipality answers as a whole or split by area, and its
answers go draft → submitted → returned with comments → approved, every change kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import Cluster, Municipality, Region

from .frameworks import Framework, Item


class Area(models.TextChoices):
    """Areas a municipality may answer separately (indikatorskema 2014: "nogle kommuner
    besvarer ét skema pr. område")."""

    WHOLE = "", _("Hele kommunen")
    ALCOHOL = "alkohol", _("Alkohol")
    DRUGS = "stof", _("Stof")
    YOUTH = "unge", _("Unge")


AREAS = [Area.ALCOHOL, Area.DRUGS, Area.YOUTH]


class Choice(models.TextChoices):
    YES = "ja", _("Ja")
    PARTLY = "delvis", _("Delvis")
    NO = "nej", _("Nej")


class Category(models.TextChoices):
    """The cluster reports' classes (statusrapport 2014)."""

    MET = "green", _("Helt indfriet")
    PARTLY = "yellow", _("Delvist indfriet")
    NOT_MET = "red", _("Ikke indfriet")


class Status(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    SUBMITTED = "submitted", _("Indsendt")
    RETURNED = "returned", _("Sendt retur med kommentarer")
    APPROVED = "approved", _("Godkendt")


class Round(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds",
                                  verbose_name=_("rammeværk"))
    name = models.CharField(_("navn"), max_length=200)
    period_start = models.DateField(_("periode fra"))
    period_end = models.DateField(_("periode til"))
    deadline = models.DateField(_("svarfrist"))
    #: The coordinator's organisation: exactly one of cluster and region.
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.PROTECT,
                                verbose_name=_("klynge"))
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                               verbose_name=_("region"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    opened_at = models.DateTimeField(_("åbnet"), auto_now_add=True)
    closed = models.BooleanField(_("afsluttet"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-period_end", "name"]
        constraints = [
            models.CheckConstraint(
                name="round_one_organisation",
                condition=(models.Q(cluster__isnull=False, region__isnull=True)
                           | models.Q(cluster__isnull=True, region__isnull=False))),
            models.CheckConstraint(name="round_period_order",
                                   condition=models.Q(period_end__gte=models.F("period_start"))),
        ]
        verbose_name = _("vurderingsrunde")
        verbose_name_plural = _("vurderingsrunder")

    def __str__(self):
        return self.name


class Participant(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="quality_participations",
                                     verbose_name=_("kommune"))
    #: Empty: the municipality answers as a whole; else the areas it answers separately.
    areas = models.JSONField(_("opdelt på områder"), default=list, blank=True)
    #: Baggrundsinformation: a pure køberkommune buys all services in the area from others.
    buyer = models.BooleanField(_("køberkommune"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("indsendt"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["round", "municipality__name"]
        constraints = [models.UniqueConstraint(fields=["round", "municipality"],
                                               name="participant_unique")]
        verbose_name = _("deltagende kommune")
        verbose_name_plural = _("deltagende kommuner")

    def __str__(self):
        return f"{self.municipality} · {self.round}"

    def answer_areas(self) -> list[str]:
        """The areas answered: [""] for the whole municipality, else the chosen areas."""
        return list(self.areas) or [Area.WHOLE]


class ParticipantEvent(models.Model):
    """The history: every status change and every saved change of answers, with comments."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="events")
    at = models.DateTimeField(_("tidspunkt"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    #: For saved answers: {"<area>:<item number>": {"old": {...}, "new": {...}}}.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["participant", "at", "pk"]
        verbose_name = _("hændelse")
        verbose_name_plural = _("hændelser")

    def __str__(self):
        return f"{self.participant} · {self.to_status or self.comment[:30]}"


class Answer(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    area = models.CharField(_("område"), max_length=8, choices=Area.choices, blank=True,
                            default=Area.WHOLE)
    choice = models.CharField(_("svar"), max_length=8, choices=Choice.choices, blank=True)
    text = models.TextField(_("tekst"), blank=True)
    ticks = models.JSONField(_("afkrydsninger"), default=list, blank=True)

    class Meta:
        ordering = ["participant", "item__section__order", "item__order", "area"]
        constraints = [models.UniqueConstraint(fields=["participant", "item", "area"],
                                               name="answer_unique")]
        verbose_name = _("svar")
        verbose_name_plural = _("svar")

    def __str__(self):
        return f"{self.participant} · {self.item.number} {self.area}".strip()


class Resolution(models.Model):
    """The coordinator's judgement on one municipality's indicator (aggregation rules,
    statusrapport 2014): how a delvis was resolved, and any category set by judgement; each with
    its recorded reason."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="resolutions")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="resolutions")
    #: For a delvis answer: "ja", "nej", or "delvis" (kept as delvist indfriet); "" = open.
    delvis_to = models.CharField(_("delvis afgjort som"), max_length=8, blank=True,
                                 choices=Choice.choices)
    delvis_reason = models.TextField(_("begrundelse for afgørelsen"), blank=True)
    #: A category set by judgement instead of the rules' one; "" = the rules decide.
    category_override = models.CharField(_("kategori sat ved skøn"), max_length=8, blank=True,
                                         choices=Category.choices)
    override_reason = models.TextField(_("begrundelse for skønnet"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "item"],
                                               name="resolution_unique")]
        verbose_name = _("afgørelse")
        verbose_name_plural = _("afgørelser")

    def __str__(self):
        return f"{self.participant} · {self.item.number}"
