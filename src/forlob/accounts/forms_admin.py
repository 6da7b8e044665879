"""Forms for a municipality's administrator: users and their memberships.

An administrator may give roles only in their own organisations: caseworker, leader and
administrator in their own municipality; clinician in a provider their municipality owns.
Errors are Danish msgids; English comes from the translation catalogue.
"""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from forlob.access import scope_for
from forlob.locking import LockedModelForm
from forlob.organisations.models import Municipality, Provider

from .models import Membership, Role, User

MUNICIPAL_ROLES = (Role.CASEWORKER, Role.LEADER, Role.ADMINISTRATOR)
GRANTABLE_ROLES = (Role.CASEWORKER, Role.CLINICIAN, Role.LEADER, Role.ADMINISTRATOR)

USERNAME_TAKEN = _("Brugernavnet er optaget. Vælg et andet.")
EMAIL_INVALID = _("Skriv en gyldig e-mailadresse, fx navn@kommune.dk.")
ORG_UNKNOWN = _("Vælg en organisation fra listen.")


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-checkbox")
        elif not isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
            widget.attrs.setdefault("class", "form-input")


class Organisations:
    """The organisations an administrator may give roles in, keyed "m-<id>" and "p-<id>"."""

    def __init__(self, admin):
        munis = scope_for(admin).admin_municipalities
        self.municipalities = list(Municipality.objects.filter(pk__in=munis).order_by("name"))
        self.providers = list(
            Provider.objects.filter(owner_municipality_id__in=munis).order_by("name")
        )
        self.by_key = {f"m-{m.pk}": m for m in self.municipalities}
        self.by_key.update({f"p-{p.pk}": p for p in self.providers})

    def grouped_choices(self):
        choices = [("", _("Vælg organisation"))]
        if self.municipalities:
            choices.append((_("Kommune"), [(f"m-{m.pk}", m.name) for m in self.municipalities]))
        if self.providers:
            choices.append(
                (_("Behandlingstilbud"), [(f"p-{p.pk}", p.name) for p in self.providers])
            )
        return choices

    def role_choices(self):
        """Every (role, organisation) pair the administrator may grant, as "role:key"."""
        pairs = []
        for m in self.municipalities:
            for role in MUNICIPAL_ROLES:
                pairs.append((f"{role.value}:m-{m.pk}", f"{role.label} · {m.name}"))
        for p in self.providers:
            pairs.append((f"{Role.CLINICIAN.value}:p-{p.pk}", f"{Role.CLINICIAN.label} · {p.name}"))
        return pairs


def membership_for(user, role: str, organisation) -> Membership:
    field = "municipality" if isinstance(organisation, Municipality) else "provider"
    return Membership(user=user, role=role, **{field: organisation})


def check_grantable(admin, role: str, organisation) -> None:
    """Raise ValidationError unless `admin` may give `role` in `organisation` right now.
    Re-read from the database, so a change since the form was shown is caught."""
    munis = scope_for(admin).admin_municipalities
    if role in MUNICIPAL_ROLES:
        if not isinstance(organisation, Municipality):
            raise ValidationError(
                _("En sagsbehandler, leder eller administrator hører til en kommune. "
                  "Vælg din kommune."), code="wrong_kind")
        if organisation.pk not in munis:
            raise ValidationError(_("Du kan kun give roller i din egen kommune."),
                                  code="out_of_scope")
    elif role == Role.CLINICIAN:
        if not isinstance(organisation, Provider):
            raise ValidationError(
                _("En behandler hører til et behandlingstilbud. Vælg et af din kommunes "
                  "behandlingstilbud."), code="wrong_kind")
        owned = Provider.objects.filter(pk=organisation.pk, owner_municipality_id__in=munis)
        if not owned.exists():
            raise ValidationError(
                _("Du kan kun give behandlerroller i behandlingstilbud, din kommune ejer."),
                code="out_of_scope")
    else:
        raise ValidationError(_("Den rolle kan du ikke give."), code="role")


