from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("login/verify/", views.verify, name="verify"),
    path("totp/setup/", views.totp_setup, name="totp_setup"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
]
