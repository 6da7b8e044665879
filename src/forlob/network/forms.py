"""Forms of the network section of the case page (issue 4 items 3 and 4). A form checks the
shape of the input and hands the facts to its service, which applies the rules. Each carries
the course version it was loaded with (optimistic locking, pathway.forms.StepForm)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.pathway.forms import StepForm, choice_field, date_field, text_field

from . import rules, services
from .models import (
    EXTERNAL_PARTIES,
    Consent,
    Disclosure,
    Guardian,
    GuardianBasis,
    Influence,
    NetworkMember,
    Party,
    Relation,
)

BLANK = [("", _("Vælg"))]
UNKNOWN_PARTY = _("Ukendt part. Vælg en af de viste parter.")


def party_field(label, parties):
    field = choice_field(label, BLANK + [(p.value, p.label) for p in parties])
    field.error_messages["invalid_choice"] = UNKNOWN_PARTY
    return field


class NetworkStep(StepForm):
    """A step of the network section."""

    reopened: list = []


class MemberForm(NetworkStep):
    slug = "netvaerksperson"
    title = _("Netværksperson")
    help = _("En person i borgerens netværk (retningslinje 3.2). Børn under 18 år inddrages "
             "ikke som pårørende (3.2.5).")

    name = text_field(_("Navn"), required=True, rows=0, max_length=200)
    relation = choice_field(_("Relation"), BLANK + list(Relation.choices))
    influence = choice_field(_("Støttende eller risiko"), list(Influence.choices), radio=True)
    under_18 = forms.BooleanField(label=_("Personen er under 18 år"), required=False)
    involvement_consent_on = date_field(
        _("Borgeren gav samtykke til at inddrage personen"), required=False,
        help_text=_("Udfyldes kun, når personen skal inddrages."))
    notes = text_field(_("Bemærkninger"))

    def apply(self, request):
        d = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return services.add_member(request, self.course, NetworkMember(**d))


class GuardianForm(NetworkStep):
    slug = "vaerge"
    title = _("Værge")
    help = _("Når borgeren ikke kan varetage sine egne interesser (retningslinje 3.2.1).")

    name = text_field(_("Navn"), required=True, rows=0, max_length=200)
    contact = text_field(_("Kontaktoplysninger"), rows=0, max_length=300)
    basis = choice_field(_("Grundlag"), BLANK + list(GuardianBasis.choices))
    from_on = date_field(_("Værge fra"))

    def apply(self, request):
        d = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return services.add_guardian(request, self.course, Guardian(**d))


def active_guardians(course, today=None):
    today = today or clock.today()
    return [g for g in course.guardians.filter(ended_on=None).order_by("from_on", "pk")
            if rules.guardian_active(g.from_on, g.ended_on, today)]


class GuardianEndForm(NetworkStep):
    slug = "vaerge-ophoer"
    title = _("Værgemål ophørt")
    submit = _("Afslut værgemålet")

    guardian = choice_field(_("Værge"), [])
    ended_on = date_field(_("Ophørt"))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.guardians = {str(g.pk): g for g in active_guardians(course)}
        self.fields["guardian"].choices = [
            (pk, _("%(name)s, fra %(day)s") % {"name": g.name,
                                                "day": g.from_on.strftime("%d-%m-%Y")})
            for pk, g in self.guardians.items()]

    def apply(self, request):
        d = self.cleaned_data
        return services.end_guardian(request, self.course, self.guardians[d["guardian"]],
                                     d["ended_on"])


class ConsentForm(NetworkStep):
    slug = "samtykke"
    title = _("Samtykke")
    help = _("Samtykke til at dele oplysninger med en part, med omfang og periode. Et nyt "
             "samtykke til kontakt efter udskrivning genåbner afslåede opfølgninger.")
    submit = _("Registrér samtykket")

    party = party_field(_("Part"), list(Party))
    scope = text_field(_("Hvilke oplysninger"), required=True,
                       help_text=_("Samtykkets omfang."))
    given_on = date_field(_("Givet"))
    valid_until = date_field(_("Gælder til og med"), required=False,
                             help_text=_("Tom: gælder til det trækkes tilbage."))

    def apply(self, request):
        d = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        _consent, self.reopened = services.give_consent(request, self.course, Consent(**d))


def withdrawable(course, today=None):
    today = today or clock.today()
    return [c for c in course.consents.order_by("given_on", "pk")
            if rules.withdraw_problem(c.given_on, c.valid_until, c.withdrawn_on, today) is None]


class WithdrawForm(NetworkStep):
    slug = "samtykke-tilbage"
    title = _("Træk et samtykke tilbage")
    help = _("Virker straks, fra i dag. Kan kun gøres om ved at registrere et nyt samtykke.")
    submit = _("Træk samtykket tilbage")

    consent = choice_field(_("Samtykke"), [])

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.consents = {str(c.pk): c for c in withdrawable(course)}
        self.fields["consent"].choices = [
            (pk, _("%(party)s, givet %(day)s") % {"party": c.get_party_display(),
                                                   "day": c.given_on.strftime("%d-%m-%Y")})
            for pk, c in self.consents.items()]

    def apply(self, request):
        return services.withdraw_consent(request, self.course,
                                         self.consents[self.cleaned_data["consent"]])


class DisclosureForm(NetworkStep):
    slug = "videregivelse"
    title = _("Videregivelse af oplysninger")
    help = _("Log en videregivelse til egen læge, psykiatrien eller jobcenteret. Kræver et "
             "samtykke i kraft den dag.")
    submit = _("Log videregivelsen")

    party = party_field(_("Part"), EXTERNAL_PARTIES)
    disclosed_on = date_field(_("Videregivet"))
    content = text_field(_("Hvad blev videregivet"), required=True)

    def apply(self, request):
        d = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return services.record_disclosure(request, self.course, Disclosure(**d))
