"""Writing a quality standard: a draft, edits to it, adoption and deletion. An adopted version
is never changed (issue 7 item 2); every state change runs in a transaction with optimistic
locking. No personal data, so nothing here is audited as a read of personal data."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forlob import clock
from forlob.locking import StaleRecord, save_versioned

from . import defaults, levels, rules
from .access import editable_municipalities
from .models import LEVEL_FIELDS, ComplaintRoute, ServiceStandard, Status

#: The messages for rules.legal_problems' keys.
LEGAL_MESSAGES = {
    "guarantee": gettext_lazy(
        "Behandlingsgarantien kan højst være 14 dage (serviceloven § 101, stk. 4, og "
        "sundhedsloven § 141, stk. 2)."),
    "follow_up_first": gettext_lazy(
        "Første opfølgning skal ligge senest 1 måned efter udskrivning (bekendtgørelse 1477 "
        "§ 4): højst 28 dage, så fristen holder i alle måneder."),
    "follow_up_second": gettext_lazy(
        "Anden opfølgning skal ligge senest 6 måneder efter udskrivning (bekendtgørelse 1477 "
        "§ 4): højst 181 dage."),
    "follow_up_order": gettext_lazy("Anden opfølgning skal ligge efter den første."),
    "reasons": gettext_lazy("Ukendt udskrivningsårsag."),
    "plan": gettext_lazy("Behandlingsplanen skal aftales ved behandlingens start: 1 til 30 dage."),
    "review": gettext_lazy("Opfølgning på planen skal ske hver 1. til 6. måned."),
    "supervision": gettext_lazy("Personrettet tilsyn skal ske hver 1. til 12. måned."),
    "intensity": gettext_lazy(
        "Intensiteterne skal hænge sammen: ambulant mindst 1 og højst det antal, dagbehandling "
        "begynder ved (eller én over)."),
    "voucher": gettext_lazy(
        "Angiv beløbet, når kommunen bruger gavekort (bekendtgørelse 1477 § 7)."),
}

#: What save_draft writes: the levels, the text sections and the involvement of users.
EDITABLE_FIELDS = (*LEVEL_FIELDS, "sections", "involvement", "involved_on")


def _require(user, municipality_id):
    if municipality_id not in editable_municipalities(user):
        raise PermissionDenied


def legal_errors(standard: ServiceStandard) -> dict[str, list[str]]:
    return {f: [str(LEGAL_MESSAGES[key])]
            for f, key in rules.legal_problems(standard.levels()).items()}


def create_draft(user, municipality) -> ServiceStandard:
    """A new draft, copied from the latest version (adopted or not), or the law's levels with
    starting texts for a municipality's first. One draft at a time."""
    _require(user, municipality.pk)
    with transaction.atomic():
        existing = ServiceStandard.objects.select_for_update().filter(municipality=municipality)
        if existing.filter(status=Status.DRAFT).exists():
            raise ValidationError(_("Der er allerede et udkast. Ret det, eller slet det først."))
        latest = existing.order_by("-number").first()
        number = (existing.aggregate(n=Max("number"))["n"] or 0) + 1
        if latest is None:
            draft = ServiceStandard.objects.create(
                municipality=municipality, number=number,
                sections={k: _(v) for k, v in defaults.SECTIONS.items()})
            ComplaintRoute.objects.bulk_create(
                ComplaintRoute(standard=draft, track=track, authority=_(to), deadline=_(when),
                               description=_(how))
                for track, (to, when, how) in defaults.COMPLAINT_ROUTES.items())
            return draft
        return _copy(latest, number)


def _copy(source: ServiceStandard, number: int) -> ServiceStandard:
    contacts = list(source.contact_points.all())
    routes = list(source.complaint_routes.all())
    providers = list(source.providers.all())
    draft = ServiceStandard.objects.get(pk=source.pk)
    draft.pk = None
    draft.number, draft.status, draft.version = number, Status.DRAFT, 1
    draft.valid_from = draft.adopted_on = draft.adopted_by = None
    draft.involvement, draft.involved_on = "", None
    draft.save(force_insert=True)
    draft.providers.set(providers)
    for row in contacts + routes:
        row.pk, row.standard = None, draft
        row.save(force_insert=True)
    return draft