def add_membership(admin, user, role: str, organisation) -> Membership:
    """Validate and save one membership (call inside transaction.atomic)."""
    check_grantable(admin, role, organisation)
    membership = membership_for(user, role, organisation)
    membership.full_clean(validate_unique=False, validate_constraints=False)
    if Membership.objects.filter(
        user=user, role=role, municipality=membership.municipality,
        provider=membership.provider,
    ).exists():
        raise ValidationError(_("Brugeren har allerede denne rolle i organisationen."),
                              code="duplicate")
    membership.save()
    return membership


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Brugernavn"), max_length=150,
        help_text=_("Bogstaver, tal og tegnene @ . + - _ (højst 150 tegn)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Efternavn"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), error_messages={"invalid": EMAIL_INVALID})
    password1 = forms.CharField(
        label=_("Adgangskode"), strip=False,
        help_text=_("Mindst 12 tegn. Må ikke ligne brugernavnet, være almindelig eller kun "
                    "bestå af tal. Brugeren bør skifte den ved første login."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Gentag adgangskode"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    memberships = forms.MultipleChoiceField(
        label=_("Roller"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Vælg mindst én rolle. Flere kan tilføjes senere."),
        error_messages={
            "required": _("Vælg mindst én rolle."),
            "invalid_choice": _("Du kan kun give roller i din egen kommune og dens "
                                "behandlingstilbud."),
        },
    )

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin = admin
        self.orgs = Organisations(admin)
        self.fields["memberships"].choices = self.orgs.role_choices()
        self.fields["username"].error_messages["required"] = _("Skriv et brugernavn.")
        for name in ("first_name", "last_name"):
            self.fields[name].error_messages["required"] = _("Skriv et navn.")
        self.fields["email"].error_messages["required"] = _("Skriv en e-mailadresse.")
        self.fields["password1"].error_messages["required"] = _("Skriv en adgangskode.")
        self.fields["password2"].error_messages["required"] = _("Gentag adgangskoden.")
        _style(self)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        try:
            User.username_validator(username)
        except ValidationError as exc:
            raise ValidationError(
                _("Brugernavnet må kun indeholde bogstaver, tal og tegnene @ . + - _."),
                code="invalid") from exc
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(USERNAME_TAKEN, code="taken")
        return username

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De to adgangskoder er ikke ens."))
        elif p1:
            candidate = User(username=data.get("username", ""), email=data.get("email", ""),
                             first_name=data.get("first_name", ""),
                             last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def selected(self):
        """The chosen memberships as (role, organisation) pairs."""
        pairs = []
        for value in self.cleaned_data.get("memberships", []):
            role, key = value.split(":", 1)
            pairs.append((role, self.orgs.by_key[key]))
        return pairs

    def save(self) -> User:
        """Create the user and every membership in one transaction: all or nothing.
        Raises ValidationError (nothing saved) if a membership is no longer allowed."""
        data = self.cleaned_data
        try:
            with transaction.atomic():
                user = User(username=data["username"], first_name=data["first_name"],
                            last_name=data["last_name"], email=data["email"], is_active=True)
                user.set_password(data["password1"])
                user.save()
                for role, organisation in self.selected():
                    add_membership(self.admin, user, role, organisation)
        except IntegrityError as exc:  # the username was taken meanwhile
            raise ValidationError({"username": USERNAME_TAKEN}) from exc
        return user


class UserEditForm(LockedModelForm):
    """Saving is refused (StaleRecord) if the user's details changed since the form was
    loaded: User has no version, so the hidden token is a keyed hash of these fields."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "is_active"]
        labels = {
            "first_name": _("Fornavn"), "last_name": _("Efternavn"), "email": _("E-mail"),
            "is_active": _("Aktiv"),
        }
        help_texts = {"is_active": _("En deaktiveret bruger kan ikke logge ind.")}
        error_messages = {"email": {"invalid": EMAIL_INVALID}}

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin = admin
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        self.fields["email"].error_messages["required"] = _("Skriv en e-mailadresse.")
        self.fields["first_name"].error_messages["required"] = _("Skriv et navn.")
        self.fields["last_name"].error_messages["required"] = _("Skriv et navn.")
        _style(self)

    def clean_is_active(self):
        active = self.cleaned_data["is_active"]
        if not active and self.instance.pk == self.admin.pk:
            raise ValidationError(_("Du kan ikke deaktivere dig selv."), code="self")
        return active


class MembershipAddForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=[("", _("Vælg rolle"))] + [(r.value, r.label) for r in GRANTABLE_ROLES],
        error_messages={"required": _("Vælg en rolle."),
                        "invalid_choice": _("Den rolle kan du ikke give.")},
    )
    organisation = forms.ChoiceField(
        label=_("Organisation"),
        help_text=_("Sagsbehandler, leder og administrator hører til kommunen; behandler til "
                    "et af kommunens behandlingstilbud."),
        error_messages={"required": _("Vælg en organisation."), "invalid_choice": ORG_UNKNOWN},
    )

    def __init__(self, *args, admin, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin, self.user = admin, user
        self.orgs = Organisations(admin)
        self.fields["organisation"].choices = self.orgs.grouped_choices()
        _style(self)

    def clean(self):
        data = super().clean()
        role, key = data.get("role"), data.get("organisation")
        if role and key:
            organisation = self.orgs.by_key[key]
            try:
                check_grantable(self.admin, role, organisation)
            except ValidationError as exc:
                self.add_error("organisation", exc)
                return data
            m = membership_for(self.user, role, organisation)
            if Membership.objects.filter(user=self.user, role=role, municipality=m.municipality,
                                         provider=m.provider).exists():
                self.add_error(None, _("Brugeren har allerede denne rolle i organisationen."))
            data["organisation_obj"] = organisation
        return data

    def save(self) -> Membership:
        with transaction.atomic():
            return add_membership(self.admin, self.user, self.cleaned_data["role"],
                                  self.cleaned_data["organisation_obj"])


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Søg på brugernavn, navn eller e-mail"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off",
                                      "type": "search"}),
    )
