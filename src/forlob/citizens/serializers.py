"""Serializers for the citizen register API (issue 2). The full CPR is never an output field:
only `masked_cpr`; the full number comes only from the audited reveal endpoint."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from forlob import clock
from forlob.access import scope_for
from forlob.organisations.models import Municipality, Provider

from .forms import CPR_ERRORS
from .models import Citizen, Referral, Sex
from .rules import InvalidCpr, parse_cpr

#: An anonymous person (SEL § 101 a) has a pseudonym, birth year, sex and municipalities only.
ANONYMOUS_IDENTITY = _("En anonym borger må ikke have CPR-nummer, navn eller adresse.")


class MunicipalityCodeField(serializers.SlugRelatedField):
    """A municipality given by its official three-digit code, e.g. "269"."""

    default_error_messages = {
        "does_not_exist": _("Ukendt kommunekode: {value}."),
        "invalid": _("Ukendt kommunekode."),
    }

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Municipality.objects.all())
        super().__init__(slug_field="code", **kwargs)


def clean_cpr(text: str) -> str:
    """The ten digits of a valid CPR number, or a Danish validation error."""
    try:
        return parse_cpr(text).number
    except InvalidCpr as exc:
        raise serializers.ValidationError(CPR_ERRORS[str(exc)]) from exc


class CitizenSerializer(serializers.ModelSerializer):
    """A citizen as the API shows it. `id` is the opaque public id used in URLs."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    display_name = serializers.CharField(read_only=True)
    masked_cpr = serializers.CharField(
        read_only=True, help_text=_("CPR-nummeret maskeret, fx 010180-****. Tom for anonyme.")
    )
    residence_municipality = MunicipalityCodeField(read_only=True)
    acting_municipality = MunicipalityCodeField(read_only=True)

    class Meta:
        model = Citizen
        fields = [
            "id", "is_anonymous", "display_name", "first_name", "last_name", "pseudonym",
            "masked_cpr", "birth_year", "sex", "address", "postal_code", "city",
            "residence_municipality", "acting_municipality", "version",
        ]
        read_only_fields = fields


class CitizenWriteSerializer(serializers.ModelSerializer):
    """Shared validation for creating and editing a register entry."""

    cpr = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=11,
        help_text=_("10 cifre, fx 0101801234 eller 010180-1234. Kun for navngivne borgere."),
    )
    residence_municipality = MunicipalityCodeField(required=False, allow_null=True)
    acting_municipality = MunicipalityCodeField(required=False)
    sex = serializers.ChoiceField(
        choices=Sex.choices, required=False, allow_blank=True,
        help_text=_("Kun for anonyme; for navngivne borgere afledes køn af CPR-nummeret."),
    )

    class Meta:
        model = Citizen
        fields = [
            "cpr", "first_name", "last_name", "pseudonym", "birth_year", "sex", "address",
            "postal_code", "city", "residence_municipality", "acting_municipality",
        ]
        extra_kwargs = {"birth_year": {"required": False}}

    def _is_anonymous(self) -> bool:
        if self.instance is not None:
            return self.instance.is_anonymous
        return self.initial_data.get("is_anonymous") in serializers.BooleanField.TRUE_VALUES

    def validate_cpr(self, value):
        value = value.strip()
        if not value:
            return ""
        if self._is_anonymous():
            raise serializers.ValidationError(ANONYMOUS_IDENTITY)
        return clean_cpr(value)

    def _no_identity_if_anonymous(self, value):
        if value and self._is_anonymous():
            raise serializers.ValidationError(ANONYMOUS_IDENTITY)
        return value

    validate_first_name = validate_last_name = _no_identity_if_anonymous
    validate_address = validate_city = _no_identity_if_anonymous

    def validate_postal_code(self, value):
        self._no_identity_if_anonymous(value)
        if value and (not value.isdigit() or len(value) != 4):
            raise serializers.ValidationError(_("Postnummeret skal være fire cifre."))
        return value

    def validate_acting_municipality(self, value):
        if value.pk not in scope_for(self.context["request"].user).caseworker_municipalities:
            raise serializers.ValidationError(
                _("Handlekommunen skal være en kommune, hvor du er sagsbehandler.")
            )
        return value

    def validate_pseudonym(self, value):
        value = value.strip()
        if re.search(r"\d{6}", re.sub(r"[\s-]", "", value)):
            raise serializers.ValidationError(
                _("Et anonymt forløb må ikke indeholde et CPR-nummer.")
            )
        return value

    def validate_birth_year(self, value):
        this_year = clock.today().year
        if value is not None and not (this_year - 110 <= value <= this_year):
            raise serializers.ValidationError(
                _("Skriv et fødselsår mellem %(a)s og %(b)s.") % {"a": this_year - 110,
                                                                  "b": this_year}
            )
        return value

    def _check_anonymous(self, attrs, errors):
        # CPR, name and address are refused field by field (`_no_identity_if_anonymous`).
        if "pseudonym" in attrs and not attrs["pseudonym"]:
            errors["pseudonym"] = _("Skriv et pseudonym.")

    def _check_named(self, attrs, errors):
        if attrs.get("pseudonym"):
            errors["pseudonym"] = _("Kun anonyme borgere har et pseudonym.")
        for name in ("first_name", "last_name"):
            if name in attrs and not attrs[name].strip():
                errors[name] = _("Feltet skal udfyldes.")
        if "residence_municipality" in attrs and attrs["residence_municipality"] is None:
            errors["residence_municipality"] = _("Angiv bopælskommunens kode.")
        # Birth year and sex follow from the CPR number for a named person.
        attrs.pop("birth_year", None)
        attrs.pop("sex", None)

    def apply(self, citizen: Citizen) -> Citizen:
        """Copy validated data onto `citizen` (unsaved); the service saves and audits."""
        data = dict(self.validated_data)
        cpr = data.pop("cpr", "")
        data.pop("is_anonymous", None)
        data.pop("version", None)
        for name, value in data.items():
            setattr(citizen, name, value)
        if cpr:
            citizen.set_cpr(cpr)
        return citizen


