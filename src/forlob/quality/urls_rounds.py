"""Assessment rounds and a municipality's answers (issue 6 item 2). /kvalitet/ is the list."""

from django.urls import path

from . import views_answer, views_rounds

urlpatterns = [
    path("", views_rounds.round_list, name="round_list"),
    path("runder/ny/", views_rounds.round_create, name="round_create"),
    path("runder/<int:round_id>/", views_rounds.round_detail, name="round_detail"),
    path("runder/<int:round_id>/deltagere/", views_rounds.round_participants,
         name="round_participants"),
    path("svar/<int:participant_id>/", views_answer.answer_edit, name="answer_edit"),
    path("svar/<int:participant_id>/baggrund/", views_answer.answer_background,
         name="answer_background"),
    path("svar/<int:participant_id>/retur/", views_answer.answer_return, name="answer_return"),
    path("svar/<int:participant_id>/godkend/", views_answer.answer_approve,
         name="answer_approve"),
    path("svar/<int:participant_id>/historik/", views_answer.answer_history,
         name="answer_history"),
]
