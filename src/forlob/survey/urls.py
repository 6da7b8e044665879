"""Web pages of the survey context (issue 4 item 12), included at the site root.

/tilfredshed/<token>/ is public (no login): the token is the only key. The walking tests
fill `token` from tests/urlwalk.py LITERALS (an unknown token: a clear 404 page)."""

from django.urls import path

from . import views

app_name = "survey"
urlpatterns = [
    path("forloeb/<int:course_id>/tilfredshed/", views.offer, name="offer"),
    path("tilfredshed/", views.index, name="index"),
    path("tilfredshed/tak/", views.thanks, name="thanks"),
    path("tilfredshed/tilbud/<int:provider_id>/", views.results, name="results"),
    path("tilfredshed/tilbud/<int:provider_id>/papir/", views.paper, name="paper"),
    path("tilfredshed/<str:token>/", views.answer, name="answer"),
]
