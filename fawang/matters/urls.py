from django.urls import path

from .views import detail, handover, intake, person, queues, supervision

app_name = "matters"

# Mounted at /console/matters/. Every URL here must be declared in the role matrix
# (fawang/console/tests/test_role_matrix.py: ROWS, or ACTION_RULES for an action), or the matrix fails.
# No URL sits at the root: the console's navigation marks an entry active by URL prefix.
urlpatterns = [
    path("mine/", queues.my_queue, name="my_queue"),
    path("unit/", queues.unit_queue, name="unit_queue"),
    path("all/", queues.matter_list, name="list"),
    path("bulk-assign/", queues.bulk_assign, name="bulk_assign"),
    path("intake/", intake.intake, name="intake"),
    path("intake/receipt/", intake.intake_receipt, name="intake_receipt"),
    path("supervision/", supervision.supervision, name="supervision"),
    path("feedback/", supervision.feedback, name="feedback"),
    path("<int:pk>/", detail.matter_detail, name="detail"),
    path("<int:pk>/act/", detail.matter_act, name="act"),
    path("<int:pk>/reveal/", detail.matter_reveal, name="reveal"),
    path("<int:pk>/topic/", detail.topic_correct, name="topic"),
    path("<int:pk>/outside-reply/", handover.outside_reply, name="outside_reply"),
    path("<int:pk>/attachments/", detail.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", detail.attachment_download, name="attachment"),
    path("persons/<int:pk>/", person.person_detail, name="person"),
    path("persons/<int:pk>/reveal/", person.person_reveal, name="person_reveal"),
    path("callbacks/<int:pk>/", supervision.callback_detail, name="callback"),
    path("rectifications/<int:pk>/", supervision.rectification_detail, name="rectification"),
]
