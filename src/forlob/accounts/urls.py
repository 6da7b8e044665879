from django.urls import path

from . import views_admin, views_auth

app_name = "accounts"
urlpatterns = [
    path("login/", views_auth.LoginView.as_view(), name="login"),
    path("logout/", views_auth.logout_view, name="logout"),
    path("2fa/", views_auth.otp_verify, name="otp_verify"),
    path("2fa/opsaet/", views_auth.otp_setup, name="otp_setup"),
    path("brugere/", views_admin.user_list, name="user_list"),
    path("brugere/opret/", views_admin.user_create, name="user_create"),
    path("brugere/<int:user_id>/", views_admin.user_detail, name="user_detail"),
    path("brugere/<int:user_id>/deaktiver/", views_admin.user_deactivate, name="user_deactivate"),
    path("brugere/<int:user_id>/roller/tilfoej/", views_admin.membership_add,
         name="membership_add"),
    path("brugere/<int:user_id>/roller/<int:membership_id>/fjern/",
         views_admin.membership_remove, name="membership_remove"),
]
