"""Staff pages of community corrections, mounted at /console/corrections/ (namespace ``corrections``). Every URL is
declared in the role matrix (fawang/corrections/tests/matrix.py)."""

from django.urls import path

from . import views

app_name = "corrections"

urlpatterns = [
    path("subjects/", views.subject_list, name="list"),
    path("subjects/new/", views.take_over, name="take_over"),
    path("subjects/<int:pk>/", views.detail, name="detail"),
    path("subjects/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("subjects/<int:pk>/report/", views.report, name="report"),
    path("subjects/<int:pk>/plan/", views.set_plan, name="plan"),
    path("subjects/<int:pk>/group/", views.add_member, name="group_add"),
    path("subjects/<int:pk>/account/", views.link_account, name="link_account"),
    path("subjects/<int:pk>/check-in/", views.check_in_office, name="check_in"),
    path("subjects/<int:pk>/leave/", views.apply_leave, name="leave_apply"),
    path("subjects/<int:pk>/decisions/", views.decide, name="decide"),
    path("subjects/<int:pk>/assessments/", views.assess, name="assess"),
    path("subjects/<int:pk>/lost/", views.mark_lost, name="lost"),
    path("subjects/<int:pk>/found/", views.found, name="found"),
    path("subjects/<int:pk>/monitoring/", views.approve_monitoring, name="monitoring"),
    path("subjects/<int:pk>/activities/", views.record_activity, name="activity"),
    path("subjects/<int:pk>/end/", views.end, name="end"),
    path("subjects/<int:pk>/ending.pdf", views.ending_pdf, name="ending_pdf"),
    path("subjects/<int:pk>/call/", views.record_call, name="call"),
    path("subjects/<int:pk>/reoffence/", views.record_reoffence, name="reoffence"),
    path("items/<int:pk>/", views.record_item, name="item"),
    path("items/<int:pk>/photos/", views.add_photos, name="item_photos"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("relocations/<int:pk>/receive/", views.receive_relocation, name="relocation_receive"),
    path("leaves/<int:pk>/decide/", views.decide_leave, name="leave_decide"),
    path("leaves/<int:pk>/return/", views.leave_return, name="leave_return"),
    path("monitoring/<int:pk>/renew/", views.renew_monitoring, name="monitoring_renew"),
    path("decisions/<int:pk>/notice.pdf", views.decision_pdf, name="decision_pdf"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/close/", views.close_task, name="task_close"),
]
