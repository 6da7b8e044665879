"""Region → cluster → municipality, treatment providers and purchase agreements."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TreatmentKind(models.TextChoices):
    """The legal kinds of treatment a provider can offer."""

    SOCIAL_DRUG = "sel101", _("Social stofmisbrugsbehandling (SEL § 101)")
    ANONYMOUS_DRUG = "sel101a", _("Anonym stofmisbrugsbehandling (SEL § 101 a)")
    MEDICAL_DRUG = "sul142", _("Lægelig stofmisbrugsbehandling (SUL § 142)")
    ALCOHOL = "sul141", _("Alkoholbehandling (SUL § 141)")
    YOUTH = "youth", _("Ungebehandling (under 18 år)")


class Intensity(models.TextChoices):
    """Treatment intensities (national guidelines 3.6; configurable definitions later)."""

    AMBULANT = "ambulant", _("Ambulant")
    DAY = "dag", _("Dagbehandling")
    RESIDENTIAL = "dogn", _("Døgnbehandling")


class Region(models.Model):
    name = models.CharField(_("navn"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self):
        return self.name


class Cluster(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="clusters", verbose_name=_("region")
    )
    name = models.CharField(_("navn"), max_length=100)

    class Meta:
        ordering = ["region__name", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="cluster_unique")]
        verbose_name = _("klynge")
        verbose_name_plural = _("klynger")

    def __str__(self):
        return self.name


municipality_code_validator = RegexValidator(
    r"^\d{3}$", _("Kommunekoden skal være tre cifre, fx 269.")
)


class Municipality(models.Model):
    code = models.CharField(
        _("kommunekode"), max_length=3, unique=True, validators=[municipality_code_validator]
    )
    name = models.CharField(_("navn"), max_length=100, unique=True)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("klynge")
    )
    population = models.PositiveIntegerField(_("indbyggertal"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return self.name

    @property
    def region(self):
        return self.cluster.region


class Provider(models.Model):
    """A treatment provider (behandlingstilbud), municipal or private."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    owner_municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_providers",
        verbose_name=_("ejerkommune"),
        help_text=_("Tom for et privat tilbud."),
    )
    kinds = models.JSONField(_("behandlingsformer"), default=list)
    intensities = models.JSONField(_("intensiteter"), default=list)
    approved_by_socialtilsynet = models.BooleanField(_("godkendt af Socialtilsynet"), default=False)
    listed_on_tilbudsportalen = models.BooleanField(_("optaget på Tilbudsportalen"), default=False)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking

    class Meta:
        ordering = ["name"]
        verbose_name = _("behandlingstilbud")
        verbose_name_plural = _("behandlingstilbud")

    def __str__(self):
        return self.name

    @property
    def is_private(self) -> bool:
        return self.owner_municipality_id is None

    def clean(self):
        errors = {}
        if not self.kinds:
            errors["kinds"] = _("Vælg mindst én behandlingsform, som tilbuddet tilbyder.")
        elif set(self.kinds) - set(TreatmentKind.values):
            errors["kinds"] = _("Ukendt behandlingsform.")
        if set(self.intensities or []) - set(Intensity.values):
            errors["intensities"] = _("Ukendt intensitet.")
        if errors:
            raise ValidationError(errors)

    def kind_labels(self):
        return [TreatmentKind(k).label for k in self.kinds if k in TreatmentKind.values]

    def intensity_labels(self):
        return [Intensity(i).label for i in self.intensities if i in Intensity.values]


class PurchaseAgreementQuerySet(models.QuerySet):
    def in_force(self, day):
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class PurchaseAgreement(models.Model):
    """Which municipality buys which kinds of treatment from which provider, and when."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="purchase_agreements",
        verbose_name=_("køberkommune"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="purchase_agreements",
        verbose_name=_("behandlingstilbud"),
    )
    kinds = models.JSONField(_("behandlingsformer"), default=list)
    valid_from = models.DateField(_("gælder fra"))
    valid_to = models.DateField(_("gælder til"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking

    objects = PurchaseAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "provider__name", "valid_from"]
        verbose_name = _("købsaftale")
        verbose_name_plural = _("købsaftaler")

    def __str__(self):
        return f"{self.municipality} → {self.provider}"

    def clean(self):
        errors = {}
        if not self.kinds:
            errors["kinds"] = _("Vælg mindst én behandlingsform, som aftalen omfatter.")
        elif self.provider_id and set(self.kinds) - set(self.provider.kinds):
            errors["kinds"] = _("Tilbuddet tilbyder ikke alle de valgte behandlingsformer.")
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Slutdatoen ligger før startdatoen.")
        if errors:
            raise ValidationError(errors)

    def kind_labels(self):
        return [TreatmentKind(k).label for k in self.kinds if k in TreatmentKind.values]
