"""A municipality's quality standard for substance-abuse treatment (kvalitetsstandard, SEL § 139;
bek. 1477 § 3; retningslinje 2.8), versioned. An adopted version is frozen: a change is a new
version with its own first day in force. No personal data."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import Municipality, Provider
from forlob.pathway.choices import TrackChoice
from forlob.treatment import rules as treatment_rules
from forlob.treatment.choices import FollowUpBy

from . import rules


class Status(models.TextChoices):
    DRAFT = "draft", _("Udkast")
    ADOPTED = "adopted", _("Vedtaget")


class Section(models.TextChoices):
    """The chapters of the published standard (issue 7 item 3), in order."""

    TARGET = "target", _("Hvem er tilbuddet for")
    CONTACT = "contact", _("Sådan kommer du i kontakt med os")
    COURSE = "course", _("Forløbet i din sag")
    DECISIONS = "decisions", _("Afgørelse og frit valg")
    PLANS = "plans", _("Planer og dokumentation")
    FOLLOW_UP = "follow_up", _("Opfølgning efter behandlingen")
    COORDINATING = "coordinating", _("Koordinerende indsatsplan")
    COMPLAINTS = "complaints", _("Klageadgang")
    OWN_PAYMENT = "own_payment", _("Regler for egenbetaling")
    VOUCHERS = "vouchers", _("Gavekort")
    MONITORING = "monitoring", _("Monitorering og kompetencer")
    REGISTER = "register", _("Indberetning til registre")


class ContactKind(models.TextChoices):
    COUNSELLING = "counselling", _("Rådgivning")
    ANONYMOUS = "anonymous", _("Anonym behandling")
    MEDICAL = "medical", _("Medicinsk behandling")
    ALCOHOL = "alcohol", _("Alkoholbehandling")
    OTHER = "other", _("Andet")


#: The service-level fields of a version, in the order of the edit form and the diff.
LEVEL_FIELDS = (
    "title", "guarantee_days", "review_months_sel101", "review_months_sel101a",
    "review_months_sul141", "review_months_sul142", "follow_up_first_days",
    "follow_up_second_days", "follow_up_reasons", "follow_up_by", "plan_days", "ambulant_min",
    "ambulant_max", "day_min", "supervision_months", "vouchers_enabled", "voucher_amount",
    "voucher_max_per_course",
)


class ServiceStandard(models.Model):
    """One version of a municipality's quality standard: the service levels the rules use
    (standards.levels) and the text of the published document (standards.document)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT,
                                     related_name="service_standards", verbose_name=_("kommune"))
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    title = models.CharField(_("titel"), max_length=200,
                             default=_("Kvalitetsstandard for behandling af rusmiddelproblemer"))
    valid_from = models.DateField(_("gælder fra"), null=True, blank=True)
    adopted_on = models.DateField(_("vedtaget af kommunalbestyrelsen"), null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    involvement = models.TextField(
        _("inddragelse af brugerorganisationer"), blank=True,
        help_text=_("Hvilke bruger- og pårørendeorganisationer blev inddraget, og hvordan "
                    "(retningslinje 2.8.4)."))
    involved_on = models.DateField(_("dato for inddragelse"), null=True, blank=True)

    guarantee_days = models.PositiveSmallIntegerField(
        _("behandlingsgaranti (kalenderdage)"), default=rules.GUARANTEE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(rules.GUARANTEE_DAYS)],
        help_text=_("Fra anmodning til behandlingsstart. Højst 14 (serviceloven § 101, stk. 4, "
                    "og sundhedsloven § 141, stk. 2)."))
    review_months_sel101 = models.PositiveSmallIntegerField(
        _("opfølgning på plan, serviceloven § 101 (måneder)"), default=rules.REVIEW_MONTHS)
    review_months_sel101a = models.PositiveSmallIntegerField(
        _("opfølgning på plan, serviceloven § 101 a (måneder)"), default=rules.REVIEW_MONTHS)
    review_months_sul141 = models.PositiveSmallIntegerField(
        _("opfølgning på plan, sundhedsloven § 141 (måneder)"), default=rules.REVIEW_MONTHS)
    review_months_sul142 = models.PositiveSmallIntegerField(
        _("opfølgning på plan, sundhedsloven § 142 (måneder)"), default=rules.REVIEW_MONTHS)
    follow_up_first_days = models.PositiveSmallIntegerField(
        _("første opfølgning efter udskrivning (dage)"), null=True, blank=True,
        help_text=_("Tom: senest 1 måned efter, som loven kræver. Højst 28 dage."))
    follow_up_second_days = models.PositiveSmallIntegerField(
        _("anden opfølgning efter udskrivning (dage)"), null=True, blank=True,
        help_text=_("Tom: senest 6 måneder efter, som loven kræver. Højst 181 dage."))
    follow_up_reasons = models.JSONField(
        _("flere udskrivningsårsager med opfølgning"), default=list, blank=True,
        help_text=_("Lovens fire årsager udløser altid opfølgning (bekendtgørelse 1477 § 4)."))
    follow_up_by = models.CharField(_("opfølgning varetages af"), max_length=12,
                                    choices=FollowUpBy.choices, default=FollowUpBy.PROVIDER)
    plan_days = models.PositiveSmallIntegerField(
        _("behandlingsplan senest (dage efter start)"), default=rules.PLAN_DAYS)
    ambulant_min = models.PositiveSmallIntegerField(
        _("ambulant behandling, mindst (gange pr. måned)"), default=rules.AMBULANT_MIN)
    ambulant_max = models.PositiveSmallIntegerField(
        _("ambulant behandling, højst (gange pr. måned)"), default=rules.AMBULANT_MAX)
    day_min = models.PositiveSmallIntegerField(
        _("dagbehandling, mindst (gange pr. måned)"), default=rules.DAY_MIN)
    supervision_months = models.PositiveSmallIntegerField(
        _("personrettet tilsyn (måneder)"), default=treatment_rules.SUPERVISION_MONTHS,
        help_text=_("Måneder mellem tilsyn med en døgnanbringelse (serviceloven § 148)."))
    vouchers_enabled = models.BooleanField(_("kommunen bruger gavekort"), default=False)
    voucher_amount = models.PositiveIntegerField(_("beløb pr. gavekort (kr.)"),
                                                 null=True, blank=True)
    voucher_max_per_course = models.PositiveSmallIntegerField(
        _("højst antal gavekort pr. forløb"), null=True, blank=True)
    providers = models.ManyToManyField(Provider, blank=True, related_name="+",
                                       verbose_name=_("tilbud kommunen bruger"))
    sections = models.JSONField(_("tekstafsnit"), default=dict, blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality", "-number"]
        verbose_name = _("kvalitetsstandard")
        verbose_name_plural = _("kvalitetsstandarder")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="standard_number"),
            models.CheckConstraint(
                condition=models.Q(guarantee_days__gte=1,
                                   guarantee_days__lte=rules.GUARANTEE_DAYS),
                name="standard_guarantee_within_law"),
            models.CheckConstraint(
                condition=(models.Q(follow_up_first_days=None)
                           | models.Q(follow_up_first_days__lte=rules.FOLLOW_UP_DAYS_MAX[0]))
                & (models.Q(follow_up_second_days=None)
                   | models.Q(follow_up_second_days__lte=rules.FOLLOW_UP_DAYS_MAX[1])),
                name="standard_follow_up_within_law"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(valid_from__isnull=False),
                name="standard_adopted_has_start"),
        ]

    def __str__(self):
        return f"{self.municipality} v{self.number}"

    @property
    def is_draft(self):
        return self.status == Status.DRAFT

    def review_months(self) -> dict[str, int]:
        return {track: getattr(self, f"review_months_{track}") for track, _l in TrackChoice.choices}

    def levels(self) -> rules.ServiceLevels:
        """This version's service levels as the plain values the rules take."""
        return rules.ServiceLevels(
            guarantee_days=self.guarantee_days, review_months=self.review_months(),
            follow_up_days=(self.follow_up_first_days, self.follow_up_second_days),
            follow_up_reasons=frozenset(self.follow_up_reasons or ()),
            plan_days=self.plan_days, ambulant_min=self.ambulant_min,
            ambulant_max=self.ambulant_max, day_min=self.day_min,
            supervision_months=self.supervision_months, follow_up_by=self.follow_up_by,
            vouchers_enabled=self.vouchers_enabled, voucher_amount=self.voucher_amount,
            voucher_max_per_course=self.voucher_max_per_course)


