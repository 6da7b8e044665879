from django.urls import path

from . import views_admin, views_auth

app_name = "accounts"
urlpatterns = [
    path("login/", views_auth.LoginView.as_view(), name="login"),
    path("logout/", views_auth.logout_view, name="logout"),
    path("2fa/", views_auth.otp_verify, name="otp_verify"),
    path("2fa/opsaet/", views_auth.otp_setup, name="otp_setup"),
    path("brugere/", views_admin.user_list, name="user_list"),
]
