"""Treatment pages (issue 4): the steps of a course, /forloeb/<course_id>/behandling/<step>/;
the clinician's worklist; a municipality's aftercare settings."""

from django.urls import path

from . import views, views_settings, views_worklist

app_name = "treatment"
urlpatterns = [
    path("behandler/arbejdsliste/", views_worklist.worklist, name="worklist"),
    path("indstillinger/", views_settings.settings_list, name="settings"),
    path("indstillinger/<int:municipality_id>/", views_settings.settings_edit,
         name="settings_edit"),
] + [
    path(f"<int:course_id>/behandling/{form.slug}/", views.step, {"key": key}, name=key)
    for key, form in views.STEPS.items()
]
