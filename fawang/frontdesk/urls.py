"""Staff pages of the front desk, mounted at /console/frontdesk/ (namespace ``frontdesk``). Every URL here must be
declared in the role matrix (fawang/console/tests/test_role_matrix.py, ROWS), or the matrix fails. No URL sits at the root:
the console's navigation marks an entry active by URL prefix."""

from django.urls import path

from . import board_views, queue_views, suggestion_views, views

app_name = "frontdesk"

urlpatterns = [
    path("day/", views.day, name="day"),
    path("reviews/", views.reviews, name="reviews"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("appointments/<int:pk>/no-show/", views.no_show, name="no_show"),
    path("appointments/<int:pk>/cancel/", views.staff_cancel, name="cancel"),
    path("appointments/<int:pk>/review/", views.review, name="review"),
    path("appointments/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("appointments/<int:pk>/intake/", views.intake, name="intake"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/new/", views.schedule_new, name="schedule_new"),
    path("schedules/<int:pk>/", views.schedule_detail, name="schedule"),
    path("schedules/<int:pk>/rules/", views.rule_add, name="rule_add"),
    path("schedules/<int:pk>/exceptions/", views.exception_add, name="exception_add"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("exceptions/<int:pk>/delete/", views.exception_delete, name="exception_delete"),
    path("appointments/<int:pk>/ticket/", queue_views.appointment_ticket, name="appointment_ticket"),
    # 排队叫号
    path("queue/", queue_views.queue, name="queue"),
    path("queue/tickets/new/", queue_views.ticket_issue, name="ticket_issue"),
    path("queue/windows/<int:pk>/post/", queue_views.post_window, name="post_window"),
    path("queue/windows/<int:pk>/call-next/", queue_views.call_next, name="call_next"),
    path("queue/postings/<int:pk>/end/", queue_views.end_posting, name="end_posting"),
    path("queue/tickets/<int:pk>/recall/", queue_views.ticket_recall, name="ticket_recall"),
    path("queue/tickets/<int:pk>/skip/", queue_views.ticket_skip, name="ticket_skip"),
    path("queue/tickets/<int:pk>/transfer/", queue_views.ticket_transfer, name="ticket_transfer"),
    path("queue/tickets/<int:pk>/finish/", queue_views.ticket_finish, name="ticket_finish"),
    path("queue/tickets/<int:pk>/intake/", queue_views.ticket_intake, name="ticket_intake"),
    path("queue/points/<int:pk>/hall/", queue_views.hall_view, name="hall"),
    path("queue/points/<int:pk>/hall/board/", queue_views.hall_board, name="hall_board"),
    path("queue/points/<int:pk>/displays/new/", queue_views.display_add, name="display_add"),
    path("queue/displays/<int:pk>/revoke/", queue_views.display_revoke, name="display_revoke"),
    path("coverage/", queue_views.coverage, name="coverage"),
    # 公示牌: a room's, or a town station's rooms in one PDF
    path("boards/<int:pk>/", board_views.board_pdf, name="board_pdf"),
    # 便民箱
    path("suggestions/", suggestion_views.suggestion_list, name="suggestions"),
    path("suggestions/paper/", suggestion_views.suggestion_paper, name="suggestion_paper"),
    path("suggestions/<int:pk>/", suggestion_views.suggestion_detail, name="suggestion"),
    path("suggestions/<int:pk>/answer/", suggestion_views.suggestion_answer, name="suggestion_answer"),
]
