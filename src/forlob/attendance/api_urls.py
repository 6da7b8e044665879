"""API v1 routes of the attendance context (issue 4); appended to forlob.api_v1.urlpatterns."""

from django.urls import path

from . import api

BASE = "courses/<int:course_id>/attendance/"
urlpatterns = [
    path(BASE, api.AttendanceDetail.as_view(), name="course-attendance"),
    path(f"{BASE}appointments/", api.AppointmentCreate.as_view(),
         name="course-attendance-appointments"),
    path(f"{BASE}outreach/<int:outreach_task_id>/attempts/", api.AttemptCreate.as_view(),
         name="course-attendance-outreach-attempts"),
    path(f"{BASE}outreach/<int:outreach_task_id>/close/", api.OutreachClose.as_view(),
         name="course-attendance-outreach-close"),
    path(f"{BASE}relapses/", api.RelapseCreate.as_view(), name="course-attendance-relapses"),
    path(f"{BASE}new-decision-requests/", api.NewDecisionCreate.as_view(),
         name="course-attendance-new-decision-requests"),
    path(f"{BASE}new-decision-requests/<int:new_decision_request_id>/close/",
         api.NewDecisionClose.as_view(), name="course-attendance-new-decision-request-close"),
    path(f"{BASE}vouchers/", api.VoucherCreate.as_view(), name="course-attendance-vouchers"),
]
