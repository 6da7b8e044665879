"""The questionnaire as a form, built from the versioned definition (questionnaire.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forlob.pathway.forms import style

from . import questionnaire


class QuestionnaireForm(forms.Form):
    """Every question is optional: the citizen answers what they want to."""

    def __init__(self, *args, definition=questionnaire.CURRENT, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        for q in definition.questions:
            if q.is_text:
                self.fields[q.key] = forms.CharField(
                    label=q.text, help_text=q.hint, required=False,
                    max_length=questionnaire.COMMENT_MAX,
                    widget=forms.Textarea(attrs={"rows": 5}))
            else:
                self.fields[q.key] = forms.TypedChoiceField(
                    label=q.text, help_text=q.hint, required=False, coerce=int,
                    empty_value=None, choices=[(str(v), label) for v, label in q.scale],
                    widget=forms.RadioSelect)
        style(self)

    def sections(self):
        """(section title, bound field) in the questionnaire's order."""
        return [(q.section, self[q.key]) for q in self.definition.questions]

    def answers(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in
                {q.key for q in self.definition.questions}}


class PaperForm(QuestionnaireForm):
    """A paper questionnaire keyed in by the provider's staff, with the code printed on it."""

    code = forms.CharField(
        label=_("Koden på skemaet"), max_length=40,
        help_text=_("Står øverst på papirskemaet, fx ABCDE-FGHJK-MNPQR-STVWX-YZ012."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"class": "form-input input-width-xl",
                                                 "autocomplete": "off"})
        self.order_fields(["code"])
