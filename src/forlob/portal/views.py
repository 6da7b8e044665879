"""Home page per role, static information pages and readable error pages."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

from forlob import clock
from forlob.access import scope_for, scoped
from forlob.accounts.models import Membership, Role
from forlob.citizens.models import Citizen, Referral
from forlob.organisations.models import Municipality, Provider, PurchaseAgreement

from .rules import suppress_count


def _municipality_figures(municipality_ids, today):
    """Aggregated, suppressed counts per municipality: no personal data."""
    rows = []
    citizens = dict(
        Citizen.objects.filter(acting_municipality_id__in=municipality_ids)
        .values_list("acting_municipality_id")
        .annotate(n=Count("id"))
    )
    referred = dict(
        Referral.objects.active(today)
        .filter(citizen__acting_municipality_id__in=municipality_ids)
        .values_list("citizen__acting_municipality_id")
        .annotate(n=Count("citizen_id", distinct=True))
    )
    for m in Municipality.objects.filter(pk__in=municipality_ids).select_related("cluster"):
        rows.append(
            {
                "municipality": m,
                "citizens": suppress_count(citizens.get(m.pk, 0)),
                "referred": suppress_count(referred.get(m.pk, 0)),
            }
        )
    return rows


@login_required
def home(request):
    scope = scope_for(request.user)
    today = clock.today()
    context = {"scope": scope, "today": today, "Role": Role, "sections": []}
    memberships = request.user.memberships.select_related(
        "municipality", "provider", "cluster", "region"
    )
    context["memberships"] = memberships
    if scope.caseworker_municipalities:
        context["caseworker_count"] = scoped(request.user, Citizen).filter(
            acting_municipality_id__in=scope.caseworker_municipalities
        ).count()
    if scope.clinician_providers:
        context["clinician_count"] = (
            scoped(request.user, Referral.objects.active(today))
            .filter(provider_id__in=scope.clinician_providers)
            .values("citizen_id")
            .distinct()
            .count()
        )
    if scope.leader_municipalities:
        context["leader_rows"] = _municipality_figures(scope.leader_municipalities, today)
    if scope.is_coordinator:
        munis = Municipality.objects.filter(
            cluster_id__in=scope.coordinator_clusters
        ) | Municipality.objects.filter(cluster__region_id__in=scope.coordinator_regions)
        ids = list(munis.values_list("pk", flat=True))
        context["coordinator_rows"] = _municipality_figures(ids, today)
        context["coordinator_agreements"] = (
            PurchaseAgreement.objects.in_force(today)
            .filter(municipality_id__in=ids)
            .select_related("municipality", "provider")
        )
    if scope.admin_municipalities:
        context["admin_user_count"] = (
            Membership.objects.filter(municipality_id__in=scope.admin_municipalities)
            .values("user_id")
            .distinct()
            .count()
        )
        context["admin_provider_count"] = Provider.objects.filter(
            owner_municipality_id__in=scope.admin_municipalities
        ).count()
    return render(request, "portal/home.html", context)


def about(request):
    return render(request, "portal/about.html")


def accessibility(request):
    return render(request, "portal/accessibility.html")


def error_404(request, exception=None):
    return render(request, "portal/error.html", {
        "status": 404,
        "heading": _("Siden findes ikke"),
        "text": _("Siden findes ikke, eller du har ikke adgang til den. Tjek adressen, "
                  "eller gå tilbage til forsiden."),
    }, status=404)


def error_403(request, exception=None):
    return render(request, "portal/error.html", {
        "status": 403,
        "heading": _("Du har ikke adgang"),
        "text": _("Din rolle giver ikke adgang til denne side. Kontakt din administrator, "
                  "hvis du mener, det er en fejl."),
    }, status=403)


def error_400(request, exception=None):
    return render(request, "portal/error.html", {
        "status": 400,
        "heading": _("Forespørgslen kunne ikke forstås"),
        "text": _("Prøv igen fra forsiden."),
    }, status=400)


def error_500(request):
    # Rendered without the request context: the failure may come from a context processor.
    from django.template import loader

    html = loader.get_template("500.html").render({})
    from django.http import HttpResponseServerError

    return HttpResponseServerError(html)


def csrf_failure(request, reason=""):
    return render(request, "portal/error.html", {
        "status": 403,
        "heading": _("Formularen er udløbet"),
        "text": _("Siden var åben for længe, eller din session er udløbet. Genindlæs siden, "
                  "og prøv igen."),
    }, status=403)
