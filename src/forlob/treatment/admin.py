"""Django admin for the treatment context's reference data: the method catalogue (no personal
data). Plans, reviews and discharges are personal data and are not in the admin."""

from django.contrib import admin

from .models import Method


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ["name", "knowledge_level", "target_groups", "active"]
    list_filter = ["active", "knowledge_level"]
    search_fields = ["name", "description", "target_groups"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire a method instead: old plans keep naming it
