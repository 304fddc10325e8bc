"""Staff pages of people's mediation, at /console/mediation/ (namespace ``mediation``). Every URL is declared in the
role matrix (fawang/mediation/tests/matrix.py)."""

from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/consent/", views.case_consent, name="case_consent"),
    path("cases/<int:pk>/mediators/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/recuse/", views.case_recuse, name="case_recuse"),
    path("cases/<int:pk>/sessions/", views.case_session, name="case_session"),
    path("cases/<int:pk>/agreement/", views.case_agreement, name="case_agreement"),
    path("cases/<int:pk>/terminate/", views.case_terminate, name="case_terminate"),
    path("cases/<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("matters/<int:pk>/open/", views.open_from_matter, name="open_from_matter"),
    path("agreements/<int:pk>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/signed/", views.agreement_signed, name="agreement_signed"),
    path("agreements/<int:pk>/signed-copy/", views.agreement_copy, name="agreement_copy"),
    path("agreements/<int:pk>/confirmation/", views.agreement_confirmation, name="agreement_confirmation"),
    path("follow-ups/<int:pk>/", views.follow_up, name="follow_up"),
    path("screenings/", views.screenings, name="screenings"),
    path("screenings/new/", views.screening_new, name="screening_new"),
    path("screenings/<int:pk>/", views.screening_detail, name="screening"),
    path("screenings/<int:pk>/case/", views.screening_case, name="screening_case"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("warnings/", views.warnings, name="warnings"),
    path("warnings/new/", views.warning_new, name="warning_new"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("warnings/<int:pk>/case/", views.warning_case, name="warning_case"),
    path("warnings/<int:pk>/check/", views.warning_check, name="warning_check"),
    path("warnings/<int:pk>/lower/", views.warning_lower, name="warning_lower"),
    path("committees/", views.committees, name="committees"),
    path("committees/<int:pk>/", views.committee_detail, name="committee"),
    path("committees/<int:pk>/edit/", views.committee_edit, name="committee_edit"),
    path("committees/<int:pk>/mediators/", views.mediator_add, name="mediator_add"),
    path("mediators/<int:pk>/", views.mediator_detail, name="mediator"),
    path("mediators/<int:pk>/edit/", views.mediator_edit, name="mediator_edit"),
    path("mediators/<int:pk>/training/", views.mediator_training, name="mediator_training"),
    path("stats/", views.stats_page, name="stats"),
    path("stats/export/", views.stats_export, name="stats_export"),
]
