"""Frameworks as versioned data (issue 6 item 1): KL's 12 recommendations with the 2014
indicator scheme, and the national guidelines 2020 with every anvisning. A new version is a new
Framework row loaded from a JSON file (`manage.py load_framework`); no code changes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    code = models.SlugField(_("kode"), max_length=40)  # e.g. "kl-12", "nr-2020"
    version = models.CharField(_("version"), max_length=20)  # e.g. "2014"
    name = models.CharField(_("navn"), max_length=200)
    source = models.TextField(_("kilde"), blank=True)
    loaded_at = models.DateTimeField(_("indlæst"), auto_now_add=True)

    class Meta:
        ordering = ["code", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"],
                                               name="framework_unique")]
        verbose_name = _("rammeværk")
        verbose_name_plural = _("rammeværker")

    def __str__(self):
        return f"{self.name} ({self.version})"


class Section(models.Model):
    """A recommendation (KL) or a guideline (national guidelines)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("nummer"), max_length=10)  # "1", "3.4"
    title = models.CharField(_("titel"), max_length=300)
    text = models.TextField(_("tekst"), blank=True)
    #: Shown greyed and not answered (KL recommendations 3, 4, 8 and 11 are aimed at KL, the
    #: state or the regions; indikatorskema 2014, "Udfyldelsen af skemaet").
    greyed = models.BooleanField(_("grå (besvares ikke)"), default=False)
    order = models.PositiveIntegerField(_("rækkefølge"))

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"],
                                               name="section_unique")]
        verbose_name = _("anbefaling/retningslinje")
        verbose_name_plural = _("anbefalinger/retningslinjer")

    def __str__(self):
        return f"{self.number} {self.title}"


class ItemKind(models.TextChoices):
    INDICATOR = "indicator", _("Indikator (ja/delvis/nej)")
    TEXT = "text", _("Uddybning (fritekst)")
    PLAN = "plan", _("Plan for løsning")
    TICKLIST = "ticklist", _("Afkrydsning")
    EXAMPLES = "examples", _("Eksempler")


class Obligation(models.TextChoices):
    """Anvisninger are duties ("skal") or recommendations ("bør"); national guidelines 2020,
    L158. "mixed" is a bør headline with skal sub-bullets or the reverse."""

    NONE = "", _("—")
    SKAL = "skal", _("Skal")
    BOR = "bør", _("Bør")
    MIXED = "mixed", _("Skal og bør")


class Item(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("nummer"), max_length=12)  # "1.1", "3.4.1"
    kind = models.CharField(_("type"), max_length=12, choices=ItemKind.choices)
    text = models.TextField(_("tekst"))
    obligation = models.CharField(_("skal/bør"), max_length=6, choices=Obligation.choices,
                                  blank=True, default="")
    #: Options of a tick-list item (e.g. 9.3: ["Medicinsk", "Psykosocial"]).
    options = models.JSONField(_("valgmuligheder"), default=list, blank=True)
    #: Must be answered before a submission is accepted (indicators are; texts usually not).
    mandatory = models.BooleanField(_("obligatorisk"), default=False)
    #: "maks. 5 linjer" in the scheme; None = no limit.
    max_lines = models.PositiveSmallIntegerField(_("højst linjer"), null=True, blank=True)
    order = models.PositiveIntegerField(_("rækkefølge"))

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "number"],
                                               name="item_unique")]
        verbose_name = _("punkt")
        verbose_name_plural = _("punkter")

    def __str__(self):
        return f"{self.number} {self.text[:60]}"
