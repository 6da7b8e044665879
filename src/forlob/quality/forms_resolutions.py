"""Forms of the coordinator's resolutions (issue 6 item 3). A form checks the shape of the input;
services_resolutions applies the aggregation rules' conditions and the optimistic lock."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forlob.locking import MAX_VERSION
from forlob.pathway.forms import style

from .models import Category, Choice

STALE = _("Formularen mangler afgørelsens version. Genindlæs siden.")
REASON_MAX = 2000
REASON_REQUIRED = _("Skriv en begrundelse. Den vises i rapporterne.")

#: What a delvis can be resolved to (statusrapport 2014), with the category it gives.
RESOLVE_CHOICES = [
    (Choice.YES, _("Afgør som ja – Helt indfriet")),
    (Choice.NO, _("Afgør som nej – Ikke indfriet")),
    (Choice.PARTLY, _("Behold som delvis – Delvist indfriet")),
]


def _reason(required, help_text):
    return forms.CharField(
        label=_("Begrundelse"), required=required, max_length=REASON_MAX,
        help_text=help_text, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_REQUIRED,
                        "max_length": _("Begrundelsen kan højst være %(limit_value)d tegn.")})


class LockForm(forms.Form):
    """The resolution's version as the page loaded it; 0 when there was none yet."""

    loaded_version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION - 1,
        error_messages={"required": STALE, "invalid": STALE, "min_value": STALE,
                        "max_value": STALE})

    def __init__(self, *args, resolution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = resolution.version if resolution else 0
        style(self)


class ResolveForm(LockForm):
    """Resolve a delvis to ja or nej (reason required), or keep it as delvist indfriet."""

    delvis_to = forms.ChoiceField(
        label=_("Afgørelse"), choices=RESOLVE_CHOICES, widget=forms.RadioSelect,
        help_text=_("Statusrapporten 2014: ja, hvis kommunen ud fra sine uddybende svar ser ud "
                    "til at være på linje med dem, der svarede ja, ellers nej."),
        error_messages={"required": _("Vælg en afgørelse."),
                        "invalid_choice": _("Vælg en af de viste afgørelser.")})
    reason = _reason(False, _("Skal udfyldes, når delvis afgøres som ja eller nej."))

    field_order = ["delvis_to", "reason", "loaded_version"]

    def clean(self):
        data = super().clean()
        if data.get("delvis_to") in (Choice.YES, Choice.NO) and not (
                data.get("reason") or "").strip():
            self.add_error("reason", REASON_REQUIRED)
        return data


class JudgeForm(LockForm):
    """Set a category other than the rules' one, with a reason."""

    category = forms.ChoiceField(
        label=_("Kategori sat ved skøn"), choices=Category.choices, widget=forms.RadioSelect,
        help_text=_("Fx en køberkommunes nej, der er opfyldt gennem købsaftalen, eller opdelte "
                    "områder, der samlet set indfrier indikatoren. Rapporterne markerer "
                    "kategorien som sat ved skøn."),
        error_messages={"required": _("Vælg en kategori."),
                        "invalid_choice": _("Vælg en af de viste kategorier.")})
    reason = _reason(True, _("Hvorfor afviger kategorien fra reglerne?"))

    field_order = ["category", "reason", "loaded_version"]


class ConfirmForm(LockForm):
    """Undo a judgement, or reopen a resolved delvis: only the version."""


FORMS = {"afgoer": ResolveForm, "skoen": JudgeForm, "fortryd": ConfirmForm,
         "genaabn": ConfirmForm}
