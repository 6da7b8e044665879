"""The frameworks' pages, mounted at /kvalitet/rammevaerk/ (issue 6 item 1)."""

from django.urls import path

from . import views_frameworks as views

urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("<int:pk>/", views.framework_detail, name="framework_detail"),
]
