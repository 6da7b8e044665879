"""The provider activity report (issue 5 item 6), included by indicators/urls.py under
/indikatorer/aktivitet/ (in the "indicators" namespace)."""

from django.urls import path

from . import views_activity

urlpatterns = [
    path("", views_activity.report, name="activity"),
    path("aktivitet.csv", views_activity.report_csv, name="activity_csv"),
]
