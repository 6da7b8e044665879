"""Forms of the competence and method map (issue 6 item 9). Entries are shared records: every
edit carries the version it was loaded with (forlob.locking). Labels come from the models, in
Danish."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from forlob.locking import MAX_VERSION, LockedModelForm
from forlob.pathway.forms import date_field, style

from .models import DevelopmentProject, StaffCompetence
from .services_competence import MAX_ENTRIES, MAX_ENTRY_CHARS, METHODS, TOOLS, split_list

STALE = _("Formularen mangler versionens nummer. Genindlæs siden.")
MAX_TEXT = 4000


def _list_field(label, suggestions):
    return forms.CharField(
        label=label, required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Adskil med komma eller linjeskift. Forslag: %(s)s.")
        % {"s": ", ".join(suggestions)})


class OwnerMixin:
    """The organisation a new entry belongs to, when the user registers for several."""

    def add_owner(self, owners):
        self.owners = {o.key: o for o in owners}
        if self.instance.pk is None and len(owners) > 1:
            self.fields["owner"] = forms.ChoiceField(
                label=_("Organisation"), choices=[("", "—")] + [(o.key, o.name) for o in owners],
                error_messages={"required": _("Vælg organisationen."),
                                "invalid_choice": _("Vælg en af de viste organisationer.")})
            self.order_fields(["owner"])

    def owner(self):
        if "owner" in self.fields:
            return self.owners[self.cleaned_data["owner"]]
        return next(iter(self.owners.values()))


def _list_initial(form, name):
    if form.instance.pk is not None and not form.is_bound:
        form.initial[name] = ", ".join(getattr(form.instance, name) or [])


class CompetenceForm(OwnerMixin, LockedModelForm):
    methods = _list_field(_("Metoder"), METHODS)
    tools = _list_field(_("Screeningsredskaber"), TOOLS)
    staff_count = forms.IntegerField(
        label=_("Antal medarbejdere"), min_value=1, max_value=32767, initial=1,
        help_text=_("Hvor mange medarbejdere har denne uddannelse og disse metoder."),
        error_messages={"required": _("Skriv et antal."), "invalid": _("Skriv et helt tal."),
                        "min_value": _("Mindst 1."), "max_value": _("For stort tal.")})

    class Meta:
        model = StaffCompetence
        fields = ["education", "methods", "tools", "staff_count", "contact_name",
                  "contact_email", "contact_phone"]
        help_texts = {
            "education": _("Fx socialrådgiver, sygeplejerske, psykolog, pædagog."),
            "contact_name": _("En kontaktperson på arbejdet, som kolleger i klyngen kan "
                              "kontakte. Ingen borgeroplysninger."),
        }

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("methods", "tools"):
            _list_initial(self, name)
        self.add_owner(list(owners))
        style(self)

    def _clean_list(self, name, suggestions):
        values = split_list(self.cleaned_data.get(name, ""), suggestions)
        if len(values) > MAX_ENTRIES or any(len(v) > MAX_ENTRY_CHARS for v in values):
            raise forms.ValidationError(_(
                "Højst %(n)s punkter på hver højst %(chars)s tegn.")
                % {"n": MAX_ENTRIES, "chars": MAX_ENTRY_CHARS})
        return values

    def clean_methods(self):
        return self._clean_list("methods", METHODS)

    def clean_tools(self):
        return self._clean_list("tools", TOOLS)


class ProjectForm(OwnerMixin, LockedModelForm):
    period_start = date_field(_("Periode fra"))
    period_end = date_field(_("Periode til"), required=False,
                            help_text=_("Tom, mens projektet kører."))

    class Meta:
        model = DevelopmentProject
        fields = ["title", "aim", "method", "period_start", "period_end", "contact_name",
                  "contact_email", "results"]
        help_texts = {
            "aim": _("Hvad skal projektet opnå?"),
            "method": _("Hvordan arbejder projektet, fx hvilke metoder det afprøver."),
            "results": _("Hvad er resultaterne indtil nu? Ingen borgeroplysninger."),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 4})
                   for name in ("aim", "method", "results")}

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("aim", "method", "results"):
            self.fields[name].max_length = MAX_TEXT
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))
            self.fields[name].widget.attrs["maxlength"] = MAX_TEXT
        self.add_owner(list(owners))
        style(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Perioden slutter, før den begynder."))
        return data


class ConfirmDeleteForm(forms.Form):
    """The version the confirmation page was loaded with."""

    loaded_version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION,
        error_messages={"required": STALE, "invalid": STALE, "min_value": STALE,
                        "max_value": STALE})


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Søg"), required=False, max_length=200,
                        help_text=_("Søger i uddannelse, metoder, redskaber, titel, formål og "
                                    "kontaktperson."))
    metode = forms.ChoiceField(label=_("Metode eller redskab"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args, methods=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metode"].choices = [("", _("Alle"))] + [(m, m) for m in methods]
        self.fields["organisation"].choices = [("", _("Alle"))] + list(organisations)
        style(self)
