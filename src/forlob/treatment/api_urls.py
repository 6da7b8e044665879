"""Treatment API routes added by issue 4 items 9-10 (appended to forlob.api_v1, namespace v1)."""

from django.urls import path

from . import api_aftercare

urlpatterns = [
    path("courses/<int:course_id>/treatment/supervision/",
         api_aftercare.SupervisionCreate.as_view(), name="course-treatment-supervision"),
    path("courses/<int:course_id>/treatment/coordinating-meetings/",
         api_aftercare.CoordinatingMeetingCreate.as_view(),
         name="course-treatment-coordinating-meetings"),
    path("courses/<int:course_id>/treatment/discharge/tasks/",
         api_aftercare.DischargeTaskDone.as_view(), name="course-treatment-discharge-tasks"),
    path("methods/", api_aftercare.MethodList.as_view(), name="method-list"),
    path("treatment/worklist/", api_aftercare.TreatmentWorklist.as_view(),
         name="treatment-worklist"),
]
