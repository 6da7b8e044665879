"""Forms for providers and purchase agreements. Errors are Danish; English comes from the
translation catalogue. The same forms serve the administrator's pages and the Django admin."""

from copy import copy

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.locking import LockedFormMixin, LockedModelForm, save_unchanged

from .models import Intensity, Municipality, Provider, PurchaseAgreement, TreatmentKind

DATE_ERRORS = {"invalid": _("Skriv en gyldig dato.")}


def _canonical(values, choices) -> list[str]:
    """Selected values in the order of the choices, so the stored lists compare cleanly."""
    chosen = set(values or [])
    return [value for value in choices.values if value in chosen]


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-checkbox")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-input")


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Checkboxes in a fieldset whose id is the field's id, so the error summary can link to
    the group (Django's own widget gives the group no id to link to)."""

    def id_for_label(self, id_, index=None):
        if index is None:
            return id_
        return super().id_for_label(id_, index)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MunicipalityChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Ukendt kommune. Vælg en kommune fra listen."),
        "required": _("Vælg en kommune."),
    }

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class ProviderChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Ukendt behandlingstilbud. Vælg et tilbud fra listen."),
        "required": _("Vælg et behandlingstilbud."),
    }


def kinds_field(label, help_text=""):
    # Not required here: the model's clean() gives the Danish "choose at least one" message.
    return forms.MultipleChoiceField(
        label=label, help_text=help_text, choices=TreatmentKind.choices, required=False,
        widget=CheckboxGroup,
        error_messages={"invalid_choice": _("Ukendt behandlingsform.")},
    )


class ProviderForm(LockedModelForm):
    """A provider. `municipalities` limits the owner to the administrator's municipalities.
    Saving a change is refused (StaleRecord) if someone else saved the provider meanwhile."""

    owner_municipality = MunicipalityChoiceField(
        queryset=Municipality.objects.all(), label=_("Ejerkommune"), required=False,
        help_text=_("Tom for et privat tilbud."),
    )
    kinds = kinds_field(_("Behandlingsformer"), _("Vælg de behandlingsformer, tilbuddet tilbyder."))
    intensities = forms.MultipleChoiceField(
        label=_("Intensiteter"), choices=Intensity.choices, required=True,
        widget=CheckboxGroup,
        help_text=_("Vælg de intensiteter, tilbuddet tilbyder."),
        error_messages={
            "required": _("Vælg mindst én intensitet, som tilbuddet tilbyder."),
            "invalid_choice": _("Ukendt intensitet."),
        },
    )

    class Meta:
        model = Provider
        fields = ["name", "owner_municipality", "kinds", "intensities",
                  "approved_by_socialtilsynet", "listed_on_tilbudsportalen", "address", "phone"]
        labels = {
            "name": _("Navn"),
            "approved_by_socialtilsynet": _("Godkendt af Socialtilsynet"),
            "listed_on_tilbudsportalen": _("Optaget på Tilbudsportalen"),
            "address": _("Adresse"),
            "phone": _("Telefon"),
        }
        error_messages = {
            "name": {
                "required": _("Skriv tilbuddets navn."),
                "unique": _("Der findes allerede et behandlingstilbud med det navn."),
            },
        }

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            owner = self.fields["owner_municipality"]
            owner.queryset = municipalities
            owner.required = True
            owner.empty_label = None
            owner.help_text = _("Du kan oprette og rette tilbud, som din kommune ejer.")
        _style(self)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_kinds(self):
        kinds = _canonical(self.cleaned_data.get("kinds"), TreatmentKind)
        if self.instance.pk and kinds:
            # Agreements in force today or later must still be covered by what is offered.
            dropped = set()
            agreements = self.instance.purchase_agreements.filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=clock.today())
            )
            for agreement in agreements:
                dropped |= set(agreement.kinds) - set(kinds)
            if dropped:
                labels = ", ".join(str(TreatmentKind(k).label) for k in _canonical(
                    dropped, TreatmentKind))
                raise forms.ValidationError(
                    _("Tilbuddet har gældende købsaftaler om %(kinds)s. Afslut eller ret "
                      "aftalerne, før behandlingsformen fjernes.") % {"kinds": labels}
                )
        return kinds

    def clean_intensities(self):
        return _canonical(self.cleaned_data.get("intensities"), Intensity)


