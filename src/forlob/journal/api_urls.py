"""API v1 routes of the journal context (issue 4); appended to forlob.api_v1.urlpatterns."""

from django.urls import path

from . import api

urlpatterns = [
    path("courses/<int:course_id>/journal/", api.JournalListCreate.as_view(),
         name="course-journal"),
    path("courses/<int:course_id>/journal/<int:journalnote_id>/", api.NoteDetail.as_view(),
         name="course-journal-note"),
    path("courses/<int:course_id>/journal/<int:journalnote_id>/amend/", api.NoteAmend.as_view(),
         name="course-journal-note-amend"),
]
