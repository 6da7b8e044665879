"""The decision letter pages; included by the pathway URLs (course_id, decision_id)."""

from django.urls import path

from . import views_letters

urlpatterns = [
    path("<int:course_id>/afgoerelser/<int:decision_id>/brev/", views_letters.letter_preview,
         name="letter_preview"),
    path("<int:course_id>/afgoerelser/<int:decision_id>/brev/send/", views_letters.letter_send,
         name="letter_send"),
]
