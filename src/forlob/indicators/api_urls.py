"""API v1 routes of the indicators context (issue 5); appended to forlob.api_v1.urlpatterns."""

from django.urls import path

from . import api, api_activity

urlpatterns = [
    path("indicators/", api.IndicatorCatalogue.as_view(), name="indicator-list"),
    path("indicators/values/", api.IndicatorValues.as_view(), name="indicator-values"),
    path("indicators/dst/", api.IndicatorDst.as_view(), name="indicator-dst"),
    path("indicators/activity/", api_activity.ProviderActivity.as_view(),
         name="indicator-activity"),
]
