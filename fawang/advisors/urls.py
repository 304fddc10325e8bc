"""Console pages of the advisors' work, mounted at /console/advisors/ (namespace ``advisors``). Every URL is declared
in fawang/advisors/tests/matrix.py."""

from django.urls import path

from . import petition_views, views

app_name = "advisors"

urlpatterns = [
    path("my/", views.my_work, name="my_work"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/log/", views.log_add, name="log_add"),
    path("assignments/<int:pk>/days/", views.service_day_add, name="service_day_add"),
    path("assignments/<int:pk>/contact/", views.contact_set, name="contact_set"),
    path("assignments/<int:pk>/board/", views.board_set, name="board_set"),
    path("days/<int:pk>/delete/", views.service_day_delete, name="service_day_delete"),
    path("logs/<int:pk>/", views.log_detail, name="log"),
    path("logs/<int:pk>/resend/", views.log_resend, name="log_resend"),
    path("monthly/", views.monthly, name="monthly"),
    path("monthly/export/", views.export, name="export"),
    path("missed/", views.missed, name="missed"),
    path("coverage/", views.coverage, name="coverage"),
    path("rules/", views.rules, name="rules"),
    path("rules/add/", views.rule_add, name="rule_add"),
    path("talent/", views.talent_pool, name="talent"),
    path("talent/<int:pk>/", views.talent_edit, name="talent_edit"),
    path("recommend/<str:code>/", views.recommend, name="recommend"),
    path("petition/", petition_views.posts, name="petition"),
    path("petition/new/", petition_views.post_new, name="petition_post_new"),
    path("petition/<int:pk>/", petition_views.post_detail, name="petition_post"),
    path("petition/<int:pk>/duties/", petition_views.duty_add, name="petition_duty_add"),
    path("petition/duties/<int:pk>/log/", petition_views.duty_log, name="petition_log"),
]
