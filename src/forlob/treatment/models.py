"""Treatment plan, reviews, discharge and follow-up after discharge (issue 4 items 1, 2, 7, 8).

Facts only: what is due and when comes from pathway.rules_aftercare (through clocks.py). The
follow-ups' due dates are the one exception: they are fixed at discharge, as the law reckons
them from the discharge date (bek. 1477 § 4, stk. 2).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import Intensity
from forlob.pathway.choices import DOMAINS
from forlob.pathway.models import Course

from .choices import (
    GoalStatus,
    GoalType,
    Housing,
    Maintained,
    Reason,
    Support,
    UseStatus,
)


class Fact(models.Model):
    """Who recorded a fact, and when (like pathway.models.Event)."""

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):  # no personal data: type and id only
        return f"{self._meta.verbose_name} {self.pk}"


class KnowledgeLevel(models.TextChoices):
    """Vidensniveau A-D (retningslinje 2.1, L394): A = solid knowledge relevant in Denmark,
    D = none or very little."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class Method(models.Model):
    """The method catalogue (metodekatalog, retningslinje 2.1.1): documented methods a plan
    names. Reference data, no personal data; kept in the Django admin. A method is retired
    (`active` off), never deleted, so old plans keep naming it."""

    name = models.CharField(_("navn"), max_length=120, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    knowledge_level = models.CharField(_("vidensniveau"), max_length=1, blank=True,
                                       choices=KnowledgeLevel.choices)
    target_groups = models.CharField(_("målgrupper"), max_length=300, blank=True)
    link = models.URLField(_("link til beskrivelse (fx Vidensportalen)"), blank=True)
    active = models.BooleanField(_("i brug"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("metode")
        verbose_name_plural = _("metodekatalog")

    def __str__(self):
        return self.name


class TreatmentPlan(Fact):
    """The treatment plan (behandlingsplan, SEL § 101, stk. 8; retningslinje 3.7). Versioned:
    a revision is a new plan with the next number; the highest number is the current plan."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveSmallIntegerField(_("version"))
    agreed_on = models.DateField(_("aftalt med borgeren"))
    content = models.TextField(_("indhold"))
    catalogue_methods = models.ManyToManyField(Method, blank=True, related_name="plans",
                                               verbose_name=_("metoder fra metodekataloget"))
    methods = models.TextField(_("metoder, uddybning"), blank=True)
    expected_duration = models.CharField(_("forventet varighed"), max_length=200, blank=True)
    intensity = models.CharField(_("intensitet"), max_length=10, choices=Intensity.choices,
                                 blank=True)
    other_actors = models.TextField(_("andre aktører"), blank=True)
    relapse_prevention = models.TextField(_("tilbagefaldsforebyggelse"), blank=True)
    citizen_dissent = models.TextField(_("borgerens uenighed"), blank=True)
    action_plan_141 = models.BooleanField(_("handleplan efter § 141"), default=False)
    coordinating_plan = models.BooleanField(_("koordinerende indsatsplan"), default=False)
    job_plan = models.BooleanField(_("jobcentrets plan"), default=False)
    medical_plan = models.BooleanField(_("lægelig behandlingsplan"), default=False)
    other_plans = models.TextField(_("bemærkninger om andre planer"), blank=True)

    class Meta:
        ordering = ["course", "number"]
        verbose_name = _("behandlingsplan")
        verbose_name_plural = _("behandlingsplaner")
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="plan_number")]


class PlanGoal(models.Model):
    """A goal in the citizen's own words, traced to an assessed need (retningslinje 3.7.2)."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("mål med borgerens egne ord"))
    goal_type = models.CharField(_("type"), max_length=20, choices=GoalType.choices)
    need_domain = models.CharField(_("afdækket behov"), max_length=12, choices=DOMAINS)

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self):
        return f"mål {self.pk}"


class Review(Fact):
    """A review of the plan (opfølgning, retningslinje 3.9), with days of use in 30 days."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reviews")
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(_("afholdt"))
    days_of_use_30 = models.PositiveSmallIntegerField(_("dage med brug de seneste 30 dage"),
                                                      null=True, blank=True)
    notes = models.TextField(_("bemærkninger"), blank=True)

    class Meta:
        ordering = ["course", "held_on", "pk"]
        verbose_name = _("opfølgning på plan")
        verbose_name_plural = _("opfølgninger på plan")
        constraints = [models.CheckConstraint(
            condition=models.Q(days_of_use_30__lte=30), name="days_of_use_max_30")]


class ReviewGoalStatus(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="goal_statuses")
    goal = models.ForeignKey(PlanGoal, on_delete=models.PROTECT, related_name="statuses")
    status = models.CharField(_("status"), max_length=12, choices=GoalStatus.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "goal"], name="goal_status_once")]

    def __str__(self):
        return f"målstatus {self.pk}"


class Discharge(Fact):
    """Discharge (udskrivning, retningslinje 3.11) with the seven SMDB fields: date, status of
    use, reason, self-help contact, moving in with a drug-free partner, housing and support."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="discharge")
    discharged_on = models.DateField(_("udskrevet"))
    reason = models.CharField(_("årsag"), max_length=20, choices=Reason.choices)
    use_status = models.CharField(_("status for brug ved udskrivning"), max_length=10,
                                  choices=UseStatus.choices)
    self_help_contact = models.BooleanField(_("kontakt til selvhjælpsnetværk"), default=False)
    partner_drug_free = models.BooleanField(_("flytter sammen med partner uden misbrug"),
                                            default=False)
    housing = models.CharField(_("bolig efter udskrivning"), max_length=15,
                               choices=Housing.choices)
    means_of_support = models.CharField(_("forsørgelse"), max_length=12, choices=Support.choices)
    status_text = models.TextField(_("skriftlig status på forløbet"))
    citizen_view = models.TextField(_("borgerens syn, hvor det afviger"), blank=True)
    # What the discharge prompted (rules_aftercare.discharge_prompts), and when it was done.
    follow_on_offered_on = models.DateField(_("efterfølgende tilbud givet"), null=True,
                                            blank=True)
    outreach_contacted_on = models.DateField(_("opsøgende tjenester kontaktet"), null=True,
                                             blank=True)

    #: Prompt name -> the field that records it done.
    TASK_FIELDS = {"follow_on_offer": "follow_on_offered_on",
                   "outreach_contact": "outreach_contacted_on"}

    class Meta:
        verbose_name = _("udskrivning")
        verbose_name_plural = _("udskrivninger")


class FollowUp(Fact):
    """Follow-up after discharge, number 1 (+1 month) or 2 (+6 months) (bek. 1477 § 4;
    retningslinje 3.12). `due` is fixed at discharge."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="follow_ups")
    number = models.PositiveSmallIntegerField(_("nummer"), choices=[(1, "1"), (2, "2")])
    due = models.DateField(_("senest"))
    declined_on = models.DateField(_("borgeren takkede nej"), null=True, blank=True)
    held_on = models.DateField(_("afholdt"), null=True, blank=True)
    reached = models.BooleanField(_("borgeren blev kontaktet"), null=True, blank=True)
    goal_maintained = models.CharField(_("målet fastholdt"), max_length=6,
                                       choices=Maintained.choices, blank=True)
    use_status = models.CharField(_("status for brug"), max_length=10, choices=UseStatus.choices,
                                  blank=True)
    other_needs = models.TextField(_("andre behov og henvisninger"), blank=True)
    new_course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("nyt forløb"))

    class Meta:
        ordering = ["course", "number"]
        verbose_name = _("opfølgning efter udskrivning")
        verbose_name_plural = _("opfølgninger efter udskrivning")
        constraints = [models.UniqueConstraint(fields=["course", "number"],
                                               name="follow_up_once")]


class SupervisionVisit(Fact):
    """Personal supervision of a residential placement (personrettet tilsyn, SEL § 148; issue 4
    item 9): the placing caseworker's visit, the citizen's progression, and whether the
    placement still fits."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE,
                               related_name="supervision_visits")
    visited_on = models.DateField(_("tilsyn udført"))
    progression = models.TextField(_("borgerens progression"))
    placement_fits = models.BooleanField(_("anbringelsen passer stadig til borgeren"))
    note = models.TextField(_("bemærkninger"), blank=True)

    class Meta:
        ordering = ["course", "visited_on", "pk"]
        verbose_name = _("personrettet tilsyn")
        verbose_name_plural = _("personrettede tilsyn")


class CoordinatingMeeting(Fact):
    """A follow-up meeting on the coordinating action plan (koordinerende indsatsplan), at most
    6 months apart (retningslinje 2.6.13)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE,
                               related_name="coordinating_meetings")
    held_on = models.DateField(_("afholdt"))
    note = models.TextField(_("bemærkninger"), blank=True)

    class Meta:
        ordering = ["course", "held_on", "pk"]
        verbose_name = _("møde om koordinerende indsatsplan")
        verbose_name_plural = _("møder om koordinerende indsatsplan")
