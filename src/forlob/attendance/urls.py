"""Web pages of the attendance context (issue 4): the case-page steps under
/forloeb/<course_id>/fremmoede/<step>/ and the municipality's gift-voucher settings."""

from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path(f"<int:course_id>/fremmoede/{form.slug}/", views.step, {"key": key}, name=key)
    for key, form in views.STEPS.items()
] + [
]
