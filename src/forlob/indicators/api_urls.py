"""API v1 routes of the indicators context (issue 5); appended to forlob.api_v1.urlpatterns."""

from django.urls import path

from . import api

urlpatterns = [
    path("indicators/", api.IndicatorCatalogue.as_view(), name="indicator-list"),
    path("indicators/values/", api.IndicatorValues.as_view(), name="indicator-values"),
    path("indicators/dst/", api.IndicatorDst.as_view(), name="indicator-dst"),
]
