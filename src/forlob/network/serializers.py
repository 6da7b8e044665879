"""Serializers of the network API (issue 4 items 3 and 4): input (types, formats, code lists
and bounds only) and output (the recorded facts, with statuses computed by `rules`).

The rules (children under 18 not involved, consent periods, withdrawal once, disclosure only
under a consent in force) are checked by `network.services`, never here.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from forlob.pathway.serializers_input import (
    VersionedSerializer,
    choice,
    date_field,
    flag,
    optional_date,
    required_text,
    text,
)

from .models import (
    Consent,
    Disclosure,
    Guardian,
    GuardianBasis,
    Influence,
    NetworkMember,
    Party,
    Relation,
)
from .rules import ConsentStatus

EVENT_FIELDS = ["id", "recorded_at"]
PARTY_MESSAGES = {"invalid_choice": _("Ukendt part: {input}. Vælg en af: gp, psychiatry, "
                                      "jobcenter, provider_municipality, after_discharge.")}


def party_choice(parties, **kwargs):
    return serializers.ChoiceField(choices=[(p.value, p.label) for p in parties],
                                   error_messages=PARTY_MESSAGES, **kwargs)


# --- Input ---------------------------------------------------------------------------------

class MemberWriteSerializer(VersionedSerializer):
    """A person in the citizen's network (retningslinje 3.2)."""

    name = required_text(max_length=200)
    relation = choice(Relation.choices)
    influence = choice(Influence.choices,
                       help_text=_("`risk`: personen bruger selv rusmidler."))
    under_18 = flag(help_text=_("Personen er under 18 år: kan ikke inddrages som pårørende "
                                "(retningslinje 3.2.5)."))
    involvement_consent_on = optional_date(
        help_text=_("Dagen borgeren gav samtykke til at inddrage personen; tom: inddrages "
                    "ikke."))
    notes = text()


class GuardianWriteSerializer(VersionedSerializer):
    """A guardian (værge), retningslinje 3.2.1."""

    name = required_text(max_length=200)
    contact = text(max_length=300)
    basis = choice(GuardianBasis.choices)
    from_on = date_field()


class GuardianEndWriteSerializer(VersionedSerializer):
    ended_on = date_field(help_text=_("Dagen værgemålet ophørte."))


class ConsentWriteSerializer(VersionedSerializer):
    """A consent to one party, with its scope and period."""

    party = party_choice(list(Party))
    scope = required_text(help_text=_("Hvilke oplysninger samtykket omfatter."))
    given_on = date_field()
    valid_until = optional_date(help_text=_("Tom: gælder til det trækkes tilbage."))


class WithdrawWriteSerializer(VersionedSerializer):
    """Withdrawal takes effect today; no other field."""


class DisclosureWriteSerializer(VersionedSerializer):
    """A disclosure to an external party (egen læge, psykiatrien, jobcenteret)."""

    party = party_choice(list(Party), help_text=_("gp, psychiatry eller jobcenter."))
    disclosed_on = date_field()
    content = required_text(help_text=_("Hvilke oplysninger der blev videregivet."))


# --- Output --------------------------------------------------------------------------------

class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = NetworkMember
        fields = [*EVENT_FIELDS, "name", "relation", "influence", "under_18",
                  "involvement_consent_on", "notes"]


class GuardianSerializer(serializers.ModelSerializer):
    active = serializers.BooleanField(help_text="Aktiv i dag (beregnet af reglerne).")

    class Meta:
        model = Guardian
        fields = [*EVENT_FIELDS, "name", "contact", "basis", "from_on", "ended_on", "active"]


class ConsentSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=[s.value for s in ConsentStatus],
                                     help_text="Status i dag (beregnet af reglerne).")

    class Meta:
        model = Consent
        fields = [*EVENT_FIELDS, "party", "scope", "given_on", "valid_until", "withdrawn_on",
                  "status"]


class DisclosureSerializer(serializers.ModelSerializer):
    disclosed_by = serializers.CharField(source="recorded_by.username", allow_null=True,
                                         default=None)

    class Meta:
        model = Disclosure
        fields = [*EVENT_FIELDS, "party", "disclosed_on", "content", "consent", "disclosed_by"]


class NetworkSerializer(serializers.Serializer):
    """The network, guardians, consents and disclosures of a course."""

    course = serializers.IntegerField()
    version = serializers.IntegerField()
    can_write = serializers.BooleanField()
    members = MemberSerializer(many=True)
    guardians = GuardianSerializer(many=True)
    consents = ConsentSerializer(many=True)
    disclosures = DisclosureSerializer(many=True)
