"""Network steps of a course: /forloeb/<course_id>/netvaerk/<step>/ (issue 4)."""

from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path(f"<int:course_id>/netvaerk/{form.slug}/", views.step, {"key": key}, name=key)
    for key, form in views.STEPS.items()
]
