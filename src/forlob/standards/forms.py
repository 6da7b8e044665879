"""Forms of the staff pages of the quality standard (issue 7 items 1, 3 and 4). A form checks
the shape of the input; services.py applies the legal limits (rules.legal_problems) and
refuses a stale version. Labels and help texts come from the model, in Danish."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from forlob.locking import MAX_VERSION
from forlob.organisations.models import Provider
from forlob.pathway.forms import date_field, style, text_field
from forlob.pathway.rules_aftercare import LEGAL_FOLLOW_UP_REASONS
from forlob.treatment.choices import Reason

from .models import LEVEL_FIELDS, ComplaintRoute, ContactPoint, Section, ServiceStandard

#: The largest primary key (BigAutoField); a larger number in the query string is bad input.
MAX_ID = 2**63 - 1

STALE = _("Formularen mangler versionens nummer. Genindlæs siden.")

LEGAL_REASONS = [(v, label) for v, label in Reason.choices if v in LEGAL_FOLLOW_UP_REASONS]
EXTRA_REASONS = [(v, label) for v, label in Reason.choices if v not in LEGAL_FOLLOW_UP_REASONS]


class ProvidersField(forms.ModelMultipleChoiceField):
    """Provider checkboxes; an id no database column can hold is an unknown choice, not a
    crash in the query."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or not 1 <= int(pk) <= MAX_ID:
                raise forms.ValidationError(self.error_messages["invalid_choice"],
                                            code="invalid_choice", params={"value": pk})
        return super()._check_values(value)


def _field(name):
    return ServiceStandard._meta.get_field(name)


class LockForm(forms.Form):
    """The version of the standard the page was loaded with (optimistic locking)."""

    loaded_version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION,
        error_messages={"required": STALE, "invalid": STALE, "min_value": STALE,
                        "max_value": STALE})

    def __init__(self, *args, standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.fields["loaded_version"].initial = standard.version
        style(self)


class DraftForm(LockForm):
    """Every service level of a draft, the extra discharge reasons with follow-up, the
    providers, and one text per section of the published standard."""

    legal_reasons = forms.MultipleChoiceField(
        label=_("Lovens årsager (altid med)"), choices=LEGAL_REASONS, required=True,
        disabled=True, widget=forms.CheckboxSelectMultiple,
        help_text=_("Færdigbehandlet, udskrevet til andet tilbud, udskrevet til hospital og "
                    "anden årsag udløser altid opfølgning (bekendtgørelse 1477 § 4, stk. 2). "
                    "De kan ikke fravælges."))

    def __init__(self, *args, standard, **kwargs):
        super().__init__(*args, standard=standard, **kwargs)
        for name in LEVEL_FIELDS:
            if name == "follow_up_reasons":
                self.fields[name] = forms.MultipleChoiceField(
                    label=_("Flere udskrivningsårsager med opfølgning"), choices=EXTRA_REASONS,
                    required=False, widget=forms.CheckboxSelectMultiple,
                    help_text=_("Kommunen kan love opfølgning ved flere årsager end lovens."))
                continue
            self.fields[name] = _field(name).formfield()
        self.fields["providers"] = ProvidersField(
            queryset=Provider.objects.order_by("name"), required=False,
            widget=forms.CheckboxSelectMultiple, label=_field("providers").verbose_name,
            help_text=_("De behandlingstilbud kommunen bruger, som de nævnes i standarden."))
        for key, label in Section.choices:
            self.fields[f"section_{key}"] = text_field(label, rows=6)
        self.initial = {**self.initial_for(standard), **self.initial}
        style(self)

    @staticmethod
    def initial_for(standard):
        values = {name: getattr(standard, name) for name in LEVEL_FIELDS}
        values["legal_reasons"] = [v for v, _l in LEGAL_REASONS]
        values["providers"] = list(standard.providers.values_list("pk", flat=True))
        texts = standard.sections or {}
        values.update({f"section_{key}": texts.get(key, "") for key, _l in Section.choices})
        return values

    def level_fields(self):
        return [self[name] for name in LEVEL_FIELDS
                if name not in ("title", "follow_up_reasons")]

    def section_fields(self):
        return [self[f"section_{key}"] for key, _l in Section.choices]

    def service_data(self) -> tuple[dict, list]:
        """(data for services.save_draft, providers)."""
        d = self.cleaned_data
        data = {name: d[name] for name in LEVEL_FIELDS}
        data["follow_up_reasons"] = list(d["follow_up_reasons"])
        data["sections"] = {key: d[f"section_{key}"].strip() for key, _l in Section.choices
                            if d[f"section_{key}"].strip()}
        return data, list(d["providers"])


class ContactPointForm(forms.ModelForm):
    class Meta:
        model = ContactPoint
        fields = ["kind", "name", "address", "phone", "email", "opening_hours"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
        if "DELETE" in self.fields:
            self.fields["DELETE"].label = _("Slet kontaktpunktet")


ContactPointFormSet = forms.modelformset_factory(
    ContactPoint, form=ContactPointForm, extra=1, can_delete=True)


class ComplaintRouteForm(forms.ModelForm):
    """The complaint route of one track; the track is fixed by the page."""

    class Meta:
        model = ComplaintRoute
        fields = ["authority", "deadline", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].error_messages["required"] = _(
            "Skriv, hvem klagen sendes til.")
        style(self)


class AdoptForm(LockForm):
    """The council's decision: when it was made, the first day in force, and how the user
    organisations were involved (retningslinje 2.8.4)."""

    adopted_on = date_field(_("Vedtaget af kommunalbestyrelsen den"))
    valid_from = date_field(
        _("Gælder fra"),
        help_text=_("Tidligst i morgen. Versionen gælder for frister, der begynder den dag "
                    "eller senere."))
    involvement = text_field(capfirst(_field("involvement").verbose_name), rows=4,
                             help_text=_field("involvement").help_text)
    involved_on = date_field(_("Dato for inddragelse"), required=False)

    def __init__(self, *args, standard, **kwargs):
        kwargs.setdefault("initial", {"involvement": standard.involvement,
                                      "involved_on": standard.involved_on})
        super().__init__(*args, standard=standard, **kwargs)


class CompareForm(forms.Form):
    """Two versions of one municipality, by id, in the query string."""

    fra = forms.IntegerField(label=_("Fra version"), min_value=1, max_value=MAX_ID)
    til = forms.IntegerField(label=_("Til version"), min_value=1, max_value=MAX_ID)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.pk, _version_label(v)) for v in versions]
        for name in ("fra", "til"):
            self.fields[name].widget = forms.Select(choices=choices)
            self.fields[name].error_messages.update(
                {"required": _("Vælg en version."), "invalid": _("Vælg en af versionerne."),
                 "min_value": _("Vælg en af versionerne."),
                 "max_value": _("Vælg en af versionerne.")})
        style(self)


def _version_label(version) -> str:
    return _("Version %(number)s (%(status)s)") % {
        "number": version.number, "status": version.get_status_display()}
