"""The cluster and region reports (issue 6 items 4 and 5)."""

from django.urls import path

from . import views_report_abbreviations as abbreviations
from . import views_report_cluster as cluster
from . import views_report_region as region

urlpatterns = [
    path("forkortelser/", abbreviations.report_abbreviations, name="report_abbreviations"),
    path("runder/<int:round_id>/rapporter/", cluster.report_index, name="report_index"),
    path("runder/<int:round_id>/rapporter/klynge/<int:cluster_id>/", cluster.report_cluster,
         name="report_cluster"),
    path("runder/<int:round_id>/rapporter/klynge/<int:cluster_id>/pdf/",
         cluster.report_cluster_pdf, name="report_cluster_pdf"),
    path("runder/<int:round_id>/rapporter/klynge/<int:cluster_id>/tekster/",
         cluster.report_cluster_edit, name="report_cluster_edit"),
    path("runder/<int:round_id>/rapporter/region/", region.report_region, name="report_region"),
    path("runder/<int:round_id>/rapporter/region/pdf/", region.report_region_pdf,
         name="report_region_pdf"),
    path("runder/<int:round_id>/rapporter/region/tekster/", region.report_region_edit,
         name="report_region_edit"),
]
