"""The holistic assessment (afdækning) form with its six domains and the scored screenings
(issue 3 item 6; retningslinje 3.5). The allowed answers of each AUDIT and DUDIT item come from
screening.py; the service validates them again."""

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forlob import clock

from . import services
from .choices import DOMAINS, Instrument
from .forms import StepForm, choice_field, date_field, style, text_field, yes_no_field
from .models import Assessment
from .rules import notification_duty
from .screening import AUDIT_ITEMS, DUDIT_ITEMS

#: Short Danish wording of the items; the full questionnaire is the official WHO form.
AUDIT_QUESTIONS = (
    _("Hvor ofte drikker du alkohol?"),
    _("Hvor mange genstande drikker du på en typisk dag, hvor du drikker?"),
    _("Hvor ofte drikker du seks genstande eller flere ved samme lejlighed?"),
    _("Hvor ofte i det seneste år har du ikke kunnet stoppe, når du først var begyndt?"),
    _("Hvor ofte i det seneste år har du ikke gjort, hvad der normalt forventes af dig, "
      "fordi du havde drukket?"),
    _("Hvor ofte i det seneste år har du haft brug for en genstand om morgenen for at "
      "komme i gang efter at have drukket meget?"),
    _("Hvor ofte i det seneste år har du haft skyldfølelse eller samvittighedsnag efter at "
      "have drukket?"),
    _("Hvor ofte i det seneste år har du ikke kunnet huske, hvad der skete aftenen før, "
      "fordi du havde drukket?"),
    _("Er du eller andre kommet til skade, fordi du havde drukket?"),
    _("Har familie, venner, en læge eller andre været bekymrede for dit alkoholforbrug "
      "eller foreslået, at du skærer ned?"),
)
DUDIT_QUESTIONS = (
    _("Hvor ofte bruger du andre stoffer end alkohol?"),
    _("Bruger du mere end én slags stof ved samme lejlighed?"),
    _("Hvor mange gange tager du stoffer på en typisk dag, hvor du bruger stoffer?"),
    _("Hvor ofte er du kraftigt påvirket af stoffer?"),
    _("Hvor ofte i det seneste år har trangen til stoffer været så stærk, at du ikke kunne "
      "modstå den?"),
    _("Hvor ofte i det seneste år har du ikke kunnet stoppe, når du først var begyndt?"),
    _("Hvor ofte i det seneste år har du forsømt noget, du skulle, fordi du tog stoffer?"),
    _("Hvor ofte i det seneste år har du taget stoffer om morgenen efter at have taget "
      "stoffer dagen før?"),
    _("Hvor ofte i det seneste år har du haft skyldfølelse eller dårlig samvittighed, "
      "fordi du tog stoffer?"),
    _("Er du eller andre kommet til skade (fysisk eller psykisk), fordi du tog stoffer?"),
    _("Har familie, venner, en læge eller andre været bekymrede for dit stofbrug eller sagt, "
      "at du bør stoppe?"),
)
SCREENINGS = (
    ("audit", "AUDIT", AUDIT_ITEMS, AUDIT_QUESTIONS),
    ("dudit", "DUDIT", DUDIT_ITEMS, DUDIT_QUESTIONS),
)
DOMAIN_PARTS = (
    ("findings", _("Fund")),
    ("resources", _("Ressourcer")),
    ("needs", _("Behov")),
)


def _values_text(allowed) -> str:
    values = [str(v) for v in sorted(allowed)]
    return ", ".join(values[:-1]) + " " + str(_("eller")) + " " + values[-1]


class ScreeningFields:
    """AUDIT (10 items) and DUDIT (11 items) as selects of each item's allowed values."""

    def add_screening_fields(self):
        for key, name, items, questions in SCREENINGS:
            for n, (allowed, question) in enumerate(zip(items, questions, strict=True), 1):
                self.fields[f"{key}_{n}"] = forms.TypedChoiceField(
                    label=f"{n}. {question}", required=False, coerce=int, empty_value=None,
                    choices=[("", "–")] + [(v, str(v)) for v in sorted(allowed)],
                    error_messages={"invalid_choice": _(
                        "Ugyldigt svar: spørgsmål %(n)s i %(name)s kan kun besvares med "
                        "%(values)s.") % {"n": n, "name": name, "values": _values_text(allowed)}},
                )
            self.fields[f"{key}_on"] = date_field(_("%(name)s udfyldt") % {"name": name},
                                                  required=False)

    def screening_groups(self):
        return [
            {"key": key, "name": name,
             "items": [self[f"{key}_{n}"] for n in range(1, len(items) + 1)],
             "date": self[f"{key}_on"]}
            for key, name, items, _questions in SCREENINGS
        ]

    def clean_screenings(self, default_day):
        """[(instrument, answers, day)] for each screening filled in; all items or none."""
        found = []
        for key, name, items, _questions in SCREENINGS:
            names = [f"{key}_{n}" for n in range(1, len(items) + 1)]
            if any(self.has_error(n) for n in names):
                continue
            answers = [self.cleaned_data.get(n) for n in names]
            if all(a is None for a in answers):
                continue
            if any(a is None for a in answers):
                missing = [str(i) for i, a in enumerate(answers, 1) if a is None]
                self.add_error(names[int(missing[0]) - 1], _(
                    "Besvar alle %(count)s spørgsmål i %(name)s, eller lad dem alle stå tomme "
                    "(mangler: %(missing)s).") % {"count": len(items), "name": name,
                                                 "missing": ", ".join(missing)})
                continue
            found.append((key, answers, self.cleaned_data.get(f"{key}_on") or default_day))
        return found


