"""Users and their memberships: each membership is one role in one organisation."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import Cluster, Municipality, Provider, Region


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Sagsbehandler")
    CLINICIAN = "clinician", _("Behandler")
    LEADER = "leader", _("Leder")
    COORDINATOR = "coordinator", _("Kvalitetskoordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Roles whose holders can see a citizen's personal data; they must use two-factor login.
PERSONAL_DATA_ROLES = frozenset({Role.CASEWORKER, Role.CLINICIAN, Role.ADMINISTRATOR})

#: Which kind of organisation each role belongs to.
ROLE_ORGANISATION = {
    Role.CASEWORKER: ("municipality",),
    Role.LEADER: ("municipality",),
    Role.ADMINISTRATOR: ("municipality",),
    Role.CLINICIAN: ("provider",),
    Role.COORDINATOR: ("cluster", "region"),
}
ORG_FIELDS = ("municipality", "provider", "cluster", "region")


class User(AbstractUser):
    """A person who logs in. Rights come only from memberships, never from the user itself."""

    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")

    def __str__(self):
        return self.get_full_name() or self.username


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bruger")
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("kommune")
    )
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.CASCADE,
        verbose_name=_("behandlingstilbud"),
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("klynge")
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        constraints = [
            models.CheckConstraint(
                name="membership_role_matches_organisation",
                condition=(
                    models.Q(
                        role__in=["caseworker", "leader", "administrator"],
                        municipality__isnull=False, provider__isnull=True,
                        cluster__isnull=True, region__isnull=True,
                    )
                    | models.Q(
                        role="clinician", provider__isnull=False, municipality__isnull=True,
                        cluster__isnull=True, region__isnull=True,
                    )
                    | models.Q(
                        role="coordinator", municipality__isnull=True, provider__isnull=True,
                        cluster__isnull=False, region__isnull=True,
                    )
                    | models.Q(
                        role="coordinator", municipality__isnull=True, provider__isnull=True,
                        cluster__isnull=True, region__isnull=False,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality", "provider", "cluster", "region"],
                name="membership_unique",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} · {self.organisation}"

    @property
    def organisation(self):
        return self.municipality or self.provider or self.cluster or self.region

    def clean(self):
        allowed = ROLE_ORGANISATION.get(self.role, ())
        given = [f for f in ORG_FIELDS if getattr(self, f"{f}_id")]
        if len(given) != 1 or given[0] not in allowed:
            raise ValidationError(
                _("Rollen %(role)s hører til en %(org)s.")
                % {
                    "role": self.get_role_display(),
                    "org": " / ".join(str(_org_label(a)) for a in allowed),
                }
            )


def _org_label(field):
    return {
        "municipality": _("kommune"),
        "provider": _("behandlingstilbud"),
        "cluster": _("klynge"),
        "region": _("region"),
    }[field]
