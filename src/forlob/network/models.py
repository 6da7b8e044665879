"""The citizen's network, guardian, consents and disclosures (issue 4 items 3 and 4;
retningslinje 3.2).

A consent names one party from a fixed list, its scope and its period. Withdrawal takes effect
at once (`withdrawn_on`); it is undone only by recording a new consent. Whether a consent is in
force on a day is `rules.consent_in_force`; its status is `rules.consent_status`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.pathway.models import Course
from forlob.treatment.models import Fact  # who recorded a fact, and when


class Party(models.TextChoices):
    """Parties a citizen can consent to share data with (issue 4 item 4)."""

    GP = "gp", _("Egen læge")
    PSYCHIATRY = "psychiatry", _("Psykiatrien")
    JOBCENTER = "jobcenter", _("Jobcenteret")
    PROVIDER_MUNICIPALITY = "provider_municipality", _("Mellem behandlingstilbud og kommune")
    AFTER_DISCHARGE = "after_discharge", _("Kontakt efter udskrivning")


#: The parties outside the course that data is disclosed to (the disclosure log).
EXTERNAL_PARTIES = (Party.GP, Party.PSYCHIATRY, Party.JOBCENTER)


class Relation(models.TextChoices):
    PARTNER = "partner", _("Partner/ægtefælle")
    PARENT = "parent", _("Forælder")
    CHILD = "child", _("Barn")
    SIBLING = "sibling", _("Søskende")
    FAMILY = "family", _("Anden familie")
    FRIEND = "friend", _("Ven")
    PROFESSIONAL = "professional", _("Fagperson")
    PEER = "peer", _("Ligesindet/peer")
    OTHER = "other", _("Anden")


class Influence(models.TextChoices):
    SUPPORTIVE = "supportive", _("Støttende")
    RISK = "risk", _("Risiko (bruger selv rusmidler)")


class GuardianBasis(models.TextChoices):
    FINANCIAL = "vml5", _("Økonomisk værgemål (værgemålsloven § 5)")
    PERSONAL = "vml7", _("Personligt værgemål (værgemålsloven § 7)")
    COMBINED = "vml5_7", _("Økonomisk og personligt værgemål (værgemålsloven §§ 5 og 7)")
    LAWYER = "vml6", _("Værgemål med fratagelse af retlig handleevne (værgemålsloven § 6)")
    FUTURE_POWER = "fremtidsfuldmagt", _("Fremtidsfuldmagt (fremtidsfuldmagtsloven)")
    OTHER = "other", _("Andet grundlag")


class Consent(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="consents")
    party = models.CharField(_("part"), max_length=24, choices=Party.choices)
    scope = models.TextField(_("hvilke oplysninger"), blank=True)
    given_on = models.DateField(_("givet"))
    valid_until = models.DateField(_("gælder til og med"), null=True, blank=True)
    withdrawn_on = models.DateField(_("trukket tilbage"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "given_on", "pk"]
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")

    def __str__(self):  # no personal data
        return f"samtykke {self.pk}"


class NetworkMember(Fact):
    """A person in the citizen's network (retningslinje 3.2.1): relation, supportive or a risk,
    and the date the citizen consented to involving them. A person under 18 is never involved
    as a relative (3.2.5, rules.child_may_be_involved)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="network_members")
    name = models.CharField(_("navn"), max_length=200)
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    influence = models.CharField(_("støttende eller risiko"), max_length=12,
                                 choices=Influence.choices)
    under_18 = models.BooleanField(_("under 18 år"), default=False)
    involvement_consent_on = models.DateField(_("samtykke til inddragelse"), null=True,
                                              blank=True)
    notes = models.TextField(_("bemærkninger"), blank=True)

    class Meta:
        ordering = ["course", "pk"]
        verbose_name = _("netværksperson")
        verbose_name_plural = _("netværkspersoner")


class Guardian(Fact):
    """A guardian (værge) for a citizen who cannot look after their own interests
    (retningslinje 3.2.1; værgemålsloven). Ended by `ended_on`."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("navn"), max_length=200)
    contact = models.CharField(_("kontaktoplysninger"), max_length=300, blank=True)
    basis = models.CharField(_("grundlag"), max_length=20, choices=GuardianBasis.choices)
    from_on = models.DateField(_("fra"))
    ended_on = models.DateField(_("ophørt"), null=True, blank=True)

    class Meta:
        ordering = ["course", "from_on", "pk"]
        verbose_name = _("værge")
        verbose_name_plural = _("værger")


class Disclosure(Fact):
    """A disclosure (videregivelse) of the citizen's data to an external party: refused unless
    a consent to that party is in force on the day (issue 4 item 4). `recorded_by` is who
    disclosed."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="disclosures")
    party = models.CharField(_("part"), max_length=24, choices=Party.choices)
    disclosed_on = models.DateField(_("videregivet"))
    content = models.TextField(_("hvad blev videregivet"))
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="disclosures",
                                verbose_name=_("samtykke"))

    class Meta:
        ordering = ["course", "disclosed_on", "pk"]
        verbose_name = _("videregivelse")
        verbose_name_plural = _("videregivelser")
