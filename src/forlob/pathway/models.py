"""The citizen's course from first contact to treatment start (issue 3).

Facts only: every clock, deadline and status is computed by rules.py from these rows.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.citizens.models import Citizen
from forlob.organisations.models import Intensity, Municipality, Provider

from .choices import (
    Asks,
    BreachReason,
    Channel,
    Instrument,
    Outcome,
    ScreeningInstrument,
    Substance,
    TrackChoice,
)

DECISION_LOCKED = _("Afgørelsesbrevet er sendt, og afgørelsen kan ikke ændres. En ændring kræver "
                    "en ny afgørelse.")


class Course(models.Model):
    """A course (forløb): one citizen's way from contact through treatment."""

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="courses",
                                verbose_name=_("borger"))
    acting_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="courses",
        verbose_name=_("opholdskommune"),
        help_text=_("Kommunen med pligten til at handle (retssikkerhedsloven § 9)."))
    duty_dispute = models.BooleanField(
        _("uenighed om handlepligt"), default=False,
        help_text=_("En uenighed mellem kommuner standser aldrig fristerne (retningslinje 3.4.4)."))
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="courses",
                                   verbose_name=_("ansvarlig sagsbehandler"))
    youth_routed_on = models.DateField(_("henvist til børne- og ungeområdet"), null=True,
                                       blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("forløb")
        verbose_name_plural = _("forløb")

    def __str__(self):
        return f"forløb {self.pk}"


class CourseTrack(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="tracks")
    track = models.CharField(_("spor"), max_length=10, choices=TrackChoice.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "track"], name="track_once")]


class CustodyHolder(models.Model):
    """Custody holders of a citizen under 18 (forældremyndighedsindehavere)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="custody_holders")
    name = models.CharField(_("navn"), max_length=200)
    relation = models.CharField(_("relation"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)


class Event(models.Model):
    """Common fields of every recorded fact: who recorded it, and when."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):  # no personal data: type and id only
        return f"{self._meta.verbose_name} {self.pk}"


class Contact(Event):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="contacts")
    received_on = models.DateField(_("modtaget"))
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    substances = models.CharField(_("rusmidler"), max_length=10, choices=Substance.choices)
    asks = models.CharField(_("henvendelsen drejer sig om"), max_length=12, choices=Asks.choices)
    notes = models.TextField(_("bemærkninger"), blank=True)


class CounsellingSession(Event):
    """Free counselling, possibly anonymous; never treatment (SEL §§ 10, 12; retningslinje 3.3)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="counselling")
    held_on = models.DateField(_("afholdt"))
    outreach = models.BooleanField(_("opsøgende"), default=False)
    other_needs = models.TextField(_("andre behov"), blank=True)
    referred_to = models.CharField(_("henvist til andre tilbud"), max_length=300, blank=True)


class TreatmentRequest(Event):
    """A request for treatment; the first one starts the guarantee (SEL § 101, stk. 4)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="requests")
    requested_on = models.DateField(_("borgeren anmodede"))
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    representative = models.CharField(_("partsrepræsentant"), max_length=200, blank=True)
    told_representation = models.BooleanField(_("oplyst om ret til partsrepræsentant (FVL § 8)"),
                                              default=False)
    told_doctor = models.BooleanField(_("oplyst om vederlagsfri lægesamtale (SUL § 142)"),
                                      default=False)
    told_free_choice = models.BooleanField(_("oplyst om frit valg"), default=False)


class DoctorConsultation(Event):
    """The free doctor consultation (SUL § 142, stk. 1-2; retningslinje 3.4.5)."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="doctor")
    offered_on = models.DateField(_("tilbudt"))
    accepted = models.BooleanField(_("takket ja"), null=True)
    held_on = models.DateField(_("afholdt"), null=True, blank=True)
    findings = models.TextField(_("fund"), blank=True)


class Assessment(Event):
    """The holistic assessment (afdækning) with the six domains (retningslinje 3.5)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assessments")
    done_on = models.DateField(_("afsluttet"))
    instrument = models.CharField(_("redskab"), max_length=12, choices=Instrument.choices)
    instrument_on = models.DateField(_("redskabet anvendt"))
    domains = models.JSONField(_("domæner"), default=dict)  # key -> {findings, resources, needs}
    other_help = models.TextField(_("behov for anden hjælp"), blank=True)
    screening_needed = models.BooleanField(_("specialiseret screening eller udredning"),
                                           default=False)
    screening_started_on = models.DateField(_("screening eller udredning påbegyndt"),
                                            null=True, blank=True)
    feedback_on = models.DateField(_("tilbagemelding givet"), null=True, blank=True)
    children_at_home = models.BooleanField(_("børn under 18 år i hjemmet"))
    children_count = models.PositiveSmallIntegerField(_("antal børn"), null=True, blank=True)
    children_ages = models.CharField(_("børnenes alder"), max_length=100, blank=True)
    pregnancy = models.BooleanField(_("graviditet (også kommende far)"))
    expectant_father = models.BooleanField(_("borgeren er kommende far"), default=False)
    due_date = models.DateField(_("terminsdato"), null=True, blank=True)
    notified_on = models.DateField(_("underretning sendt (SEL § 153)"), null=True, blank=True)
    notified_to = models.CharField(_("underretning sendt til"), max_length=200, blank=True)
    family_clinic_on = models.DateField(_("henvist til familieambulatorium"), null=True,
                                        blank=True)


