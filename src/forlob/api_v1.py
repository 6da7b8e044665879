"""Version 1 of the REST API: each context contributes its routes; schema served here.

Citizens are addressed by their public UUID in the `citizen_id` kwarg (never by CPR), so the
URL-walking tests can fill it in for every route that takes one.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from forlob.attendance import api_urls as attendance_api_urls
from forlob.citizens import api as citizens_api
from forlob.indicators import api_urls as indicators_api_urls
from forlob.journal import api_urls as journal_api_urls
from forlob.network import api_urls as network_api_urls
from forlob.organisations import api as organisations_api
from forlob.pathway import api as pathway_api
from forlob.pathway import api_letters as pathway_letters_api
from forlob.pathway import api_youth as pathway_youth_api
from forlob.survey import api_urls as survey_api_urls
from forlob.treatment import api as treatment_api
from forlob.treatment import api_urls as treatment_api_urls

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Citizen register (personal data: scoped and audited).
    path("citizens/", citizens_api.CitizenListCreate.as_view(), name="citizen-list"),
    path("citizens/lookup/", citizens_api.CitizenLookup.as_view(), name="citizen-lookup"),
    path("citizens/<uuid:citizen_id>/", citizens_api.CitizenDetail.as_view(),
         name="citizen-detail"),
    path("citizens/<uuid:citizen_id>/reveal-cpr/", citizens_api.CitizenRevealCpr.as_view(),
         name="citizen-reveal-cpr"),
    path("citizens/<uuid:citizen_id>/referrals/", citizens_api.ReferralListCreate.as_view(),
         name="citizen-referral-list"),
    path("citizens/<uuid:citizen_id>/referrals/<int:referral_id>/end/",
         citizens_api.ReferralEnd.as_view(), name="citizen-referral-end"),
    # Organisations (reference data, no personal data).
    path("municipalities/", organisations_api.MunicipalityList.as_view(),
         name="municipality-list"),
    path("providers/", organisations_api.ProviderList.as_view(), name="provider-list"),
    path("purchase-agreements/", organisations_api.PurchaseAgreementList.as_view(),
         name="purchase-agreement-list"),
    # Pathway (issue 3): courses and their steps (personal data: scoped and audited).
    path("courses/", pathway_api.CourseListCreate.as_view(), name="course-list"),
    path("courses/<int:course_id>/", pathway_api.CourseDetail.as_view(), name="course-detail"),
    path("courses/<int:course_id>/contacts/", pathway_api.ContactCreate.as_view(),
         name="course-contacts"),
    path("courses/<int:course_id>/counselling/", pathway_api.CounsellingCreate.as_view(),
         name="course-counselling"),
    path("courses/<int:course_id>/requests/", pathway_api.RequestCreate.as_view(),
         name="course-requests"),
    path("courses/<int:course_id>/tracks/", pathway_api.TracksUpdate.as_view(),
         name="course-tracks"),
    path("courses/<int:course_id>/doctor/", pathway_api.DoctorUpdate.as_view(),
         name="course-doctor"),
    path("courses/<int:course_id>/assessments/", pathway_api.AssessmentCreate.as_view(),
         name="course-assessments"),
    path("courses/<int:course_id>/screenings/", pathway_api.ScreeningCreate.as_view(),
         name="course-screenings"),
    path("courses/<int:course_id>/decisions/", pathway_api.DecisionCreate.as_view(),
         name="course-decisions"),
    path("courses/<int:course_id>/free-choice/", pathway_api.FreeChoiceCreate.as_view(),
         name="course-free-choice"),
    path("courses/<int:course_id>/start/", pathway_api.StartCreate.as_view(),
         name="course-start"),
    path("courses/<int:course_id>/breaches/", pathway_api.BreachCreate.as_view(),
         name="course-breaches"),
    path("courses/<int:course_id>/custody-holders/",
         pathway_youth_api.CustodyHolderCreate.as_view(), name="course-custody-holders"),
    path("courses/<int:course_id>/youth-routing/",
         pathway_youth_api.YouthRoutingUpdate.as_view(), name="course-youth-routing"),
    path("courses/<int:course_id>/decisions/<int:decision_id>/letter/",
         pathway_letters_api.DecisionLetter.as_view(), name="course-decision-letter"),
    path("courses/<int:course_id>/decisions/<int:decision_id>/letter/send/",
         pathway_letters_api.DecisionLetterSend.as_view(), name="course-decision-letter-send"),
    path("courses/<int:course_id>/screening-start/",
         pathway_youth_api.ScreeningStartUpdate.as_view(), name="course-screening-start"),
    path("worklist/", pathway_api.Worklist.as_view(), name="worklist"),
    # Treatment (issue 4, in progress): plan, reviews, discharge and follow-up after discharge.
    path("courses/<int:course_id>/treatment/", treatment_api.TreatmentDetail.as_view(),
         name="course-treatment"),
    path("courses/<int:course_id>/treatment/plans/", treatment_api.PlanCreate.as_view(),
         name="course-treatment-plans"),
    path("courses/<int:course_id>/treatment/reviews/", treatment_api.ReviewCreate.as_view(),
         name="course-treatment-reviews"),
    path("courses/<int:course_id>/treatment/discharge/",
         treatment_api.DischargeCreate.as_view(), name="course-treatment-discharge"),
    path("courses/<int:course_id>/treatment/follow-ups/decline/",
         treatment_api.FollowUpDecline.as_view(), name="course-treatment-follow-ups-decline"),
    path("courses/<int:course_id>/treatment/follow-ups/<int:follow_up_id>/outcome/",
         treatment_api.FollowUpOutcome.as_view(), name="course-treatment-follow-up-outcome"),
    path("courses/<int:course_id>/treatment/follow-ups/<int:follow_up_id>/new-request/",
         treatment_api.FollowUpNewRequest.as_view(),
         name="course-treatment-follow-up-new-request"),
]
# Issue 4, the other contexts of a course in treatment: each lists its own routes.
for _module in (network_api_urls, attendance_api_urls, journal_api_urls, survey_api_urls,
                treatment_api_urls, indicators_api_urls):
    urlpatterns += _module.urlpatterns
