"""The case list behind a figure (issue 5 item 3): the courses of a KPI's denominator for the
dashboard's selection (Kpi.cases), for the municipality's caseworkers only
(access.may_drill_down for every municipality in the selection; anyone else gets 404). The
courses also pass through the scoping layer (forlob.access.scoped), and every citizen shown is
audited. Nothing here computes an indicator: the catalogue's `cases` says which courses count."""

import re

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from forlob.access import scoped
from forlob.audit.recorder import Action, record_many

from . import access
from .catalogue import CATALOGUE
from .forms import DashboardForm

PAGE_SIZE = 25

#: Sort keys (the query's `sort`, "-" for latest first) and the date column each sorts by.
SORTS = {
    "anmodning": "first_request",
    "afdaekning": "first_assessment",
    "afgoerelse": "first_decision",
    "start": "started_on",
    "udskrivning": "discharged_on",
}
DEFAULT_SORT = "anmodning"
_ID = re.compile(r"[0-9]{1,9}")


def may_drill_down(user, filters) -> bool:
    """Whether `user` may open the case lists behind figures for `filters` (the dashboard
    shows the links only then)."""
    return bool(filters.municipalities) and all(
        access.may_drill_down(user, m) for m in filters.municipalities)


def order_for(sort: str):
    """The ordering for a sort key, or None when the key is unknown. Empty dates last."""
    column = SORTS.get(sort.removeprefix("-"))
    if column is None:
        return None
    expr = F(column).desc(nulls_last=True) if sort.startswith("-") else F(column).asc(
        nulls_last=True)
    return [expr, "pk"]


@login_required
@require_safe
def cases(request, code):
    kpi = CATALOGUE.get(code)
    if kpi is None or kpi.cases is None:
        raise Http404
    user = request.user
    municipalities = access.municipalities_for(user)
    allowed = {m.pk for m in municipalities if access.may_drill_down(user, m.pk)}
    if not allowed:
        raise Http404
    chosen = request.GET.get("municipality", "")
    if _ID.fullmatch(chosen) and int(chosen) not in allowed:
        raise Http404  # out of scope looks like non-existent
    form = DashboardForm(request.GET or None, municipalities=municipalities)
    sort = request.GET.get("sort") or DEFAULT_SORT
    order = order_for(sort)
    context = {"kpi": kpi, "name": kpi.name(get_language()), "form": form, "sort": sort,
               "page": None}
    if (form.is_bound and not form.is_valid()) or order is None:
        if order is None:
            context["sort_error"] = _("Ukendt sortering.")
        return render(request, "indicators/drilldown.html", context, status=400)
    filters = form.filters()
    if not may_drill_down(user, filters):
        raise Http404
    courses = scoped(user, kpi.cases(filters)).select_related("citizen").order_by(*order)
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("side"))
    columns = _columns(sort)
    rows = [(c, [getattr(c, SORTS[key]) for key, *_rest in columns]) for c in page]
    citizens = {c.citizen_id: c.citizen for c, _dates in rows}
    record_many(request, Action.VIEW, citizens.values(), purpose=f"indikator: {code}")
    selection = request.GET.copy()
    for key in ("sort", "side"):
        selection.pop(key, None)
    return render(request, "indicators/drilldown.html", {
        **context, "filters": filters, "page": page, "rows": rows, "columns": columns,
        "selection": selection.urlencode()})


def _columns(sort: str):
    """(sort key, heading, the key a click on the heading sorts by, aria-sort)."""
    labels = {"anmodning": _("Første anmodning"), "afdaekning": _("Første afdækning"),
              "afgoerelse": _("Første afgørelse"), "start": _("Behandlingsstart"),
              "udskrivning": _("Udskrivning")}
    current = sort.removeprefix("-")
    return [(key, label, f"-{key}" if sort == key else key,
             ("descending" if sort.startswith("-") else "ascending") if key == current
             else "none")
            for key, label in labels.items()]


patterns = [
    path("cases/<slug:code>/", cases, name="cases"),
]