class ContactPoint(models.Model):
    """Where citizens make contact (issue 7 item 1): address, phone, mail and opening hours."""

    standard = models.ForeignKey(ServiceStandard, on_delete=models.CASCADE,
                                 related_name="contact_points")
    kind = models.CharField(_("henvendelse om"), max_length=12, choices=ContactKind.choices)
    name = models.CharField(_("navn"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(_("åbningstider"), max_length=300, blank=True)

    class Meta:
        ordering = ["standard", "kind", "pk"]
        verbose_name = _("kontaktpunkt")
        verbose_name_plural = _("kontaktpunkter")

    def __str__(self):
        return self.name


class ComplaintRoute(models.Model):
    """How a citizen complains in one track (issue 7 item 1): to whom, and by when."""

    standard = models.ForeignKey(ServiceStandard, on_delete=models.CASCADE,
                                 related_name="complaint_routes")
    track = models.CharField(_("spor"), max_length=10, choices=TrackChoice.choices)
    authority = models.CharField(_("klagen sendes til"), max_length=300)
    deadline = models.CharField(_("klagefrist"), max_length=200, blank=True)
    description = models.TextField(_("vejledning"), blank=True)

    class Meta:
        ordering = ["standard", "track", "pk"]
        verbose_name = _("klagevej")
        verbose_name_plural = _("klageveje")
        constraints = [models.UniqueConstraint(fields=["standard", "track"],
                                               name="complaint_route_once")]

    def __str__(self):
        return f"{self.track}: {self.authority}"
