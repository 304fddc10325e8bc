from django.urls import path

from . import handover_views, views

app_name = "matters"

# Mounted at /console/matters/. Every URL here must be declared in the role matrix
# (fawang/console/tests/test_role_matrix.py: ROWS, or ACTION_RULES for an action), or the matrix fails.
# No URL sits at the root: the console's navigation marks an entry active by URL prefix.
urlpatterns = [
    path("mine/", views.my_queue, name="my_queue"),
    path("unit/", views.unit_queue, name="unit_queue"),
    path("all/", views.matter_list, name="list"),
    path("bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("intake/", views.intake, name="intake"),
    path("intake/receipt/", views.intake_receipt, name="intake_receipt"),
    path("supervision/", views.supervision, name="supervision"),
    path("feedback/", views.feedback, name="feedback"),
    path("<int:pk>/", views.matter_detail, name="detail"),
    path("<int:pk>/act/", views.matter_act, name="act"),
    path("<int:pk>/reveal/", views.matter_reveal, name="reveal"),
    path("<int:pk>/suggestions/", views.matter_suggestions, name="suggestions"),
    path("<int:pk>/suggestions/decide/", views.article_decide, name="article_decide"),
    path("<int:pk>/suggestions/add/", views.article_add, name="article_add"),
    path("<int:pk>/topic/", views.topic_correct, name="topic"),
    path("<int:pk>/outside-reply/", handover_views.outside_reply, name="outside_reply"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("persons/<int:pk>/", views.person_detail, name="person"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("callbacks/<int:pk>/", views.callback_detail, name="callback"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
]
