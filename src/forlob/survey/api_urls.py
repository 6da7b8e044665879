"""API v1 routes of the survey context (issue 4); appended to forlob.api_v1.urlpatterns."""

from django.urls import path

from . import api

urlpatterns = [
    path("survey/questionnaire/", api.QuestionnaireView.as_view(), name="survey-questionnaire"),
    path("survey/answers/", api.AnswerCreate.as_view(), name="survey-answers"),
    path("survey/providers/<int:provider_id>/results/", api.ResultsView.as_view(),
         name="survey-provider-results"),
    path("courses/<int:course_id>/survey-invitations/", api.InvitationCreate.as_view(),
         name="course-survey-invitations"),
]
