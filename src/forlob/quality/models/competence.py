"""The competence and method map (issue 6 item 9; statusrapport 2014 recommends mapping formal
competences so staff find and use each other across municipalities). Holds no citizen data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import Municipality, Provider

_ONE_OWNER = (models.Q(municipality__isnull=False, provider__isnull=True)
              | models.Q(municipality__isnull=True, provider__isnull=False))


class StaffCompetence(models.Model):
    """One staff group's (or person's) education and trained methods and tools, with a work
    contact."""

    municipality = models.ForeignKey(Municipality, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("kommune"))
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("behandlingstilbud"))
    education = models.CharField(_("uddannelse"), max_length=200)
    methods = models.JSONField(_("metoder"), default=list, blank=True)  # e.g. ["MI", "KAT"]
    tools = models.JSONField(_("screeningsredskaber"), default=list, blank=True)
    staff_count = models.PositiveSmallIntegerField(_("antal medarbejdere"), default=1)
    contact_name = models.CharField(_("kontaktperson"), max_length=200)
    contact_email = models.EmailField(_("arbejdsmail"), blank=True)
    contact_phone = models.CharField(_("arbejdstelefon"), max_length=30, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["education", "pk"]
        constraints = [models.CheckConstraint(name="competence_one_owner", condition=_ONE_OWNER)]
        verbose_name = _("kompetence")
        verbose_name_plural = _("kompetencer")

    def __str__(self):
        return f"{self.education} · {self.owner}"

    @property
    def owner(self):
        return self.municipality or self.provider


class DevelopmentProject(models.Model):
    municipality = models.ForeignKey(Municipality, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("kommune"))
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("behandlingstilbud"))
    title = models.CharField(_("titel"), max_length=200)
    aim = models.TextField(_("formål"))
    method = models.TextField(_("metode"), blank=True)
    period_start = models.DateField(_("periode fra"))
    period_end = models.DateField(_("periode til"), null=True, blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200)
    contact_email = models.EmailField(_("arbejdsmail"), blank=True)
    results = models.TextField(_("resultater"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(name="project_one_owner", condition=_ONE_OWNER),
            models.CheckConstraint(
                name="project_period_order",
                condition=(models.Q(period_end__isnull=True)
                           | models.Q(period_end__gte=models.F("period_start")))),
        ]
        verbose_name = _("udviklingsprojekt")
        verbose_name_plural = _("udviklingsprojekter")

    def __str__(self):
        return self.title

    @property
    def owner(self):
        return self.municipality or self.provider
