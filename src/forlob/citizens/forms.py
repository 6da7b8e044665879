"""Citizen register forms. Errors are Danish; English comes from the translation catalogue."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.access import scope_for
from forlob.organisations.models import Municipality, Provider

from .models import Citizen, Sex
from .rules import InvalidCpr, parse_cpr

CPR_ERRORS = {
    "format": _("Skriv CPR-nummeret som 10 cifre, fx 010180-1234."),
    "date": _("CPR-nummeret indeholder ikke en gyldig fødselsdato."),
}


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
            widget.attrs.setdefault("class", "form-input")


class MunicipalityChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Ukendt kommune. Vælg en kommune fra listen."),
    }

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class CitizenBaseForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    residence_municipality = MunicipalityChoiceField(
        queryset=Municipality.objects.all(), label=_("Bopælskommune"), required=False
    )
    acting_municipality = MunicipalityChoiceField(
        queryset=Municipality.objects.none(), label=_("Handlekommune"),
        help_text=_("Den kommune, der har pligten til at handle (normalt opholdskommunen)."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        self.fields["acting_municipality"].queryset = Municipality.objects.filter(
            pk__in=scope.caseworker_municipalities
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        _style(self)


class CitizenForm(CitizenBaseForm):
    cpr = forms.CharField(
        label=_("CPR-nummer"), max_length=11,
        help_text=_("10 cifre. Vises kun maskeret efter gemning."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "form-input input-width-s"}),
    )

    class Meta:
        model = Citizen
        fields = ["first_name", "last_name", "address", "postal_code", "city",
                  "residence_municipality", "acting_municipality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        self.fields["residence_municipality"].required = True
        self.fields["postal_code"].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk:
            self.fields["cpr"].required = False
            self.fields["cpr"].label = _("Ret CPR-nummer")
            self.fields["cpr"].help_text = _("Udfyld kun, hvis CPR-nummeret skal rettes.")

    def clean_cpr(self):
        text = self.cleaned_data.get("cpr", "")
        if not text and self.instance.pk:
            return ""
        try:
            return parse_cpr(text).number
        except InvalidCpr as exc:
            raise forms.ValidationError(CPR_ERRORS[str(exc)]) from exc

    def clean_postal_code(self):
        code = self.cleaned_data.get("postal_code", "")
        if code and (not code.isdigit() or len(code) != 4):
            raise forms.ValidationError(_("Postnummeret skal være fire cifre."))
        return code

    def save(self, commit=False):
        citizen = super().save(commit=False)
        if self.cleaned_data.get("cpr"):
            citizen.set_cpr(self.cleaned_data["cpr"])
        return citizen


class AnonymousCitizenForm(CitizenBaseForm):
    class Meta:
        model = Citizen
        fields = ["pseudonym", "birth_year", "sex", "residence_municipality",
                  "acting_municipality"]
        help_texts = {
            "pseudonym": _("Et kaldenavn, borgeren selv vælger. Ingen navne eller CPR-numre."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pseudonym"].required = True
        self.fields["sex"].choices = Sex.choices

    def clean_pseudonym(self):
        value = self.cleaned_data["pseudonym"].strip()
        if re.search(r"\d{6}", re.sub(r"[\s-]", "", value)):
            raise forms.ValidationError(_("Et anonymt forløb må ikke indeholde et CPR-nummer."))
        return value

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = clock.today().year
        if year is None or not (this_year - 110 <= year <= this_year):
            raise forms.ValidationError(_("Skriv et fødselsår mellem %(a)s og %(b)s.")
                                        % {"a": this_year - 110, "b": this_year})
        return year

    def save(self, commit=False):
        citizen = super().save(commit=False)
        citizen.is_anonymous = True
        return citizen


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Navn, pseudonym eller CPR-nummer"), max_length=100,
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off"}),
    )


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("Formål"), max_length=300,
        help_text=_("Hvorfor skal du se det fulde CPR-nummer? Formålet bliver logget."),
        widget=forms.TextInput(attrs={"class": "form-input"}),
    )


class ReferralForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.all(), label=_("Behandlingstilbud"),
        error_messages={"invalid_choice": _("Ukendt behandlingstilbud.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    referred_on = forms.DateField(
        label=_("Henvist fra"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}),
        error_messages={"invalid": _("Skriv en gyldig dato.")},
    )


class EndReferralForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Afsluttet den"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}),
        error_messages={"invalid": _("Skriv en gyldig dato.")},
    )
