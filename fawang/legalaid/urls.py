from django.urls import path

from . import views

app_name = "legalaid"

# Mounted at /console/legalaid/.
urlpatterns = [
    path("standards/", views.standard_list, name="standards"),
    path("standards/add/", views.standard_add, name="standard_add"),
    path("standards/references/add/", views.reference_add, name="reference_add"),
    path("roster/", views.roster, name="roster"),
    path("roster/<int:pk>/add/", views.roster_add, name="roster_add"),
    path("matters/<int:pk>/assign/", views.assign, name="assign"),
    path("matters/<int:pk>/advance/", views.advance, name="advance"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/accept/", views.case_accept, name="case_accept"),
    path("cases/<int:pk>/log/", views.case_log, name="case_log"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/check/", views.case_check, name="case_check"),
    path("cases/<int:pk>/quality/", views.case_quality, name="case_quality"),
    path("cases/<int:pk>/notice.pdf", views.case_notice, name="case_notice"),
    path("cases/<int:pk>/file/", views.case_file, name="case_file"),
    path("decisions/<int:pk>/notice.pdf", views.decision_pdf, name="decision_pdf"),
    path("decisions/<int:pk>/object/", views.objection_add, name="objection_add"),
    path("objections/", views.objection_list, name="objections"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("subsidies/", views.subsidy_list, name="subsidies"),
    path("subsidies/<int:pk>/approve/", views.subsidy_approve, name="subsidy_approve"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/centres/<int:pk>/add/", views.notification_add, name="notification_add"),
    path("notifications/<int:pk>/letter.pdf", views.notification_letter, name="notification_letter"),
    path("duty/", views.duty, name="duty"),
    path("duty/centres/<int:pk>/stations/add/", views.station_add, name="station_add"),
    path("duty/stations/<int:pk>/shifts/add/", views.shift_add, name="shift_add"),
    path("duty/shifts/<int:pk>/log/", views.duty_log, name="duty_log"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.xlsx", views.statistics_export, name="statistics_export"),
    path("subsidies/payment-list.xlsx", views.payment_list, name="payment_list"),
]
