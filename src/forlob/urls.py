"""Root URL configuration. Citizens are addressed by an opaque UUID, never by CPR."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from forlob.portal import views as portal_views

handler400 = "forlob.portal.views.error_400"
handler403 = "forlob.portal.views.error_403"
handler404 = "forlob.portal.views.error_404"
handler500 = "forlob.portal.views.error_500"

urlpatterns = [
    path("", include("forlob.portal.urls")),
    path("konto/", include("forlob.accounts.urls")),
    path("borgere/", include("forlob.citizens.urls")),
    path("forloeb/", include("forlob.pathway.urls")),
    path("forloeb/", include("forlob.treatment.urls")),
    path("forloeb/", include("forlob.network.urls")),
    path("forloeb/", include("forlob.attendance.urls")),
    path("forloeb/", include("forlob.journal.urls")),
    path("", include("forlob.survey.urls")),
    path("indstillinger/kvalitetsstandard/", include("forlob.standards.urls")),
    path("kvalitetsstandard/", include("forlob.standards.urls_public")),
    path("indikatorer/", include("forlob.indicators.urls")),
    path("kvalitet/", include("forlob.quality.urls")),
    path("organisationer/", include("forlob.organisations.urls")),
    path("log/", include("forlob.audit.urls")),
    path("api/v1/", include(("forlob.api_v1", "v1"), namespace="v1")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [path("404/", portal_views.error_404), path("403/", portal_views.error_403)]
