"""The coordinator's texts for the cluster and region reports (issue 6 items 4 and 5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import Cluster

from .frameworks import Section
from .rounds import Round


class ClusterReportText(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="cluster_texts")
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="+")
    focus_areas = models.TextField(_("klyngens fælles fokusområder"), blank=True)
    #: The three feedback questions of the scheme (indikatorskema 2014, klyngens feedback).
    feedback_experience = models.TextField(_("væsentligste erfaringer med samarbejdsformen"),
                                           blank=True)
    feedback_contribution = models.TextField(_("klyngesamarbejdets bidrag"), blank=True)
    feedback_future = models.TextField(_("klyngens bidrag fremadrettet"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "cluster"],
                                               name="cluster_text_unique")]

    def __str__(self):
        return f"{self.round} · {self.cluster}"


class RegionReportText(models.Model):
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="region_text")
    conclusions = models.TextField(_("samlede konklusioner"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    def __str__(self):
        return str(self.round)


class SectionReportText(models.Model):
    """Per recommendation: the coordinator's status text and recommendations (region report)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="section_texts")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    status_text = models.TextField(_("status"), blank=True)
    recommendations = models.TextField(_("anbefalinger"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "section"],
                                               name="section_text_unique")]

    def __str__(self):
        return f"{self.round} · {self.section}"


class Abbreviation(models.Model):
    """The short name a municipality is listed under in the reports (configurable; the cluster
    reports list municipalities by abbreviation, e.g. "KØG")."""

    municipality = models.OneToOneField("organisations.Municipality", on_delete=models.CASCADE,
                                        related_name="quality_abbreviation")
    abbreviation = models.CharField(_("forkortelse"), max_length=8, unique=True)

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = _("forkortelse")
        verbose_name_plural = _("forkortelser")

    def __str__(self):
        return self.abbreviation
