"""The public, login-free pages of each municipality's standard in force, at /kvalitetsstandard/."""

from django.urls import path

from . import views_public

app_name = "standards_public"
urlpatterns: list = [
    path("", views_public.index, name="index"),
    path("<str:code>/", views_public.current, name="current"),
    path("<str:code>/pdf/", views_public.current_pdf, name="pdf"),
]
