"""Staff pages of the 12348 hotline, mounted at /console/hotline/ (namespace ``hotline``). Every URL is declared in
fawang/hotline/tests/matrix.py."""

from django.urls import path

from . import quality_views, setup_views, views

app_name = "hotline"

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("desk/sign-in/", views.sign_in, name="sign_in"),
    path("desk/sign-out/", views.sign_out, name="sign_out"),
    path("desk/pop/", views.pop, name="pop"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/wrap-up/", views.wrap_up, name="wrap_up"),
    path("calls/<int:pk>/take-in/", views.take_in, name="take_in"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/<int:pk>/done/", views.callback_done, name="callback_done"),
    path("callbacks/<int:pk>/dial/", views.callback_dial, name="callback_dial"),
    path("handovers/", views.handovers, name="handovers"),
    path("calls/<int:pk>/refer/", views.refer, name="refer"),
    path("roster/", views.roster, name="roster"),
    path("roster/shifts/", views.shift_add, name="shift_add"),
    path("roster/shifts/<int:pk>/delete/", views.shift_remove, name="shift_remove"),
    path("duty-log/", views.duty_log, name="duty_log"),
    path("duty/queue/", views.duty_queue, name="duty_queue"),
    path("duty/referrals/<int:pk>/done/", views.referral_done, name="referral_done"),
    path("followups/<int:pk>/dial/", views.followup_dial, name="followup_dial"),
    path("followups/<int:pk>/done/", views.followup_done, name="followup_done"),
    path("quality/", quality_views.review_list, name="quality"),
    path("quality/sample/", quality_views.sample, name="quality_sample"),
    path("quality/checklist/", quality_views.checklist, name="quality_checklist"),
    path("quality/<int:pk>/", quality_views.review_detail, name="quality_review"),
    path("quality/<int:pk>/appeal/", quality_views.appeal, name="quality_appeal"),
    path("stats/", views.stats_page, name="stats"),
    path("stats/export.xlsx", views.stats_export, name="stats_export"),
    path("setup/", setup_views.setup, name="setup"),
    path("setup/settings/", setup_views.save_settings, name="setup_settings"),
    path("setup/queues/", setup_views.queue_add, name="setup_queue_add"),
    path("setup/queues/<int:pk>/active/", setup_views.queue_active, name="setup_queue_active"),
    path("setup/systems/", setup_views.system_add, name="setup_system_add"),
    path("setup/systems/<int:pk>/", setup_views.system_edit, name="setup_system_edit"),
    path("setup/systems/<int:pk>/rotate/", setup_views.system_rotate, name="setup_system_rotate"),
]
