"""Treatment steps of a course: /forloeb/<course_id>/behandling/<step>/ (issue 4)."""

from django.urls import path

from . import views

app_name = "treatment"
urlpatterns = [
    path(f"<int:course_id>/behandling/{form.slug}/", views.step, {"key": key}, name=key)
    for key, form in views.STEPS.items()
]
