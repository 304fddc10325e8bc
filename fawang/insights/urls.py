"""Console URLs of the supervision app, mounted at console/insights/ (namespace ``insights``)."""

from django.urls import path

from . import plan_views, reports, views

app_name = "insights"

urlpatterns = [
    path("", views.home, name="home"),
    path("r/<str:code>/", views.dashboard, name="dashboard"),
    path("r/<str:code>/data/", views.data, name="data"),
    path("r/<str:code>/matters/", views.matters, name="matters"),
    path("r/<str:code>/hotspots/", views.hotspot_list, name="hotspots"),
    path("r/<str:code>/kpi/", views.kpi_board, name="kpi"),
    path("r/<str:code>/report/", reports.report_page, name="report"),
    path("r/<str:code>/report/notes/", reports.report_note_save, name="report_note"),
    path("r/<str:code>/report.pdf", reports.monthly_pdf, name="report_pdf"),
    path("r/<str:code>/report.xlsx", reports.excel, name="report_xlsx"),
    path("r/<str:code>/plans/", plan_views.plan_list, name="plans"),
    path("r/<str:code>/plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/", views.plans_home, name="plans_home"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:pk>/tasks/", plan_views.task_add, name="plan_task_add"),
    path("plans/tasks/<int:pk>/progress/", plan_views.task_progress, name="plan_task_progress"),
    path("plans/tasks/<int:pk>/done/", plan_views.task_done, name="plan_task_done"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("warnings/<int:pk>/acknowledge/", views.warning_acknowledge, name="warning_acknowledge"),
    path("warnings/<int:pk>/assign/", views.warning_assign, name="warning_assign"),
    path("warnings/<int:pk>/note/", views.warning_note, name="warning_note"),
    path("warnings/<int:pk>/close/", views.warning_close, name="warning_close"),
]