class ScreeningResult(Event):
    """AUDIT or DUDIT answers item by item, so a later review can repeat and compare them."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="screenings")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="screenings")
    instrument = models.CharField(_("instrument"), max_length=5,
                                  choices=ScreeningInstrument.choices)
    administered_on = models.DateField(_("dato"))
    answers = models.JSONField(_("svar"))
    total = models.PositiveSmallIntegerField(_("score"))


class Decision(Event):
    """A decision on treatment, resting on an assessment (retningslinje 3.6; FVL §§ 22-25)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="decisions")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="decisions")
    track = models.CharField(_("spor"), max_length=10, choices=TrackChoice.choices)
    outcome = models.CharField(_("afgørelse"), max_length=10, choices=Outcome.choices)
    decided_on = models.DateField(_("truffet"))
    proposal_focus = models.TextField(_("visitationsoplæg: fokusområder"))
    proposal_goals = models.TextField(_("visitationsoplæg: personlige udviklingsmål"))
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="decisions", verbose_name=_("tilbud"))
    intensity = models.CharField(_("intensitet"), max_length=10, choices=Intensity.choices,
                                 blank=True)
    sessions_per_month = models.PositiveSmallIntegerField(
        _("planlagte kontakter pr. måned"), null=True, blank=True,
        validators=[MaxValueValidator(62)])
    services = models.TextField(_("ydelser, omfang og formål"), blank=True)
    execution = models.TextField(_("sådan gennemføres behandlingen"), blank=True)
    reasons = models.TextField(_("begrundelse"), blank=True)
    other_help = models.TextField(_("anden hjælp, der kan kompensere"), blank=True)
    visitation_meeting_on = models.DateField(_("visitationsmøde"), null=True, blank=True)
    told_free_choice = models.BooleanField(_("oplyst om frit valg"), default=False)
    letter_sent_on = models.DateField(_("brev sendt"), null=True, blank=True)
    letter_pdf = models.BinaryField(null=True, editable=False)

    def save(self, *args, **kwargs):
        # A sent letter is immutable, and so is the decision it carries (issue 3 item 7):
        # a change after sending is a new decision. (letters.send_letter marks a decision sent
        # with a conditional update, which does not pass through here.)
        if self.pk and Decision.objects.filter(pk=self.pk, letter_sent_on__isnull=False).exists():
            raise ValidationError(DECISION_LOCKED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and Decision.objects.filter(pk=self.pk, letter_sent_on__isnull=False).exists():
            raise ValidationError(DECISION_LOCKED)
        return super().delete(*args, **kwargs)


class FreeChoice(Event):
    """The citizen's choice of another similar offer (SEL § 101, stk. 5-7)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="free_choices")
    chosen_on = models.DateField(_("valgt"))
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("valgt tilbud"))
    limited = models.BooleanField(_("frit valg begrænset (stk. 7)"), default=False)
    limit_reason = models.TextField(_("begrundelse for begrænsning"), blank=True)


class TreatmentStart(Event):
    """Treatment start (iværksættelse) and provider enrolment (tilbudstilknytning)."""

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="start")
    started_on = models.DateField(_("iværksat"))
    enrolled_on = models.DateField(_("tilknyttet tilbud"))
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tilbud"))
    pre_treatment = models.BooleanField(
        _("forbehandling, der opfylder krav til behandling (Ankestyrelsen 23-18)"), default=False)


class Breach(Event):
    """A missed deadline, recorded with a reason when it happens."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="breaches")
    clock = models.CharField(_("frist"), max_length=20)
    reason = models.CharField(_("årsag"), max_length=20, choices=BreachReason.choices)
    note = models.TextField(_("bemærkning"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "clock"], name="breach_once")]


class ReminderSent(models.Model):
    """Reminders already sent, so the job sends each once."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    clock = models.CharField(max_length=20)
    due = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "clock", "due"],
                                               name="reminder_once")]
