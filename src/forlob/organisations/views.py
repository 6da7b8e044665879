"""Organisation pages. The overview holds no personal data and is open to every logged-in
role; creating and editing providers and purchase agreements belongs to the administrator of
the owning (or buying) municipality. Anything outside that answers 404, never 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forlob import clock
from forlob.access import scope_for
from forlob.locking import refuse_stale

from .forms import EndAgreementForm, ProviderForm, PurchaseAgreementForm
from .models import Municipality, Provider, PurchaseAgreement, Region

PROVIDER_SORTS = {
    "navn": ("name",),
    "-navn": ("-name",),
    "ejer": ("owner_municipality__name", "name"),
    "-ejer": ("-owner_municipality__name", "name"),
}
AGREEMENT_SORTS = {
    "koeber": ("municipality__name", "provider__name", "valid_from"),
    "-koeber": ("-municipality__name", "provider__name", "valid_from"),
    "tilbud": ("provider__name", "municipality__name", "valid_from"),
    "-tilbud": ("-provider__name", "municipality__name", "valid_from"),
    "periode": ("valid_from", "municipality__name"),
    "-periode": ("-valid_from", "municipality__name"),
}
AGREEMENT_FILTERS = ("gaeldende", "alle")


# --- Who may change what (from the access Scope) -------------------------------------------

def admin_municipalities(user):
    """The municipalities `user` administers; 404 when there are none."""
    ids = scope_for(user).admin_municipalities
    if not ids:
        raise Http404
    return Municipality.objects.filter(pk__in=ids)


def editable_providers(user):
    return Provider.objects.filter(owner_municipality_id__in=scope_for(user).admin_municipalities)


def editable_agreements(user):
    return PurchaseAgreement.objects.filter(
        municipality_id__in=scope_for(user).admin_municipalities
    ).select_related("municipality", "provider")


# --- Overview ------------------------------------------------------------------------------

def _sort(request, param, sorts, default):
    key = request.GET.get(param, default)
    return (key if key in sorts else default), sorts.get(key, sorts[default])


def _aria_sort(current, column):
    if current == column:
        return "ascending"
    if current == f"-{column}":
        return "descending"
    return ""


@login_required
def overview(request):
    today = clock.today()
    scope = scope_for(request.user)
    provider_sort, provider_order = _sort(request, "tilbud", PROVIDER_SORTS, "navn")
    agreement_sort, agreement_order = _sort(request, "aftaler", AGREEMENT_SORTS, "koeber")
    shown = request.GET.get("vis", "gaeldende")
    if shown not in AGREEMENT_FILTERS:
        shown = "gaeldende"

    regions = list(Region.objects.prefetch_related("clusters__municipalities"))
    for region in regions:
        region.cluster_list = list(region.clusters.all())
        for cluster in region.cluster_list:
            cluster.municipality_list = list(cluster.municipalities.all())
            cluster.population = sum(m.population for m in cluster.municipality_list)
    providers = list(Provider.objects.select_related("owner_municipality").order_by(
        *provider_order))
    agreements = PurchaseAgreement.objects.select_related("municipality", "provider")
    if shown == "gaeldende":
        agreements = agreements.in_force(today)
    agreements = list(agreements.order_by(*agreement_order))

    admin_ids = scope.admin_municipalities
    for provider in providers:
        provider.can_edit = provider.owner_municipality_id in admin_ids
    for agreement in agreements:
        agreement.can_edit = agreement.municipality_id in admin_ids
        agreement.in_force = agreement.valid_from <= today and (
            agreement.valid_to is None or agreement.valid_to >= today)
        agreement.ended = agreement.valid_to is not None and agreement.valid_to < today

    return render(request, "organisations/overview.html", {
        "regions": regions,
        "providers": providers,
        "agreements": agreements,
        "today": today,
        "is_admin": bool(admin_ids),
        "shown": shown,
        "provider_sort": provider_sort,
        "agreement_sort": agreement_sort,
        "provider_aria": {c: _aria_sort(provider_sort, c) for c in ("navn", "ejer")},
        "agreement_aria": {
            c: _aria_sort(agreement_sort, c) for c in ("koeber", "tilbud", "periode")
        },
    })


# --- Providers -----------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def provider_create(request):
    municipalities = admin_municipalities(request.user)
    form = ProviderForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid() and refuse_stale(form, form.save):
        messages.success(request, _("Behandlingstilbuddet %(name)s er oprettet.")
                         % {"name": form.instance.name})
        return redirect("organisations:overview")
    return render(request, "organisations/provider_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request, provider_id):
    municipalities = admin_municipalities(request.user)
    provider = get_object_or_404(editable_providers(request.user), pk=provider_id)
    form = ProviderForm(request.POST or None, instance=provider, municipalities=municipalities)
    if request.method == "POST" and form.is_valid() and refuse_stale(form, form.save):
        messages.success(request, _("Ændringerne er gemt."))
        return redirect("organisations:overview")
    return render(request, "organisations/provider_form.html", {
        "form": form, "provider": provider,
    })


# --- Purchase agreements -------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    municipalities = admin_municipalities(request.user)
    initial = {"valid_from": clock.today()}
    provider_id = request.GET.get("tilbud", "")
    if provider_id.isdigit():
        initial["provider"] = int(provider_id)
    form = PurchaseAgreementForm(request.POST or None, initial=initial,
                                 municipalities=municipalities)
    if request.method == "POST" and form.is_valid() and refuse_stale(form, form.save):
        messages.success(request, _("Købsaftalen er oprettet."))
        return redirect("organisations:overview")
    return render(request, "organisations/agreement_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, purchase_agreement_id):
    municipalities = admin_municipalities(request.user)
    agreement = get_object_or_404(editable_agreements(request.user), pk=purchase_agreement_id)
    form = PurchaseAgreementForm(request.POST or None, instance=agreement,
                                 municipalities=municipalities)
    if request.method == "POST" and form.is_valid() and refuse_stale(form, form.save):
        messages.success(request, _("Ændringerne er gemt."))
        return redirect("organisations:overview")
    return render(request, "organisations/agreement_form.html", {
        "form": form, "agreement": agreement,
    })


@login_required
@require_http_methods(["GET", "POST"])
def agreement_end(request, purchase_agreement_id):
    admin_municipalities(request.user)
    agreement = get_object_or_404(editable_agreements(request.user), pk=purchase_agreement_id)
    initial = {"valid_to": agreement.valid_to or max(clock.today(), agreement.valid_from)}
    form = EndAgreementForm(request.POST or None, initial=initial, agreement=agreement)
    if request.method == "POST" and form.is_valid() and refuse_stale(form, form.save):
        messages.success(request, _("Købsaftalen slutter %(day)s.")
                         % {"day": form.cleaned_data["valid_to"].strftime("%d.%m.%Y")})
        return redirect("organisations:overview")
    return render(request, "organisations/agreement_end.html", {
        "form": form, "agreement": agreement,
    })
