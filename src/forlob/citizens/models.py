"""The citizen register: named persons with an encrypted CPR, and anonymous persons."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import Municipality, Provider

from . import crypto
from .rules import mask, parse_cpr


class Sex(models.TextChoices):
    MALE = "M", _("Mand")
    FEMALE = "F", _("Kvinde")
    UNKNOWN = "", _("Ikke oplyst")


class Citizen(models.Model):
    """A person in the register. Anonymous persons have a pseudonym and year of birth only.

    The CPR number is never stored in plain text: `cpr_encrypted` holds AES-GCM ciphertext and
    `cpr_index` a keyed HMAC used for look-ups. URLs use `public_id`, never the CPR.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_anonymous = models.BooleanField(_("anonym"), default=False)
    cpr_encrypted = models.TextField(null=True, blank=True, editable=False)
    cpr_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    first_name = models.CharField(_("fornavn"), max_length=100, blank=True)
    last_name = models.CharField(_("efternavn"), max_length=100, blank=True)
    pseudonym = models.CharField(_("pseudonym"), max_length=60, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("fødselsår"))
    sex = models.CharField(_("køn"), max_length=1, choices=Sex.choices, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    residence_municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="residents",
        verbose_name=_("bopælskommune"),
    )
    acting_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="acting_for",
        verbose_name=_("handlekommune"),
        help_text=_("Den kommune, der har pligten til at handle (normalt opholdskommunen)."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "pseudonym"]
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        constraints = [
            models.CheckConstraint(
                name="citizen_anonymous_has_no_identity",
                condition=(
                    models.Q(
                        is_anonymous=True, cpr_encrypted__isnull=True, cpr_index__isnull=True,
                        first_name="", last_name="", address="",
                    )
                    & ~models.Q(pseudonym="")
                )
                | models.Q(
                    is_anonymous=False, cpr_encrypted__isnull=False, cpr_index__isnull=False
                ),
            ),
        ]

    def __str__(self):
        # No personal data: str() ends up in admin pages (e.g. the "protected objects" list when
        # a municipality is deleted), log lines and error reports, none of which are audited.
        # Pages that show the name use `display_name` and write an audit record.
        return f"{self._meta.verbose_name} {self.public_id}"

    @property
    def display_name(self) -> str:
        if self.is_anonymous:
            return self.pseudonym
        return f"{self.first_name} {self.last_name}".strip()

    def set_cpr(self, text: str) -> None:
        """Validate, encrypt and index a CPR number; derive birth year and sex from it."""
        facts = parse_cpr(text)
        self.cpr_encrypted = crypto.encrypt(facts.number)
        self.cpr_index = crypto.blind_index(facts.number)
        self.birth_year = facts.birth_date.year
        self.sex = facts.sex

    def reveal_cpr(self) -> str:
        """The plain CPR. Callers must audit the reveal (audit.Action.REVEAL_CPR)."""
        return crypto.decrypt(self.cpr_encrypted) if self.cpr_encrypted else ""

    @property
    def masked_cpr(self) -> str:
        return mask(self.reveal_cpr()) if self.cpr_encrypted else ""


class ReferralQuerySet(models.QuerySet):
    def active(self, day):
        """Referrals in force on `day`: started, and not ended before it."""
        return self.filter(referred_on__lte=day).filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=day)
        )


class Referral(models.Model):
    """A citizen referred to a provider. While active, the provider's clinicians see the citizen.

    The pathway's provider enrolment (tilbudstilknytning) creates and ends these.
    """

    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("borger")
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="referrals",
        verbose_name=_("behandlingstilbud"),
    )
    referred_on = models.DateField(_("henvist fra"))
    ended_on = models.DateField(_("afsluttet"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on"]
        verbose_name = _("henvisning")
        verbose_name_plural = _("henvisninger")
        constraints = [
            models.CheckConstraint(
                name="referral_ends_after_start",
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("referred_on")),
            )
        ]

    def __str__(self):
        return f"{self.provider} ({self.referred_on})"

    def is_active(self, day) -> bool:
        return self.referred_on <= day and (self.ended_on is None or self.ended_on >= day)
