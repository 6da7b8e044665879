"""Import and export of answers (issue 6 item 8), under /kvalitet/udveksling/."""

from django.urls import path

from . import views_exchange as v

urlpatterns = [
    path("udveksling/deltager/<int:participant_id>/", v.exchange_participant,
         name="exchange_participant"),
    path("udveksling/deltager/<int:participant_id>/svar.xlsx", v.exchange_participant_export,
         {"fmt": "xlsx"}, name="exchange_participant_xlsx"),
    path("udveksling/deltager/<int:participant_id>/svar.json", v.exchange_participant_export,
         {"fmt": "json"}, name="exchange_participant_json"),
    path("udveksling/runde/<int:round_id>/", v.exchange_round, name="exchange_round"),
    path("udveksling/runde/<int:round_id>/svar.xlsx", v.exchange_round_export,
         {"fmt": "xlsx"}, name="exchange_round_xlsx"),
    path("udveksling/runde/<int:round_id>/svar.json", v.exchange_round_export,
         {"fmt": "json"}, name="exchange_round_json"),
]