class AssessmentForm(ScreeningFields, StepForm):
    slug = "afdaekning"
    title = _("Helhedsorienteret afdækning")
    help = _("Afdækningen laves sammen med borgeren inden for 14 dage og dækker de seks "
             "obligatoriske områder (bekendtgørelse nr. 1477, § 1, stk. 2).")
    field_map = {"domains": None, "answers": None, "administered_on": None}

    done_on = date_field(_("Afdækningen afsluttet"))
    instrument = choice_field(_("Redskab"), Instrument.choices)
    instrument_on = date_field(_("Redskabet anvendt"))
    other_help = text_field(_("Behov for anden hjælp"))
    screening_needed = forms.BooleanField(
        label=_("Der er behov for specialiseret screening eller udredning"), required=False,
        help_text=_("Opretter en opfølgningsopgave."))
    feedback_on = date_field(_("Tilbagemelding givet til borgeren"), required=False)
    children_at_home = yes_no_field(_("Bor der børn under 18 år i hjemmet?"))
    children_count = forms.IntegerField(
        label=_("Antal børn"), required=False, min_value=1, max_value=30,
        error_messages={"invalid": _("Skriv et helt tal."),
                        "min_value": _("Skriv et tal fra 1."),
                        "max_value": _("Skriv et tal under 30.")})
    children_ages = text_field(_("Børnenes alder"), rows=0, max_length=100,
                               help_text=_("Fx 3, 7 og 12 år."))
    pregnancy = yes_no_field(_("Er der en kendt graviditet?"),
                             help_text=_("Også når borgeren er kommende far."))
    expectant_father = forms.BooleanField(label=_("Borgeren er kommende far"), required=False)
    due_date = date_field(_("Terminsdato"), required=False)
    notified_on = date_field(_("Underretning sendt"), required=False)
    notified_to = text_field(_("Underretning sendt til"), rows=0, max_length=200)
    family_clinic_on = date_field(_("Henvist til familieambulatoriet"), required=False,
                                  help_text=_("Ved graviditet: regionens familieambulatorium."))

    duty_fields = ("notified_on", "notified_to", "family_clinic_on")
    family_fields = ("children_at_home", "children_count", "children_ages", "pregnancy",
                     "expectant_father", "due_date")
    general_fields = ("done_on", "instrument", "instrument_on")
    after_fields = ("other_help", "screening_needed", "feedback_on")

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        for key, label in DOMAINS:
            for part, part_label in DOMAIN_PARTS:
                self.fields[f"{key}_{part}"] = text_field(
                    f"{label}: {str(part_label).lower()}", required=part == "findings")
                self.fields[f"{key}_{part}"].error_messages["required"] = _(
                    "Skriv fund for området.")
        self.add_screening_fields()
        style(self)
        url = reverse("pathway:notify_duty")
        watched = ",".join(f"[name='{self.add_prefix(n)}']"
                           for n in ("children_at_home", "pregnancy"))
        for name in ("children_at_home", "pregnancy"):
            self.fields[name].widget.attrs.update({
                "hx-get": url, "hx-trigger": "change", "hx-target": "#underretningspligt",
                "hx-swap": "innerHTML", "hx-include": watched})

    def group(self, names):
        return [self[n] for n in names]

    def domain_groups(self):
        return [{"key": key, "label": label,
                 "fields": [self[f"{key}_{part}"] for part, _l in DOMAIN_PARTS]}
                for key, label in DOMAINS]

    def general(self):
        return self.group(self.general_fields)

    def after(self):
        return self.group(self.after_fields)

    def family(self):
        return self.group(self.family_fields)

    def duty(self):
        return self.group(self.duty_fields)

    def shows_duty(self) -> bool:
        """Whether the answers given so far show the duty to notify (SEL § 153)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return notification_duty(bool(data.get("children_at_home")), bool(data.get("pregnancy")))

    def clean(self):
        data = super().clean()
        self.screenings = self.clean_screenings(data.get("done_on"))
        return data

    def apply(self, request):
        d = self.cleaned_data
        domains = {key: {part: d[f"{key}_{part}"] for part, _l in DOMAIN_PARTS}
                   for key, _label in DOMAINS}
        assessment = Assessment(
            done_on=d["done_on"], instrument=d["instrument"], instrument_on=d["instrument_on"],
            domains=domains, other_help=d["other_help"],
            screening_needed=d["screening_needed"], feedback_on=d["feedback_on"],
            children_at_home=d["children_at_home"], children_count=d["children_count"],
            children_ages=d["children_ages"], pregnancy=d["pregnancy"],
            expectant_father=d["expectant_father"], due_date=d["due_date"],
            notified_on=d["notified_on"], notified_to=d["notified_to"],
            family_clinic_on=d["family_clinic_on"],
        )
        return services.record_assessment(request, self.course, assessment, self.screenings)


class ScreeningForm(ScreeningFields, StepForm):
    """A repeated AUDIT and/or DUDIT, stored item by item so reviews can compare them."""

    slug = "screening"
    title = _("Ny screening (AUDIT/DUDIT)")
    help = _("Screeninger gemmes spørgsmål for spørgsmål, så de kan gentages og "
             "sammenlignes.")
    field_map = {"answers": None, "administered_on": None}

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, course=course, **kwargs)
        self.add_screening_fields()
        style(self)

    def clean(self):
        data = super().clean()
        self.screenings = self.clean_screenings(clock.today())
        if not self.screenings and not self.errors:
            raise forms.ValidationError(_("Udfyld AUDIT eller DUDIT."))
        return data

    def apply(self, request):
        with transaction.atomic():
            return [services.add_screening(request, self.course, key, answers, day)
                    for key, answers, day in self.screenings]
