"""Forms of the coordinator's round pages (issue 6 item 2): opening a round, its participants,
returning answers with comments and approving them, closing and reopening the round. The
forms check the shape of the input; services_rounds checks the rules and writes. Each form that
changes a shared record carries the version it was loaded with (optimistic locking)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forlob.locking import LockedFormMixin
from forlob.organisations.models import Cluster
from forlob.pathway.forms import date_field, style, text_field

from .access import coordinated_municipalities
from .models import Framework
from .services_rounds import organisations


def _org_key(org) -> str:
    return f"{'klynge' if isinstance(org, Cluster) else 'region'}-{org.pk}"


def _org_label(org) -> str:
    if isinstance(org, Cluster):
        return _("Klynge %(name)s") % {"name": org.name}
    return str(org.name)


def municipalities_field(queryset, help_text=""):
    return forms.ModelMultipleChoiceField(
        queryset=queryset, widget=forms.CheckboxSelectMultiple,
        label=_("Deltagende kommuner"), help_text=help_text,
        error_messages={"required": _("Vælg mindst én deltagende kommune."),
                        "invalid_choice": _("Vælg kommuner blandt de viste."),
                        "invalid_pk_value": _("Vælg kommuner blandt de viste.")})


class RoundForm(forms.Form):
    """Open a round: framework version, name, period, deadline, organisation and the
    participating municipalities (only those the coordinator coordinates)."""

    organisation = forms.ChoiceField(
        label=_("Runden åbnes for"), widget=forms.RadioSelect,
        error_messages={"required": _("Vælg klynge eller region."),
                        "invalid_choice": _("Vælg en af de viste muligheder.")})
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.order_by("code", "-version"), label=_("Rammeværk og version"),
        empty_label=_("Vælg rammeværk"),
        error_messages={"required": _("Vælg et rammeværk."),
                        "invalid_choice": _("Vælg et af de viste rammeværker.")})
    name = forms.CharField(label=_("Navn"), max_length=200,
                           help_text=_("Fx »Selvevaluering 2026, klynge Øst«."),
                           error_messages={"required": _("Giv runden et navn.")})
    period_start = date_field(_("Periode fra"), help_text=_(
        "Perioden, som de målte værdier ved siden af svarene dækker."))
    period_end = date_field(_("Periode til"))
    deadline = date_field(_("Svarfrist"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.orgs = {_org_key(o): o for o in organisations(user)}
        field = self.fields["organisation"]
        field.choices = [(k, _org_label(o)) for k, o in self.orgs.items()]
        if len(self.orgs) == 1:  # nothing to choose: the one organisation, posted or not
            field.initial = next(iter(self.orgs))
            field.required = False
        self.fields["municipalities"] = municipalities_field(
            coordinated_municipalities(user).select_related("cluster"),
            help_text=_("En klynges runde omfatter klyngens kommuner, en regions runde "
                        "regionens."))
        style(self)

    def clean_organisation(self):
        key = self.cleaned_data["organisation"] or self.fields["organisation"].initial
        return self.orgs[key]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Perioden slutter, før den begynder."))
        if start and data.get("deadline") and data["deadline"] < start:
            self.add_error("deadline", _("Svarfristen ligger før perioden begynder."))
        return data


class ParticipantsForm(LockedFormMixin, forms.Form):
    """Add and remove participants of an open round."""

    def __init__(self, *args, rnd, user, **kwargs):
        super().__init__(*args, **kwargs)
        qs = coordinated_municipalities(user)
        qs = qs.filter(cluster=rnd.cluster) if rnd.cluster_id else qs.filter(
            cluster__region=rnd.region)
        self.fields["municipalities"] = municipalities_field(qs)
        self.fields["municipalities"].initial = list(
            rnd.participants.values_list("municipality_id", flat=True))
        self.lock(rnd)
        style(self)


class ReturnForm(LockedFormMixin, forms.Form):
    """Send submitted answers back to the municipality with comments (required)."""

    comment = text_field(_("Kommentarer til kommunen"), required=True, rows=6, help_text=_(
        "Skriv, hvad kommunen skal rette eller uddybe. Kommunen ser kommentaren ved svarene."))

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].error_messages["required"] = _("Skriv, hvad kommunen skal rette.")
        self.lock(participant)
        style(self)


class ApproveForm(LockedFormMixin, forms.Form):
    comment = text_field(_("Kommentar"), rows=3, max_length=2000)

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock(participant)
        style(self)


class CloseRoundForm(LockedFormMixin, forms.Form):
    """Close the round: the coordinator confirms, since everything becomes read-only."""

    confirm = forms.BooleanField(
        label=_("Ja, afslut runden"), required=True,
        help_text=_("Kommunerne kan derefter ikke ændre eller indsende svar, og svar kan ikke "
                    "sendes retur, godkendes eller afgøres. Runden kan genåbnes."),
        error_messages={"required": _("Bekræft, at runden skal afsluttes.")})

    def __init__(self, *args, rnd, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock(rnd)
        style(self)


class ReopenRoundForm(LockedFormMixin, forms.Form):
    """Reopen a closed round (undo the close)."""

    def __init__(self, *args, rnd, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock(rnd)
        style(self)