class CitizenCreateSerializer(CitizenWriteSerializer):
    """Register a named person (CPR, name, address) or an anonymous one (pseudonym, birth year)."""

    is_anonymous = serializers.BooleanField(default=False)
    acting_municipality = MunicipalityCodeField()

    class Meta(CitizenWriteSerializer.Meta):
        fields = ["is_anonymous", *CitizenWriteSerializer.Meta.fields]

    def validate(self, attrs):
        errors = {}
        if attrs.get("is_anonymous"):
            self._check_anonymous(attrs, errors)
            if not attrs.get("pseudonym"):
                errors["pseudonym"] = _("Skriv et pseudonym.")
            if attrs.get("birth_year") is None:
                errors["birth_year"] = _("Angiv fødselsåret.")
        else:
            for name, message in (
                ("cpr", _("Angiv CPR-nummeret.")),
                ("first_name", _("Feltet skal udfyldes.")),
                ("last_name", _("Feltet skal udfyldes.")),
                ("residence_municipality", _("Angiv bopælskommunens kode.")),
            ):
                if not attrs.get(name):
                    errors[name] = message
            self._check_named(attrs, errors)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def build(self) -> Citizen:
        citizen = Citizen(is_anonymous=self.validated_data.get("is_anonymous", False))
        return self.apply(citizen)


class CitizenUpdateSerializer(CitizenWriteSerializer):
    """Edit a register entry. `version` is the version the client read (optimistic locking)."""

    version = serializers.IntegerField(
        min_value=1,
        help_text=_("Påkrævet: versionen, du læste. Er borgeren ændret siden, svarer API'et 409."),
        error_messages={"required": _("Angiv den version, du har læst (feltet version).")},
    )

    class Meta(CitizenWriteSerializer.Meta):
        fields = [*CitizenWriteSerializer.Meta.fields, "version"]

    def validate(self, attrs):
        errors = {}
        if attrs.get("version") is None:
            # PATCH is partial, so DRF does not enforce `required` itself.
            errors["version"] = self.fields["version"].error_messages["required"]
        if self.instance.is_anonymous:
            self._check_anonymous(attrs, errors)
        else:
            self._check_named(attrs, errors)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class CprLookupSerializer(serializers.Serializer):
    cpr = serializers.CharField(
        max_length=11, help_text=_("10 cifre, fx 0101801234 eller 010180-1234."),
        error_messages={"required": _("Angiv CPR-nummeret."),
                        "blank": _("Angiv CPR-nummeret.")},
    )

    def validate_cpr(self, value):
        return clean_cpr(value)


class RevealRequestSerializer(serializers.Serializer):
    purpose = serializers.CharField(
        max_length=300, help_text=_("Hvorfor du skal se det fulde CPR-nummer. Bliver logget."),
        error_messages={"required": _("Angiv formålet med at se det fulde CPR-nummer."),
                        "blank": _("Angiv formålet med at se det fulde CPR-nummer.")},
    )


class RevealResponseSerializer(serializers.Serializer):
    cpr = serializers.CharField(help_text=_("Det fulde CPR-nummer, fx 010180-1234."))


class ReferralSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = ["id", "provider", "provider_name", "referred_on", "ended_on", "is_active"]
        read_only_fields = fields

    def get_is_active(self, obj) -> bool:
        return obj.is_active(clock.today())


class ReferralCreateSerializer(serializers.Serializer):
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(), help_text=_("Behandlingstilbuddets id."),
        error_messages={"does_not_exist": _("Ukendt behandlingstilbud."),
                        "incorrect_type": _("Ukendt behandlingstilbud.")},
    )
    referred_on = serializers.DateField(
        error_messages={"invalid": _("Skriv en gyldig dato (ÅÅÅÅ-MM-DD).")}
    )


class ReferralEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(
        error_messages={"invalid": _("Skriv en gyldig dato (ÅÅÅÅ-MM-DD).")}
    )


class ErrorSerializer(serializers.Serializer):
    """The error body for 401/403/404/409: one Danish message."""

    detail = serializers.CharField()
