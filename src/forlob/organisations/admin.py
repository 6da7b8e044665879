"""Django admin for the organisation register (no personal data lives here)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from forlob.locking import LockedAdminMixin

from .forms import ProviderForm, PurchaseAgreementForm
from .models import Cluster, Municipality, Provider, PurchaseAgreement, Region


class ClusterInline(admin.TabularInline):
    model = Cluster
    extra = 0
    show_change_link = True


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster_count"]
    search_fields = ["name"]
    inlines = [ClusterInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_clusters=Count("clusters"))

    @admin.display(description=_("klynger"), ordering="_clusters")
    def cluster_count(self, obj):
        return obj._clusters


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0
    fields = ["code", "name", "population"]
    show_change_link = True


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "municipality_count"]
    list_filter = ["region"]
    search_fields = ["name", "region__name"]
    inlines = [MunicipalityInline]

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("region")
                .annotate(_municipalities=Count("municipalities")))

    @admin.display(description=_("kommuner"), ordering="_municipalities")
    def municipality_count(self, obj):
        return obj._municipalities


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "cluster", "population"]
    list_filter = ["cluster__region", "cluster"]
    search_fields = ["name", "code"]
    list_select_related = ["cluster"]
    ordering = ["name"]


@admin.register(Provider)
class ProviderAdmin(LockedAdminMixin, admin.ModelAdmin):
    form = ProviderForm
    list_display = ["name", "owner", "kinds_display", "intensities_display",
                    "approved_by_socialtilsynet", "listed_on_tilbudsportalen"]
    list_filter = ["approved_by_socialtilsynet", "listed_on_tilbudsportalen",
                   ("owner_municipality", admin.EmptyFieldListFilter)]
    search_fields = ["name", "owner_municipality__name"]
    list_select_related = ["owner_municipality"]

    @admin.display(description=_("ejer"), ordering="owner_municipality__name")
    def owner(self, obj):
        return obj.owner_municipality or _("privat")

    @admin.display(description=_("behandlingsformer"))
    def kinds_display(self, obj):
        return ", ".join(str(label) for label in obj.kind_labels())

    @admin.display(description=_("intensiteter"))
    def intensities_display(self, obj):
        return ", ".join(str(label) for label in obj.intensity_labels())


@admin.register(PurchaseAgreement)
class PurchaseAgreementAdmin(LockedAdminMixin, admin.ModelAdmin):
    form = PurchaseAgreementForm
    list_display = ["municipality", "provider", "kinds_display", "valid_from", "valid_to"]
    list_filter = ["municipality__cluster", "provider"]
    search_fields = ["municipality__name", "provider__name"]
    list_select_related = ["municipality", "provider"]
    date_hierarchy = "valid_from"

    @admin.display(description=_("behandlingsformer"))
    def kinds_display(self, obj):
        return ", ".join(str(label) for label in obj.kind_labels())
