from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("tilbud/opret/", views.provider_create, name="provider_create"),
    path("tilbud/<int:provider_id>/ret/", views.provider_edit, name="provider_edit"),
    path("aftaler/opret/", views.agreement_create, name="agreement_create"),
    path("aftaler/<int:purchase_agreement_id>/ret/", views.agreement_edit, name="agreement_edit"),
    path("aftaler/<int:purchase_agreement_id>/afslut/", views.agreement_end, name="agreement_end"),
]
