"""Indicator pages (issue 5), mounted at /indikatorer/."""

from django.urls import path

from . import views, views_drilldown, views_exports

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("eksport.xlsx", views.export_xlsx, name="export_xlsx"),
    path("definition/<slug:code>/", views.definition, name="definition"),
    path("graf/<slug:code>.svg", views.chart, name="chart"),
    *views_exports.patterns,
    *views_drilldown.patterns,
]
