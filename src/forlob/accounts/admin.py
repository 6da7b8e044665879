"""Django admin for users and their memberships. Rights come from memberships only.

Citizens, referrals and the audit trail are deliberately not registered here: personal data
is only reached through the scoped, audited UI and API.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["role", "municipality", "provider", "cluster", "region"]
    autocomplete_fields = ["municipality", "provider", "cluster", "region"]
    verbose_name = _("medlemskab")
    verbose_name_plural = _("medlemskaber (rolle i en organisation)")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "roles", "is_active",
                    "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role"]
    search_fields = ["username", "first_name", "last_name", "email"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            "memberships__municipality", "memberships__provider", "memberships__cluster",
            "memberships__region",
        )

    @admin.display(description=_("roller"))
    def roles(self, obj):
        return "; ".join(str(m) for m in obj.memberships.all()) or "–"
