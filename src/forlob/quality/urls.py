"""Quality self-assessment URLs (issue 6). One include per concept; each module owns its list."""

from django.urls import include, path

app_name = "quality"

urlpatterns = [
    path("", include("forlob.quality.urls_rounds")),
    path("rammevaerk/", include("forlob.quality.urls_frameworks")),
    path("", include("forlob.quality.urls_resolutions")),
    path("", include("forlob.quality.urls_reports")),
    path("", include("forlob.quality.urls_exchange")),
    path("kompetencer/", include("forlob.quality.urls_competence")),
]