class PurchaseAgreementForm(LockedModelForm):
    """An agreement. `municipalities` limits the buyer to the administrator's municipalities.
    Saving a change is refused (StaleRecord) if someone else saved the agreement meanwhile."""

    municipality = MunicipalityChoiceField(
        queryset=Municipality.objects.all(), label=_("Køberkommune")
    )
    provider = ProviderChoiceField(
        queryset=Provider.objects.select_related("owner_municipality"),
        label=_("Behandlingstilbud"),
    )
    kinds = kinds_field(
        _("Behandlingsformer"),
        _("Vælg de behandlingsformer, kommunen køber. Tilbuddet skal tilbyde dem."),
    )

    class Meta:
        model = PurchaseAgreement
        fields = ["municipality", "provider", "kinds", "valid_from", "valid_to"]
        labels = {"valid_from": _("Gælder fra"), "valid_to": _("Gælder til")}
        help_texts = {"valid_to": _("Tom, hvis aftalen gælder indtil videre.")}
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}
        error_messages = {
            "valid_from": {"required": _("Skriv aftalens startdato."), **DATE_ERRORS},
            "valid_to": DATE_ERRORS,
        }

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            buyer = self.fields["municipality"]
            buyer.queryset = municipalities
            buyer.empty_label = None
            buyer.help_text = _("Du kan oprette aftaler, hvor din kommune er køber.")
        _style(self)

    def clean_kinds(self):
        return _canonical(self.cleaned_data.get("kinds"), TreatmentKind)

    def clean(self):
        cleaned = super().clean()
        municipality, provider = cleaned.get("municipality"), cleaned.get("provider")
        kinds, start = cleaned.get("kinds"), cleaned.get("valid_from")
        end = cleaned.get("valid_to")
        if municipality and provider and kinds and start and (end is None or end >= start):
            overlapping = PurchaseAgreement.objects.filter(
                municipality=municipality, provider=provider
            ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
            if end is not None:
                overlapping = overlapping.filter(valid_from__lte=end)
            if self.instance.pk:
                overlapping = overlapping.exclude(pk=self.instance.pk)
            if any(set(kinds) & set(other.kinds) for other in overlapping):
                self.add_error(
                    "kinds",
                    _("%(municipality)s har allerede en aftale med %(provider)s om en af de "
                      "valgte behandlingsformer i perioden. Ret eller afslut den først.")
                    % {"municipality": municipality, "provider": provider},
                )
        return cleaned


class EndAgreementForm(LockedFormMixin):
    """End an agreement on a given day (its last day in force)."""

    valid_to = forms.DateField(
        label=_("Sidste gyldighedsdag"), widget=DateInput(attrs={"class": "form-input"}),
        error_messages={"required": _("Skriv den dato, aftalen slutter."), **DATE_ERRORS},
    )

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        if agreement is not None:
            self.lock(agreement)

    def clean_valid_to(self):
        day = self.cleaned_data["valid_to"]
        if self.agreement is not None and day < self.agreement.valid_from:
            raise forms.ValidationError(
                _("Slutdatoen ligger før aftalens startdato (%(start)s).")
                % {"start": self.agreement.valid_from.strftime("%d.%m.%Y")}
            )
        return day

    def save(self) -> PurchaseAgreement:
        """End the agreement; StaleRecord (nothing written) if it changed since loaded."""
        ended = copy(self.agreement)
        ended.valid_to = self.cleaned_data["valid_to"]
        save_unchanged(ended, self.cleaned_data.get("loaded_version"), ["valid_to"])
        return ended