def _require_draft(user, standard):
    _require(user, standard.municipality_id)
    if standard.status != Status.DRAFT:
        raise ValidationError(_("En vedtaget version kan ikke ændres. Opret en ny version."))


def save_draft(user, standard: ServiceStandard, data: dict, loaded_version,
               providers=None) -> None:
    """Write the edited fields of a draft; a level below the law is refused with nothing
    saved (rules.legal_problems)."""
    _require_draft(user, standard)
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(standard, name, data[name])
    errors = legal_errors(standard)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        save_versioned(standard, loaded_version, [f for f in EDITABLE_FIELDS if f in data])
        if providers is not None:
            standard.providers.set(providers)


def touch(user, standard: ServiceStandard, loaded_version) -> None:
    """Count up the version after an edit of a draft's rows (contact points, routes); refused
    for an adopted version or outside the user's municipalities."""
    _require_draft(user, standard)
    save_versioned(standard, loaded_version, [])


def adopt(user, standard: ServiceStandard, adopted_on: dt.date, valid_from: dt.date,
          loaded_version) -> None:
    """Adopt a draft: the council's decision date (not in the future), the first day in force
    (rules.earliest_valid_from), user organisations involved before the decision
    (rules.adoption_problems; retningslinje 2.8.4), a complaint route for every track,
    gift-voucher guidelines when vouchers are used (bek. 1477 § 7, stk. 3), and no level
    below the law."""
    _require_draft(user, standard)
    today = clock.today()
    errors = legal_errors(standard)
    problems = rules.adoption_problems(today, adopted_on, standard.involved_on,
                                       standard.involvement)
    if "adopted_on" in problems:
        errors["adopted_on"] = [_("Angiv datoen for kommunalbestyrelsens beslutning. Den kan "
                                  "ikke ligge i fremtiden.")]
    starts = [v.valid_from for v in levels.adopted(standard.municipality_id)]
    earliest = rules.earliest_valid_from(today, starts)
    if valid_from is None or valid_from < earliest:
        errors["valid_from"] = [_("Den nye version kan tidligst gælde fra %(day)s: fristerne i "
                                  "igangværende forløb må ikke ændre sig, og en tidligere "
                                  "vedtaget version må ikke overhales.")
                                % {"day": date_format(earliest, "j. F Y")}]
    if "involvement" in problems:
        errors["involvement"] = [_("Beskriv, hvilke brugerorganisationer der blev inddraget, "
                                   "og hvornår: senest på dagen for beslutningen "
                                   "(retningslinje 2.8.4).")]
    missing = set(rules.ALL_TRACKS) - set(standard.complaint_routes.values_list("track",
                                                                                 flat=True))
    if missing:
        errors["complaint_routes"] = [_("Beskriv klageadgangen for hvert spor.")]
    if standard.vouchers_enabled and not (standard.sections or {}).get("vouchers", "").strip():
        errors["vouchers"] = [_("Kommunalbestyrelsens retningslinjer for gavekort skal stå i "
                                "kvalitetsstandarden (bekendtgørelse 1477 § 7, stk. 3).")]
    if errors:
        raise ValidationError(errors)
    standard.status, standard.adopted_on, standard.valid_from = (Status.ADOPTED, adopted_on,
                                                                 valid_from)
    standard.adopted_by = user
    save_versioned(standard, loaded_version, ["status", "adopted_on", "valid_from",
                                              "adopted_by"])


def delete_draft(user, standard: ServiceStandard, loaded_version) -> None:
    _require_draft(user, standard)
    with transaction.atomic():
        if ServiceStandard.objects.filter(pk=standard.pk, version=loaded_version).delete()[0] == 0:
            raise StaleRecord(str(StaleRecord.message))
