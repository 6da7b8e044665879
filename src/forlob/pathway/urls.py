"""Pathway pages. A course is addressed by `course_id` (the URL walks fill it by that name)."""

from django.urls import include, path

from . import urls_letters, views, views_steps
from .views_steps import STEPS

app_name = "pathway"
urlpatterns = [
    path("arbejdsliste/", views.worklist, name="worklist"),
    path("ny/<uuid:citizen_id>/", views.open_course, name="open"),
    path("klagevejledning/", views.complaint_route, name="complaint_route"),
    path("underretningspligt/", views.notify_duty, name="notify_duty"),
    path("<int:course_id>/", views.case, name="case"),
    path("<int:course_id>/sammenfatning/", include("forlob.pathway.views_summary")),
] + [
    path(f"<int:course_id>/{form.slug}/", views_steps.step, {"key": key}, name=key)
    for key, form in STEPS.items()
] + urls_letters.urlpatterns
