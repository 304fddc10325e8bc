from django.urls import path

from . import views

app_name = "aid_me"

# Mounted at /me/legalaid/: a member of the public's own decision notices.
urlpatterns = [path("decisions/<int:pk>/notice.pdf", views.my_decision_pdf, name="decision_pdf")]
