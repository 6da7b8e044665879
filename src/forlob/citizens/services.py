"""State changes to the register: each is one transaction with its audit record.

Used by the UI and the API alike, so both validate and audit the same way.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from forlob import clock
from forlob.access import scope_for
from forlob.audit.recorder import Action, record
from forlob.locking import save_versioned

from .models import Citizen, Referral

EDITABLE_FIELDS = [
    "first_name", "last_name", "pseudonym", "birth_year", "sex", "address", "postal_code", "city",
    "residence_municipality", "acting_municipality", "cpr_encrypted", "cpr_index",
]


def can_edit(user, citizen) -> bool:
    """Only a caseworker of the acting municipality edits the register entry."""
    return citizen.acting_municipality_id in scope_for(user).caseworker_municipalities


def may_register_in(user, municipality) -> bool:
    return municipality is not None and municipality.pk in scope_for(user).caseworker_municipalities


def _check_unique_cpr(citizen):
    if citizen.cpr_index and Citizen.objects.filter(cpr_index=citizen.cpr_index).exclude(
        pk=citizen.pk
    ).exists():
        raise ValidationError({"cpr": _("Der findes allerede en borger med dette CPR-nummer.")})


def register_citizen(request, citizen: Citizen) -> Citizen:
    """Save a new citizen built by a form or serializer, and audit the creation."""
    if not may_register_in(request.user, citizen.acting_municipality):
        raise PermissionDenied
    _check_unique_cpr(citizen)
    try:
        with transaction.atomic():
            citizen.save()
            record(request, Action.CREATE, citizen=citizen)
    except IntegrityError as exc:
        raise ValidationError(_("Borgeren kunne ikke gemmes: %(err)s") % {"err": exc}) from exc
    return citizen


def update_citizen(request, citizen: Citizen, expected_version: int) -> Citizen:
    """Save edits if nobody else saved since `expected_version` (optimistic locking)."""
    if not can_edit(request.user, citizen) or not may_register_in(
        request.user, citizen.acting_municipality
    ):
        raise PermissionDenied
    _check_unique_cpr(citizen)
    with transaction.atomic():
        save_versioned(citizen, expected_version, EDITABLE_FIELDS)
        record(request, Action.UPDATE, citizen=citizen)
    return citizen


def reveal_cpr(request, citizen: Citizen, purpose: str) -> str:
    """The full CPR, with an audit record of who asked and why."""
    with transaction.atomic():
        record(request, Action.REVEAL_CPR, citizen=citizen, purpose=purpose)
    return citizen.reveal_cpr()


def add_referral(request, citizen: Citizen, provider, referred_on) -> Referral:
    if not can_edit(request.user, citizen):
        raise PermissionDenied
    if referred_on > clock.today():
        raise ValidationError({"referred_on": _("Datoen ligger i fremtiden.")})
    if Referral.objects.active(referred_on).filter(citizen=citizen, provider=provider).exists():
        raise ValidationError(
            {"provider": _("Borgeren er allerede henvist til dette tilbud på den dato.")}
        )
    with transaction.atomic():
        referral = Referral.objects.create(
            citizen=citizen, provider=provider, referred_on=referred_on
        )
        record(request, Action.CREATE, citizen=citizen, obj=referral)
    return referral


def end_referral(request, referral: Referral, ended_on) -> Referral:
    if not can_edit(request.user, referral.citizen):
        raise PermissionDenied
    if ended_on < referral.referred_on:
        raise ValidationError({"ended_on": _("Slutdatoen ligger før henvisningens start.")})
    if ended_on > clock.today():
        raise ValidationError({"ended_on": _("Datoen ligger i fremtiden.")})
    with transaction.atomic():
        referral.ended_on = ended_on
        referral.save(update_fields=["ended_on"])
        record(request, Action.UPDATE, citizen=referral.citizen, obj=referral)
    return referral
