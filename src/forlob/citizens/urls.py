from django.urls import path

from . import views

app_name = "citizens"
urlpatterns = [
    path("", views.citizen_list, name="list"),
    path("ny/", views.citizen_create, name="create"),
    path("ny-anonym/", views.citizen_create, {"anonymous": True}, name="create_anonymous"),
    path("<uuid:citizen_id>/", views.citizen_detail, name="detail"),
    path("<uuid:citizen_id>/rediger/", views.citizen_edit, name="edit"),
    path("<uuid:citizen_id>/udskriv/", views.citizen_print, name="print"),
    path("<uuid:citizen_id>/cpr/", views.citizen_reveal_cpr, name="reveal_cpr"),
    path("<uuid:citizen_id>/henvisninger/", views.referral_add, name="referral_add"),
    path("<uuid:citizen_id>/henvisninger/<int:referral_id>/afslut/", views.referral_end,
         name="referral_end"),
]
