"""The competence and method map (issue 6 item 9): who sees and who writes which entries, the
search, and the writes (optimistic locking, one transaction each).

Statusrapport 2014 (Region Sjælland) recommends mapping the formal competences in the treatment
services, "so staff find and use each other across municipalities", and following each
other's development projects. So:

- a municipality's leaders and administrators register its entries, a provider's clinicians
  the provider's;
- everyone working in a cluster (access.cluster_ids) sees the entries of the organisations in
  their clusters: the clusters' municipalities, and the providers owned by them or serving
  them through a purchase agreement that has not ended; plus their own organisations' entries.

The map holds no citizen data, so nothing here is audited. The search runs over a cluster's
entries (tens to hundreds), in Python, so that the lists of methods and tools (JSON) and Danish
letters match the same way on SQLite and PostgreSQL.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from forlob import clock
from forlob.access.scope import scope_for
from forlob.locking import StaleRecord
from forlob.organisations.models import Municipality, Provider, PurchaseAgreement

from .access import cluster_ids
from .models import DevelopmentProject, StaffCompetence

#: Suggested methods: those the national guidelines 2020 name (Motiverende Interview, Kognitiv
#: Adfærdsterapi, FIT, Åben Dialog, MOVE, U-turn, U18; retningslinjer 2020 L1240) and the ones
#: the statusrapport 2014 names for common competence development (family-oriented treatment,
#: KL anbefaling 1). Entries are free text; a suggestion only fixes the spelling.
METHODS = ["MI (Motiverende Interview)", "Kognitiv terapi", "Familiebehandling",
           "Netværksbehandling", "FIT (Feedback Informed Treatment)", "Åben Dialog", "MOVE",
           "U-turn", "U18", "Traumebehandling", "Mindfulness", "Motivationsarbejde (MET)"]
#: Suggested screening tools: KL's basisscreening (anbefaling 10), AUDIT/DUDIT and the
#: assessment tools of retningslinje 3.5.3 (EuropASI, UngMap, VoksenMap, MATE), and TEM/FIT
#: for follow-up (retningslinje 3.9.3).
TOOLS = ["Basisscreening (KL)", "AUDIT", "DUDIT", "EuropASI", "ASI", "UngMap", "VoksenMap",
         "MATE", "TEM", "FIT"]
#: Short forms people type, mapped to the suggestion's spelling.
ALIASES = {"mi": "MI (Motiverende Interview)", "motiverende interview":
           "MI (Motiverende Interview)", "kat": "Kognitiv terapi",
           "kognitiv adfærdsterapi": "Kognitiv terapi", "basisscreening": "Basisscreening (KL)",
           "fit": "FIT (Feedback Informed Treatment)", "met": "Motivationsarbejde (MET)"}

MAX_ENTRIES = 30  # methods or tools in one entry
MAX_ENTRY_CHARS = 80


def split_list(text: str, suggestions=()) -> list[str]:
    """Methods or tools typed comma- or line-separated, as a list: trimmed, empty ones and
    repeats (ignoring case) left out, a suggestion's or known short form's spelling used."""
    canonical = {s.casefold(): s for s in suggestions}
    canonical.update({k: v for k, v in ALIASES.items() if v in suggestions})
    result, seen = [], set()
    for raw in (text or "").replace("\r", "\n").replace(";", ",").replace("\n", ",").split(","):
        value = " ".join(raw.split())
        if not value:
            continue
        value = canonical.get(value.casefold(), value)
        if value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result


# --- Who sees, who writes --------------------------------------------------------------------

@dataclass(frozen=True)
class Owner:
    """An organisation that registers entries: a municipality or a provider."""

    key: str  # "m<id>" or "p<id>", for forms and filters
    name: str
    municipality: Municipality | None = None
    provider: Provider | None = None

    def assign(self, entry) -> None:
        entry.municipality, entry.provider = self.municipality, self.provider


def owner_key(entry) -> str:
    return f"m{entry.municipality_id}" if entry.municipality_id else f"p{entry.provider_id}"


def writing_municipalities(user) -> frozenset[int]:
    scope = scope_for(user)
    return scope.leader_municipalities | scope.admin_municipalities


def writing_providers(user) -> frozenset[int]:
    return scope_for(user).clinician_providers


def editable_owners(user) -> list[Owner]:
    """The organisations the user registers entries for."""
    return ([Owner(f"m{m.pk}", m.name, municipality=m) for m in
             Municipality.objects.filter(pk__in=writing_municipalities(user)).order_by("name")]
            + [Owner(f"p{p.pk}", p.name, provider=p) for p in
               Provider.objects.filter(pk__in=writing_providers(user)).order_by("name")])


def visible_municipalities(user):
    """The municipalities of the user's clusters, and their own."""
    return Municipality.objects.filter(
        Q(cluster_id__in=cluster_ids(user)) | Q(pk__in=writing_municipalities(user)))


