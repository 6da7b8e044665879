"""Staff pages of the quality standard (issue 7 items 1, 3 and 4), read side: the overview per
municipality with the next revision, a municipality's versions, one version, and the diff
between two versions. Leaders and administrators write (views_edit); quality coordinators of
the cluster or region read; anyone else gets 404. No personal data, so nothing is audited."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from forlob import clock
from forlob.organisations.models import Municipality

from . import diff, levels, rules, services
from .access import editable_municipalities, visible_municipalities
from .forms import CompareForm
from .models import ServiceStandard, Status
from .rules import Revision, revision_status


def visible_standard(request, pk) -> ServiceStandard:
    """A version of a municipality the user sees; 404 otherwise."""
    return get_object_or_404(
        ServiceStandard.objects.select_related("municipality", "adopted_by"), pk=pk,
        municipality__in=visible_municipalities(request.user))


def editable_standard(request, pk) -> ServiceStandard:
    """A version the user may write: 404 if not visible, 403 if only read (coordinators)."""
    standard = visible_standard(request, pk)
    if standard.municipality_id not in editable_municipalities(request.user):
        raise PermissionDenied
    return standard


def refused(request, standard, message, status=400):
    """The page for a change that cannot be made, e.g. to an adopted version."""
    return render(request, "standards/refused.html",
                  {"standard": standard, "message": message}, status=status)


def not_a_draft(request, standard):
    return refused(request, standard,
                   _("En vedtaget version kan ikke ændres. Opret en ny version."))


@dataclass
class Overview:
    """One municipality on the overview page."""

    municipality: Municipality
    in_force: ServiceStandard | None
    latest_adopted: ServiceStandard | None
    upcoming: ServiceStandard | None
    draft: ServiceStandard | None
    revision: Revision
    editable: bool


def _overview(municipality, today, editable) -> Overview:
    versions = list(ServiceStandard.objects.filter(municipality=municipality)
                    .order_by("-number"))
    adopted = [v for v in versions if v.status == Status.ADOPTED]
    # Shown as "latest adopted"; the revision deadline itself is rules.revision_basis.
    latest = max(adopted, key=lambda v: (v.adopted_on or dt.date.min, v.number), default=None)
    upcoming = [v for v in adopted if v.valid_from > today]
    return Overview(
        municipality=municipality, in_force=levels.standard_on(municipality.pk, today),
        latest_adopted=latest,
        upcoming=min(upcoming, key=lambda v: (v.valid_from, v.number), default=None),
        draft=next((v for v in versions if v.status == Status.DRAFT), None),
        revision=revision_status(rules.revision_basis(v.adopted_on for v in adopted), today),
        editable=editable)


@login_required
@require_safe
def standard_list(request):
    municipalities = list(visible_municipalities(request.user))
    if not municipalities:
        raise Http404
    today, editable = clock.today(), editable_municipalities(request.user)
    rows = [_overview(m, today, m.pk in editable) for m in municipalities]
    return render(request, "standards/list.html", {"rows": rows, "today": today})


def _municipality_page(request, municipality, status=200, error=None):
    versions = list(ServiceStandard.objects.filter(municipality=municipality)
                    .select_related("adopted_by").order_by("-number"))
    adopted = levels.adopted(municipality.pk)
    today = clock.today()
    in_force = levels.standard_on(municipality.pk, today)
    rows = [(v, rules.valid_until(adopted, v.number) if v.status == Status.ADOPTED else None)
            for v in versions]
    compare_form = None
    if len(versions) >= 2:
        compare_form = CompareForm(initial={"fra": versions[1].pk, "til": versions[0].pk},
                                   versions=versions)
    return render(request, "standards/municipality.html", {
        "municipality": municipality, "rows": rows, "in_force": in_force,
        "editable": municipality.pk in editable_municipalities(request.user),
        "has_draft": any(v.is_draft for v in versions), "compare_form": compare_form,
        "error": error}, status=status)


@login_required
@require_safe
def municipality_detail(request, municipality_id):
    municipality = get_object_or_404(visible_municipalities(request.user), pk=municipality_id)
    return _municipality_page(request, municipality)


@login_required
@require_POST
def create_draft(request, municipality_id):
    """A new draft, copied from the latest version (services.create_draft)."""
    municipality = get_object_or_404(visible_municipalities(request.user), pk=municipality_id)
    if municipality.pk not in editable_municipalities(request.user):
        raise PermissionDenied
    try:
        draft = services.create_draft(request.user, municipality)
    except ValidationError as exc:
        return _municipality_page(request, municipality, status=400,
                                  error=" ".join(exc.messages))
    messages.success(request, _("Udkast til version %(number)s er oprettet.")
                     % {"number": draft.number})
    return redirect("standards:standard_edit", draft.pk)


def grouped(items_or_rows):
    """(group label, [items]) in diff.GROUPS order, leaving out empty groups."""
    groups = []
    for group in diff.GROUPS:
        members = [i for i in items_or_rows if i.group == group]
        if members:
            groups.append((group, diff.group_label(group), members))
    return groups


@login_required
@require_safe
def standard_detail(request, pk):
    standard = visible_standard(request, pk)
    valid_until = None
    if standard.status == Status.ADOPTED:
        valid_until = rules.valid_until(levels.adopted(standard.municipality_id),
                                        standard.number)
    previous = (ServiceStandard.objects.filter(municipality=standard.municipality_id,
                                               number__lt=standard.number)
                .order_by("-number").first())
    editable = standard.municipality_id in editable_municipalities(request.user)
    return render(request, "standards/detail.html", {
        "standard": standard, "groups": grouped(diff.describe(standard)),
        "contact_points": standard.contact_points.all(), "valid_until": valid_until,
        "previous": previous, "can_edit": editable and standard.is_draft,
        "legal_reasons": diff.legal_reason_labels()})


@login_required
@require_safe
def compare(request, municipality_id):
    """What changed between two versions of one municipality (issue 7 item 4)."""
    municipality = get_object_or_404(visible_municipalities(request.user), pk=municipality_id)
    versions = list(ServiceStandard.objects.filter(municipality=municipality)
                    .order_by("-number"))
    context = {"municipality": municipality}
    if "fra" not in request.GET and "til" not in request.GET:
        initial = {"fra": versions[1].pk, "til": versions[0].pk} if len(versions) > 1 else {}
        context["form"] = CompareForm(initial=initial, versions=versions)
        return render(request, "standards/diff.html", context)
    form = CompareForm(request.GET, versions=versions)
    context["form"] = form
    if not form.is_valid():
        return render(request, "standards/diff.html", context, status=400)
    own = ServiceStandard.objects.filter(municipality=municipality)
    old = get_object_or_404(own, pk=form.cleaned_data["fra"])
    new = get_object_or_404(own, pk=form.cleaned_data["til"])
    rows = diff.compare(old, new)
    context.update({"old": old, "new": new, "compared": True, "groups": [
        (group, label, [r for r in members if not r.segments], [r for r in members if r.segments])
        for group, label, members in grouped(rows)]})
    return render(request, "standards/diff.html", context)
