"""Navigation by role: which menu items a user's memberships give them."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forlob.access import scope_for
from forlob.accounts.models import Role


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: frozenset  # shown when the user holds any of these roles; empty = everyone

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU = [
    MenuItem(_("Forside"), "portal:home", frozenset()),
    MenuItem(_("Borgere"), "citizens:list", frozenset({Role.CASEWORKER, Role.CLINICIAN})),
    MenuItem(_("Arbejdsliste"), "pathway:worklist", frozenset({Role.CASEWORKER})),
    MenuItem(_("Behandlernes arbejdsliste"), "treatment:worklist", frozenset({Role.CLINICIAN})),
    MenuItem(_("Organisationer"), "organisations:overview", frozenset()),
    MenuItem(_("Brugere"), "accounts:user_list", frozenset({Role.ADMINISTRATOR})),
    MenuItem(_("Indikatorer"), "indicators:dashboard",
             frozenset({Role.CASEWORKER, Role.ADMINISTRATOR, Role.LEADER, Role.COORDINATOR})),
    MenuItem(_("Aktivitet pr. købende kommune"), "indicators:activity",
             frozenset({Role.CASEWORKER, Role.CLINICIAN, Role.ADMINISTRATOR, Role.LEADER,
                        Role.COORDINATOR})),
    MenuItem(_("Kvalitetsstandard"), "standards:list",
             frozenset({Role.ADMINISTRATOR, Role.LEADER, Role.COORDINATOR})),
    MenuItem(_("Kvalitetsvurdering"), "quality:round_list",
             frozenset({Role.ADMINISTRATOR, Role.LEADER, Role.COORDINATOR})),
    MenuItem(_("Kompetencer og metoder"), "quality:competence_search", frozenset()),
    MenuItem(_("Tilfredshed"), "survey:index",
             frozenset({Role.CLINICIAN, Role.LEADER, Role.COORDINATOR})),
    MenuItem(_("Log over adgang"), "audit:log", frozenset({Role.ADMINISTRATOR})),
]


def menu_for(user) -> list[MenuItem]:
    scope = scope_for(user)
    return [item for item in MENU if not item.roles or scope.roles & item.roles]
