"""Treatment pages (issue 4): the steps of a course, /forloeb/<course_id>/behandling/<step>/;
the clinician's worklist."""

from django.urls import path

from . import views, views_worklist

app_name = "treatment"
urlpatterns = [
    path("behandler/arbejdsliste/", views_worklist.worklist, name="worklist"),
] + [
    path(f"<int:course_id>/behandling/{form.slug}/", views.step, {"key": key}, name=key)
    for key, form in views.STEPS.items()
]
