"""Web pages of the journal context (issue 4): /forloeb/<course_id>/journal/..."""

from django.urls import path

from . import views

app_name = "journal"
urlpatterns = [
    path("<int:course_id>/journal/notat/", views.note, name="note"),
    path("<int:course_id>/journal/<int:journalnote_id>/ret/", views.amend, name="amend"),
]
