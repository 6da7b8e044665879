"""Indicator pages (issue 5), mounted at /indikatorer/."""

from django.urls import include, path

from . import views, views_compare, views_drilldown, views_dst, views_exports, views_pdf

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("eksport.xlsx", views.export_xlsx, name="export_xlsx"),
    path("definition/<slug:code>/", views.definition, name="definition"),
    path("graf/<slug:code>.svg", views.chart, name="chart"),
    path("fordeling/<slug:code>.svg", views.distribution, name="distribution"),
    *views_compare.patterns,
    *views_dst.patterns,
    *views_pdf.patterns,
    *views_exports.patterns,
    *views_drilldown.patterns,
    path("aktivitet/", include("forlob.indicators.urls_activity")),
]