def visible_providers(user):
    """Providers owned by a municipality of the user's clusters or serving one through a
    purchase agreement that has not ended, and the user's own."""
    municipalities = visible_municipalities(user).values("pk")
    today = clock.today()
    serving = PurchaseAgreement.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        municipality_id__in=municipalities).values("provider_id")
    return Provider.objects.filter(
        Q(owner_municipality_id__in=municipalities) | Q(pk__in=serving)
        | Q(pk__in=writing_providers(user)))


def _visible(user):
    return (Q(municipality_id__in=visible_municipalities(user).values("pk"))
            | Q(provider_id__in=visible_providers(user).values("pk")))


def _writable(user):
    return (Q(municipality_id__in=writing_municipalities(user))
            | Q(provider_id__in=writing_providers(user)))


def visible_competences(user):
    return StaffCompetence.objects.filter(_visible(user)).select_related(
        "municipality", "provider")


def visible_projects(user):
    return DevelopmentProject.objects.filter(_visible(user)).select_related(
        "municipality", "provider")


def editable_competences(user):
    return StaffCompetence.objects.filter(_writable(user)).select_related(
        "municipality", "provider")


def editable_projects(user):
    return DevelopmentProject.objects.filter(_writable(user)).select_related(
        "municipality", "provider")


def may_edit(user, entry) -> bool:
    return (entry.municipality_id in writing_municipalities(user)
            or entry.provider_id in writing_providers(user))


def uses_map(user) -> bool:
    """Whether the user works anywhere the map covers (else its pages answer 404)."""
    return bool(cluster_ids(user) or writing_municipalities(user) or writing_providers(user))


# --- Search ----------------------------------------------------------------------------------

def _fold(text) -> str:
    return (text or "").casefold()


def competence_text(c: StaffCompetence) -> str:
    return _fold(" ".join([c.education, *c.methods, *c.tools, c.contact_name, str(c.owner)]))


def project_text(p: DevelopmentProject) -> str:
    return _fold(" ".join([p.title, p.aim, p.method, p.results, p.contact_name, str(p.owner)]))


def matches(haystack: str, query: str) -> bool:
    """Every word of the query occurs in the entry (ignoring case)."""
    return all(word in haystack for word in _fold(query).split())


def search_competences(entries, query="", method="", owner=""):
    method = _fold(method)
    return [c for c in entries
            if matches(competence_text(c), query)
            and (not method or method in {_fold(m) for m in c.methods + c.tools})
            and (not owner or owner_key(c) == owner)]


def search_projects(entries, query="", method="", owner=""):
    method = _fold(method)
    return [p for p in entries
            if matches(project_text(p), query)
            and (not method or method in _fold(p.method))
            and (not owner or owner_key(p) == owner)]


COMPETENCE_SORTS = {
    "uddannelse": lambda c: (_fold(c.education), c.pk),
    "organisation": lambda c: (_fold(str(c.owner)), _fold(c.education), c.pk),
    "antal": lambda c: (c.staff_count, c.pk),
    "opdateret": lambda c: (c.updated_at, c.pk),
}
PROJECT_SORTS = {
    "titel": lambda p: (_fold(p.title), p.pk),
    "organisation": lambda p: (_fold(str(p.owner)), _fold(p.title), p.pk),
    "periode": lambda p: (p.period_start, p.pk),
}


def sort(entries, sorts, key: str, default: str):
    """Entries sorted by `key` ("-key" descending); an unknown key sorts by `default`.
    Answers (entries, the key used)."""
    name = key.removeprefix("-")
    if name not in sorts:
        key, name = default, default.removeprefix("-")
    return sorted(entries, key=sorts[name], reverse=key.startswith("-")), key


def methods_in_use(competences) -> list[str]:
    """Every method and tool registered, for the filter (suggestions first, then the rest)."""
    used = {}
    for c in competences:
        for m in c.methods + c.tools:
            used.setdefault(_fold(m), m)
    ordered = [s for s in METHODS + TOOLS if _fold(s) in used]
    rest = sorted((v for k, v in used.items() if v not in ordered), key=_fold)
    return ordered + rest


# --- Writes ----------------------------------------------------------------------------------

def delete_locked(entry, expected_version) -> None:
    """Delete the entry if nobody saved it since the confirmation page was loaded; otherwise
    StaleRecord and nothing is deleted."""
    with transaction.atomic():
        deleted, _ = type(entry).objects.filter(pk=entry.pk, version=expected_version).delete()
        if not deleted:
            raise StaleRecord(str(StaleRecord.message))
