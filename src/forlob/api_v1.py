"""Version 1 of the REST API: each context contributes its routes; schema served here.

Citizens are addressed by their public UUID in the `citizen_id` kwarg (never by CPR), so the
URL-walking tests can fill it in for every route that takes one.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from forlob.citizens import api as citizens_api
from forlob.organisations import api as organisations_api

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
]
