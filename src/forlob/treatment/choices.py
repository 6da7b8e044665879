"""Code lists of the treatment part of a course (issue 4). The SMDB code lists are external;
the values below are Forløb's own [inference: SMDB's discharge code list is not in the sources]."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.pathway.rules import ClockStatus
from forlob.pathway.rules_aftercare import DischargeReason


class GoalType(models.TextChoices):
    """Goal types of the treatment plan (issue 4 item 1; retningslinje 3.7)."""

    CESSATION = "ophoer", _("Ophør")
    REDUCTION = "reduktion", _("Reduktion")
    STABILISATION = "stabilisering", _("Stabilisering")
    HARM_REDUCTION = "skadesreduktion", _("Skadesreduktion")
    SOCIAL = "social", _("Socialt mål")
    HOUSING = "bolig", _("Boligmål")
    WORK = "arbejde", _("Arbejds- eller uddannelsesmål")
    HEALTH = "helbred", _("Helbredsmål")


class GoalStatus(models.TextChoices):
    """A goal's status at a review (issue 4 item 2; retningslinje 3.9)."""

    ACHIEVED = "achieved", _("Opnået")
    PARTLY = "partly", _("Delvist opnået")
    NOT_ACHIEVED = "not_achieved", _("Ikke opnået")
    REVISED = "revised", _("Revideret")
    DROPPED = "dropped", _("Opgivet")


class Reason(models.TextChoices):
    """Discharge reasons with labels; the values are rules_aftercare.DischargeReason's."""

    COMPLETED = DischargeReason.COMPLETED.value, _("Færdigbehandlet")
    OTHER_OFFER = DischargeReason.OTHER_OFFER.value, _("Udskrevet til andet tilbud")
    HOSPITAL = DischargeReason.HOSPITAL.value, _("Udskrevet til hospital")
    MOVED = DischargeReason.MOVED.value, _("Flyttet til anden kommune")
    CITIZEN_STOPS = DischargeReason.CITIZEN_STOPS.value, _("Borgeren ønsker at stoppe")
    EXPELLED = DischargeReason.EXPELLED.value, _("Bortvist")
    NO_SHOW = DischargeReason.NO_SHOW.value, _("Udeblevet")
    DIED = DischargeReason.DIED.value, _("Død")
    OTHER = DischargeReason.OTHER.value, _("Anden årsag")


class UseStatus(models.TextChoices):
    """Status of use at discharge or follow-up (SMDB field)."""

    STOPPED = "ophoert", _("Ophørt")
    REDUCED = "reduceret", _("Reduceret")
    UNCHANGED = "uaendret", _("Uændret")
    INCREASED = "oeget", _("Øget")
    UNKNOWN = "ukendt", _("Uoplyst")


class Housing(models.TextChoices):
    """Housing after discharge (SMDB field)."""

    OWN = "egen", _("Egen bolig")
    WITH_OTHERS = "hos_andre", _("Bor hos familie eller venner")
    SUPPORTED = "botilbud", _("Botilbud eller institution")
    SHELTER = "forsorgshjem", _("Forsorgshjem eller herberg")
    HOMELESS = "hjemloes", _("Hjemløs")
    OTHER = "andet", _("Andet eller uoplyst")


class Support(models.TextChoices):
    """Means of support after discharge (SMDB field)."""

    WAGES = "loen", _("Løn eller selvstændig")
    EDUCATION = "su", _("SU eller uddannelse")
    BENEFITS = "overfoersel", _("Kontanthjælp eller anden overførselsindkomst")
    PENSION = "pension", _("Pension")
    OTHER = "andet", _("Andet eller uoplyst")


class Maintained(models.TextChoices):
    """Whether the goal was maintained at follow-up (issue 4 item 8)."""

    YES = "yes", _("Ja")
    PARTLY = "partly", _("Delvist")
    NO = "no", _("Nej")


class FollowUpBy(models.TextChoices):
    """Who follows up after discharge (issue 4 item 8); values are rules.FollowUpBy's."""

    PROVIDER = "provider", _("Det udskrivende behandlingstilbud")
    MUNICIPALITY = "municipality", _("Kommunen selv")


#: The clock statuses as a plain value list (the OpenAPI enum "StatusEnum" in settings).
CLOCK_STATUSES = [s.value for s in ClockStatus]
