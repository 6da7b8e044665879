"""API v1 routes of the network context (issue 4); appended to forlob.api_v1.urlpatterns."""

from django.urls import path

from . import api

urlpatterns = [
    path("courses/<int:course_id>/network/", api.NetworkDetail.as_view(),
         name="course-network"),
    path("courses/<int:course_id>/network/members/", api.MemberCreate.as_view(),
         name="course-network-members"),
    path("courses/<int:course_id>/network/guardians/", api.GuardianCreate.as_view(),
         name="course-network-guardians"),
    path("courses/<int:course_id>/network/guardians/<int:guardian_id>/end/",
         api.GuardianEnd.as_view(), name="course-network-guardian-end"),
    path("courses/<int:course_id>/consents/", api.ConsentCreate.as_view(),
         name="course-consents"),
    path("courses/<int:course_id>/consents/<int:consent_id>/withdraw/",
         api.ConsentWithdraw.as_view(), name="course-consent-withdraw"),
    path("courses/<int:course_id>/disclosures/", api.DisclosureCreate.as_view(),
         name="course-disclosures"),
]
