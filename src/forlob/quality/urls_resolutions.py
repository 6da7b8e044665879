"""The coordinator's resolutions (issue 6 item 3) and rounds over time (issue 6 item 7)."""

from django.urls import path

from . import views_compare, views_resolutions

urlpatterns = [
    path("runder/<int:round_id>/afgoerelser/", views_resolutions.resolution_overview,
         name="resolution_overview"),
    path("deltagere/<int:participant_id>/indikatorer/<int:item_id>/afgoerelse/",
         views_resolutions.resolution_edit, name="resolution_edit"),
    path("sammenlign-runder/", views_compare.compare_rounds, name="compare_rounds"),
]
