"""Public accounts: /me/ ... ; mounted in fawang/urls.py under the namespace ``me``."""

from django.urls import path

from . import privacy_views, views

app_name = "me"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.sign_in, name="login"),
    path("login/verify/", views.verify, name="verify"),
    path("logout/", views.sign_out, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("devices/", views.devices, name="devices"),
    path("profile/claim/", views.claim, name="claim"),
    path("devices/<int:pk>/sign-out/", views.device_sign_out, name="device_sign_out"),
    path("devices/browsers/<int:pk>/sign-out/", views.browser_sign_out, name="browser_sign_out"),
    path("privacy/", privacy_views.privacy, name="privacy"),
    path("privacy/withdraw/", privacy_views.withdraw, name="withdraw_consent"),
    path("matters/", views.matter_list, name="matters"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path("matters/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("matters/<int:pk>/rate/", views.rate, name="rate"),
    path("matters/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("consult/new/", views.ask, name="ask"),
]
